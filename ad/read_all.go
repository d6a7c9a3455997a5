package ad

import (
	"bytes"
	"context"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// readAllFilter is the union of personFilter (Accounts) and takenFilter
// (TakenNames): the bulk read gets both from one search and tells the
// person accounts apart itself (isPerson).
const readAllFilter = "(|(sAMAccountName=*)(userPrincipalName=*)(cn=*)" + personFilter + ")"

// AccountsAndTakenNames returns what Accounts(ctx, attrs) and TakenNames(ctx)
// return, read in one paged search over the whole search base (and the
// reads of names beyond it, see TakenNames) on a
// connection of its own (dialled and bound like Dial's, closed after), with
// the responses decoded in place: for a large domain it costs a fraction
// of the two reads. A failure part-way returns an error and nothing else.
func (d *Directory) AccountsAndTakenNames(ctx context.Context, attrs []string) ([]engine.Account, engine.TakenNames, error) {
	want := lowerAll(attrs)
	accAttrs := d.readAttrs(want)
	reqAttrs := append(append([]string(nil), accAttrs...), "objectClass", "objectCategory")
	c, err := d.dialRaw(ctx)
	if err != nil {
		return nil, engine.TakenNames{}, err
	}
	defer c.Close()

	r := newBulkReader(accAttrs)
	start := time.Now()
	base := d.cfg.SearchBase
	entries, pages, refs, err := c.search(ctx, d.cfg.PageSize, base, ldap.ScopeWholeSubtree, readAllFilter, reqAttrs, func(e *rawEntry) error {
		r.taken(e)
		if !isPerson(e) {
			return nil
		}
		le := r.entry(e)
		a, err := d.toAccount(le, want)
		if err != nil {
			return engine.E(engine.KindOther, opRead, le.DN, err)
		}
		r.accounts = append(r.accounts, a)
		return nil
	})
	if err != nil {
		return nil, engine.TakenNames{}, classify(opSearch, base, err)
	}
	d.cfg.Logger.Debug("ad: paged search", "base", base, "filter", readAllFilter, "entries", entries,
		"accounts", len(r.accounts), "pages", pages, "referrals_ignored", refs, "took", time.Since(start))
	// Names in use outside the search base (TakenNames' extra reads): only
	// sAMAccountName and userPrincipalName are asked for, so r.taken adds
	// no CN from them.
	bases, err := d.nameBases(ctx)
	if err != nil {
		return nil, engine.TakenNames{}, err
	}
	for _, b := range bases {
		start := time.Now()
		entries, pages, refs, err := c.search(ctx, d.cfg.PageSize, b.dn, ldap.ScopeWholeSubtree, b.filter, b.attrs, func(e *rawEntry) error {
			r.taken(e)
			return nil
		})
		if err != nil {
			return nil, engine.TakenNames{}, classify(opSearch, b.dn, err)
		}
		d.cfg.Logger.Debug("ad: paged search", "base", b.dn, "filter", b.filter, "entries", entries,
			"pages", pages, "referrals_ignored", refs, "took", time.Since(start))
	}
	return r.accounts, r.t, nil
}

// bulkReader collects the results of the bulk read.
type bulkReader struct {
	accAttrs []string // the attributes an Account is made from
	accounts []engine.Account
	t        engine.TakenNames
	lower    []byte            // scratch
	names    map[string]string // attribute name as sent → accName
}

func newBulkReader(accAttrs []string) *bulkReader {
	return &bulkReader{accAttrs: accAttrs, names: map[string]string{}, t: engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}}
}

// taken adds the entry's names as TakenNames does: sAMAccountName, the
// userPrincipalName before its last @, and CN, lower-cased.
func (r *bulkReader) taken(e *rawEntry) {
	for i := range e.Attrs {
		a := &e.Attrs[i]
		var set map[string]struct{}
		upn := false
		switch {
		case bytes.EqualFold(a.Name, []byte("sAMAccountName")):
			set = r.t.Usernames
		case bytes.EqualFold(a.Name, []byte("userPrincipalName")):
			set, upn = r.t.Usernames, true
		case bytes.EqualFold(a.Name, []byte("cn")):
			set = r.t.CNs
		default:
			continue
		}
		for _, v := range a.Vals {
			if upn {
				if i := bytes.LastIndexByte(v, '@'); i >= 0 {
					v = v[:i]
				}
				if len(v) == 0 {
					continue
				}
			}
			r.add(set, v)
		}
	}
}

