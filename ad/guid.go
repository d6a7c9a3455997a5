package ad

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// GUIDString converts a raw 16-byte objectGUID to its string form in
// Microsoft byte order (bytes_le): the first three groups are little-endian,
// the last two as stored. The result is lower-case, without braces.
func GUIDString(raw []byte) (string, error) {
	if len(raw) != 16 {
		return "", fmt.Errorf("objectGUID has %d bytes, want 16", len(raw))
	}
	var u [16]byte
	binary.BigEndian.PutUint32(u[0:4], binary.LittleEndian.Uint32(raw[0:4]))
	binary.BigEndian.PutUint16(u[4:6], binary.LittleEndian.Uint16(raw[4:6]))
	binary.BigEndian.PutUint16(u[6:8], binary.LittleEndian.Uint16(raw[6:8]))
	copy(u[8:], raw[8:16])
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32], nil
}

// GUIDBytes is the inverse of GUIDString: it parses a GUID string (braces and
// case are accepted) into the 16 bytes AD stores in objectGUID.
func GUIDBytes(guid string) ([]byte, error) {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(guid), "{"), "}")
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return nil, fmt.Errorf("%q is not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", guid)
	}
	u, err := hex.DecodeString(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36])
	if err != nil {
		return nil, fmt.Errorf("%q is not a GUID: %w", guid, err)
	}
	raw := make([]byte, 16)
	binary.LittleEndian.PutUint32(raw[0:4], binary.BigEndian.Uint32(u[0:4]))
	binary.LittleEndian.PutUint16(raw[4:6], binary.BigEndian.Uint16(u[4:6]))
	binary.LittleEndian.PutUint16(raw[6:8], binary.BigEndian.Uint16(u[6:8]))
	copy(raw[8:], u[8:16])
	return raw, nil
}

// canonicalGUID validates guid and returns it lower-case without braces, the
// only form that goes into a <GUID=…> base DN.
func canonicalGUID(guid string) (string, error) {
	raw, err := GUIDBytes(guid)
	if err != nil {
		return "", err
	}
	return GUIDString(raw)
}

// GUIDFilter returns an equality filter on objectGUID with every byte
// escaped, e.g. (objectGUID=\67\97\e1…), the alternative to a <GUID=…> base.
func GUIDFilter(guid string) (string, error) {
	raw, err := GUIDBytes(guid)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("(objectGUID=")
	for _, c := range raw {
		fmt.Fprintf(&b, `\%02x`, c)
	}
	b.WriteString(")")
	return b.String(), nil
}
