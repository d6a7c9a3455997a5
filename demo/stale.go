package demo

import (
	"cmp"
	"slices"

	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/sts/ststest"
)

// StaleSTS names what the demo's STS holds before the first run that MO
// does not want there, as a municipality's STS does after years of mox and
// other systems: the first plan removes each, with its reason.
type StaleSTS struct {
	Units []engine.STSRef // a closed unit; a unit outside the top unit; an orphan root
	Users []engine.STSRef // an erased person; a person without an engagement under the top unit
}

// Stale objects of the demo that MO never had (fixed uuids, so the demo
// is the same every time).
const (
	staleRootUUID   = "5a1e0000-0000-4000-8000-000000000001"
	staleClosedUUID = "5a1e0000-0000-4000-8000-000000000002"
	staleErasedUUID = "5a1e0000-0000-4000-8000-000000000003"
)

// seedStaleSTS preloads srv (speaking dialect) with objects MO does not
// want in STS, as another system or mox would have left them:
//
//   - "Forvaltningen", an administrative root MO does not have, and the
//     closed "Gl. Teknik og Miljø" under the top unit: not in MO;
//   - a unit MO has outside the top unit (where a person is engaged),
//     under that root: outside the top unit;
//   - "Jørgen Slettet", a person erased from MO: not in MO;
//   - the first MO person without a position under the top unit, with an
//     old position: no engagement under the top unit.
func seedStaleSTS(srv *ststest.Server, dialect string, ds *motest.Dataset, snap *engine.Snapshot) StaleSTS {
	var st StaleSTS
	top := ds.TopUnitUUID
	srv.SeedUnit(dialect, staleRootUUID, "Forvaltningen", "")
	srv.SeedUnit(dialect, staleClosedUUID, "Gl. Teknik og Miljø", top)
	st.Units = append(st.Units, engine.STSRef{UUID: staleRootUUID, Name: "Forvaltningen"}, engine.STSRef{UUID: staleClosedUUID, Name: "Gl. Teknik og Miljø"})

	d, _ := engine.MapSTS(snap, engine.STSMapOptions{TopUnitUUID: top, Now: snap.ReadAt})
	exported := map[string]bool{}
	for _, u := range d.Units {
		exported[u.UUID] = true
	}
	var outside []string
	for _, e := range ds.Engagements {
		if !exported[e.UnitUUID] && e.Validity.ActiveAt(snap.ReadAt) {
			outside = append(outside, e.UnitUUID)
		}
	}
	slices.Sort(outside)
	if len(outside) > 0 {
		name := outside[0]
		for _, u := range ds.Units {
			if u.UUID == outside[0] {
				name = cmp.Or(u.Name, name)
			}
		}
		srv.SeedUnit(dialect, outside[0], name, staleRootUUID)
		st.Units = append(st.Units, engine.STSRef{UUID: outside[0], Name: name})
	}

	srv.SeedUser(dialect, staleErasedUUID, "jslet", "Jørgen Slettet", ststest.SeedPosition{Name: "Sagsbehandler", OrgUnitUUID: staleClosedUUID})
	st.Users = append(st.Users, engine.STSRef{UUID: staleErasedUUID, Name: "Jørgen Slettet"})
	if len(d.Unposted) > 0 {
		p := d.Unposted[0]
		srv.SeedUser(dialect, p.UUID, p.UUID, p.Name, ststest.SeedPosition{Name: "Medarbejder", OrgUnitUUID: top})
		st.Users = append(st.Users, p)
	}
	return st
}
