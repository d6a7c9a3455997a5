package ad

import (
	"context"
	"fmt"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// rawAttr is one attribute of a rawEntry. Both point into the connection's
// buffer: valid only during the callback.
type rawAttr struct {
	Name []byte
	Vals [][]byte
}

// rawEntry is a search result entry as the bulk read sees it; the slices
// are reused for the next entry.
type rawEntry struct {
	DN    []byte
	Attrs []rawAttr
}

// search runs one paged search as Directory.pagedSearch does (paging control
// always sent, referrals dropped, ctx checked between pages), calling each
// for every entry. The entry is only valid during the call.
func (c *rawConn) search(ctx context.Context, pageSize int, base string, scope int, filter string, attrs []string, each func(*rawEntry) error) (entries, pages, refs int, err error) {
	f, err := ldap.CompileFilter(filter)
	if err != nil {
		return 0, 0, 0, err
	}
	var cookie []byte
	var e rawEntry
	for {
		op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 3, nil, "Search Request")
		op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, base, "Base DN"))
		op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, uint64(scope), "Scope"))
		op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, uint64(ldap.NeverDerefAliases), "Deref Aliases"))
		op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, uint64(0), "Size Limit"))
		op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, uint64(0), "Time Limit"))
		op.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, false, "Types Only"))
		op.AppendChild(f)
		list := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attributes")
		for _, a := range attrs {
			list.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a, "Attribute"))
		}
		op.AppendChild(list)
		paging := ldap.NewControlPaging(uint32(pageSize))
		paging.SetCookie(cookie)
		controls := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "Controls")
		controls.AppendChild(paging.Encode())

		cookie, err = c.searchPage(ctx, op, controls, &e, each, &entries, &refs)
		if err != nil {
			return entries, pages, refs, err
		}
		pages++
		if len(cookie) == 0 {
			return entries, pages, refs, nil
		}
		if err := ctx.Err(); err != nil {
			return entries, pages, refs, err // closing the connection drops the paging state
		}
	}
}

// searchPage sends one page's request and reads its entries up to the
// SearchResultDone; it returns the paging cookie of the next page.
func (c *rawConn) searchPage(ctx context.Context, op, controls *ber.Packet, e *rawEntry, each func(*rawEntry) error, entries, refs *int) ([]byte, error) {
	stop := c.watch(ctx)
	defer stop()
	id, err := c.send(op, controls)
	if err != nil {
		return nil, ctxOr(ctx, err)
	}
	for {
		m, err := c.read(id)
		if err != nil {
			return nil, ctxOr(ctx, err)
		}
		switch m.Tag {
		case ldapTagSearchEntry:
			if err := parseEntry(m.Op, e); err != nil {
				return nil, err
			}
			*entries++
			if err := each(e); err != nil {
				return nil, err
			}
			// Every entry gets the whole request timeout, as with go-ldap's
			// per-message reads.
			_ = c.nc.SetDeadline(time.Now().Add(c.timeout))
		case ldapTagSearchReference:
			*refs++ // ignored, as AD's referrals cannot be followed
		case ldapTagSearchDone:
			if err := resultError(m.Op); err != nil {
				return nil, err
			}
			return pagingCookie(m.Controls)
		default:
			return nil, fmt.Errorf("%w: response 0x%02x to a search", errBER, m.Tag)
		}
	}
}

// parseEntry decodes a SearchResultEntry's content into e, reusing its
// slices.
func parseEntry(b []byte, e *rawEntry) error {
	dn, b, err := berExpect(b, berTagOctetString)
	if err != nil {
		return err
	}
	list, _, err := berExpect(b, berTagSequence)
	if err != nil {
		return err
	}
	e.DN, e.Attrs = dn, e.Attrs[:0]
	for len(list) > 0 {
		var pa []byte
		if pa, list, err = berExpect(list, berTagSequence); err != nil {
			return err
		}
		name, rest, err := berExpect(pa, berTagOctetString)
		if err != nil {
			return err
		}
		set, _, err := berExpect(rest, berTagSet)
		if err != nil {
			return err
		}
		if len(e.Attrs) < cap(e.Attrs) {
			e.Attrs = e.Attrs[:len(e.Attrs)+1]
		} else {
			e.Attrs = append(e.Attrs, rawAttr{})
		}
		a := &e.Attrs[len(e.Attrs)-1]
		a.Name, a.Vals = name, a.Vals[:0]
		for len(set) > 0 {
			var v []byte
			if v, set, err = berExpect(set, berTagOctetString); err != nil {
				return err
			}
			a.Vals = append(a.Vals, v)
		}
	}
	return nil
}

// pagingCookie finds the paged-results control among a response's controls
// and returns its cookie (empty: the last page).
func pagingCookie(controls []byte) ([]byte, error) {
	for len(controls) > 0 {
		var ctl []byte
		var err error
		if ctl, controls, err = berExpect(controls, berTagSequence); err != nil {
			return nil, err
		}
		oid, rest, err := berExpect(ctl, berTagOctetString)
		if err != nil {
			return nil, err
		}
		if string(oid) != ldap.ControlTypePaging {
			continue
		}
		for len(rest) > 0 {
			var tag byte
			var v []byte
			if tag, v, rest, err = berNext(rest); err != nil {
				return nil, err
			}
			if tag != berTagOctetString { // the criticality BOOLEAN
				continue
			}
			val, _, err := berExpect(v, berTagSequence)
			if err != nil {
				return nil, err
			}
			_, val, err = berExpect(val, berTagInteger) // the size estimate
			if err != nil {
				return nil, err
			}
			cookie, _, err := berExpect(val, berTagOctetString)
			if err != nil {
				return nil, err
			}
			return append([]byte(nil), cookie...), nil
		}
		return nil, nil
	}
	return nil, nil
}
