package adtest

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// newGUID returns 16 random bytes shaped like a version-4 GUID in AD's
// on-the-wire (Microsoft mixed-endian) layout.
func newGUID() [16]byte {
	var g [16]byte
	_, _ = rand.Read(g[:])
	// Version 4 lives in the high nibble of Data3, which is little-endian on the wire.
	g[7] = g[7]&0x0f | 0x40
	g[8] = g[8]&0x3f | 0x80
	return g
}

// GUIDString formats raw objectGUID bytes as AD does (ad.md §3.6): Data1,
// Data2 and Data3 little-endian, Data4 as stored.
func GUIDString(raw []byte) string {
	if len(raw) != 16 {
		return ""
	}
	return fmt.Sprintf("%08x-%04x-%04x-%x-%x",
		binary.LittleEndian.Uint32(raw[0:4]), binary.LittleEndian.Uint16(raw[4:6]),
		binary.LittleEndian.Uint16(raw[6:8]), raw[8:10], raw[10:16])
}

// ParseGUID is the inverse of GUIDString: it accepts the dashed string form
// (with or without braces) and returns the 16 raw bytes.
func ParseGUID(s string) ([16]byte, error) {
	var g [16]byte
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	h := strings.ReplaceAll(s, "-", "")
	if len(h) != 32 || len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return g, fmt.Errorf("parse GUID %q: want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", s)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return g, fmt.Errorf("parse GUID %q: %w", s, err)
	}
	binary.LittleEndian.PutUint32(g[0:4], binary.BigEndian.Uint32(b[0:4]))
	binary.LittleEndian.PutUint16(g[4:6], binary.BigEndian.Uint16(b[4:6]))
	binary.LittleEndian.PutUint16(g[6:8], binary.BigEndian.Uint16(b[6:8]))
	copy(g[8:], b[8:])
	return g, nil
}

// parseGUIDBase recognises AD's extended DN form <GUID=…> used as a base or
// target DN. The dashed form is in Microsoft byte order; 32 bare hex digits
// are the raw bytes, as AD accepts both.
func parseGUIDBase(s string) (g [16]byte, ok bool, err error) {
	s = strings.TrimSpace(s)
	if len(s) < 7 || s[0] != '<' || !strings.EqualFold(s[1:6], "GUID=") {
		return g, false, nil
	}
	end := strings.IndexByte(s, '>')
	if end < 0 {
		return g, true, fmt.Errorf("unterminated extended DN %q", s)
	}
	v := s[6:end]
	if len(v) == 32 {
		b, err := hex.DecodeString(v)
		if err != nil {
			return g, true, fmt.Errorf("extended DN %q: %w", s, err)
		}
		copy(g[:], b)
		return g, true, nil
	}
	g, err = ParseGUID(v)
	return g, true, err
}

// domainSID is a random domain SID S-1-5-21-a-b-c in binary form, without RID.
func domainSID() []byte {
	var sub [12]byte
	_, _ = rand.Read(sub[:])
	b := make([]byte, 0, 24)
	b = append(b, 1, 4, 0, 0, 0, 0, 0, 5) // revision 1, 4 sub-authorities, NT authority
	b = binary.LittleEndian.AppendUint32(b, 21)
	return append(b, sub[:]...)
}

// userSID appends rid to the domain SID (which has 4 sub-authorities).
func userSID(domain []byte, rid uint32) string {
	b := make([]byte, 0, len(domain)+4)
	b = append(b, domain...)
	b[1] = 5
	b = binary.LittleEndian.AppendUint32(b, rid)
	return string(b)
}
