package server

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/testio"
)

// attacker is a second loopback address, so a flood and a trainee come
// from different addresses as they would on a network.
const attacker = "127.0.0.2"

func TestCodeGuardDelaysThenLocksOut(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var logs testio.Buffer
	g := newCodeGuard(func() time.Time { return now }, log.New(&logs))
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}
	for i, w := range want {
		if d := g.failed("10.0.0.9"); d != w {
			t.Errorf("wrong code %d: delay %s, want %s", i+1, d, w)
		}
	}
	if _, locked := g.locked("10.0.0.9"); locked {
		t.Fatalf("locked after %d wrong codes, before %d", len(want), lockAfter)
	}
	for range lockAfter - len(want) {
		g.failed("10.0.0.9")
	}
	left, locked := g.locked("10.0.0.9")
	if !locked || left != lockFor {
		t.Fatalf("after %d wrong codes: locked %v for %s, want %s", lockAfter, locked, left, lockFor)
	}
	if _, locked := g.locked("10.0.0.10"); locked {
		t.Error("another address is locked out too")
	}
	for range 20 { // guesses while locked are not answered, nor logged
		g.failed("10.0.0.9")
	}
	if n := strings.Count(logs.String(), "\n"); n != 2 {
		t.Errorf("%d log lines for %d wrong codes, want 2 (the first, and the lockout):\n%s", n, lockAfter+20, logs.String())
	}
	now = now.Add(lockFor)
	if _, locked := g.locked("10.0.0.9"); locked {
		t.Error("still locked out after the lockout ended")
	}
	if d := g.failed("10.0.0.9"); d != baseDelay {
		t.Errorf("after the lockout the count starts again: delay %s, want %s", d, baseDelay)
	}
	// A trainee's typos are forgotten after the window.
	g.failed("10.0.0.11")
	now = now.Add(failWindow + time.Second)
	if n := g.wrongCodes("10.0.0.11"); n != 0 {
		t.Errorf("%d wrong codes remembered after the window", n)
	}
}

// TestTraineeGetsInDuringFlood: while another address holds raw TCP
// connections that never speak SSH and guesses the class code as fast as
// it is answered, a trainee with the right code still gets in and plays.
// Before the limits, 140 idle connections took every place for 30 s.
func TestTraineeGetsInDuringFlood(t *testing.T) {
	var logs testio.Buffer
	h := startServer(t, func(c *Config) {
		c.Logger = log.New(&logs)
		c.Limits.MaxSessions = 4 // room for 16 connections in all
	})
	from := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(attacker)}, Timeout: waitLimit}
	stop := make(chan struct{})
	var flood sync.WaitGroup
	var idle []net.Conn
	defer func() {
		close(stop)
		flood.Wait()
		for _, c := range idle {
			c.Close()
		}
	}()
	// 140 connections that never speak: the first ten are held as logging
	// in; the rest are closed at once.
	for range 140 {
		c, err := from.Dial("tcp", h.addr)
		if err != nil {
			t.Fatalf("raw connection: %v", err)
		}
		idle = append(idle, c)
	}
	// Guessers: wrong codes as fast as the server answers, until the test
	// ends.
	var guesses atomic.Int64
	for range 4 {
		flood.Add(1)
		go func() {
			defer flood.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				conn, err := from.Dial("tcp", h.addr)
				if err != nil {
					return
				}
				_ = conn.SetDeadline(time.Now().Add(waitLimit)) // the client's own Timeout covers only Dial
				cc, _, _, err := gossh.NewClientConn(conn, h.addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.Password("tulip-00")},
					HostKeyCallback: gossh.FixedHostKey(hostKey.PublicKey()), Timeout: time.Second})
				if err == nil {
					cc.Close()
					t.Error("a wrong code was admitted")
				}
				conn.Close()
				guesses.Add(1)
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // let the flood take what it can

	start := time.Now()
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Flo Ode")
	tm.playFixture()
	t.Logf("trainee in and through the fixture in %s during the flood (%d wrong-code connections so far)", time.Since(start).Round(time.Millisecond), guesses.Load())

	// The flood's idle connections are closed at once past ten.
	closed := 0
	for _, c := range idle {
		_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if _, err := io.ReadAll(c); err == nil || !isTimeout(err) {
			closed++
		}
	}
	if closed < len(idle)-preAuthPerAddr {
		t.Errorf("%d of %d idle connections closed, want all but %d", closed, len(idle), preAuthPerAddr)
	}
	if n := strings.Count(logs.String(), "wrong class code"); n > 1 {
		t.Errorf("%d log lines about wrong codes, want one summary:\n%s", n, logs.String())
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestLockoutAfterWrongCodes: an address that keeps guessing is locked out,
// even with the right code, and its connections are closed at once with
// the reason; another address is not affected.
func TestLockoutAfterWrongCodes(t *testing.T) {
	var logs testio.Buffer
	h := startServer(t, func(c *Config) { c.Logger = log.New(&logs) })
	for range lockAfter - 1 {
		h.srv.guard.failed(attacker) // earlier guesses, without their delays
	}
	from := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(attacker)}, Timeout: waitLimit}
	guess := func(code string) error {
		conn, err := from.Dial("tcp", h.addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(waitLimit))
		cc, _, _, err := gossh.NewClientConn(conn, h.addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.Password(code)},
			HostKeyCallback: gossh.FixedHostKey(hostKey.PublicKey()), Timeout: waitLimit})
		if err == nil {
			cc.Close()
		}
		return err
	}
	start := time.Now()
	if err := guess("tulip-00"); err == nil {
		t.Fatal("wrong code admitted")
	}
	if took := time.Since(start); took < maxDelay {
		t.Errorf("the tenth wrong code was answered after %s, before its %s delay", took, maxDelay)
	}
	if err := guess(testCode); err == nil {
		t.Error("a locked-out address got in with the right code")
	}
	line, _ := refusedLine(t, h.addr, attacker)
	if !strings.Contains(line, "Too many wrong class codes from your address. Try again in 5 minutes.") {
		t.Errorf("locked-out connection told %q", line)
	}
	mustDial(t, h.addr) // another address gets in
	if n := strings.Count(logs.String(), "address locked out: too many wrong class codes"); n != 1 {
		t.Errorf("%d lockout lines, want 1:\n%s", n, logs.String())
	}
}

