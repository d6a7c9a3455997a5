package ststest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The hierarchy read of OS2sync 2.x+ (sts-api.md §1.2,
// ServiceLayer/Controllers/HierarchyController.cs): GET /api/hierarchy
// starts a background read of the whole tree and answers at once, 200 with
// a request uuid as plain text. GET /api/hierarchy/{id} answers 404 until
// the read is ready, then 200 with {Created, Result, Status} — Status 0
// (SUCCESS) with Result {OUs, Users}, or 1 (FAILURE) with Result null —
// and forgets the entry: a second read is 404 again. Entries expire after
// an hour. The v1_1 routes have no hierarchy.

// hierarchyTTL is how long a finished read waits to be fetched.
const hierarchyTTL = time.Hour

// hierarchyEntry is one started hierarchy read.
type hierarchyEntry struct {
	created time.Time
	pending int    // polls still answered 404
	body    []byte // the answer once ready
}

type basicOU struct {
	Uuid     string  `json:"Uuid"`
	Name     string  `json:"Name"`
	ParentOU *string `json:"ParentOU"`
}

type basicPosition struct {
	Uuid string `json:"Uuid"` // the unit's uuid
	Name string `json:"Name"`
}

type basicUser struct {
	Uuid      string          `json:"Uuid"`
	UserId    string          `json:"UserId"`
	Name      string          `json:"Name"`
	Positions []basicPosition `json:"Positions"`
	Email     *string         `json:"Email"`
	Telephone *string         `json:"Telephone"`
	Status    int             `json:"Status"` // 1 = ACTIVE
}

type hierarchy struct {
	OUs   []basicOU   `json:"OUs"`
	Users []basicUser `json:"Users"`
}

type hierarchyWrapper struct {
	Created string     `json:"Created"`
	Result  *hierarchy `json:"Result"`
	Status  int        `json:"Status"` // 0 SUCCESS, 1 FAILURE
}

// HierarchyReads returns the number of hierarchy reads started and not yet
// fetched (or expired).
func (s *Server) HierarchyReads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	return len(s.hier)
}

func (s *Server) hierarchy(w http.ResponseWriter, r *http.Request, rt route) {
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked()
	if rt.id == "" {
		id := newUUID()
		wr := hierarchyWrapper{Created: s.opts.Now().Format("2006-01-02T15:04:05.0000000-07:00")}
		if s.opts.HierarchyFailure {
			wr.Status = 1
		} else {
			h := s.treeLocked(r.Header.Get("onlyOUs") == "true")
			wr.Result = &h
		}
		b, _ := json.Marshal(wr)
		s.hier[id] = &hierarchyEntry{created: s.opts.Now(), pending: s.opts.HierarchyPolls, body: b}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(id))
		return
	}
	e, ok := s.hier[rt.id]
	if !ok || e.pending > 0 {
		if ok {
			e.pending--
		}
		w.WriteHeader(http.StatusNotFound)
		return
	}
	delete(s.hier, rt.id)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(e.body)
}

func (s *Server) expireLocked() {
	for id, e := range s.hier {
		if s.opts.Now().Sub(e.created) > hierarchyTTL {
			delete(s.hier, id)
		}
	}
}

// treeLocked is what the middleware reads from STS: the active units whose
// chain of parents ends at a root (a unit without a parent), with Name and
// ParentOU; and, unless onlyOUs, the active users with a position in one
// of those units, with those positions, their Email and Telephone.
func (s *Server) treeLocked(onlyOUs bool) hierarchy {
	units := map[string]obj{}
	for id, o := range s.objects[kindUnit] {
		if o.Active {
			var m obj
			json.Unmarshal(o.JSON, &m)
			units[id] = m
		}
	}
	parentOf := func(m obj) string {
		p, _ := m.str("ParentOrgUnitUuid")
		return strings.ToLower(strings.TrimSpace(p))
	}
	inTree := map[string]bool{}
	for id := range units {
		seen := map[string]bool{}
		cur := id
		for !seen[cur] {
			seen[cur] = true
			m, ok := units[cur]
			if !ok {
				break // a parent STS does not hold (or holds inactive): detached
			}
			p := parentOf(m)
			if p == "" {
				inTree[id] = true
				break
			}
			cur = p
		}
	}
	h := hierarchy{OUs: []basicOU{}, Users: []basicUser{}}
	for _, id := range slices.Sorted(maps.Keys(inTree)) {
		m := units[id]
		name, _ := m.str("Name")
		ou := basicOU{Uuid: id, Name: name}
		if p := parentOf(m); p != "" {
			ou.ParentOU = &p
		}
		h.OUs = append(h.OUs, ou)
	}
	if onlyOUs {
		return h
	}
	for _, id := range slices.Sorted(maps.Keys(s.objects[kindUser])) {
		o := s.objects[kindUser][id]
		if !o.Active {
			continue
		}
		var m obj
		json.Unmarshal(o.JSON, &m)
		u := basicUser{Uuid: id, Positions: []basicPosition{}, Status: 1}
		u.UserId, _ = m.str("UserId")
		u.Name, _ = m.object("Person").str("Name")
		for _, p := range m.list("Positions") {
			pm, _ := p.(map[string]any)
			ou, _ := obj(pm).str("OrgUnitUuid")
			ou = strings.ToLower(strings.TrimSpace(ou))
			if !inTree[ou] {
				continue
			}
			name, _ := obj(pm).str("Name")
			u.Positions = append(u.Positions, basicPosition{Uuid: ou, Name: name})
		}
		if len(u.Positions) == 0 || u.Name == "" {
			continue // not found from the tree; a user without Person.Name is skipped (logged)
		}
		if v := m.addrValue("Email"); v != "" {
			u.Email = &v
		}
		v := m.addrValue("PhoneNumber")
		if v == "" {
			v = m.addrValue("Phone")
		}
		if v != "" {
			u.Telephone = &v
		}
		h.Users = append(h.Users, u)
	}
	return h
}

// newUUID returns a random lower-case uuid (version 4).
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
