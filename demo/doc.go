// Package demo is moxsync's in-process world: a generated municipality
// served by the fakes of OS2MO (mo/motest, over loopback HTTP), Active
// Directory (ad/adtest, or a real DC such as the Samba one of .ci/ad-dc.sh)
// and STSOrgSync (sts/ststest), described by ordinary settings and reached
// through the real adapters (package wiring). `moxsync demo`, the TUI demo
// and the end-to-end tests and benchmarks run on it.
package demo
