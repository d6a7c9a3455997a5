package wiring

import (
	"context"
	"fmt"
	"sync"

	"moxsync/ad"
	"moxsync/engine"
)

// SchemaReader is a Directory that can read AD's schema from the schema
// naming context (*ad.Directory can).
type SchemaReader interface {
	ReadSchema(ctx context.Context) (*engine.ADSchema, error)
}

var _ SchemaReader = (*ad.Directory)(nil)

// schemaCache keeps AD's schema for the Env that Open made, and the
// directory it is read from (Env.Dir may be wrapped, as the TUI does).
type schemaCache struct {
	reader SchemaReader
	mu     sync.Mutex
	schema *engine.ADSchema
}

// ADSchema returns AD's schema: read from the domain controller the first
// time it is asked for (once per Env, that is once per run), or
// moxsync's built-in table of AD user attributes when AD is not configured
// or the directory cannot list its schema. A failed read is not kept, so
// the next call tries again.
func (e *Env) ADSchema(ctx context.Context) (*engine.ADSchema, error) {
	c := e.schema
	var sr SchemaReader
	if c != nil && c.reader != nil {
		sr = c.reader
	} else {
		sr, _ = e.Dir.(SchemaReader)
	}
	if sr == nil {
		return engine.BuiltinADSchema(), nil
	}
	if c == nil { // an Env not made by Open: nothing to keep it in
		c = &schemaCache{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.schema != nil {
		return c.schema, nil
	}
	s, err := sr.ReadSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("read AD's schema: %w", err)
	}
	c.schema = s
	return s, nil
}

// CheckMapping checks the AD mapping against AD's schema (ADSchema). It
// returns the schema, and nil or every rule that does not fit as an
// *engine.SettingError (a settings error, joined), or the error of reading
// the schema.
func (e *Env) CheckMapping(ctx context.Context) (*engine.ADSchema, error) {
	s, err := e.ADSchema(ctx)
	if err != nil {
		return nil, err
	}
	return s, e.PlanOptions.Mapping.ValidateSchema(s)
}
