package server

import (
	"sync"
	"time"

	"github.com/charmbracelet/log"
)

// Brute-force protection for the class code. Each wrong code from an
// address costs a growing delay before the answer (so guessing slows to
// a crawl while a trainee's typo costs a moment), and lockAfter wrong codes
// within failWindow lock the address out for lockFor: its connections are
// closed at once and its codes are not even checked. The log gets one line
// when an address first gets a code wrong and one when it is locked out,
// never one line per guess.
const (
	failWindow = 15 * time.Minute
	lockAfter  = 10
	lockFor    = 5 * time.Minute
	baseDelay  = 250 * time.Millisecond
	maxDelay   = 4 * time.Second
)

// codeGuard counts wrong class codes by address.
type codeGuard struct {
	mu    sync.Mutex
	now   func() time.Time
	log   *log.Logger
	addrs map[string]*failures
}

type failures struct {
	n           int
	first       time.Time
	lockedUntil time.Time
}

func newCodeGuard(now func() time.Time, l *log.Logger) *codeGuard {
	return &codeGuard{now: now, log: l, addrs: map[string]*failures{}}
}

// entry returns addr's failures, forgetting them once the window or the
// lockout has passed. The caller holds g.mu.
func (g *codeGuard) entry(addr string, now time.Time) *failures {
	f := g.addrs[addr]
	if f == nil {
		return nil
	}
	if f.lockedUntil.IsZero() && now.Sub(f.first) > failWindow || !f.lockedUntil.IsZero() && !now.Before(f.lockedUntil) {
		delete(g.addrs, addr)
		return nil
	}
	return f
}

// locked tells whether addr is locked out, and for how much longer.
func (g *codeGuard) locked(addr string) (time.Duration, bool) {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.entry(addr, now)
	if f == nil || f.lockedUntil.IsZero() {
		return 0, false
	}
	return f.lockedUntil.Sub(now), true
}

// failed counts a wrong code from addr and returns how long to wait before
// answering it.
func (g *codeGuard) failed(addr string) time.Duration {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.addrs) >= maxBuckets {
		for k := range g.addrs {
			g.entry(k, now)
		}
	}
	f := g.entry(addr, now)
	if f == nil {
		f = &failures{first: now}
		g.addrs[addr] = f
		g.log.Warn("wrong class code (further wrong codes from this address are counted, and logged if it is locked out)", "remote", addr)
	}
	f.n++
	if f.n >= lockAfter && f.lockedUntil.IsZero() {
		f.lockedUntil = now.Add(lockFor)
		g.log.Warn("address locked out: too many wrong class codes", "remote", addr, "wrong", f.n,
			"within", now.Sub(f.first).Round(time.Second), "for", lockFor)
	}
	return min(baseDelay<<min(f.n-1, 8), maxDelay)
}

// wrongCodes is how many wrong codes addr has given in the current window.
func (g *codeGuard) wrongCodes(addr string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f := g.entry(addr, g.now()); f != nil {
		return f.n
	}
	return 0
}
