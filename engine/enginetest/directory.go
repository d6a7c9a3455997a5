package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"moxsync/engine"
)

// Directory is an in-memory AD with the rules the engine relies on:
// unique sAMAccountName, userPrincipalName and DN (case-insensitive),
// accounts created disabled without password (userAccountControl 546),
// a server-assigned objectGUID, stale detection on Modify (Before values
// must still hold) and SetDisabled (the userAccountControl read must still
// hold), integer syntax for countryCode, and KindNotFound for a missing
// account. It is safe for concurrent use.
type Directory struct {
	mu       sync.Mutex
	cprAttr  string                     // lower-case
	accounts map[string]*engine.Account // by lower-case GUID
	dns      map[string]*engine.Account // by lower-case DN
	sams     map[string]*engine.Account // by lower-case sAMAccountName
	upns     map[string]*engine.Account // by lower-case UPN
	extra    []string                   // names in use by non-account objects
	nextGUID int

	// FailWrite, when set, is called before every write with the operation
	// ("create", "modify", "disable", "enable", "rename") and the DN; a
	// non-nil error is returned instead of writing.
	FailWrite func(op, dn string) error

	writes   atomic.Int64
	inFlight atomic.Int64
	maxIn    atomic.Int64
}

// NewDirectory returns an empty directory whose CPR attribute is cprAttr
// (default employeeID).
func NewDirectory(cprAttr string) *Directory {
	if cprAttr == "" {
		cprAttr = "employeeID"
	}
	return &Directory{cprAttr: strings.ToLower(cprAttr), accounts: map[string]*engine.Account{},
		dns: map[string]*engine.Account{}, sams: map[string]*engine.Account{}, upns: map[string]*engine.Account{}}
}

// Add seeds an account as is (a GUID is assigned when empty; attribute
// names are lower-cased; CPR is derived from the CPR attribute) and
// returns it.
func (d *Directory) Add(a engine.Account) engine.Account {
	d.mu.Lock()
	defer d.mu.Unlock()
	a = cloneAccount(a)
	a.Attrs = lowerKeys(a.Attrs)
	if a.GUID == "" {
		a.GUID = d.newGUID()
	}
	if a.CN == "" {
		a.CN = rdnValue(a.DN)
	}
	a.CPR = engine.DigitsOnly(first(a.Attrs[d.cprAttr]))
	d.index(&a)
	return cloneAccount(a)
}

// ReserveName marks a name as used by some non-account object (a group, a
// computer, an account outside the search base), as TakenNames reports it;
// Create refuses it as AD does.
func (d *Directory) ReserveName(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.extra = append(d.extra, strings.ToLower(name))
}

// Set changes an attribute behind the engine's back (drift, or a
// concurrent writer); no values removes it.
func (d *Directory) Set(guid, attr string, values ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.accounts[strings.ToLower(guid)]
	if a == nil {
		return
	}
	d.setAttr(a, strings.ToLower(attr), values)
}

// SetUAC sets userAccountControl behind the engine's back.
func (d *Directory) SetUAC(guid string, uac int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a := d.accounts[strings.ToLower(guid)]; a != nil {
		a.UserAccountControl = uac
	}
}

// All returns every account, by DN.
func (d *Directory) All() []engine.Account {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]engine.Account, 0, len(d.accounts))
	for _, a := range d.accounts {
		out = append(out, cloneAccount(*a))
	}
	slices.SortFunc(out, func(a, b engine.Account) int { return strings.Compare(strings.ToLower(a.DN), strings.ToLower(b.DN)) })
	return out
}

// Writes is the number of successful writes so far.
func (d *Directory) Writes() int { return int(d.writes.Load()) }

// MaxInFlight is the largest number of writes that ran at the same time.
func (d *Directory) MaxInFlight() int { return int(d.maxIn.Load()) }

// Accounts returns every account with the requested attributes.
func (d *Directory) Accounts(ctx context.Context, attrs []string) ([]engine.Account, error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "ad: read accounts", "", err)
	}
	all := d.All()
	for i := range all {
		all[i].Attrs = pick(all[i].Attrs, attrs)
	}
	return all, nil
}

