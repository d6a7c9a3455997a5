package tui

import "github.com/charmbracelet/lipgloss"

// The palette works on light and dark terminals. Colour only ever repeats
// what a symbol or a word already says.
var (
	colAccent  = lipgloss.AdaptiveColor{Light: "#005F87", Dark: "#5FAFFF"}
	colMuted   = lipgloss.AdaptiveColor{Light: "#6C6C6C", Dark: "#8A8A8A"}
	colCreate  = lipgloss.AdaptiveColor{Light: "#007A33", Dark: "#5FD75F"}
	colUpdate  = lipgloss.AdaptiveColor{Light: "#8A6D00", Dark: "#FFD75F"}
	colDelete  = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF5F5F"}
	colWarn    = lipgloss.AdaptiveColor{Light: "#AF5F00", Dark: "#FFAF5F"}
	colBanner  = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#000000"}
	colBannerB = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FFAF5F"}
	colSelect  = lipgloss.AdaptiveColor{Light: "#DADADA", Dark: "#303030"}
)

// styles is every style of the TUI.
type styles struct {
	Title, Banner, Muted, Accent, Warn, Error, OK lipgloss.Style
	Create, Update, Delete                        lipgloss.Style
	TabActive, Tab                                lipgloss.Style
	Selected                                      lipgloss.Style
	Approved, Rejected                            lipgloss.Style
	Rule                                          lipgloss.Style
	Dialog                                        lipgloss.Style
	Label                                         lipgloss.Style
}

func defaultStyles() styles {
	return styles{
		Title:     lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		Banner:    lipgloss.NewStyle().Bold(true).Foreground(colBanner).Background(colBannerB),
		Muted:     lipgloss.NewStyle().Foreground(colMuted),
		Accent:    lipgloss.NewStyle().Foreground(colAccent),
		Warn:      lipgloss.NewStyle().Foreground(colWarn),
		Error:     lipgloss.NewStyle().Bold(true).Foreground(colDelete),
		OK:        lipgloss.NewStyle().Foreground(colCreate),
		Create:    lipgloss.NewStyle().Foreground(colCreate),
		Update:    lipgloss.NewStyle().Foreground(colUpdate),
		Delete:    lipgloss.NewStyle().Foreground(colDelete),
		TabActive: lipgloss.NewStyle().Bold(true).Underline(true).Foreground(colAccent),
		Tab:       lipgloss.NewStyle().Foreground(colMuted),
		Selected:  lipgloss.NewStyle().Bold(true).Background(colSelect),
		Approved:  lipgloss.NewStyle().Foreground(colCreate),
		Rejected:  lipgloss.NewStyle().Foreground(colDelete),
		Rule:      lipgloss.NewStyle().Foreground(colMuted),
		Dialog:    lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(colAccent).Padding(0, 1),
		Label:     lipgloss.NewStyle().Bold(true),
	}
}
