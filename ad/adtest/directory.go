package adtest

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// directory is the in-memory AD database behind the protocol layer. One
// RWMutex guards everything: searches share it, writes are exclusive.
type directory struct {
	mu      sync.RWMutex
	base    parsedDN
	baseKey string
	domain  string // test.local
	realm   string // TEST.LOCAL
	netbios string // TEST
	sid     []byte // domain SID, 4 sub-authorities
	nextRID uint32
	usn     uint64
	seq     uint64
	byKey   map[string]*entry
	byGUID  map[[16]byte]*entry
	bySAM   map[string]*entry // lower-cased sAMAccountName
	byUPN   map[string]*entry // lower-cased userPrincipalName
	now     func() time.Time
}

func newDirectory(base parsedDN) *directory {
	d := &directory{
		base:    base,
		baseKey: base.key(),
		domain:  dnsDomain(base),
		sid:     domainSID(),
		nextRID: 1103,
		byKey:   map[string]*entry{},
		byGUID:  map[[16]byte]*entry{},
		bySAM:   map[string]*entry{},
		byUPN:   map[string]*entry{},
		now:     time.Now,
	}
	d.realm = strings.ToUpper(d.domain)
	d.netbios = strings.ToUpper(strings.SplitN(d.domain, ".", 2)[0])
	return d
}

// schemaDN is where objectCategory values point.
func (d *directory) schemaDN() string {
	return "CN=Schema,CN=Configuration," + d.base.String()
}

// generalizedTime formats t as AD does: 20261123103944.0Z.
func generalizedTime(t time.Time) string {
	return t.UTC().Format("20060102150405") + ".0Z"
}

// fileTime is t as Windows FILETIME (100 ns since 1601).
func fileTime(t time.Time) string {
	return strconv.FormatInt(t.UTC().UnixNano()/100+116444736000000000, 10)
}

// parseInt parses an AD integer value.
func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}

// lookupDN finds an entry by DN string or <GUID=…>. On failure it returns
// the DN of the closest existing ancestor (for matchedDN) and whether the
// name was syntactically valid.
func (d *directory) lookupDN(s string) (e *entry, matched string, lerr *ldapError) {
	if g, ok, err := parseGUIDBase(s); ok {
		if err != nil {
			return nil, "", errf(resultInvalidDNSyntax, "00002081: NameErr: %v", err)
		}
		if e := d.byGUID[g]; e != nil {
			return e, "", nil
		}
		return nil, "", errf(resultNoSuchObject, "Base-DN '%s' not found", s)
	}
	dn, lerr := parseDN(s)
	if lerr != nil {
		return nil, "", lerr
	}
	if e := d.byKey[dn.key()]; e != nil {
		return e, "", nil
	}
	return nil, d.matchedDN(dn), nil
}

// matchedDN is the DN of the closest existing ancestor of dn, or "".
func (d *directory) matchedDN(dn parsedDN) string {
	for p := dn.parent(); len(p) > 0; p = p.parent() {
		if e := d.byKey[p.key()]; e != nil {
			return e.dnStr
		}
	}
	return ""
}

// noSuchObject is AD's answer for a missing object.
func noSuchObject(matched string) *ldapError {
	return &ldapError{code: resultNoSuchObject, matched: matched,
		msg: "0000208D: NameErr: DSID-0310020A, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'" + matched + "'\n"}
}

// index adds e to the lookup maps.
func (d *directory) index(e *entry) {
	d.byKey[e.key] = e
	d.byGUID[e.guid] = e
	if v := e.get(atSAMAccountName); len(v) > 0 {
		d.bySAM[strings.ToLower(v[0])] = e
	}
	if v := e.get(atUPN); len(v) > 0 {
		d.byUPN[strings.ToLower(v[0])] = e
	}
}

// unindex removes e from the lookup maps.
func (d *directory) unindex(e *entry) {
	if d.byKey[e.key] == e {
		delete(d.byKey, e.key)
	}
	if d.byGUID[e.guid] == e {
		delete(d.byGUID, e.guid)
	}
	if v := e.get(atSAMAccountName); len(v) > 0 && d.bySAM[strings.ToLower(v[0])] == e {
		delete(d.bySAM, strings.ToLower(v[0]))
	}
	if v := e.get(atUPN); len(v) > 0 && d.byUPN[strings.ToLower(v[0])] == e {
		delete(d.byUPN, strings.ToLower(v[0]))
	}
}

// sortedChildren returns e's children in creation order.
func sortedChildren(e *entry) []*entry {
	out := make([]*entry, 0, len(e.children))
	for c := range e.children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// walk calls fn for e and its descendants, parents before children.
func walk(e *entry, fn func(*entry)) {
	fn(e)
	for _, c := range sortedChildren(e) {
		walk(c, fn)
	}
}

// touch records a change of e: whenChanged, modifyTimeStamp and uSNChanged.
func (d *directory) touch(e *entry, attrs *[]attribute) {
	d.usn++
	now := generalizedTime(d.now())
	tmp := entry{attrs: *attrs}
	tmp.set(atWhenChanged, []string{now})
	tmp.set(atModifyTimestamp, []string{now})
	tmp.set(atUSNChanged, []string{strconv.FormatUint(d.usn, 10)})
	*attrs = tmp.attrs
}

// count is the number of entries, including the built-in ones.
func (d *directory) count() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.byKey)
}