// TestRecoversAttemptsAfterCrash: presence files left by a killed server
// hold the attempts in progress; the next server saves them as abandoned
// records instead of deleting them.
func TestRecoversAttemptsAfterCrash(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Cra Sh")
	tm.send("\r")
	tm.waitFor("What do you say?")
	tm.send("1")
	tm.waitFor(fixtureReplies[0])
	var left []byte
	eventually(t, "the attempt in the presence file", func() bool {
		_, live, _ := presence.ReadLive(h.live, time.Now())
		if len(live) != 1 || live[0].Attempt == nil || len(live[0].Attempt.Turns) != 1 {
			return false
		}
		files, _ := filepath.Glob(filepath.Join(presence.SessionsDir(h.live), "*.json"))
		if len(files) == 1 {
			left, _ = os.ReadFile(files[0])
		}
		return left != nil
	})
	// What kill -9 leaves: the presence file, and no record.
	c.Close()
	h.srv.Close()
	eventually(t, "the session's own save", func() bool { return len(records(t, h.store)) == 1 })
	for _, r := range records(t, h.store) {
		os.Remove(h.store.Path(r.ID))
	}
	file := filepath.Join(presence.SessionsDir(h.live), "crashed.json")
	if err := os.WriteFile(file, left, 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-presence.StaleAfter - time.Minute)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	// The next start, on the same results folder.
	var logs testio.Buffer
	startServer(t, func(c *Config) { c.Results, c.Live, c.Logger = h.store, h.live, log.New(&logs) })
	defer func() {
		if t.Failed() {
			t.Logf("second server's log:\n%s", logs.String())
		}
	}()
	eventually(t, "the attempt recovered", func() bool { return len(records(t, h.store)) == 1 })
	r := records(t, h.store)[0]
	if r.Trainee != "Cra Sh" || r.Status != results.Abandoned || len(r.Turns) != 1 {
		t.Errorf("recovered %q %s with %d turns; want Cra Sh's abandoned attempt with 1 turn", r.Trainee, r.Status, len(r.Turns))
	}
	// The record is written first and the presence file removed after it,
	// so the removal may come a moment later.
	eventually(t, "the presence file removed after its attempt was saved", func() bool {
		_, err := os.Stat(file)
		return os.IsNotExist(err)
	})
}

// TestFailedSaveIsNeverCalledSaved: when the results folder cannot be
// written, the trainee is not told the attempts are saved and the server
// counts the failure (rapport-server serve then exits non-zero).
func TestFailedSaveIsNeverCalledSaved(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Uns Aved")
	// The folder goes away under the server (a full or unmounted disk
	// behaves alike; a read-only folder does not stop root).
	if err := os.RemoveAll(h.store.Dir()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.store.Dir(), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tm.send("\r")
	tm.waitFor("What do you say?")
	tm.send("1")
	tm.waitFor(fixtureReplies[0])
	tm.send("\x03") // ctrl+c: leave, saving the attempt as abandoned
	tm.waitFor("Abandon this conversation?")
	tm.send("y")
	tm.waitFor("choose a conversation")
	tm.send("q")
	tm.waitClosed()
	out := tm.text()
	if strings.Contains(out, "attempts are saved") || strings.Contains(out, "was saved") {
		t.Errorf("the goodbye claims a save that failed:\n%s", out[max(0, len(out)-600):])
	}
	if !strings.Contains(out, "One of your attempts could not be saved: tell your trainer.") {
		t.Errorf("the goodbye does not say an attempt was lost:\n%s", out[max(0, len(out)-600):])
	}
	if h.srv.SaveFailures() == 0 {
		t.Error("the failed save was not counted")
	}
}

// TestCloseWhileServeStarts: a Close that comes while Serve is still
// recovering old attempts (before the SSH server has taken the listener)
// must still end Serve. Under load this window is wide, and Serve used to
// wait in Accept for ever, hanging whatever waited for it.
func TestCloseWhileServeStarts(t *testing.T) {
	for i := range 50 {
		s, err := New(testConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		go func() { served <- s.Serve(ln) }()
		// Close at a different moment of Serve's start each time.
		for range i % 10 {
			runtime.Gosched()
		}
		s.Close()
		select {
		case err := <-served:
			// A Close before Serve took the listener is ErrServerClosed,
			// as net/http's Serve after Close is.
			if err != nil && !errors.Is(err, ssh.ErrServerClosed) {
				t.Fatalf("serve after close: %v", err)
			}
		case <-time.After(waitLimit):
			t.Fatalf("run %d: Serve still running %v after Close", i, waitLimit)
		}
	}
}