// add puts v lower-cased into set, allocating only for a new name.
func (r *bulkReader) add(set map[string]struct{}, v []byte) {
	ascii := true
	for _, c := range v {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		set[strings.ToLower(string(v))] = struct{}{}
		return
	}
	r.lower = r.lower[:0]
	for _, c := range v {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		r.lower = append(r.lower, c)
	}
	if _, ok := set[string(r.lower)]; !ok {
		set[string(r.lower)] = struct{}{}
	}
}

// isPerson tells whether the entry matches personFilter,
// (&(objectClass=user)(objectCategory=person)): AD reads the short
// objectCategory=person as the Person class's defaultObjectCategory,
// CN=Person,CN=Schema,CN=Configuration,…, which is what entries carry.
func isPerson(e *rawEntry) bool {
	user, person := false, false
	for i := range e.Attrs {
		a := &e.Attrs[i]
		switch {
		case bytes.EqualFold(a.Name, []byte("objectClass")):
			for _, v := range a.Vals {
				user = user || bytes.EqualFold(v, []byte("user"))
			}
		case bytes.EqualFold(a.Name, []byte("objectCategory")):
			for _, v := range a.Vals {
				person = person || isPersonCategory(v)
			}
		}
	}
	return user && person
}

// isPersonCategory tells whether an objectCategory DN is the Person class's
// entry in the schema container.
func isPersonCategory(v []byte) bool {
	const rdn = "cn=person,"
	if len(v) <= len(rdn) || !bytes.EqualFold(v[:len(rdn)], []byte(rdn)) {
		return false
	}
	rest := v[len(rdn):]
	const schema = "cn=schema,"
	return len(rest) > len(schema) && bytes.EqualFold(rest[:len(schema)], []byte(schema))
}

// entry converts a person's rawEntry into the *ldap.Entry that Accounts
// would have had from go-ldap, with the account attributes only (names
// lower-cased, which toAccount does anyway). Its strings are copies, so it
// outlives the buffer; one allocation holds every value of the entry.
func (r *bulkReader) entry(e *rawEntry) *ldap.Entry {
	nattr, nval := 0, 0
	r.lower = r.lower[:0]
	for i := range e.Attrs {
		a := &e.Attrs[i]
		if r.accName(a.Name) == "" {
			continue
		}
		nattr++
		nval += len(a.Vals)
		for _, v := range a.Vals {
			r.lower = append(r.lower, v...)
		}
	}
	all := string(r.lower)
	attrs := make([]ldap.EntryAttribute, nattr)
	le := &ldap.Entry{DN: string(e.DN), Attributes: make([]*ldap.EntryAttribute, nattr)}
	vals := make([]string, nval)
	bvals := make([][]byte, nval)
	k, off := 0, 0
	for i := range e.Attrs {
		a := &e.Attrs[i]
		name := r.accName(a.Name)
		if name == "" {
			continue
		}
		at := &attrs[k]
		at.Name = name
		at.Values, at.ByteValues = vals[:len(a.Vals):len(a.Vals)], bvals[:len(a.Vals):len(a.Vals)]
		vals, bvals = vals[len(a.Vals):], bvals[len(a.Vals):]
		for j, v := range a.Vals {
			s := all[off : off+len(v)]
			off += len(v)
			at.Values[j] = s
			// A read-only view of the string, as go-ldap's ByteValues are
			// only read (objectGUID): no second copy of every value.
			at.ByteValues[j] = unsafe.Slice(unsafe.StringData(s), len(s))
		}
		le.Attributes[k] = at
		k++
	}
	return le
}

// accName is the lower-case name of an account attribute, "" for the
// attributes an Account is not made from.
func (r *bulkReader) accName(name []byte) string {
	if n, ok := r.names[string(name)]; ok {
		return n
	}
	n := ""
	if containsFold(r.accAttrs, name) {
		n = strings.ToLower(string(name))
	}
	r.names[string(name)] = n
	return n
}

func containsFold(list []string, name []byte) bool {
	for _, x := range list {
		if len(x) == len(name) && bytes.EqualFold([]byte(x), name) {
			return true
		}
	}
	return false
}
