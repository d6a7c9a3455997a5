package mo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"moxsync/engine"
)

// Partial reads the given people and units as Snapshot reads them: the
// snapshot's own documents with a uuid filter added (events_queries.go),
// decoded, checked and assembled by the same code (gql_snapshot.go,
// assemble.go), so each Person and Unit equals the one a full snapshot at
// the same instant holds (TestPartialEqualsSnapshot). People and units are
// read in chunks of PageSize uuids, a few chunks at a time. The classes
// and IT systems that names come from are read once, in one request, and
// kept (vocabulary) until an event of a class, facet or IT system, or for
// vocabularyTTL.
//
// A requested person MO has no current or future slice of, or a unit that
// is not in force now or lies outside the top unit, is listed as missing.
func (c *Client) Partial(ctx context.Context, people, units []string) (*engine.PartialSnapshot, error) {
	const op = "mo: partial read"
	if err := c.needGraphQL(op); err != nil {
		return nil, err
	}
	now := c.cfg.Now().In(copenhagen)
	people, units = cleanUUIDs(people), cleanUUIDs(units)
	out := &engine.PartialSnapshot{ReadAt: now.UTC()}
	if len(people) == 0 && len(units) == 0 {
		return out, nil
	}
	var requests atomic.Int64
	ctx = withRequestCounter(ctx, &requests)
	start := time.Now()
	voc, err := c.vocabulary(ctx, now)
	if err != nil {
		return nil, err
	}
	g := &gqlReader{c: c, now: now, inclusive: c.cfg.GraphQLVersion < 29, classes: indexClasses(voc.classes),
		systems: make(map[string]engine.ITSystem, len(voc.systems))}
	for _, s := range voc.systems {
		g.systems[s.UUID] = s
	}
	gu, gp, err := c.readPartial(ctx, g, people, units)
	if err != nil {
		return nil, err
	}
	if err := g.resolveMissing(ctx, gu, gp); err != nil {
		return nil, err
	}
	res := &readResult{}
	if c.cfg.GraphQLVersion < 28 { // a root unit's parent_uuid is the organisation's
		if res.org, err = c.org(ctx); err != nil {
			return nil, err
		}
	}
	for _, u := range gu {
		ru, err := g.unit(u)
		if err != nil {
			return nil, g.bad("mo: read org units", u.UUID.v, err)
		}
		res.units = append(res.units, ru)
	}
	for _, p := range gp {
		rp, err := g.person(p)
		if err != nil {
			return nil, g.bad("mo: read employees", p.UUID.v, err)
		}
		res.people = append(res.people, rp)
	}
	snap, err := assemble(now, "", res) // the units are limited to the top unit by the query
	if err != nil {
		return nil, err
	}
	out.People, out.Units, out.Warnings = snap.People, snap.Units, snap.Warnings
	out.MissingPeople = missing(people, len(snap.People), func(i int) string { return snap.People[i].UUID })
	out.MissingUnits = missing(units, len(snap.Units), func(i int) string { return snap.Units[i].UUID })
	c.log.DebugContext(ctx, "partial MO read", "people", len(out.People), "units", len(out.Units),
		"missing", len(out.MissingPeople)+len(out.MissingUnits), "requests", requests.Load(), "took", time.Since(start).Round(time.Millisecond))
	return out, nil
}

// readPartial reads the people and units in chunks, concurrently, keeping
// what the snapshot would keep: a person's slice in force now or the
// earliest future one; a unit in force now.
func (c *Client) readPartial(ctx context.Context, g *gqlReader, people, units []string) ([]*gqlUnit, []*gqlPerson, error) {
	peopleDoc, err := peopleByUUIDQuery(c.cfg.GraphQLVersion, c.cfg.EngagementExtensions...)
	if err != nil {
		return nil, nil, engine.E(engine.KindOther, "mo: read employees", "", err)
	}
	top := c.cfg.TopUnitUUID
	unitsDoc, err := unitsByUUIDQuery(top != "")
	if err != nil {
		return nil, nil, engine.E(engine.KindOther, "mo: read org units", "", err)
	}
	ext := c.cfg.GraphQLVersion >= ExternalIDMinGraphQLVersion
	nowStr := formatDateTime(g.now)
	var (
		mu sync.Mutex
		gu []*gqlUnit
		gp []*gqlPerson
	)
	var tasks []func(context.Context) error
	for _, ids := range chunk(people, c.cfg.PageSize) {
		tasks = append(tasks, func(ctx context.Context) error {
			check := func(o *gqlTemporal[gqlPerson]) gap { return checkPersonSlices(o, ext, c.cfg.EngagementExtensions) }
			return readPages(ctx, c, "mo: read employees", peopleDoc, "employees", map[string]any{"now": nowStr, "uuids": ids}, check, func(objs []gqlTemporal[gqlPerson]) error {
				mu.Lock()
				defer mu.Unlock()
				for i := range objs {
					p, ok, err := pickSlice(g.now, g.inclusive, &objs[i], func(p *gqlPerson) wireValidity { return p.Validity })
					if err != nil {
						return g.bad("mo: read employees", objs[i].UUID.v, err)
					}
					if ok {
						gp = append(gp, p)
					}
				}
				return nil
			})
		})
	}
	for _, ids := range chunk(units, c.cfg.PageSize) {
		vars := map[string]any{"now": nowStr, "uuids": ids}
		if top != "" {
			vars["top"] = top
		}
		tasks = append(tasks, func(ctx context.Context) error {
			return readPages(ctx, c, "mo: read org units", unitsDoc, "org_units", vars, checkCurrentUnit, func(objs []gqlTemporal[gqlUnit]) error {
				mu.Lock()
				defer mu.Unlock()
				for i := range objs {
					if u := objs[i].Current.v; u != nil { // else not in force at now
						gu = append(gu, u)
					}
				}
				return nil
			})
		})
	}
	err = runAll(ctx, resolveWorkers, len(tasks), func(ctx context.Context, i int) error { return tasks[i](ctx) })
	return gu, gp, err
}

