package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Context keys for what the connection callbacks learn about a
// connection. charmbracelet/ssh shares one context between the
// connection's callbacks and its sessions.
type (
	refusalKey struct{}
	connKey    struct{}
)

// refusal returns why a connection is refused before authentication, or "".
func refusal(ctx ssh.Context) string {
	s, _ := ctx.Value(refusalKey{}).(string)
	return s
}

// trackedConn is a connection the server counts, and closes if it has not
// opened a session in time.
type trackedConn struct {
	net.Conn
	once    sync.Once
	release func()
	// preAuth releases the connection's place among those still logging
	// in: when its first session opens (it has authenticated) or when it
	// closes, whichever comes first.
	preAuth func()
	timer   *time.Timer
	// sessions counts the session channels opened on the connection.
	sessions atomic.Int32
	// active is set once the connection's session is running.
	active atomic.Bool
	// authStarted is set when the client first tries to authenticate.
	authStarted atomic.Bool
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.timer.Stop()
		c.preAuth()
		c.release()
	})
	return c.Conn.Close()
}

// Deadlines before a session runs. A client must reach authentication
// within handshakeTimeout of connecting, which any client on any network
// does in a second or two; once it has, a trainee gets authTimeout to type
// the class code. Before, one deadline of 30 s let idle connections hold
// their places three times as long.
const (
	handshakeTimeout = 10 * time.Second
	authTimeout      = 60 * time.Second
)

// Connections still logging in (not yet in a session) are capped, per
// address and in all, so connections that never authenticate cannot hold
// every place: 140 raw TCP connections that never spoke SSH used to lock
// out the class.
const (
	// preAuthPerAddr is how many connections one address may have logging
	// in at once. A class behind one NAT address typing the code at the
	// same moment shares it; past it, a trainee is asked to retry in a few
	// seconds.
	preAuthPerAddr = 10
	// minPreAuth is the least room for connections logging in, whatever
	// MaxSessions is.
	minPreAuth = 32
)

// onConn counts a new connection against the limits. A connection past
// the total, the per-address rate, the per-address or total count of
// connections logging in, or from an address locked out for wrong codes
// is closed at once, after one line saying why (shown by `ssh -v`, and
// by any raw client): it never holds a place.
func (s *Server) onConn(ctx ssh.Context, c net.Conn) net.Conn {
	remote := c.RemoteAddr().String()
	host := hostOf(c.RemoteAddr())
	if s.isClosing() {
		return nil
	}
	if n := s.conns.Add(1); n > s.maxConns {
		s.conns.Add(-1)
		s.refuse(c, "too many open connections", "Rapport is full: too many connections. Try again in a minute.")
		return nil
	}
	release := func() { s.conns.Add(-1) }
	if left, locked := s.guard.locked(host); locked {
		release()
		s.refuse(c, "address locked out", lockedOut(left))
		return nil
	}
	if !s.limiter.allow(host) {
		release()
		s.refuse(c, "limit hit: connections per minute", fmt.Sprintf(
			"Too many connections from your address: at most %d a minute. Wait a minute and connect again.",
			s.cfg.Limits.ConnsPerMinute))
		return nil
	}
	preAuth, why := s.admitPreAuth(host)
	if preAuth == nil {
		release()
		s.refuse(c, why, "Too many connections are logging in from your address or in all. Try again in a few seconds.")
		return nil
	}
	tc := &trackedConn{Conn: c, release: release, preAuth: preAuth}
	tc.timer = time.AfterFunc(handshakeTimeout, func() {
		if !tc.active.Load() {
			s.log.Debug("connection closed: no session opened in time", "remote", remote)
			c.Close()
		}
	})
	ctx.SetValue(connKey{}, tc)
	return tc
}

// refuse writes one line to a connection it will not serve and closes it.
// The line comes before the SSH version exchange, where RFC 4253 allows
// other lines; clients skip it (OpenSSH shows it with -v). Refusals are
// logged at most once a second, with how many were left out, so a flood
// does not flood the log.
func (s *Server) refuse(c net.Conn, why, line string) {
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = io.WriteString(c, line+"\r\n")
	c.Close()
	s.refusals.note(s.log, why, hostOf(c.RemoteAddr()))
}

