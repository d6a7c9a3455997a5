package engine

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// UnfinishedIntents reads an audit log (JSON Lines, oldest first) and
// returns the intents that no later result line of the same plan and
// change answers: the changes an apply may have written before it stopped
// without recording their outcome (killed, a crash, a power cut). A change
// with several intents (a create retried with another username) is
// returned once, with its last intent. The order is that of the log.
// Lines that are not audit records (a line cut short by a crash) are
// skipped.
//
// Of each line only the plan, change and phase are decoded, and while no
// intent is open a result line is passed over by a substring test, so a
// long log of finished applies costs little more than reading the file;
// only the unfinished intents are decoded in full.
func UnfinishedIntents(r io.Reader) ([]AuditRecord, error) {
	type key struct{ plan, change string }
	type pending struct {
		seq  int
		line []byte
	}
	open := map[key]pending{}
	intentTag := []byte(`"phase":"` + AuditIntent + `"`)
	br := bufio.NewReaderSize(r, 1<<16)
	for seq := 0; ; seq++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && (len(open) > 0 || bytes.Contains(line, intentTag)) {
			var id struct {
				PlanID   string `json:"plan_id"`
				ChangeID string `json:"change_id"`
				Phase    string `json:"phase"`
			}
			if json.Unmarshal(line, &id) == nil && id.ChangeID != "" {
				k := key{id.PlanID, id.ChangeID}
				if id.Phase == AuditIntent {
					open[k] = pending{seq, line} // a later intent supersedes an earlier one
				} else {
					delete(open, k)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("audit: read the log: %w", err)
		}
	}
	left := make([]pending, 0, len(open))
	for _, p := range open {
		left = append(left, p)
	}
	slices.SortFunc(left, func(a, b pending) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]AuditRecord, 0, len(left))
	for _, p := range left {
		var rec AuditRecord
		if err := json.Unmarshal(p.line, &rec); err != nil {
			return nil, fmt.Errorf("audit: decode the intent of change %s: %w", rec.ChangeID, err)
		}
		out = append(out, rec)
	}
	return out, nil
}
