package adtest

// AD stores DN-valued attributes (manager, member, …) as references to the
// target object, so they follow a rename and vanish when the target is
// deleted. fixLinks applies that to every entry: keys maps the old index key
// of each renamed or deleted object to its new DN, or "" when deleted. An
// entry that lost a value is changed (uSNChanged) as in AD; one whose value
// only follows a rename is not, since AD's link names the target's GUID.
func (d *directory) fixLinks(keys map[string]string) {
	if len(keys) == 0 {
		return
	}
	for _, e := range d.byKey {
		lost := false
		for i := range e.attrs {
			a := &e.attrs[i]
			if a.t.syntax != syntaxDN || a.t == atDistinguishedName || a.t == atObjectCategory {
				continue
			}
			changed := false
			out := a.vals[:0:0]
			for _, v := range a.vals {
				nv, hit := keys[normDNKey(v)]
				switch {
				case !hit:
					out = append(out, v)
				case nv != "":
					out = append(out, nv)
					changed = true
				default:
					// memberOf is a back link: AD does not count its change
					// as a change of the member.
					changed, lost = true, lost || a.t != atMemberOf
				}
			}
			if changed {
				a.vals = out
			}
		}
		// Drop attributes whose last value went away.
		kept := e.attrs[:0]
		for _, a := range e.attrs {
			if len(a.vals) > 0 {
				kept = append(kept, a)
			}
		}
		e.attrs = kept
		if lost {
			d.touch(e, &e.attrs)
		}
	}
}

// syncMemberOf keeps memberOf, AD's back link of member, in step after the
// member values of group g changed from before to g's current values.
func (d *directory) syncMemberOf(g *entry, before []string) {
	after := g.get(atMember)
	was := make(map[string]bool, len(before))
	for _, v := range before {
		was[normDNKey(v)] = true
	}
	now := make(map[string]bool, len(after))
	for _, v := range after {
		now[normDNKey(v)] = true
	}
	for k := range was {
		if now[k] {
			continue
		}
		if m := d.byKey[k]; m != nil {
			vals := m.get(atMemberOf)
			if i := valueIndex(atMemberOf, vals, g.dnStr); i >= 0 {
				m.set(atMemberOf, append(append([]string(nil), vals[:i]...), vals[i+1:]...))
			}
		}
	}
	for k := range now {
		if was[k] {
			continue
		}
		if m := d.byKey[k]; m != nil {
			vals := m.get(atMemberOf)
			if valueIndex(atMemberOf, vals, g.dnStr) < 0 {
				m.set(atMemberOf, append(append([]string(nil), vals...), g.dnStr))
			}
		}
	}
}
