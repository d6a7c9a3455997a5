package ad

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestGUIDByteOrder(t *testing.T) {
	tests := []struct{ raw, str string }{
		{"6797e1e5ecb5154f960f865c28c015fa", "e5e19767-b5ec-4f15-960f-865c28c015fa"},
		{"ba1d7ce639c6d94f8005d7968e50251f", "e67c1dba-c639-4fd9-8005-d7968e50251f"},
		{"58f8c5cc44509340a4c2b2ecb595201e", "ccc5f858-5044-4093-a4c2-b2ecb595201e"},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			raw, _ := hex.DecodeString(tt.raw)
			got, err := GUIDString(raw)
			if err != nil || got != tt.str {
				t.Fatalf("GUIDString(%s) = %q, %v; want %q", tt.raw, got, err, tt.str)
			}
			back, err := GUIDBytes(strings.ToUpper("{" + tt.str + "}"))
			if err != nil || hex.EncodeToString(back) != tt.raw {
				t.Fatalf("GUIDBytes(%s) = %x, %v; want %s", tt.str, back, err, tt.raw)
			}
		})
	}
}

func TestGUIDFilter(t *testing.T) {
	f, err := GUIDFilter("ccc5f858-5044-4093-a4c2-b2ecb595201e")
	want := `(objectGUID=\58\f8\c5\cc\44\50\93\40\a4\c2\b2\ec\b5\95\20\1e)`
	if err != nil || f != want {
		t.Fatalf("GUIDFilter = %q, %v; want %q", f, err, want)
	}
}

func TestGUIDRejects(t *testing.T) {
	for _, bad := range []string{"", "e5e19767b5ec4f15960f865c28c015fa", "e5e19767-b5ec-4f15-960f-865c28c015fz", "e5e19767-b5ec-4f15-960f-865c28c015fa>,CN=x"} {
		if _, err := GUIDBytes(bad); err == nil {
			t.Errorf("GUIDBytes(%q) accepted", bad)
		}
	}
	if _, err := GUIDString(make([]byte, 15)); err == nil {
		t.Error("GUIDString accepted 15 bytes")
	}
}
