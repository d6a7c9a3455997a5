package engine

import "context"

// NewSTSPlanner returns the STSPlanner that maps the snapshot to STS
// (MapSTS with opts) and diffs it against record, the payloads last sent
// (DiffSTS). The inventory counts are the record's sizes.
func NewSTSPlanner(opts STSMapOptions, record STSRecord) STSPlanner {
	return func(_ context.Context, snap *Snapshot, _ []Account) (STSPlan, error) {
		desired, warns := MapSTS(snap, opts)
		changes, dwarns := DiffSTS(&desired, record)
		return STSPlan{Changes: changes, Warnings: append(warns, dwarns...), Units: len(record.Units), Users: len(record.Users)}, nil
	}
}
