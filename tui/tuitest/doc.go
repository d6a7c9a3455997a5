// Package tuitest is an in-memory world for the TUI: a small municipality
// in MO, AD and STS held by the engine's in-memory fakes, planned with the
// real engine.BuildPlan and applied with the real engine.Apply, so an
// approved and applied change is really gone from the next plan. It
// implements tui.Backend for the TUI's tests.
package tuitest
