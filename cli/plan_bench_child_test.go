package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"moxsync/ad"
	"moxsync/demo"
	"moxsync/mo/motest"
)

// fakesServeEnv makes the test binary serve the demo's three fakes instead
// of running tests, so BenchmarkPlan can keep them out of the process it
// measures.
const fakesServeEnv = "MOXSYNC_BENCH_FAKES"

func TestMain(m *testing.M) {
	if size := os.Getenv(fakesServeEnv); size != "" {
		serveFakes(motest.Size(size))
		return
	}
	os.Exit(m.Run())
}

// fakeAddrs is what the fakes' process tells its parent.
type fakeAddrs struct {
	MOURL, STSURL                 string
	ADURL, ADBind, ADPass, ADBase string
	NewUserOU, UPNSuffix, CPRAttr string
	Now                           time.Time
	TopUnit, Domain               string
}

// serveFakes starts the demo's fakes (MO, AD, STS) seeded from one data set,
// prints their addresses as one JSON line and serves until stdin closes.
func serveFakes(size motest.Size) {
	srv, err := demo.Start(demo.Options{Size: size, Seed: 1}, false)
	if err != nil {
		fmt.Println(`{"error":`, fmt.Sprintf("%q", err.Error()), `}`)
		os.Exit(1)
	}
	defer srv.Close()
	line, _ := json.Marshal(fakeAddrs{MOURL: srv.MOURL, STSURL: srv.STSURL, ADURL: srv.AD.URL, ADBind: srv.AD.BindDN,
		ADPass: srv.AD.Password, ADBase: srv.AD.SearchBase, NewUserOU: srv.AD.NewUserOU, UPNSuffix: srv.AD.UPNSuffix,
		CPRAttr: srv.AD.CPRAttribute, Now: srv.Now, TopUnit: srv.Dataset.TopUnitUUID, Domain: srv.Dataset.Domain})
	fmt.Println(string(line))
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// childFakes starts the fakes in a child process and returns how to reach
// them and the child's pid.
func childFakes(b *testing.B, size motest.Size) (demo.Endpoints, int) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fakesServeEnv+"="+string(size))
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	var a fakeAddrs
	if err != nil || json.Unmarshal([]byte(line), &a) != nil || a.MOURL == "" {
		b.Fatalf("fakes: %q %v", line, err)
	}
	return demo.Endpoints{MOURL: a.MOURL, STSURL: a.STSURL, Now: a.Now, TopUnit: a.TopUnit, Domain: a.Domain, Dir: b.TempDir(),
		AD: ad.Config{URL: a.ADURL, BindDN: a.ADBind, Password: a.ADPass, SearchBase: a.ADBase, NewUserOU: a.NewUserOU,
			UPNSuffix: a.UPNSuffix, CPRAttribute: a.CPRAttr}}, cmd.Process.Pid
}

// cpuSeconds is the CPU time (user + system) process pid has used, from
// /proc; 0 where that is not available.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// utime and stime are the 14th and 15th fields, in clock ticks (100/s).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	var u, sy float64
	fmt.Sscan(f[11], &u)
	fmt.Sscan(f[12], &sy)
	return (u + sy) / 100
}

// heapPeak samples the live heap (objects, bytes) every few milliseconds
// until stopped and returns the largest value seen.
func heapPeak() (stop func() uint64) {
	done := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// maxRSS is the peak resident set size of this process, in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024 // kilobytes on Linux
}

// benchmarkPlan measures `moxsync plan` as it runs in production: the fakes
// (MO over GraphQL, AD over LDAP, STSOrgSync) serve from a child process
// over loopback, and this process only reads and plans, so ns/op, B/op,
// allocs/op and the memory metrics are the tool's own. maxrss-MB is this
// process's peak RSS: run one size per process for a clean figure, e.g.
//
//	go test -run '^$' -bench 'BenchmarkPlan/large' -benchtime 2x -benchmem .
//
// peak-heap-MB is the largest live heap seen (sampled); fakes-cpu-s/op the
// CPU seconds the fakes spent answering.
func BenchmarkPlan(b *testing.B) {
	for _, size := range []motest.Size{motest.SizeTypical, motest.SizeLarge} {
		b.Run(string(size), func(b *testing.B) {
			ctx := context.Background()
			ep, pid := childFakes(b, size)
			env, err := demo.Connect(ctx, ep)
			if err != nil {
				b.Fatal(err)
			}
			defer env.Close()
			b.ReportAllocs()
			fakesCPU := cpuSeconds(pid)
			stop := heapPeak()
			b.ResetTimer()
			changes := 0
			for b.Loop() {
				p, err := env.MakePlan(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				changes = len(p.Changes)
			}
			b.StopTimer()
			peak := stop()
			b.ReportMetric(float64(changes), "changes")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(maxRSS())/(1<<20), "maxrss-MB")
			b.ReportMetric((cpuSeconds(pid)-fakesCPU)/float64(b.N), "fakes-cpu-s/op")
		})
	}
}
