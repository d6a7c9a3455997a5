package mo_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"moxsync/mo"
	"moxsync/mo/motest"
)

// fakeServeEnv makes the test binary serve a generated data set instead of
// running tests: the benchmarks run the fake MO in a child process, so that
// ns/op, B/op and allocs/op measure the client, not the fake server.
const fakeServeEnv = "MOXSYNC_MO_FAKE_SERVE"

func TestMain(m *testing.M) {
	if size := os.Getenv(fakeServeEnv); size != "" {
		serveFake(motest.Size(size))
		return
	}
	os.Exit(m.Run())
}

// serveFake serves a data set on a loopback port, prints the address and
// serves until stdin closes (the parent died or finished).
func serveFake(size motest.Size) {
	ds := motest.Generate(size, 1)
	now := ds.Today.Add(10 * time.Hour)
	srv := motest.NewServer(ds, motest.Options{Now: func() time.Time { return now },
		RequireAuth: true, SessionTokens: []string{samlToken}, ClientID: clientID, ClientSecret: clientSecret})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String(), now.Format(time.RFC3339), ds.TopUnitUUID)
	go func() {
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		os.Exit(0)
	}()
	_ = http.Serve(ln, srv)
}

// cpuSeconds is the CPU time (user + system) process pid has used, from
// /proc; 0 where that is not available.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the parenthesised command name; utime and stime are
	// the 14th and 15th fields of the line, in clock ticks (100 per second).
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	var u, s float64
	fmt.Sscan(f[11], &u)
	fmt.Sscan(f[12], &s)
	return (u + s) / 100
}

// childFake starts the fake in a child process.
func childFake(b *testing.B, size motest.Size) (url string, now time.Time, top string, pid int) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fakeServeEnv+"="+string(size))
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 {
		b.Fatalf("fake server: %q %v", line, err)
	}
	now, _ = time.Parse(time.RFC3339, f[1])
	return "http://" + f[0], now, f[2], cmd.Process.Pid
}

// BenchmarkSnapshot reads a whole generated municipality over loopback from
// the fake MO (in a child process), by GraphQL and by REST. ns/op is the
// wall time of one full snapshot, B/op and allocs/op the client's;
// requests/op counts HTTP requests to MO (token requests aside) and
// server-cpu-s/op the CPU seconds the fake server spent answering. Run with
// -benchtime=1x:
//
//	go test ./mo -run '^$' -bench Snapshot -benchtime=1x
func BenchmarkSnapshot(b *testing.B) {
	for _, size := range []motest.Size{motest.SizeTypical, motest.SizeLarge} {
		var base, top string
		var now time.Time
		var pid int
		outer := b
		for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
			b.Run(api+"/"+string(size), func(b *testing.B) {
				if base == "" { // one server per size, for both APIs
					base, now, top, pid = childFake(outer, size)
				}
				cfg := mo.Config{ServiceURL: base + "/service", API: api, GraphQLVersion: 29, TopUnitUUID: top,
					Now: func() time.Time { return now }, Timeout: time.Minute}
				if api == mo.APIGraphQL {
					cfg.ClientID, cfg.ClientSecret = clientID, clientSecret
				} else {
					cfg.SAMLToken = samlToken
				}
				c, err := mo.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				b.ReportAllocs()
				b.ResetTimer()
				var people, units int
				var reqs int64
				serverCPU := cpuSeconds(pid)
				for i := 0; i < b.N; i++ {
					before := c.Requests()
					s, err := c.Snapshot(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					reqs += c.Requests() - before
					people, units = len(s.People), len(s.Units)
				}
				b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
				b.ReportMetric((cpuSeconds(pid)-serverCPU)/float64(b.N), "server-cpu-s/op")
				b.ReportMetric(float64(people), "people")
				b.ReportMetric(float64(units), "units")
			})
		}
	}
}
