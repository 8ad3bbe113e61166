package server

import (
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/ratelimiter"
)

// maxBuckets bounds the limiter's memory when connections come from very
// many addresses: full buckets (addresses quiet for a minute) are dropped
// first.
const maxBuckets = 4096

// addrLimiter allows each remote address a number of connections a
// minute: a token bucket holding perMinute tokens, refilled at perMinute a
// minute. A class arriving together from one address gets in at once;
// a client reconnecting in a loop is slowed to the refill rate.
type addrLimiter struct {
	mu        sync.Mutex
	perMinute float64
	now       func() time.Time
	buckets   map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

var _ ratelimiter.RateLimiter = (*addrLimiter)(nil)

func newAddrLimiter(perMinute int, now func() time.Time) *addrLimiter {
	return &addrLimiter{perMinute: float64(perMinute), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for one connection from addr.
func (l *addrLimiter) allow(addr string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.perMinute, at: now}
		l.buckets[addr] = b
	}
	b.tokens = min(l.perMinute, b.tokens+now.Sub(b.at).Minutes()*l.perMinute)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep forgets addresses whose bucket has refilled; if that is not
// enough, it forgets arbitrary ones (which only makes the limit kinder).
func (l *addrLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Minutes()*l.perMinute >= l.perMinute {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < maxBuckets/2 {
			break
		}
		delete(l.buckets, k)
	}
}

// Allow is the wish rate-limit middleware's check. The token was taken
// when the connection arrived (onConn), before the handshake; a
// connection that was over the limit is refused here when it reaches a
// session, which happens when no authentication is needed.
func (l *addrLimiter) Allow(sess ssh.Session) error {
	if r := refusal(sess.Context()); r != "" {
		return refusedError(r)
	}
	return nil
}

// refusedError is a refusal the client reads. wish prints the error text
// as it is, so the text ends the line itself.
type refusedError string

func (e refusedError) Error() string { return string(e) + "\n" }
