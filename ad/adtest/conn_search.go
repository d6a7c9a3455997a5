package adtest

import (
	ber "github.com/go-asn1-ber/asn1-ber"
)

// pagedSearch is the server side of one paged-results search: the matching
// entries are collected once and handed out page by page, so each page
// costs O(page size).
type pagedSearch struct {
	entries   []*entry
	pos       int
	sel       attrSelection
	typesOnly bool
	sent      int
	limit     int // client size limit over all pages, 0 = none
	refs      []string
}

func (c *conn) search(req *request) bool {
	ch := req.op.Children
	if len(ch) < 8 {
		return c.result(req.id, tagSearchDone, errf(resultProtocolError, "malformed search request"), nil, nil)
	}
	base := string(ch[0].Data.Bytes())
	scope, _ := ch[1].Value.(int64)
	sizeLimit, _ := ch[3].Value.(int64)
	typesOnly, _ := ch[5].Value.(bool)
	var names []string
	for _, a := range ch[7].Children {
		names = append(names, string(a.Data.Bytes()))
	}
	d := c.srv.dir

	if base == "" && scope == scopeBase {
		d.mu.RLock()
		root := rootSelection(d.rootDSE(), names)
		d.mu.RUnlock()
		out := encodeEntry(req.id, root, attrSelection{all: true, ops: true}, typesOnly)
		if !c.write(out) {
			return false
		}
		return c.result(req.id, tagSearchDone, nil, nil, nil)
	}
	if lerr := c.needBind(); lerr != nil {
		return c.result(req.id, tagSearchDone, lerr, nil, nil)
	}

	maxPage := c.srv.opts.MaxPageSize
	ctl, paged := req.controls[oidPaging]
	if !paged {
		m, lerr := d.compileFilter(ch[6])
		if lerr != nil {
			return c.result(req.id, tagSearchDone, lerr, nil, nil)
		}
		limit := maxPage
		if sizeLimit > 0 && int(sizeLimit) < limit {
			limit = int(sizeLimit)
		}
		d.mu.RLock()
		entries, lerr := d.collect(base, int(scope), m)
		if lerr != nil {
			d.mu.RUnlock()
			return c.result(req.id, tagSearchDone, lerr, nil, nil)
		}
		var out []byte
		sel := newAttrSelection(names)
		for i, e := range entries {
			if i == limit {
				break
			}
			out = append(out, encodeEntry(req.id, e, sel, typesOnly)...)
		}
		d.mu.RUnlock()
		if len(entries) > limit {
			if !c.write(out) {
				return false
			}
			return c.result(req.id, tagSearchDone, errf(resultSizeLimitExceeded, ""), nil, nil)
		}
		for _, ref := range d.referrals(base, int(scope)) {
			out = append(out, envelope(req.id, wrap(tagSearchReference, appendString(nil, tagOctetString, ref)), nil)...)
		}
		if !c.write(out) {
			return false
		}
		return c.result(req.id, tagSearchDone, nil, nil, nil)
	}

	size, cookie, ok := decodePaging(ctl.value)
	if !ok {
		return c.result(req.id, tagSearchDone, errf(resultProtocolError, "00000057: LdapErr: DSID-0C090A71, comment: Error processing control, data 0, v4563"), nil, nil)
	}
	var ps *pagedSearch
	if cookie != "" {
		ps = c.pages[cookie]
		if ps == nil {
			return c.result(req.id, tagSearchDone, errf(resultUnwillingToPerform, "00002024: paged results cookie is not valid on this connection"), nil, nil)
		}
		c.dropPage(cookie)
		if size == 0 {
			// A page size of 0 abandons the paged search (RFC 2696).
			return c.result(req.id, tagSearchDone, nil, nil, pagingControl(""))
		}
	} else {
		m, lerr := d.compileFilter(ch[6])
		if lerr != nil {
			return c.result(req.id, tagSearchDone, lerr, nil, nil)
		}
		d.mu.RLock()
		entries, lerr := d.collect(base, int(scope), m)
		d.mu.RUnlock()
		if lerr != nil {
			return c.result(req.id, tagSearchDone, lerr, nil, nil)
		}
		ps = &pagedSearch{entries: entries, sel: newAttrSelection(names), typesOnly: typesOnly,
			limit: int(sizeLimit), refs: d.referrals(base, int(scope))}
	}
	if size <= 0 || size > maxPage {
		size = maxPage
	}

	var out []byte
	n := 0
	exceeded := false
	d.mu.RLock()
	for ps.pos < len(ps.entries) && n < size {
		e := ps.entries[ps.pos]
		if e.deleted {
			ps.pos++
			continue
		}
		if ps.limit > 0 && ps.sent >= ps.limit {
			exceeded = true
			break
		}
		out = append(out, encodeEntry(req.id, e, ps.sel, ps.typesOnly)...)
		ps.pos++
		ps.sent++
		n++
	}
	d.mu.RUnlock()
	if exceeded {
		if !c.write(out) {
			return false
		}
		return c.result(req.id, tagSearchDone, errf(resultSizeLimitExceeded, ""), nil, pagingControl(""))
	}
	next := ""
	if ps.pos < len(ps.entries) {
		next = newCookie()
		c.keepPage(next, ps)
	} else {
		for _, ref := range ps.refs {
			out = append(out, envelope(req.id, wrap(tagSearchReference, appendString(nil, tagOctetString, ref)), nil)...)
		}
	}
	if !c.write(out) {
		return false
	}
	return c.result(req.id, tagSearchDone, nil, nil, pagingControl(next))
}

// decodePaging reads the paged-results control value (RFC 2696):
// SEQUENCE { size INTEGER, cookie OCTET STRING }.
func decodePaging(v []byte) (size int, cookie string, ok bool) {
	p, err := ber.DecodePacketErr(v)
	if err != nil || len(p.Children) != 2 {
		return 0, "", false
	}
	n, ok := p.Children[0].Value.(int64)
	if !ok {
		return 0, "", false
	}
	return int(n), string(p.Children[1].Data.Bytes()), true
}

// pagingControl is the response control carrying the next cookie.
func pagingControl(cookie string) []byte {
	val := appendInt(nil, tagInteger, 0)
	val = appendString(val, tagOctetString, cookie)
	return wrap(tagControls, controlTLV(oidPaging, wrap(tagSequence, val)))
}

func (c *conn) keepPage(cookie string, ps *pagedSearch) {
	if c.pages == nil {
		c.pages = map[string]*pagedSearch{}
	}
	if len(c.pageSeq) >= maxPagedSearches {
		delete(c.pages, c.pageSeq[0])
		c.pageSeq = c.pageSeq[1:]
	}
	c.pages[cookie] = ps
	c.pageSeq = append(c.pageSeq, cookie)
}

func (c *conn) dropPage(cookie string) {
	delete(c.pages, cookie)
	for i, k := range c.pageSeq {
		if k == cookie {
			c.pageSeq = append(c.pageSeq[:i], c.pageSeq[i+1:]...)
			break
		}
	}
}
