package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Minimum terminal size.
const (
	minWidth  = 80
	minHeight = 24
)

// fit cuts s to at most w cells (with an ellipsis) and pads it to w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - lipgloss.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// cut cuts s to at most w cells without padding.
func cut(s string, w int) string {
	if lipgloss.Width(s) > w {
		return ansi.Truncate(s, max(w, 0), "…")
	}
	return s
}

// block fits lines into a w×h box: each line cut and padded, missing lines
// blank, extra lines dropped.
func block(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// leftRight puts left and right on one line of width w, right-aligned.
func leftRight(left, right string, w int) string {
	rw := lipgloss.Width(right)
	if rw >= w {
		return fit(right, w)
	}
	return fit(left, w-rw-1) + " " + right
}

// rule is a horizontal line of width w with a title.
func rule(title string, w int) string {
	t := "──" + title
	n := w - lipgloss.Width(t)
	if n < 0 {
		return cut(t, w)
	}
	return t + strings.Repeat("─", n)
}

// wrap breaks s into lines of at most w cells, on spaces where it can.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		wrapped := ansi.Wrap(para, w, " ")
		out = append(out, strings.Split(wrapped, "\n")...)
	}
	return out
}
