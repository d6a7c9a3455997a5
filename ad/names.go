package ad

import (
	"context"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// takenFilter matches every object that carries one of the names: users,
// computers, groups, contacts and other CN-named objects.
const takenFilter = "(|(sAMAccountName=*)(userPrincipalName=*)(cn=*))"

// TakenNames reads, in one paged search over the whole search base and all
// object classes, every sAMAccountName and userPrincipalName prefix (the
// part before @) and every CN, lower-cased.
func (d *Directory) TakenNames(ctx context.Context) (engine.TakenNames, error) {
	t := engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	err := d.pagedSearch(ctx, d.cfg.SearchBase, ldap.ScopeWholeSubtree, takenFilter,
		[]string{"sAMAccountName", "userPrincipalName", "cn"}, func(e *ldap.Entry) error {
			for _, at := range e.Attributes {
				for _, v := range at.Values {
					switch strings.ToLower(at.Name) {
					case "samaccountname":
						t.Usernames[strings.ToLower(v)] = struct{}{}
					case "userprincipalname":
						prefix := v
						if i := strings.LastIndexByte(v, '@'); i >= 0 {
							prefix = v[:i]
						}
						if prefix != "" {
							t.Usernames[strings.ToLower(prefix)] = struct{}{}
						}
					case "cn":
						t.CNs[strings.ToLower(v)] = struct{}{}
					}
				}
			}
			return nil
		})
	if err != nil {
		return engine.TakenNames{}, err
	}
	return t, nil
}