// admitPreAuth takes a place among the connections logging in, and returns
// the function that gives it back (once), or nil and the limit hit.
func (s *Server) admitPreAuth(host string) (func(), string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.preAuth[host] >= preAuthPerAddr:
		return nil, "limit hit: connections logging in from one address"
	case s.preAuthTotal >= s.maxPreAuth:
		return nil, "limit hit: connections logging in"
	}
	s.preAuth[host]++
	s.preAuthTotal++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.preAuth[host]--; s.preAuth[host] <= 0 {
				delete(s.preAuth, host)
			}
			s.preAuthTotal--
		})
	}, ""
}

// refusalLog logs refused connections at most once a second per reason,
// counting the rest.
type refusalLog struct {
	mu      sync.Mutex
	last    map[string]time.Time
	skipped map[string]int
}

func (r *refusalLog) note(l interface {
	Warn(msg any, keyvals ...any)
}, why, host string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last, r.skipped = map[string]time.Time{}, map[string]int{}
	}
	now := time.Now()
	if now.Sub(r.last[why]) < time.Second {
		r.skipped[why]++
		return
	}
	l.Warn("connection refused: "+why, "remote", host, "more since last logged", r.skipped[why])
	r.last[why], r.skipped[why] = now, 0
}

func connOf(ctx ssh.Context) *trackedConn {
	tc, _ := ctx.Value(connKey{}).(*trackedConn)
	return tc
}

// onConnFailed logs a connection that never got past the handshake, which
// is where refused keys and wrong class codes end up. Wrong codes are
// summarised by the guard, so a guessing address is not logged here.
func (s *Server) onConnFailed(c net.Conn, err error) {
	var authErr *gossh.ServerAuthError
	if errors.As(err, &authErr) {
		if s.guard.wrongCodes(hostOf(c.RemoteAddr())) > 0 {
			s.log.Debug("connection refused: authentication failed", "remote", c.RemoteAddr().String())
			return
		}
		s.log.Warn("connection refused: authentication failed", "remote", c.RemoteAddr().String())
		return
	}
	s.log.Debug("connection failed", "remote", c.RemoteAddr().String(), "err", err)
}

// banner is shown by the client before it authenticates: the reason the
// connection is refused, or what to type.
func (s *Server) banner(ctx ssh.Context) string {
	// The banner is asked for at the client's first authentication
	// request: the handshake is done, and a person may now be typing the
	// class code, so the deadline becomes authTimeout.
	if tc := connOf(ctx); tc != nil && tc.authStarted.CompareAndSwap(false, true) && !tc.active.Load() {
		tc.timer.Reset(authTimeout)
	}
	if r := refusal(ctx); r != "" {
		return r + "\n"
	}
	if s.cfg.ClassCode != "" {
		return "Rapport classroom. Your trainer will give you the class code.\n"
	}
	return ""
}

// allowRequest refuses subsystems (sftp and the like) outright. Shell and
// exec requests go on to the middleware, which tells the client why a
// command or a session without a terminal is refused.
func (s *Server) allowRequest(sess ssh.Session, kind string) bool {
	if kind == "subsystem" {
		s.log.Warn("refused: subsystem", "remote", sess.RemoteAddr().String(), "subsystem", sess.Subsystem())
		return false
	}
	return true
}

// sessionChannel opens a session channel, one per connection, and refuses
// agent and X11 forwarding on it (charmbracelet/ssh would accept an agent
// request).
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	tc := connOf(ctx)
	if tc != nil {
		// A channel opens only after authentication: the connection is
		// no longer logging in.
		tc.preAuth()
	}
	if tc != nil && tc.sessions.Add(1) > 1 {
		s.log.Warn("refused: second session on one connection", "remote", conn.RemoteAddr().String())
		_ = nc.Reject(gossh.ResourceShortage, "one session per connection")
		return
	}
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, log: s.log.Warn}, ctx)
}

// filteredChannel accepts a session channel and answers its forwarding
// requests with a refusal before the session sees them.
type filteredChannel struct {
	gossh.NewChannel
	log func(msg any, keyvals ...any)
}

// refusedRequests are session requests nothing here may grant.
var refusedRequests = map[string]string{
	"auth-agent-req@openssh.com": "agent forwarding",
	"x11-req":                    "X11 forwarding",
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			if what, ok := refusedRequests[req.Type]; ok {
				f.log("refused: " + what)
				_ = req.Reply(false, nil)
				continue
			}
			out <- req
		}
	}()
	return ch, out, nil
}

// hostOf is the address a connection comes from, without the port.
func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
