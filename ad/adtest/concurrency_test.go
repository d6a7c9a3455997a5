package adtest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// TestConcurrentClients has several connections add, modify, search
// (paged) and delete at once; run with -race.
func TestConcurrentClients(t *testing.T) {
	s := newServer(t, Options{})
	o := ou(t, s, "Conc")
	seedUsers(t, s, o, 300)
	const workers, each = 6, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*4)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := ldap.DialURL(s.URL())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if err := c.Bind(s.BindDN(), s.Password()); err != nil {
				errs <- err
				return
			}
			for i := 0; i < each; i++ {
				dn := fmt.Sprintf("CN=W%d-%d,%s", w, i, o)
				if err := c.Add(addReq(dn, user(fmt.Sprintf("w%d-%d", w, i), "1"))); err != nil {
					errs <- fmt.Errorf("add %s: %w", dn, err)
					return
				}
				m := ldap.NewModifyRequest(dn, nil)
				m.Replace("title", []string{"T"})
				if err := c.Modify(m); err != nil {
					errs <- fmt.Errorf("modify %s: %w", dn, err)
					return
				}
				if i%10 == 0 {
					r, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", []string{"sAMAccountName"}, nil), 100)
					if err != nil || len(r.Entries) < 300 {
						errs <- fmt.Errorf("paged search: %v", err)
						return
					}
				}
				if i%2 == 1 {
					if err := c.Del(ldap.NewDelRequest(dn, nil)); err != nil {
						errs <- fmt.Errorf("delete %s: %w", dn, err)
						return
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c := admin(t, s)
	if got := search(t, c, o, ldap.ScopeSingleLevel, "(objectClass=user)"); len(got) != 300+workers*each/2 {
		t.Errorf("%d users, want %d", len(got), 300+workers*each/2)
	}
}
