// Package render turns engine plans and apply results into plain text for
// people, in Terraform's style: a symbol and a word per change, each field
// as before → after with the MO/AD field or rule it came from, and a
// summary line. The headless plan/apply commands and the TUI share it, so
// a plan reads the same everywhere; the engine never formats itself.
//
// CPR numbers are masked (DDMMYY-xxxx) in everything rendered. The output
// is plain text without colour; meaning never depends on colour.
package render
