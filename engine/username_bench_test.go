package engine

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var benchGiven = strings.Fields(`Jens Anne Søren Mette Hans Karen Lars Ida Niels Birgitte Mads Sofie Peter Louise
	Rasmus Camilla Jørgen Hanne Ole Signe Michael Kirsten Henrik Susanne Thomas Lene Christian Maria Martin Marianne
	Jan Inge Morten Pia Anders Tina Erik Charlotte Per Helle Poul Bente Kim Anna Kasper Julie Jesper Emma Frederik
	Laura Mikkel Freja Jonas Clara Emil Alberte Magnus Astrid Oliver Ella Victor Agnes Lukas Karla Nikolaj Ellen
	Simon Dorthe Carsten Gitte Torben Vibeke Bjarne Lone Steen Jette Flemming Rikke Klaus Malene Allan Tove`)
var benchMiddle = strings.Fields(`Bach Holm Lund Kjær Møller Brix Dahl Juul Krog Marie Peter Emil Valdemar Sofie
	Elisabeth Kristian Aage Louise Skov Berg Bak Friis Vinther Ravn Due Lykke Storm Hald Gram Winther`)
var benchSurname = strings.Fields(`Hansen Jensen Nielsen Pedersen Andersen Christensen Larsen Sørensen Rasmussen
	Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Knudsen
	Jakobsen Mikkelsen Olesen Frederiksen Laursen Henriksen Lund Schmidt Eriksen Holm Kristiansen Clausen Simonsen
	Svendsen Andreasen Iversen Jeppesen Mogensen Jacobsen Ibsen Østergaard Ærø Åberg Vestergaard Nissen Lauridsen
	Kjeldsen Dalgaard Bach Klarskov Bertelsen Christoffersen Damgaard Ebbesen Fischer Gregersen Hvid Isaksen Jessen
	Kjær Lindberg Mathiasen Nørgaard Overgaard Pallesen Quist Riis Skov Thygesen Udsen Vinther Westergaard Yde Zacho
	Abildgaard Bjerre Brandt Buch Carlsen Dam Egelund Flensborg Gade Hougaard Juhl Kirk Koch Lassen Lorentzen Munk
	Noer Ottosen Pilgaard Rask Sand Søgaard Toft Vad Winther`)

// benchPeople returns n deterministic (given name, surname) pairs.
func benchPeople(n int) [][2]string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][2]string, n)
	for i := range out {
		g := benchGiven[r.IntN(len(benchGiven))]
		for r.IntN(2) == 0 && len(g) < 40 { // 0–3 middle names
			g += " " + benchMiddle[r.IntN(len(benchMiddle))]
		}
		out[i] = [2]string{g, benchSurname[r.IntN(len(benchSurname))]}
	}
	return out
}

// benchTaken returns n distinct lower-case names shaped like usernames.
func benchTaken(n int) TakenNames {
	r := rand.New(rand.NewPCG(3, 4))
	t := TakenNames{Usernames: make(map[string]struct{}, n)}
	for len(t.Usernames) < n {
		b := make([]byte, 4+r.IntN(3))
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		name := string(b)
		if r.IntN(3) == 0 {
			name += fmt.Sprint(2 + r.IntN(8))
		}
		t.Usernames[name] = struct{}{}
	}
	return t
}

// BenchmarkGenerate100k generates 100,000 usernames in one batch against a
// taken set of 100,000 names; one op is the whole batch.
func BenchmarkGenerate100k(b *testing.B) {
	const n = 100_000
	cfg := DefaultUsernameConfig()
	// Shorter and numbered patterns at the end, as the README advises, so
	// most of 100,000 people get a name.
	cfg.Combinations = append(cfg.Combinations, "FFLLLX", "FFFLLLX", "FFFLLLLX", "FFFFLLLLX", "FFFFFLLLLX")
	g, err := NewUsernameGenerator(cfg)
	if err != nil {
		b.Fatal(err)
	}
	people, taken := benchPeople(n), benchTaken(n)
	b.ReportAllocs()
	b.ResetTimer()
	var failed int
	for b.Loop() {
		batch := g.NewBatch(taken, nil)
		failed = 0
		for _, p := range people {
			if _, err := batch.Generate(p[0], p[1], ""); err != nil {
				failed++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/name")
	b.ReportMetric(float64(failed), "failed/op")
}

// BenchmarkGenerateOne is one Generate call for a common name.
func BenchmarkGenerateOne(b *testing.B) {
	g, _ := NewUsernameGenerator(DefaultUsernameConfig())
	taken := benchTaken(100_000)
	taken.Usernames["jhans"] = struct{}{}
	batch := g.NewBatch(taken, nil)
	b.ReportAllocs()
	for b.Loop() {
		res, err := batch.Generate("Jens", "Hansen", "")
		if err != nil {
			b.Fatal(err)
		}
		batch.Release(res.Username)
	}
}
