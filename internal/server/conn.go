package server

import (
	"errors"
	"fmt"
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
	timer   *time.Timer
	// sessions counts the session channels opened on the connection.
	sessions atomic.Int32
	// active is set once the connection's session is running.
	active atomic.Bool
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.timer.Stop()
		c.release()
	})
	return c.Conn.Close()
}

// onConn counts a new connection against the limits. Past the total it is
// dropped; past the per-address rate it goes on just far enough for the
// client to see why (a banner, then every authentication refused, or the
// rate-limit middleware's message when no authentication is needed).
func (s *Server) onConn(ctx ssh.Context, c net.Conn) net.Conn {
	remote := c.RemoteAddr().String()
	if s.isClosing() {
		return nil
	}
	if n := s.conns.Add(1); n > s.maxConns {
		s.conns.Add(-1)
		s.log.Warn("connection dropped: too many open connections", "remote", remote, "limit", s.maxConns)
		return nil
	}
	if !s.limiter.allow(hostOf(c.RemoteAddr())) {
		ctx.SetValue(refusalKey{}, fmt.Sprintf(
			"Too many connections from your address: at most %d a minute. Wait a minute and connect again.",
			s.cfg.Limits.ConnsPerMinute))
		s.log.Warn("limit hit: connections per minute", "remote", remote, "limit", s.cfg.Limits.ConnsPerMinute)
	}
	tc := &trackedConn{Conn: c, release: func() { s.conns.Add(-1) }}
	tc.timer = time.AfterFunc(handshakeTimeout, func() {
		if !tc.active.Load() {
			s.log.Info("connection closed: no session opened in time", "remote", remote, "after", handshakeTimeout)
			c.Close()
		}
	})
	ctx.SetValue(connKey{}, tc)
	return tc
}

func connOf(ctx ssh.Context) *trackedConn {
	tc, _ := ctx.Value(connKey{}).(*trackedConn)
	return tc
}

// onConnFailed logs a connection that never got past the handshake, which
// is where refused keys and wrong class codes end up.
func (s *Server) onConnFailed(c net.Conn, err error) {
	var authErr *gossh.ServerAuthError
	if errors.As(err, &authErr) {
		s.log.Warn("connection refused: authentication failed", "remote", c.RemoteAddr().String())
		return
	}
	s.log.Debug("connection failed", "remote", c.RemoteAddr().String(), "err", err)
}

// banner is shown by the client before it authenticates: the reason the
// connection is refused, or what to type.
func (s *Server) banner(ctx ssh.Context) string {
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
	if tc := connOf(ctx); tc != nil && tc.sessions.Add(1) > 1 {
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
