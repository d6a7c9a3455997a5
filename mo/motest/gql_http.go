package motest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// The GraphQL versions served; before 29 "to" dates are inclusive, before 28
// a root unit's parent_uuid is the organisation's uuid.
const (
	minGraphQLVersion = 20
	maxGraphQLVersion = 30
)

func (s *Server) schema(ver int) *graphql.Schema {
	s.schemaMu.Lock()
	defer s.schemaMu.Unlock()
	if sc := s.schemas[ver]; sc != nil {
		return sc
	}
	sc := graphql.MustParseSchema(schemaSDL, &gqlRoot{s}, graphql.UseStringDescriptions(), graphql.MaxParallelism(64))
	s.schemas[ver] = sc
	return sc
}

type gqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/graphql/v")
	num, tail, _ := strings.Cut(rest, "/")
	ver, err := strconv.Atoi(num)
	if err != nil || ver < minGraphQLVersion || ver > maxGraphQLVersion || (tail != "" && tail != "schema.graphql") {
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
		return
	}
	if tail == "schema.graphql" {
		if r.Method != http.MethodGet {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(schemaSDL))
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
		return
	}
	var req gqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "Unable to parse request body as JSON", http.StatusBadRequest)
		return
	}
	if req.Query == "" {
		http.Error(w, "No GraphQL query found in the request", http.StatusBadRequest)
		return
	}
	s.countOperation(req.OperationName)
	res, _ := s.authenticate(r)
	if res == authOK {
		s.rw.RLock()
		b, err := execFast(s.reqState(ver), req.Query, req.OperationName, req.Variables)
		s.rw.RUnlock()
		if err == nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b)
			return
		}
	}
	// A mutation changes the index in place, so it runs alone; anything
	// else runs beside other reads.
	mutation := isMutation(req.Query, req.OperationName)
	if mutation {
		s.rw.Lock()
	} else {
		s.rw.RLock()
	}
	ctx := context.WithValue(r.Context(), ctxAuthed, res == authOK)
	ctx = context.WithValue(ctx, ctxReq, s.reqState(ver))
	ctx = withActor(ctx, r)
	out := s.schema(ver).Exec(ctx, req.Query, req.OperationName, withInputDefaults(req.Query, req.OperationName, req.Variables))
	if mutation {
		s.rw.Unlock()
	} else {
		s.rw.RUnlock()
	}
	if len(out.Errors) > 0 {
		addLocations(req.Query, out.Errors)
		if string(out.Data) == "{}" {
			out.Data = nil
		}
	}
	body := struct {
		Data   json.RawMessage `json:"data"`
		Errors any             `json:"errors,omitempty"`
	}{Data: out.Data}
	if len(body.Data) == 0 {
		body.Data = json.RawMessage("null")
	}
	if len(out.Errors) > 0 {
		body.Errors = out.Errors
	}
	writeJSON(w, http.StatusOK, body)
}

// isMutation reports whether the operation a request runs is a mutation. A
// document that does not parse runs no resolver, so it counts as a read.
func isMutation(query, opName string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return false
	}
	if opName == "" {
		return len(doc.Operations) == 1 && doc.Operations[0].Operation == ast.Mutation
	}
	op := doc.Operations.ForName(opName)
	return op != nil && op.Operation == ast.Mutation
}

// addLocations gives resolver errors the location of the field they come
// from, as MO (strawberry) reports it; graphql-go leaves it out.
func addLocations(query string, errs []*gqlerrors.QueryError) {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil || len(doc.Operations) == 0 {
		return
	}
	for _, e := range errs {
		if len(e.Locations) > 0 || len(e.Path) == 0 {
			continue
		}
		var field *ast.Field
		sels := doc.Operations[0].SelectionSet
		for _, p := range e.Path {
			name, ok := p.(string)
			if !ok {
				continue
			}
			field = nil
			for _, sel := range sels {
				if f, ok := sel.(*ast.Field); ok && f.Alias == name {
					field = f
				}
			}
			if field == nil {
				break
			}
			sels = field.SelectionSet
		}
		if field != nil && field.Position != nil {
			e.Locations = []gqlerrors.Location{{Line: field.Position.Line, Column: field.Position.Column}}
		}
	}
}
