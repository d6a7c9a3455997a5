package ad

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// fuzzMaxCN bounds FuzzEscapeRDNValue's value (AD allows 64 characters;
// see fuzzMaxName in engine for why fuzz inputs are cut short).
const fuzzMaxCN = 256

// fuzzParent is the parent DN the fuzzed RDN values are put under.
const fuzzParent = "OU=Nye brugere,DC=kommune,DC=local"

// FuzzEscapeRDNValue escapes an arbitrary value for a DN, as moxsync
// builds a new account's DN (CN=<escaped>,<OU>): go-ldap's ParseDN, the
// oracle for what AD reads, must give back the value; splitDN must split
// the DN into the escaped RDN and the parent unchanged.
func FuzzEscapeRDNValue(f *testing.F) {
	for _, s := range []string{
		"Nick Johnson", "Hansen, Jens", `a+b"c\d<e>f;g=h`, "#1 ", " lead", "trail ", "Søren Ærø",
		"nul\x00", "", " ", "  ", "#", "\\", `\,`, "a\\ ", "=", "\xff\xfe", "CN=x,OU=y", "tab\tnewline\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		v = v[:min(len(v), fuzzMaxCN)]
		if v == "" || !utf8.ValidString(v) {
			// AD has no empty CN, and a CN comes from MO's JSON, which
			// is always UTF-8 (go-ldap replaces invalid bytes).
			return
		}
		esc := EscapeRDNValue(v)
		dn := "CN=" + esc + "," + fuzzParent
		parsed, err := ldap.ParseDN(dn)
		if err != nil {
			t.Fatalf("ParseDN(%q): %v (value %q)", dn, err, v)
		}
		if len(parsed.RDNs) != 4 || len(parsed.RDNs[0].Attributes) != 1 {
			t.Fatalf("%q parses to %d RDNs: %+v", dn, len(parsed.RDNs), parsed)
		}
		if a := parsed.RDNs[0].Attributes[0]; a.Type != "CN" || a.Value != v {
			t.Fatalf("%q parses to %s=%q, want CN=%q", dn, a.Type, a.Value, v)
		}
		rdn, parent := splitDN(dn)
		if rdn != "CN="+esc || parent != fuzzParent {
			t.Fatalf("splitDN(%q) = %q, %q; want %q, %q", dn, rdn, parent, "CN="+esc, fuzzParent)
		}
	})
}

// FuzzGUID: an arbitrary string given as a GUID either fails GUIDBytes or
// round-trips to its canonical form; arbitrary 16 bytes round-trip through
// GUIDString, and GUIDFilter's escaping compiles (go-ldap's CompileFilter,
// the oracle) to an equality match on exactly those bytes.
func FuzzGUID(f *testing.F) {
	f.Add("{6797E167-F1B5-4C44-A1E4-1B7D2E3A2F10}", []byte("\x67\xe1\x97\x67\xb5\xf1\x44\x4c\xa1\xe4\x1b\x7d\x2e\x3a\x2f\x10"))
	f.Add("00000000-0000-0000-0000-000000000000", []byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add(" 2a2a2a2a-2828-2929-5c5c-000102030405 ", []byte("(*)\\*)(\\\x00\x01\x02\x03\x04\x05))"))
	f.Add("not a guid", []byte("short"))
	f.Add("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", []byte{})
	f.Fuzz(func(t *testing.T, s string, raw []byte) {
		if b, err := GUIDBytes(s); err == nil {
			g, err := GUIDString(b)
			if err != nil {
				t.Fatalf("GUIDString of GUIDBytes(%q): %v", s, err)
			}
			want := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}"))
			if g != want {
				t.Fatalf("GUIDBytes(%q) gives back %q", s, g)
			}
		}
		if len(raw) != 16 {
			if _, err := GUIDString(raw); err == nil {
				t.Fatalf("GUIDString took %d bytes", len(raw))
			}
			return
		}
		g, err := GUIDString(raw)
		if err != nil {
			t.Fatal(err)
		}
		back, err := GUIDBytes(g)
		if err != nil || !bytes.Equal(back, raw) {
			t.Fatalf("GUIDBytes(GUIDString(%x)) = %x, %v", raw, back, err)
		}
		filter, err := GUIDFilter(g)
		if err != nil {
			t.Fatalf("GUIDFilter(%q): %v", g, err)
		}
		p, err := ldap.CompileFilter(filter)
		if err != nil {
			t.Fatalf("CompileFilter(%q): %v", filter, err)
		}
		if p.Tag != ldap.FilterEqualityMatch || len(p.Children) != 2 {
			t.Fatalf("%q is no equality match", filter)
		}
		if attr, val := p.Children[0].Data.String(), p.Children[1].Data.Bytes(); attr != "objectGUID" || !bytes.Equal(val, raw) {
			t.Fatalf("%q matches %s = %x, want objectGUID = %x", filter, attr, val, raw)
		}
	})
}
