package ad

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

const opReadSchema = "ad: read the schema"

// schemaFilter selects the attribute definitions of the schema partition.
const schemaFilter = "(objectClass=attributeSchema)"

// schemaAttrs are the facts of an attributeSchema object the engine uses.
var schemaAttrs = []string{
	"lDAPDisplayName", "attributeSyntax", "oMSyntax", "isSingleValued",
	"rangeLower", "rangeUpper", "systemOnly", "systemFlags", "linkID",
}

// ReadSchema reads AD's schema: every attributeSchema object directly under
// the schema naming context (the rootDSE's schemaNamingContext), in one
// paged search asking only for the facts the engine checks mappings and
// values against. A failure returns an error and no schema.
func (d *Directory) ReadSchema(ctx context.Context) (*engine.ADSchema, error) {
	root, err := d.readEntry(ctx, opReadSchema, "", []string{"schemaNamingContext"})
	if err != nil {
		return nil, engine.E(engine.KindOf(err), opReadSchema, d.cfg.URL, fmt.Errorf("reading the rootDSE for the schema naming context: %w", cause(err)))
	}
	nc := root.GetAttributeValue("schemaNamingContext")
	if nc == "" {
		return nil, engine.E(engine.KindInvalid, opReadSchema, d.cfg.URL, errors.New("the rootDSE names no schemaNamingContext (not an Active Directory domain controller?)"))
	}
	c, err := d.dialRaw(ctx) // its own connection, decoded in place: ~1500 entries
	if err != nil {
		return nil, err
	}
	defer c.Close()
	start := time.Now()
	var attrs []engine.ADAttribute
	_, pages, _, err := c.search(ctx, d.cfg.PageSize, nc, ldap.ScopeSingleLevel, schemaFilter, schemaAttrs, func(e *rawEntry) error {
		a, err := schemaAttribute(e)
		if err != nil {
			return engine.E(engine.KindInvalid, opReadSchema, string(e.DN), err)
		}
		if a.Name != "" {
			attrs = append(attrs, a)
		}
		return nil
	})
	if err != nil {
		return nil, classify(opReadSchema, nc, err)
	}
	if len(attrs) == 0 {
		return nil, engine.E(engine.KindInvalid, opReadSchema, nc, errors.New("no attributeSchema object under the schema naming context"))
	}
	d.cfg.Logger.Debug("ad: read the schema", "base", nc, "attributes", len(attrs), "pages", pages, "took", time.Since(start))
	return engine.NewADSchema(attrs), nil
}

// schemaAttribute turns one attributeSchema entry into the engine's facts.
// An entry without lDAPDisplayName gives a zero Name (skipped).
func schemaAttribute(e *rawEntry) (engine.ADAttribute, error) {
	var a engine.ADAttribute
	var om, flags, link int64
	var err error
	num := func(name string, v []byte, ok *bool) int64 {
		n, perr := strconv.ParseInt(string(v), 10, 64)
		if perr != nil && err == nil {
			err = fmt.Errorf("%s: %q is not a number", name, v)
		}
		if ok != nil {
			*ok = perr == nil
		}
		return n
	}
	for i := range e.Attrs {
		at := &e.Attrs[i]
		if len(at.Vals) == 0 {
			continue
		}
		v := at.Vals[0]
		switch name := string(at.Name); strings.ToLower(name) {
		case "ldapdisplayname":
			a.Name = string(v)
		case "attributesyntax":
			a.Syntax = string(v)
		case "issinglevalued":
			a.SingleValued = strings.EqualFold(string(v), "TRUE")
		case "systemonly":
			a.SystemOnly = strings.EqualFold(string(v), "TRUE")
		case "omsyntax":
			om = num(name, v, nil)
		case "rangelower":
			a.RangeLower = num(name, v, &a.HasRangeLower)
		case "rangeupper":
			a.RangeUpper = num(name, v, &a.HasRangeUpper)
		case "systemflags":
			flags = num(name, v, nil)
		case "linkid":
			link = num(name, v, nil)
		}
	}
	if err != nil {
		return a, fmt.Errorf("attribute %s: %w", a.Name, err)
	}
	a.OMSyntax = int(om)
	a.Constructed = flags&engine.FlagAttrIsConstructed != 0
	a.BackLink = link%2 != 0 // odd: the back link of linkID-1
	return a, nil
}
