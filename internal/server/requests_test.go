package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestExecIsRefused(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	err = sess.Run("cat /etc/passwd")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("exec: %v, want exit status 1", err)
	}
	if !strings.Contains(out.String(), "Command is not allowed") {
		t.Errorf("exec output %q does not say the command is refused", out.String())
	}
}

func TestShellWithoutTerminalIsRefused(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell request: %v", err)
	}
	err = sess.Wait()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("shell without a PTY: %v, want exit status 1", err)
	}
	if !strings.Contains(out.String(), "Requires an active PTY") {
		t.Errorf("output %q does not say a terminal is needed", out.String())
	}
	if n := len(records(t, h.store)); n != 0 {
		t.Errorf("%d records from a refused session", n)
	}
}

func TestForwardingAndSubsystemsAreRefused(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)

	t.Run("subsystem", func(t *testing.T) {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		if err := sess.RequestSubsystem("sftp"); err == nil {
			t.Error("sftp subsystem granted")
		}
	})
	t.Run("agent forwarding", func(t *testing.T) {
		c := mustDial(t, h.addr)
		ch, _, err := c.OpenChannel("session", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ch.Close()
		ok, err := ch.SendRequest("auth-agent-req@openssh.com", true, nil)
		if err != nil || ok {
			t.Errorf("agent forwarding request answered ok=%v err=%v, want a refusal", ok, err)
		}
		ok, err = ch.SendRequest("x11-req", true, gossh.Marshal(struct {
			Single        bool
			Proto, Cookie string
			Screen        uint32
		}{false, "MIT-MAGIC-COOKIE-1", "00", 0}))
		if err != nil || ok {
			t.Errorf("X11 request answered ok=%v err=%v, want a refusal", ok, err)
		}
	})
	t.Run("local port forwarding", func(t *testing.T) {
		conn, err := c.Dial("tcp", h.addr)
		if err == nil {
			conn.Close()
			t.Fatal("direct-tcpip channel opened")
		}
	})
	t.Run("remote port forwarding", func(t *testing.T) {
		ln, err := c.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			ln.Close()
			t.Fatal("tcpip-forward granted")
		}
	})
	t.Run("second session on one connection", func(t *testing.T) {
		c := mustDial(t, h.addr)
		first := openTerm(t, c, 100, 30, "")
		first.waitFor("Type your name")
		if _, err := c.NewSession(); err == nil || !strings.Contains(err.Error(), "one session per connection") {
			t.Errorf("second session: %v, want a refusal", err)
		}
	})
}

func TestConnectionRateLimit(t *testing.T) {
	h := startServer(t, func(c *Config) { c.Limits.ConnsPerMinute = 2 })
	for i := range 2 {
		c, err := dial(h.addr, gossh.Password(testCode))
		if err != nil {
			t.Fatalf("connection %d within the limit: %v", i+1, err)
		}
		c.Close()
	}
	if c, err := dial(h.addr, gossh.Password(testCode)); err == nil {
		c.Close()
		t.Fatal("third connection in a minute admitted")
	}
	// Past the rate a connection is closed at once, after a line saying
	// why, and holds no place (it used to stay for the handshake timeout).
	line, open := refusedLine(t, h.addr, "127.0.0.1")
	if !strings.Contains(line, "Too many connections from your address") {
		t.Errorf("refusal %q does not say why", line)
	}
	if open > time.Second {
		t.Errorf("refused connection stayed open %s", open)
	}
	eventually(t, "every connection let go", func() bool { return h.srv.conns.Load() == 0 })
}

// refusedLine connects from the local address from and returns the line
// the server writes before closing, and how long the connection stayed
// open.
func refusedLine(t *testing.T, addr, from string) (string, time.Duration) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: waitLimit}
	start := time.Now()
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(waitLimit))
	b, _ := io.ReadAll(c)
	return string(b), time.Since(start)
}

func TestLimiterRefillsOverAMinute(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newAddrLimiter(3, func() time.Time { return now })
	for i := range 3 {
		if !l.allow("10.0.0.1") {
			t.Fatalf("connection %d refused within the burst", i+1)
		}
	}
	if l.allow("10.0.0.1") {
		t.Fatal("fourth connection at once allowed")
	}
	if !l.allow("10.0.0.2") {
		t.Fatal("another address refused")
	}
	now = now.Add(20 * time.Second) // a third of a minute: one token back
	if !l.allow("10.0.0.1") || l.allow("10.0.0.1") {
		t.Fatal("want exactly one connection after a third of a minute")
	}
}

func TestLimiterForgetsQuietAddresses(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newAddrLimiter(1, func() time.Time { return now })
	for i := range maxBuckets {
		l.allow(string(rune(i)))
	}
	now = now.Add(time.Minute)
	l.allow("new")
	if n := len(l.buckets); n > maxBuckets/2+1 {
		t.Errorf("%d buckets kept after every address refilled", n)
	}
}