// missing is the members of want (sorted) that the n sorted got(i) lack.
func missing(want []string, n int, got func(int) string) []string {
	var out []string
	j := 0
	for _, id := range want {
		for j < n && got(j) < id {
			j++
		}
		if j >= n || got(j) != id {
			out = append(out, id)
		}
	}
	return out
}

// vocabulary is the current classes and IT systems, as Snapshot reads
// them, kept for partial reads.
type vocabulary struct {
	readAt  time.Time // wall clock
	classes []engine.Class
	systems []engine.ITSystem
}

// vocabularyTTL is how long the classes and IT systems are kept without an
// event that says they changed.
const vocabularyTTL = time.Hour

// vocabulary returns the kept classes and IT systems, reading them when
// there are none (or they are old): one request for both, without paging;
// a collection MO pages anyway is read on page by page.
func (c *Client) vocabulary(ctx context.Context, now time.Time) (*vocabulary, error) {
	c.ev.mu.Lock()
	v := c.ev.vocab
	c.ev.mu.Unlock()
	if v != nil && time.Since(v.readAt) < vocabularyTTL {
		return v, nil
	}
	const op = "mo: read classes and IT systems"
	v = &vocabulary{readAt: time.Now()}
	var data struct {
		Classes   *paged[gqlTemporal[gqlClass]]    `json:"classes"`
		ITSystems *paged[gqlTemporal[gqlITSystem]] `json:"itsystems"`
	}
	vars := map[string]any{"now": formatDateTime(now)}
	if err := c.graphql(ctx, op, opVocabulary, vars, &data); err != nil {
		return nil, err
	}
	if data.Classes == nil || data.ITSystems == nil {
		return nil, c.protocolGap(op, opVocabulary, gap{key: "classes or itsystems", at: "data"})
	}
	for _, g := range []gap{checkPage("classes", data.Classes, checkCurrentClass), checkPage("itsystems", data.ITSystems, checkCurrentITSystem)} {
		if err := c.protocolGap(op, opVocabulary, g.under("data")); err != nil {
			return nil, err
		}
	}
	addClasses := func(objs []gqlTemporal[gqlClass]) error {
		for _, o := range objs {
			if k := o.Current.v; k != nil {
				v.classes = append(v.classes, k.class())
			}
		}
		return nil
	}
	addSystems := func(objs []gqlTemporal[gqlITSystem]) error {
		for _, o := range objs {
			if s := o.Current.v; s != nil {
				v.systems = append(v.systems, s.system())
			}
		}
		return nil
	}
	addClasses(*data.Classes.Objects)
	addSystems(*data.ITSystems.Objects)
	if !data.Classes.PageInfo.NextCursor.null { // MO paged without a limit: read it all as Snapshot does
		v.classes = nil
		if err := readPages(ctx, c, "mo: read classes", opClasses, "classes", vars, checkCurrentClass, addClasses); err != nil {
			return nil, err
		}
	}
	if !data.ITSystems.PageInfo.NextCursor.null {
		v.systems = nil
		if err := readPages(ctx, c, "mo: read IT systems", opITSystems, "itsystems", vars, checkCurrentITSystem, addSystems); err != nil {
			return nil, err
		}
	}
	c.ev.mu.Lock()
	c.ev.vocab = v
	c.ev.mu.Unlock()
	return v, nil
}

// opVocabulary is opClasses and opITSystems in one document, unpaged: the
// same selections (TestVocabularySelectsAsSnapshot).
var opVocabulary = operation{name: "Vocabulary", text: fmt.Sprintf(`
query Vocabulary($now: DateTime) {
  classes(filter: {from_date: $now}) {
    page_info { next_cursor }
    objects { %s }
  }
  itsystems(filter: {from_date: $now}) {
    page_info { next_cursor }
    objects { %s }
  }
}`, "uuid current(at: $now) { uuid user_key name scope facet { user_key } }", "uuid current(at: $now) { uuid user_key name }")}
