package mo

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
)

const (
	fxTop       = "0a1e5c6d-41b5-4b49-a8a1-5f2bb4b0b001"
	fxUnitBA    = "0b33c2e8-6f0e-4d3c-9a7b-1c2d3e4f5002"
	fxOtherRoot = "0c44d3f9-7a1f-4e4d-8b8c-2d3e4f506003"
	fxKnud      = "059b45b4-7e92-4450-b7ae-dff989d66ad2"
	fxAnne      = "1cd7d465-2f8a-4b9c-8d0e-1f2a3b4c5d6e"
	fxJose      = "2de8e576-3a9b-4cad-9e1f-2a3b4c5d6e7f"
	fxEngMerged = "d000591f-8f5e-4a2e-9b3c-1a2b3c4d5e01"
	fxEngFuture = "e111602a-9a6f-4b3f-8c4d-2b3c4d5e6f02"
	fxOpus      = "0872fb72-926d-4c5c-a063-ff800b8ee697"
)

// cph is a Copenhagen midnight as the engine holds it (UTC).
func cph(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, copenhagen).UTC()
}

func findUnit(s *engine.Snapshot, id string) *engine.Unit {
	for i := range s.Units {
		if s.Units[i].UUID == id {
			return &s.Units[i]
		}
	}
	return nil
}

func findPerson(s *engine.Snapshot, id string) *engine.Person {
	for i := range s.People {
		if s.People[i].UUID == id {
			return &s.People[i]
		}
	}
	return nil
}

func findEngagement(p *engine.Person, id string) *engine.Engagement {
	for i := range p.Engagements {
		if p.Engagements[i].UUID == id {
			return &p.Engagements[i]
		}
	}
	return nil
}

