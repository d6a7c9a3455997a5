package engine

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCommonNameVectors is the CN table of ad.md §1.5.
func TestCommonNameVectors(t *testing.T) {
	long := strings.Repeat("long name", 20)
	nick40 := strings.Repeat("Nick", 40)
	johnson40 := strings.Repeat("Johnson", 40)
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"Nick", "Johnson"}, "Nick Johnson"},
		{[]string{"Nick", "Gerardus", "Cornelis", "Johnson"}, "Nick Gerardus Cornelis Johnson"},
		{[]string{"Nick", ""}, "Nick"},
		{[]string{"Nick", "Gerardus", "Cornelis", long, "Johnson"}, "Nick Gerardus Cornelis Johnson"},
		{[]string{"Nick", "Gerardus", "Cornelis", long, "Hansen", "Johnson"}, "Nick Gerardus Cornelis Johnson"},
		{[]string{nick40, "Johnson"}, nick40[:60]},
		{[]string{"Nick", johnson40}, ("Nick " + johnson40)[:60]},
		{[]string{"Søren", "Ølholm"}, "Søren Ølholm"},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := commonNameFromParts(tt.parts); got != tt.want {
				t.Fatalf("commonNameFromParts(%q) = %q, want %q", tt.parts, got, tt.want)
			}
		})
	}
}

func TestCommonName(t *testing.T) {
	tests := []struct{ given, surname, want string }{
		{"Nick Gerardus Cornelis", "Johnson", "Nick Gerardus Cornelis Johnson"},
		{"Nick  Gerardus", "Johnson", "Nick Gerardus Johnson"}, // empty part removed
		{"A B C D E", "Zed", "A B C D Zed"},                    // 4 given tokens
		{"Nick", "", "Nick"},
		{"Æbelø Åse", "Øster-Ørsted", "Æbelø Åse Øster-Ørsted"},
		// 60 characters are runes, not bytes.
		{strings.Repeat("Æ", 70), "Ø", strings.Repeat("Æ", 60)},
		// The middle names go, last first, before anything is cut.
		{"Anna " + strings.Repeat("b", 30) + " " + strings.Repeat("c", 30), "Dahl", "Anna " + strings.Repeat("b", 30) + " Dahl"},
		// A cut that ends in a space does not leave it.
		{strings.Repeat("x", 59), "Yz", strings.Repeat("x", 59)},
	}
	for _, tt := range tests {
		if got := CommonName(tt.given, tt.surname); got != tt.want {
			t.Errorf("CommonName(%q, %q) = %q, want %q", tt.given, tt.surname, got, tt.want)
		}
	}
}

func TestUniqueCommonName(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	taken := takenSet()
	taken.CNs["aage klareng"] = struct{}{}
	taken.CNs["aage klareng_2"] = struct{}{}

	// Three new persons Aage Klareng in one batch, one already in AD.
	b := g.NewBatch(taken, nil)
	for _, want := range []string{"Aage Klareng_3", "Aage Klareng_4"} {
		got, err := b.CommonName("Aage", "Klareng", "")
		if err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	// A re-sync of the person whose CN is Aage Klareng_2 keeps it.
	if got, err := UniqueCommonName("Aage Klareng", "AAGE KLARENG_2", taken.CNs); err != nil || got != "Aage Klareng_2" {
		t.Errorf("re-sync: got %q, %v", got, err)
	}
	// The owner of "Aage Klareng" keeps it.
	if got, _ := UniqueCommonName("Aage Klareng", "Aage Klareng", taken.CNs); got != "Aage Klareng" {
		t.Errorf("own CN: got %q", got)
	}
	// A surname change to a free name is free.
	if got, _ := UniqueCommonName("Aage Bach Klarskov", "Aage Klareng", taken.CNs); got != "Aage Bach Klarskov" {
		t.Errorf("rename: got %q", got)
	}
	// Case-insensitive.
	if got, _ := UniqueCommonName("AAGE Klareng", "", taken.CNs); got != "AAGE Klareng_3" {
		t.Errorf("case: got %q", got)
	}
	// All taken.
	full := map[string]struct{}{"x y": {}}
	for i := 2; i <= 999; i++ {
		full[fmt.Sprintf("x y_%d", i)] = struct{}{}
	}
	_, err := UniqueCommonName("X Y", "", full)
	if !errors.Is(err, ErrNoCommonName) || KindOf(err) != KindConflict {
		t.Errorf("all taken: err = %v", err)
	}
	if _, err := b.CommonName("", "", ""); KindOf(err) != KindInvalid {
		t.Errorf("empty name: err = %v", err)
	}
}

func TestUserDNAndEscape(t *testing.T) {
	tests := []struct{ cn, ou, base, want string }{
		{"Patrick Bateman", "OU=Users", "DC=test,DC=local", "CN=Patrick Bateman,OU=Users,DC=test,DC=local"},
		{"Patrick Bateman", "", "DC=test,DC=local", "CN=Patrick Bateman,DC=test,DC=local"},
		{"Patrick Bateman", "OU=Users", "", "CN=Patrick Bateman,OU=Users"},
		{"Bateman, Patrick", "", "", `CN=Bateman\, Patrick`},
		{`a+b"c\d<e>f;g=h`, "", "", `CN=a\+b\"c\\d\<e\>f\;g\=h`},
		{"#1 fan ", "", "", `CN=\#1 fan\ `},
		{" lead", "", "", `CN=\ lead`},
		{" ", "", "", `CN=\ `},
		{"a#b", "", "", "CN=a#b"},
		{"nul\x00x", "", "", `CN=nul\00x`},
		{"Søren Ølholm", "", "", "CN=Søren Ølholm"},
	}
	for _, tt := range tests {
		if got := UserDN(tt.cn, tt.ou, tt.base); got != tt.want {
			t.Errorf("UserDN(%q, %q, %q) = %q, want %q", tt.cn, tt.ou, tt.base, got, tt.want)
		}
	}
}