// TakenNames returns every sAMAccountName, UPN prefix and CN, lower-cased.
func (d *Directory) TakenNames(ctx context.Context) (engine.TakenNames, error) {
	if err := ctx.Err(); err != nil {
		return engine.TakenNames{}, engine.E(engine.KindUnavailable, "ad: read taken names", "", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t := engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	for _, a := range d.accounts {
		t.Usernames[strings.ToLower(a.SAMAccountName)] = struct{}{}
		if p, _, ok := strings.Cut(a.UPN, "@"); ok {
			t.Usernames[strings.ToLower(p)] = struct{}{}
		}
		t.CNs[strings.ToLower(a.CN)] = struct{}{}
	}
	for _, n := range d.extra {
		t.Usernames[n] = struct{}{}
		t.CNs[n] = struct{}{}
	}
	return t, nil
}

// AccountByGUID reads one account.
func (d *Directory) AccountByGUID(ctx context.Context, guid string, attrs []string) (engine.Account, error) {
	if err := ctx.Err(); err != nil {
		return engine.Account{}, engine.E(engine.KindUnavailable, "ad: read account", guid, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.accounts[strings.ToLower(guid)]
	if a == nil {
		return engine.Account{}, engine.E(engine.KindNotFound, "ad: read account", "<GUID="+guid+">", errors.New("no such object"))
	}
	out := cloneAccount(*a)
	out.Attrs = pick(out.Attrs, attrs)
	return out, nil
}

// Create adds a disabled account without password.
func (d *Directory) Create(ctx context.Context, na engine.NewAccount) (engine.Account, error) {
	const op = "ad: create"
	done, err := d.begin(ctx, "create", na.DN)
	if err != nil {
		return engine.Account{}, err
	}
	defer done()
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case na.SAMAccountName == "" || len(na.SAMAccountName) > 20:
		return engine.Account{}, engine.E(engine.KindInvalid, op, na.DN, fmt.Errorf("sAMAccountName %q must be 1-20 characters", na.SAMAccountName))
	case !strings.EqualFold(na.DN, "CN="+engine.EscapeDNValue(na.CN)+dnParentSuffix(na.DN)):
		return engine.Account{}, engine.E(engine.KindInvalid, op, na.DN, fmt.Errorf("the DN's RDN does not match cn %q", na.CN))
	}
	switch {
	case d.dns[strings.ToLower(na.DN)] != nil:
		return engine.Account{}, engine.E(engine.KindConflict, op, na.DN, errors.New("entry already exists"))
	case d.sams[strings.ToLower(na.SAMAccountName)] != nil || slices.Contains(d.extra, strings.ToLower(na.SAMAccountName)):
		return engine.Account{}, engine.E(engine.KindConflict, op, na.DN, fmt.Errorf("samAccountName %q already in use: %w", na.SAMAccountName, engine.ErrUsernameTaken))
	case na.UPN != "" && d.upns[strings.ToLower(na.UPN)] != nil:
		return engine.Account{}, engine.E(engine.KindConflict, op, na.DN, fmt.Errorf("userPrincipalName %q already in use: %w", na.UPN, engine.ErrUsernameTaken))
	}
	attrs := lowerKeys(na.Attrs)
	for k, vs := range attrs {
		if err := checkSyntax(k, vs); err != nil {
			return engine.Account{}, engine.E(engine.KindInvalid, op, na.DN, err)
		}
	}
	a := &engine.Account{DN: na.DN, GUID: d.newGUID(), CN: na.CN, SAMAccountName: na.SAMAccountName, UPN: na.UPN,
		UserAccountControl: engine.UACCreatedNoPasswd, Attrs: attrs}
	a.CPR = engine.DigitsOnly(first(a.Attrs[d.cprAttr]))
	d.index(a)
	d.writes.Add(1)
	return cloneAccount(*a), nil
}

// Modify writes the given attributes if each still holds its Before values.
func (d *Directory) Modify(ctx context.Context, dn string, changes []engine.AttrChange) error {
	const op = "ad: modify"
	done, err := d.begin(ctx, "modify", dn)
	if err != nil {
		return err
	}
	defer done()
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.byDN(dn)
	if a == nil {
		return engine.E(engine.KindNotFound, op, dn, errors.New("no such object"))
	}
	for _, c := range changes {
		attr := strings.ToLower(c.Attr)
		switch attr {
		case "cn", "samaccountname", "objectguid", "useraccountcontrol", "distinguishedname":
			return engine.E(engine.KindInvalid, op, dn, fmt.Errorf("%s cannot be changed with a modify here", c.Attr))
		}
		if !sameFold(a.Attrs[attr], c.Before) {
			return engine.E(engine.KindStale, op, dn, fmt.Errorf("%s no longer holds the values read", c.Attr))
		}
		if err := checkSyntax(attr, c.After); err != nil {
			return engine.E(engine.KindInvalid, op, dn, err)
		}
	}
	for _, c := range changes {
		d.setAttr(a, strings.ToLower(c.Attr), c.After)
	}
	d.writes.Add(1)
	return nil
}

// SetDisabled sets or clears ACCOUNTDISABLE if userAccountControl is still uac.
func (d *Directory) SetDisabled(ctx context.Context, dn string, uac int, disabled bool) error {
	name := "enable"
	if disabled {
		name = "disable"
	}
	done, err := d.begin(ctx, name, dn)
	if err != nil {
		return err
	}
	defer done()
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.byDN(dn)
	if a == nil {
		return engine.E(engine.KindNotFound, "ad: "+name, dn, errors.New("no such object"))
	}
	if a.UserAccountControl != uac {
		return engine.E(engine.KindStale, "ad: "+name, dn, fmt.Errorf("userAccountControl is %d, not %d", a.UserAccountControl, uac))
	}
	if disabled {
		a.UserAccountControl |= engine.UACAccountDisable
	} else {
		a.UserAccountControl &^= engine.UACAccountDisable
	}
	d.writes.Add(1)
	return nil
}

// Rename changes the CN (the RDN) and returns the new DN.
func (d *Directory) Rename(ctx context.Context, dn, newCN string) (string, error) {
	const op = "ad: rename"
	done, err := d.begin(ctx, "rename", dn)
	if err != nil {
		return "", err
	}
	defer done()
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.byDN(dn)
	if a == nil {
		return "", engine.E(engine.KindNotFound, op, dn, errors.New("no such object"))
	}
	newDN := "CN=" + engine.EscapeDNValue(newCN) + dnParentSuffix(dn)
	if o := d.byDN(newDN); o != nil && o != a {
		return "", engine.E(engine.KindConflict, op, newDN, errors.New("entry already exists"))
	}
	delete(d.dns, strings.ToLower(a.DN))
	a.DN, a.CN = newDN, newCN
	d.dns[strings.ToLower(newDN)] = a
	d.writes.Add(1)
	return newDN, nil
}

func (d *Directory) begin(ctx context.Context, op, dn string) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "ad: "+op, dn, err)
	}
	if d.FailWrite != nil {
		if err := d.FailWrite(op, dn); err != nil {
			return nil, err
		}
	}
	n := d.inFlight.Add(1)
	for {
		m := d.maxIn.Load()
		if n <= m || d.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	return func() { d.inFlight.Add(-1) }, nil
}

func (d *Directory) byDN(dn string) *engine.Account { return d.dns[strings.ToLower(dn)] }

func (d *Directory) index(a *engine.Account) {
	d.accounts[strings.ToLower(a.GUID)] = a
	d.dns[strings.ToLower(a.DN)] = a
	d.sams[strings.ToLower(a.SAMAccountName)] = a
	if a.UPN != "" {
		d.upns[strings.ToLower(a.UPN)] = a
	}
}

func (d *Directory) setAttr(a *engine.Account, attr string, values []string) {
	if a.Attrs == nil {
		a.Attrs = map[string][]string{}
	}
	if len(values) == 0 {
		delete(a.Attrs, attr)
	} else {
		a.Attrs[attr] = slices.Clone(values)
	}
	if attr == d.cprAttr {
		a.CPR = engine.DigitsOnly(first(values))
	}
}

func (d *Directory) newGUID() string {
	d.nextGUID++
	return fmt.Sprintf("6a0d1e00-0000-4000-8000-%012x", d.nextGUID)
}

func checkSyntax(attr string, values []string) error {
	if attr != "countrycode" {
		return nil
	}
	for _, v := range values {
		if _, err := strconv.Atoi(v); err != nil {
			return fmt.Errorf("%s: invalid attribute syntax for %q (integer)", attr, v)
		}
	}
	return nil
}

// dnParentSuffix returns ",<parent>" of a DN (everything after the first
// unescaped comma), or "".
func dnParentSuffix(dn string) string {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return dn[i:]
		}
	}
	return ""
}

func rdnValue(dn string) string {
	rdn := strings.TrimSuffix(dn, dnParentSuffix(dn))
	_, v, _ := strings.Cut(rdn, "=")
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func sameFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	for i := range x {
		x[i], y[i] = strings.ToLower(x[i]), strings.ToLower(y[i])
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func cloneAccount(a engine.Account) engine.Account {
	if a.Attrs != nil {
		m := make(map[string][]string, len(a.Attrs))
		for k, v := range a.Attrs {
			m[k] = slices.Clone(v)
		}
		a.Attrs = m
	}
	return a
}

func lowerKeys(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		if len(v) > 0 {
			out[strings.ToLower(k)] = slices.Clone(v)
		}
	}
	return out
}

func pick(m map[string][]string, attrs []string) map[string][]string {
	out := map[string][]string{}
	for _, a := range attrs {
		if v, ok := m[strings.ToLower(a)]; ok {
			out[strings.ToLower(a)] = v
		}
	}
	return out
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
