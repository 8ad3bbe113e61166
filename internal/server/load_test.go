package server

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/results"
)

// pace says how a simulated trainee plays: when lat is not nil, it
// receives the time from each choice key to the first byte of the redrawn
// screen (first the key pressed at the barrier, then the others); when
// ready is not nil, the trainee waits there at the first decision point
// until the whole class has arrived; think returns the pause before each
// choice after the first.
type pace struct {
	burst, lat chan<- time.Duration
	ready      *barrier
	think      func() time.Duration
	// logins, when not nil, holds a place while the trainee logs in (until
	// the session channel opens): the server lets one address have only
	// preAuthPerAddr connections logging in at once, and the whole class
	// dials from 127.0.0.1.
	logins chan struct{}
}

// playOnce connects as a trainee, plays the fixture to its end taking the
// first line each time, and leaves. It is safe to run from many
// goroutines: it reports problems as errors instead of failing the test.
func playOnce(t testing.TB, addr, name string, p *pace) error {
	if p == nil {
		p = &pace{}
	}
	if p.logins != nil {
		p.logins <- struct{}{}
	}
	c, err := dial(addr, gossh.Password(testCode))
	if err != nil {
		if p.logins != nil {
			<-p.logins
		}
		return fmt.Errorf("%s: dial: %w", name, err)
	}
	defer c.Close()
	// The server counts a connection as logging in until its session
	// channel opens.
	tm, err := tryTerm(t, c, 100, 30, "")
	if p.logins != nil {
		<-p.logins
	}
	if err != nil {
		return fmt.Errorf("%s: session: %w", name, err)
	}
	step := func(keys, want string) error {
		if _, err := tm.in.Write([]byte(keys)); err != nil {
			return err
		}
		return tm.tryWait(waitLimit, want)
	}
	if err := tm.tryWait(waitLimit, "Type your name"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := step(name+"\r", "choose a conversation"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := step("\r", "What do you say?"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if p.ready != nil {
		p.ready.arrive()
	}
	for i, reply := range fixtureReplies {
		wants := []string{reply}
		if i == len(fixtureReplies)-1 {
			wants = append(wants, "Saved: your attempt")
		}
		if i > 0 && p.think != nil {
			time.Sleep(p.think())
		}
		before := tm.size()
		start := time.Now()
		if _, err := tm.in.Write([]byte("1")); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := tm.waitOutput(before); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		switch {
		case i == 0 && p.burst != nil:
			p.burst <- time.Since(start)
		case i > 0 && p.lat != nil:
			p.lat <- time.Since(start)
		}
		if err := tm.tryWait(waitLimit, wants...); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := step("q", "choose a conversation"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := step("q", "Thank you for practising"); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	select {
	case <-tm.closed:
	case <-time.After(waitLimit):
		return fmt.Errorf("%s: session not closed after goodbye", name)
	}
	return nil
}

// barrier holds every session at its first decision point until all have
// arrived, so memory is measured with the whole class connected.
type barrier struct {
	wg      sync.WaitGroup
	release chan struct{}
}

func newBarrier(n int) *barrier {
	b := &barrier{release: make(chan struct{})}
	b.wg.Add(n)
	return b
}

func (b *barrier) arrive() {
	b.wg.Done()
	<-b.release
}

// TestLoad100 connects 100 trainees at once over loopback; each plays the
// fixture to its end. It checks that every attempt is saved, and reports
// the memory each session holds and the time from a key to the redrawn
// screen: for the first choice, which the whole class makes in the same
// instant (the worst case), and for the others, made after a thinking
// pause of up to thinkMax each, which is still far busier than a real
// class. It takes several seconds, so it runs only when asked:
//
//	RAPPORT_LOAD_TEST=1 go test ./internal/server -run TestLoad100 -v
func TestLoad100(t *testing.T) {
	if testing.Short() || os.Getenv("RAPPORT_LOAD_TEST") == "" {
		t.Skip("load test: set RAPPORT_LOAD_TEST=1 (and leave out -short) to run it")
	}
	const (
		n        = 100
		thinkMax = 2 * time.Second
	)
	h := startServer(t, func(c *Config) {
		c.Limits.ConnsPerMinute = n
		c.Limits.MaxSessions = n
	})

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	burst := make(chan time.Duration, n)
	lat := make(chan time.Duration, n*len(fixtureReplies))
	ready := newBarrier(n)
	errs := make(chan error, n)
	logins := make(chan struct{}, preAuthPerAddr)
	start := time.Now()
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		p := &pace{burst: burst, lat: lat, ready: ready, logins: logins, think: func() time.Duration {
			return time.Duration(rng.Int64N(int64(thinkMax)))
		}}
		go func() { errs <- playOnce(t, h.addr, fmt.Sprintf("Trainee %03d", i), p) }()
	}
	arrived := make(chan struct{})
	go func() { ready.wg.Wait(); close(arrived) }()
	select {
	case <-arrived:
	case err := <-errs:
		t.Fatalf("a session failed before the class was connected: %v", err)
	case <-time.After(4 * waitLimit):
		t.Fatal("the class did not connect in time")
	}
	connected := time.Since(start)
	runtime.GC()
	var during runtime.MemStats
	runtime.ReadMemStats(&during)
	sessions, goroutines := h.srv.Sessions(), runtime.NumGoroutine()
	cpuBefore := cpuTime(t)
	close(ready.release)

	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	elapsed := time.Since(start)
	cpu := cpuTime(t) - cpuBefore
	close(lat)
	close(burst)

	recs := records(t, h.store)
	finished := 0
	for _, r := range recs {
		if r.Status == results.Finished && len(r.Turns) == len(fixtureReplies) {
			finished++
		}
	}
	if len(recs) != n || finished != n {
		t.Fatalf("%d records, %d finished with every turn; want %d of each", len(recs), finished, n)
	}

	mem := func(m runtime.MemStats) uint64 { return m.HeapInuse + m.StackInuse }
	perSession := float64(mem(during)-mem(before)) / float64(n) / (1 << 20)
	t.Logf("%d sessions on %d CPUs: all connected and at their first choice after %s, all done after %s",
		sessions, runtime.NumCPU(), connected.Round(time.Millisecond), elapsed.Round(time.Millisecond))
	t.Logf("memory: %.2f MiB a session (heap+stack in use, server and in-process clients together); %d goroutines",
		perSession, goroutines)
	t.Logf("key to redrawn screen, class pace (%s): %s", "pauses of 0-"+thinkMax.String(), spread(lat))
	t.Logf("key to redrawn screen, all %d pressing in the same instant: %s", n, spread(burst))
	t.Logf("CPU (user+sys, server and clients) from the first choice to the last goodbye: %s, %s a key press",
		cpu.Round(time.Millisecond), (cpu / time.Duration(n*(len(fixtureReplies)+2))).Round(10*time.Microsecond))
	t.Logf("records: %d saved, %d finished, none lost", len(recs), finished)
}

// cpuTime is the CPU time the test process has used so far, user and
// system: on a busy machine it says what the work cost where wall-clock
// latencies say mostly how busy the machine was.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// spread summarises latencies: count, median, 95th percentile, maximum.
func spread(c <-chan time.Duration) string {
	var ds []time.Duration
	for d := range c {
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return "no samples"
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration {
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	return fmt.Sprintf("%d keys, median %s, p95 %s, max %s", len(ds), at(0.5), at(0.95), ds[len(ds)-1].Round(100*time.Microsecond))
}
