package engine

import (
	"errors"
	"strings"
)

// SetUsername replaces the username of the AD create with id by name, an
// operator's override (check it first with UsernameBatch.ValidateOverride
// or ValidateUsernameOverride). It rewrites sAMAccountName, the
// userPrincipalName prefix, the Username decision (Override set) and the
// user_key of the MO write-back waiting for the create. Both changes get
// new ids, since ids hash the intended values, and every DependsOn follows;
// it returns the create's new id. A name another create of the plan
// already uses is a KindConflict.
func (p *Plan) SetUsername(id, name string) (string, error) {
	const op = "set username"
	idx := -1
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.ID == id {
			idx = i
			continue
		}
		if c.System == SystemAD && c.Op == OpCreate && strings.EqualFold(fieldAfter(c, "sAMAccountName"), name) {
			return "", E(KindConflict, op, name, errors.New("another new account of this plan ("+c.Subject+") has this username"))
		}
	}
	if idx < 0 {
		return "", E(KindNotFound, op, id, errors.New("no such change in the plan"))
	}
	c := &p.Changes[idx]
	if c.System != SystemAD || c.Op != OpCreate {
		return "", E(KindInvalid, op, id, errors.New("only the username of a new AD account can be set"))
	}
	old := fieldAfter(c, "sAMAccountName")
	for i := range c.Fields {
		f := &c.Fields[i]
		switch strings.ToLower(f.Attr) {
		case "samaccountname":
			f.After, f.Source = name, "set by the operator"
		case "userprincipalname":
			if _, suffix, ok := strings.Cut(f.After, "@"); ok {
				f.After = name + "@" + suffix
			}
		}
	}
	if c.Username == nil {
		c.Username = &UsernameResult{}
	}
	u := *c.Username
	u.Username, u.Override = name, true
	c.Username = &u
	newID := ChangeID(c)
	for i := range p.Changes {
		d := &p.Changes[i]
		if d.DependsOn != id {
			continue
		}
		d.DependsOn = newID
		for j := range d.Fields {
			if d.Fields[j].After == old && d.Fields[j].Source == "ad sAMAccountName" {
				d.Fields[j].After = name
			}
		}
		for j := range d.Fields {
			if d.Fields[j].Attr == "UserId" && d.Fields[j].After == old {
				d.Fields[j].After = name
			}
		}
		if d.ITUser != nil && d.ITUser.UserKey == old {
			w := *d.ITUser
			w.UserKey = name
			d.ITUser = &w
		}
		if d.STSUser != nil && d.STSUser.UserID == old {
			u := *d.STSUser
			u.UserID = name
			d.STSUser = &u
		}
		d.ID = ChangeID(d)
	}
	c.ID = newID
	return newID, nil
}

func fieldAfter(c *Change, attr string) string {
	for _, f := range c.Fields {
		if strings.EqualFold(f.Attr, attr) {
			return f.After
		}
	}
	return ""
}