func TestSnapshotGraphQLFixtures(t *testing.T) {
	tests := []struct {
		version int
		// The unit's shown end is 2030-06-30; before v29 that is its last day.
		unitTo time.Time
		// Engagement slices [2020-01-01, shown 2026-05-31] and [2026-06-01, ∞):
		// contiguous (merged, open-ended) only when the shown end is inclusive.
		mergedTo time.Time
		futureTo time.Time
	}{
		{version: 22, unitTo: cph(2030, 7, 1), mergedTo: time.Time{}, futureTo: cph(2026, 11, 1)},
		{version: 29, unitTo: cph(2030, 6, 30), mergedTo: cph(2026, 5, 31), futureTo: cph(2026, 10, 31)},
	}
	for _, tt := range tests {
		t.Run("v"+strconv.Itoa(tt.version), func(t *testing.T) {
			fx := newFixtureGraphQL(t)
			c, _ := newFixtureClient(t, fx, tt.version, func(c *Config) { c.TopUnitUUID = fxTop; c.PageSize = 2 })
			s, err := c.Snapshot(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.Requests(), int64(9); got != want {
				t.Errorf("requests = %d, want %d (org, IT systems, 2 class pages, units, 3 people pages, the retired class)", got, want)
			}
			if !s.ReadAt.Equal(fixtureNow) || s.OrgUUID != "f06ee470-9f17-566f-acbe-e938112d46d9" || s.TopUnit != fxTop {
				t.Errorf("header = %v %s %s", s.ReadAt, s.OrgUUID, s.TopUnit)
			}
			if len(s.Classes) != 9 || len(s.ITSystems) != 2 {
				t.Errorf("classes %d, IT systems %d; want 9 (the retired one is not listed) and 2", len(s.Classes), len(s.ITSystems))
			}
			// Units: the top unit's subtree only; the org as parent is no parent.
			if len(s.Units) != 2 || findUnit(s, fxOtherRoot) != nil {
				t.Fatalf("units = %+v, want the top unit and its child", s.Units)
			}
			top, ba := findUnit(s, fxTop), findUnit(s, fxUnitBA)
			if top.ParentUUID != "" || ba.ParentUUID != fxTop {
				t.Errorf("parents %q %q, want \"\" and the top unit", top.ParentUUID, ba.ParentUUID)
			}
			if !ba.Validity.To.Equal(tt.unitTo) || !ba.Validity.From.Equal(cph(1960, 1, 1)) {
				t.Errorf("unit validity = %v, want [1960-01-01, %v)", ba.Validity, tt.unitTo)
			}
			if ba.UnitLevel != "N2" || ba.UnitType != "Afdeling" || len(ba.Addresses) != 1 || ba.Addresses[0].Scope != "EMAIL" || ba.Addresses[0].TypeUserKey != "EmailUnit" {
				t.Errorf("unit = %+v", ba)
			}
			if len(ba.ITSystemUUIDs) != 1 || ba.ITSystemUUIDs[0] != fxOpus {
				t.Errorf("IT bindings = %v, want the one system once", ba.ITSystemUUIDs)
			}
			if len(ba.Managers) != 1 || ba.Managers[0].PersonUUID != "" || ba.Managers[0].ManagerType != "Direktør" || ba.Managers[0].ManagerLevel != "Niveau 4" || ba.Managers[0].UnitUUID != fxUnitBA {
				t.Errorf("managers = %+v, want one vacant Direktør", ba.Managers)
			}

			if len(s.People) != 3 {
				t.Fatalf("people = %d, want 3 (the empty page in between is not the end)", len(s.People))
			}
			knud := findPerson(s, fxKnud)
			if knud.CPR != "0101501234" || knud.GivenName != "Knud Sølvtoft" {
				t.Errorf("knud = %+v", knud)
			}
			if len(knud.Engagements) != 2 {
				t.Fatalf("engagements = %+v", knud.Engagements)
			}
			m := findEngagement(knud, fxEngMerged)
			if m.JobFunction != "Pædagog" || !m.IsPrimary || !m.Validity.From.Equal(cph(2020, 1, 1)) || !m.Validity.To.Equal(tt.mergedTo) {
				t.Errorf("merged engagement = %+v, want Pædagog [2020-01-01, %v)", m, tt.mergedTo)
			}
			// Its job function is a retired class, read by uuid, latest name.
			if f := findEngagement(knud, fxEngFuture); f.JobFunction != "Skolepsykolog" || f.IsPrimary || !f.Validity.To.Equal(tt.futureTo) || !f.Validity.From.Equal(cph(2026, 4, 1)) {
				t.Errorf("future engagement = %+v", f)
			}
			a := knud.Addresses[0]
			if a.Visibility != "SECRET" || a.TypeUserKey != "BrugerEmail" || a.EngagementUUID != fxEngMerged {
				t.Errorf("address = %+v", a)
			}
			it := knud.ITUsers[0]
			if it.ITSystemName != "Active Directory" || it.UserKey != "knsp" {
				t.Errorf("IT user = %+v", it)
			}
			for _, q := range fx.queries {
				if q.OperationName == "People" && strings.Contains(q.Query, "external_id") != (tt.version >= 29) {
					t.Errorf("v%d People query asks for external_id: %v; it exists from v29", tt.version, !(tt.version >= 29))
				}
			}
			// The slice in force now, CPR invalid (31 February): kept without CPR.
			anne := findPerson(s, fxAnne)
			if anne.CPR != "" || anne.Surname != "Ærø" {
				t.Errorf("anne = %+v, want the current slice and no CPR", anne)
			}
			if len(s.Warnings) != 1 {
				t.Fatalf("warnings = %+v", s.Warnings)
			}
			w := s.Warnings[0]
			if w.Code != "invalid_cpr" || w.Key != fxAnne || w.Subject != "Anne-Mette Ærø" || !strings.Contains(w.Message, "310250-xxxx") || strings.Contains(w.Message, "3102501234") {
				t.Errorf("warning = %+v", w)
			}
			// A person who only starts in the future is read, as that slice.
			if jose := findPerson(s, fxJose); jose == nil || jose.CPR != "" || len(jose.Engagements) != 1 {
				t.Errorf("future person = %+v", jose)
			}
			// Every query sent asked for the page size as $limit.
			for _, q := range fx.queries {
				if l, ok := q.Variables["limit"]; ok && l != float64(2) {
					t.Errorf("%s limit = %v", q.OperationName, l)
				}
			}
		})
	}
}
