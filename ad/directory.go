package ad

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// Directory is the engine's port to one AD domain controller. It holds one
// bound connection, redialled when the server has closed it (AD drops idle
// connections after 15 minutes). Its methods may be called concurrently.
type Directory struct {
	cfg Config
	url *url.URL

	mu   sync.Mutex
	conn ldapConn

	rootMu sync.Mutex
	root   string // defaultNamingContext, once read (domainRoot)
}

var _ engine.Directory = (*Directory)(nil)

// Dial connects to the domain controller in cfg and binds. Errors are
// *engine.Error: KindInvalid for bad settings, KindUnavailable for network
// and TLS failures, KindAuth for a wrong bind name or password.
func Dial(ctx context.Context, cfg Config) (*Directory, error) {
	cfg, u, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c, err := connect(ctx, cfg, u)
	if err != nil {
		return nil, err
	}
	return &Directory{cfg: cfg, url: u, conn: c}, nil
}

// Config returns the configuration in use, with defaults filled in.
func (d *Directory) Config() Config { return d.cfg }

// Close unbinds and closes the connection.
func (d *Directory) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}

// get returns a live connection, redialling once if the server closed the
// previous one. It checks ctx first, since go-ldap's calls take none.
func (d *Directory) get(ctx context.Context) (ldapConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, classify(opConnect, d.cfg.URL, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil && !d.conn.IsClosing() {
		return d.conn, nil
	}
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
	c, err := connect(ctx, d.cfg, d.url)
	if err != nil {
		return nil, err
	}
	d.cfg.Logger.Info("ad: reconnected after the server closed the connection", "url", d.cfg.URL)
	d.conn = c
	return c, nil
}

// pagedSearch runs one search with the paged-results control always sent,
// calling each for every entry page by page. Referrals are dropped. ctx is
// checked between pages. A failure part-way returns the error and no more
// entries; callers discard what they collected.
func (d *Directory) pagedSearch(ctx context.Context, base string, scope int, filter string, attrs []string, each func(*ldap.Entry) error) error {
	c, err := d.get(ctx)
	if err != nil {
		return err
	}
	paging := ldap.NewControlPaging(uint32(d.cfg.PageSize))
	req := ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, 0, false, filter, attrs, []ldap.Control{paging})
	start, pages, entries, refs := time.Now(), 0, 0, 0
	for {
		res, err := c.Search(req)
		if err != nil {
			return classify(opSearch, base, err)
		}
		pages++
		entries += len(res.Entries)
		refs += len(res.Referrals) // ignored, as AD's referrals cannot be followed
		for _, e := range res.Entries {
			if err := each(e); err != nil {
				return err
			}
		}
		ctl, _ := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if ctl == nil || len(ctl.Cookie) == 0 {
			d.cfg.Logger.Debug("ad: paged search", "base", base, "filter", filter, "entries", entries,
				"pages", pages, "referrals_ignored", refs, "took", time.Since(start))
			return nil
		}
		if err := ctx.Err(); err != nil {
			// Tell the server to drop the paging state, then report.
			paging.PagingSize = 0
			paging.SetCookie(ctl.Cookie)
			_, _ = c.Search(req)
			return classify(opSearch, base, err)
		}
		paging.SetCookie(ctl.Cookie)
	}
}

// readEntry reads one entry by DN (a base search); KindNotFound if absent.
func (d *Directory) readEntry(ctx context.Context, op, dn string, attrs []string) (*ldap.Entry, error) {
	c, err := d.get(ctx)
	if err != nil {
		return nil, err
	}
	req := ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", attrs, nil)
	res, err := c.Search(req)
	if err != nil {
		return nil, classify(op, dn, err)
	}
	if len(res.Entries) != 1 {
		return nil, engine.E(engine.KindNotFound, op, dn, nil)
	}
	return res.Entries[0], nil
}

// lowerAll returns the lower-cased, de-duplicated names.
func lowerAll(names []string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		l := strings.ToLower(strings.TrimSpace(n))
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
