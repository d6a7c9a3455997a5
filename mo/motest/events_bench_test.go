package motest

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkEditLarge is one scripted edit (a rename) at SizeLarge with a
// listener: Edit copies, rebuilds the index and diffs the whole Dataset.
func BenchmarkEditLarge(b *testing.B) {
	d := Generate(SizeLarge, 1)
	s := NewServer(d, Options{})
	if _, err := s.ev.declare(DefaultActor, moNamespace, "p", "person"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.RenamePerson(d.People[i%len(d.People)].UUID, fmt.Sprint("Navn", i), "Bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetchAck is one event_fetch and one event_acknowledge over HTTP
// with 10,000 events pending (a reorganisation's burst).
func BenchmarkFetchAck(b *testing.B) {
	d := Generate(SizeDemo, 1)
	clk := NewClock(time.Now())
	s := NewServer(d, Options{EventNow: clk.Now})
	hs := s.Start()
	defer hs.Close()
	url := hs.URL + "/graphql/v29"
	l, err := s.ev.declare(DefaultActor, moNamespace, "u", "org_unit")
	if err != nil {
		b.Fatal(err)
	}
	fill := func() {
		for i := 0; i < 10000; i++ {
			s.Emit("org_unit", fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
		}
	}
	fill()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := postGQL(b, url, `query($l: UUID!) { event_fetch(filter: {listener: $l}) { subject token } }`, map[string]any{"l": l.UUID})
		tok, _ := dig(r.Data, "event_fetch", "token").(string)
		if tok == "" {
			b.StopTimer()
			fill()
			b.StartTimer()
			continue
		}
		postGQL(b, url, `mutation($t: EventToken!) { event_acknowledge(input: {token: $t}) }`, map[string]any{"t": tok})
	}
}
