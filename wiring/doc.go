// Package wiring is the one place that turns settings into working parts:
// the OS2MO, Active Directory and STSOrgSync clients (ports of the engine)
// and the engine's plan, STS and apply options. Every command, the TUI
// backend and the demo (whose in-process systems are described by ordinary
// settings) open their systems through Open.
//
// It holds no sync logic: reading, planning and applying are the engine's;
// wiring only connects them to the adapters the settings name.
package wiring
