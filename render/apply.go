package render

import (
	"fmt"
	"strings"

	"moxsync/engine"
)

// ResultLine is one progress line of an apply: status mark and word, the
// change's symbol, word, system and subject, and why when it was not ok.
func ResultLine(r engine.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-8s%s %-8s%-4s%s", StatusMark(r.Status), r.Status, Symbol(r.Op), Word(r.Op), SystemName(r.System), engine.MaskCPRs(r.Subject))
	if r.NewKey != "" {
		b.WriteString("  → " + engine.MaskCPRs(r.NewKey))
	}
	b.WriteString("  [" + r.ChangeID + "]")
	if r.Error != "" {
		b.WriteString(": " + engine.MaskCPRs(r.Error))
	}
	if r.Note != "" {
		b.WriteString(": " + engine.MaskCPRs(r.Note))
	}
	return b.String()
}

// ApplySummary is the closing line of an apply: "Apply: 12 ok, 1 failed,
// 2 stale, 1 skipped." (only the counts that are not zero).
func ApplySummary(s engine.Summary) string {
	var parts []string
	for _, c := range []struct {
		n    int
		word engine.ResultStatus
	}{{s.OK, engine.ResultOK}, {s.Failed, engine.ResultFailed}, {s.Stale, engine.ResultStale}, {s.Skipped, engine.ResultSkipped}, {s.Refused, engine.ResultRefused}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	if len(parts) == 0 {
		return textApplyPrefix + "nothing to do."
	}
	return textApplyPrefix + strings.Join(parts, ", ") + "."
}
