package adtest

// Search scopes (RFC 4511 §4.5.1.2).
const (
	scopeBase     = 0
	scopeOneLevel = 1
	scopeSubtree  = 2
)

// attrSelection is the attribute list of a search request.
type attrSelection struct {
	all   bool // "*" or no list
	ops   bool // "+"
	named map[*attrType]bool
}

func newAttrSelection(names []string) attrSelection {
	s := attrSelection{named: map[*attrType]bool{}}
	if len(names) == 0 {
		s.all = true
	}
	for _, n := range names {
		switch n {
		case "*":
			s.all = true
		case "+":
			s.ops = true
		case "1.1":
		default:
			if t := adSchema.attr(n); t != nil {
				s.named[t] = true
			}
		}
	}
	return s
}

// wants reports whether attribute t goes into a result entry.
func (s attrSelection) wants(t *attrType) bool {
	if t.hidden {
		return false
	}
	if s.named[t] {
		return true
	}
	if t.operational {
		return s.ops
	}
	return s.all
}

// collect returns every entry in scope of base that matches m, in
// creation order within each level (parents before children).
func (d *directory) collect(baseStr string, scope int, m matcher) ([]*entry, *ldapError) {
	base, matched, lerr := d.lookupSearchBase(baseStr)
	if lerr != nil {
		return nil, lerr
	}
	if base == nil {
		return nil, noSuchObject(matched)
	}
	var out []*entry
	switch scope {
	case scopeBase:
		if m(base) {
			out = append(out, base)
		}
	case scopeOneLevel:
		for _, c := range sortedChildren(base) {
			if m(c) {
				out = append(out, c)
			}
		}
	case scopeSubtree:
		walk(base, func(e *entry) {
			if m(e) {
				out = append(out, e)
			}
		})
	default:
		return nil, errf(resultProtocolError, "unknown scope %d", scope)
	}
	return out, nil
}

// referrals are the continuation references AD sends for a search from
// the domain root: Samba sends the Configuration partition.
func (d *directory) referrals(baseStr string, scope int) []string {
	if scope == scopeBase || normDNKey(baseStr) != d.baseKey {
		return nil
	}
	ref := "ldap://" + d.domain + "/CN=Configuration," + d.base.String()
	if scope == scopeOneLevel {
		ref += "??base"
	}
	return []string{ref}
}

// encodeEntry is a SearchResultEntry message for e.
func encodeEntry(id int64, e *entry, sel attrSelection, typesOnly bool) []byte {
	var body []byte
	for i := range e.attrs {
		a := &e.attrs[i]
		if !sel.wants(a.t) {
			continue
		}
		valsLen := 0
		if !typesOnly {
			for _, v := range a.vals {
				valsLen += tlvSize(len(v))
			}
		}
		body = appendHeader(body, tagSequence, tlvSize(len(a.t.name))+tlvSize(valsLen))
		body = appendString(body, tagOctetString, a.t.name)
		body = appendHeader(body, tagSet, valsLen)
		if !typesOnly {
			for _, v := range a.vals {
				body = appendString(body, tagOctetString, v)
			}
		}
	}
	opLen := tlvSize(len(e.dnStr)) + tlvSize(len(body))
	op := make([]byte, 0, tlvSize(opLen))
	op = appendHeader(op, tagSearchEntry, opLen)
	op = appendString(op, tagOctetString, e.dnStr)
	op = appendHeader(op, tagSequence, len(body))
	op = append(op, body...)
	return envelope(id, op, nil)
}
