package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"
)

// ChangeKey is the identity of a change's target: the objectGUID of an AD
// account, the uuid of an MO or STS object, or — for an object that does
// not exist yet — the MO person or unit it is made for.
func ChangeKey(c *Change) string {
	switch {
	case c.Target.GUID != "":
		return "guid:" + strings.ToLower(c.Target.GUID)
	case c.Target.UUID != "":
		return "uuid:" + strings.ToLower(c.Target.UUID)
	case c.MOUUID != "":
		return "mo:" + strings.ToLower(c.MOUUID)
	}
	return "dn:" + strings.ToLower(c.Target.DN)
}

// ChangeID is the stable id of c: a hash of system, op, target key and the
// intended values (each field's attribute and After, in attribute order,
// plus the STS payload). Before values and dates are left out, so the same
// intent read twice gets the same id, and a saved plan can be matched
// against a new read.
func ChangeID(c *Change) string {
	// One buffer hashed once is the same digest as writing piece by piece,
	// without an allocation per piece (a plan makes tens of thousands).
	buf := idBufs.Get().(*bytes.Buffer)
	defer idBufs.Put(buf)
	buf.Reset()
	write := func(s string) { buf.WriteString(s); buf.WriteByte(0) }
	write(string(c.System))
	write(string(c.Op))
	switch { // ChangeKey, written lower-cased without building it
	case c.Target.GUID != "":
		writeLower(buf, "guid:", c.Target.GUID)
	case c.Target.UUID != "":
		writeLower(buf, "uuid:", c.Target.UUID)
	case c.MOUUID != "":
		writeLower(buf, "mo:", c.MOUUID)
	default:
		writeLower(buf, "dn:", c.Target.DN)
	}
	// Fields by lower-case attribute, sorted by the same comparison as ever
	// (ASCII names compared case-folded in place, others lower-cased once),
	// so the order, and the id, is unchanged.
	type key struct {
		attr, after string
		ascii       bool
	}
	var small [16]key
	fs := small[:0]
	allASCII := true
	for _, f := range c.Fields {
		k := key{f.Attr, f.After, isASCII(f.Attr)}
		if !k.ascii {
			k.attr, allASCII = strings.ToLower(f.Attr), false
		}
		fs = append(fs, k)
	}
	if allASCII {
		slices.SortFunc(fs, func(a, b key) int { return compareASCIIFold(a.attr, b.attr) })
	} else {
		for i := range fs {
			fs[i].attr = strings.ToLower(fs[i].attr)
		}
		slices.SortFunc(fs, func(a, b key) int { return strings.Compare(a.attr, b.attr) })
	}
	for _, f := range fs {
		writeLower(buf, "", f.attr)
		write(f.after)
	}
	writeJSON(buf, c.STSUnit)
	writeJSON(buf, c.STSUser)
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:8])
}

// writeLower writes prefix and s lower-cased (as strings.ToLower does),
// then a 0 byte.
func writeLower(buf *bytes.Buffer, prefix, s string) {
	buf.WriteString(prefix)
	if !isASCII(s) {
		buf.WriteString(strings.ToLower(s))
	} else {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf.WriteByte(c)
		}
	}
	buf.WriteByte(0)
}

// compareASCIIFold is strings.Compare(strings.ToLower(a), strings.ToLower(b))
// for ASCII a and b, without building the lower-case strings.
func compareASCIIFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// idBufs are ChangeID's scratch buffers.
var idBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeJSON appends v as json.Marshal encodes it (nothing if it cannot be
// encoded), then a 0 byte.
func writeJSON(buf *bytes.Buffer, v any) {
	n := buf.Len()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		buf.Truncate(n)
	} else {
		buf.Truncate(buf.Len() - 1) // Encode's newline, which Marshal does not write
	}
	buf.WriteByte(0)
}

// PlanID identifies one plan: a hash of its creation time, settings hash
// and change ids. It names the plan in the audit log.
func PlanID(p *Plan) string {
	h := sha256.New()
	h.Write([]byte(p.CreatedAt.UTC().Format(time.RFC3339Nano)))
	h.Write([]byte{0})
	h.Write([]byte(p.SettingsHash))
	for _, c := range p.Changes {
		h.Write([]byte{0})
		h.Write([]byte(c.ID))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
