package ad

import "testing"

func TestEscapeRDNValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nick Johnson", "Nick Johnson"},
		{"Hansen, Jens", `Hansen\, Jens`},
		{`a+b"c\d<e>f;g=h`, `a\+b\"c\\d\<e\>f\;g\=h`},
		{"#1 ", `\#1\ `},
		{" lead", `\ lead`},
		{"Søren Ærø", "Søren Ærø"},
		{"nul\x00", `nul\00`},
	}
	for _, tt := range tests {
		if got := EscapeRDNValue(tt.in); got != tt.want {
			t.Errorf("EscapeRDNValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitDN(t *testing.T) {
	tests := []struct{ dn, rdn, parent string }{
		{"CN=Nick Johnson,OU=Nye brugere,DC=test,DC=local", "CN=Nick Johnson", "OU=Nye brugere,DC=test,DC=local"},
		{`CN=Hansen\, Jens,OU=x`, `CN=Hansen\, Jens`, "OU=x"},
		{`CN=back\\,OU=x`, `CN=back\\`, "OU=x"},
		{`CN=hex\2C comma, OU=x`, `CN=hex\2C comma`, "OU=x"},
		{"DC=local", "DC=local", ""},
	}
	for _, tt := range tests {
		rdn, parent := splitDN(tt.dn)
		if rdn != tt.rdn || parent != tt.parent {
			t.Errorf("splitDN(%q) = %q, %q; want %q, %q", tt.dn, rdn, parent, tt.rdn, tt.parent)
		}
	}
}
