package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// testCode is the class code of test servers.
const testCode = "tulip-42"

// waitLimit bounds every wait in these tests; nothing should come close.
const waitLimit = 20 * time.Second

// fixture loads testdata/lost-card.toml, a three-turn call where the first
// line offered is always a way forward.
func fixture(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(os.DirFS("testdata"), "lost-card.toml")
	if err != nil || diags.HasErrors() || sc == nil {
		t.Fatalf("fixture: %v %v", err, diags)
	}
	return sc
}

// The fixture's customer lines after each first choice, and a word from
// the end screen.
var fixtureReplies = []string{"Can you stop anyone using it?", "Will I get a new one?", "resolved"}

type harness struct {
	srv   *Server
	addr  string
	store *results.Store
	live  string
}

var (
	hostKeyOnce sync.Once
	hostKey     gossh.Signer
)

func testHostKey(t testing.TB) gossh.Signer {
	hostKeyOnce.Do(func() {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		hostKey, err = gossh.NewSignerFromKey(priv)
		if err != nil {
			t.Fatal(err)
		}
	})
	return hostKey
}

// startServer runs a server on a loopback port with the class code, the
// fixture, animation off and no colour query, changed by edit.
func startServer(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	cfg := testConfig(t)
	store := cfg.Results
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &harness{srv: s, addr: ln.Addr().String(), store: store, live: cfg.Live}
}

// testConfig is a server's configuration for a test: the fixture
// scenario, a fresh results folder and its presence folder.
func testConfig(t testing.TB) Config {
	t.Helper()
	store, err := results.Open(filepath.Join(t.TempDir(), "results"))
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		HostKey:     testHostKey(t),
		ClassCode:   testCode,
		Scenarios:   []*scenario.Scenario{fixture(t)},
		Results:     store,
		Live:        presence.Dir(store.Dir()),
		Limits:      DefaultLimits(),
		NoAnimation: true,
	}
}

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return dialWith(addr, &gossh.ClientConfig{User: "trainee", Auth: auth})
}

func dialWith(addr string, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	cfg.HostKeyCallback = gossh.FixedHostKey(hostKey.PublicKey())
	cfg.Timeout = waitLimit
	return gossh.Dial("tcp", addr, cfg)
}

func mustDial(t testing.TB, addr string) *gossh.Client {
	t.Helper()
	c, err := dial(addr, gossh.Password(testCode))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// term is an in-process client terminal: a PTY session whose output is
// kept for the test to wait on.
type term struct {
	t    testing.TB
	sess *gossh.Session
	in   io.WriteCloser

	mu      sync.Mutex
	out     []byte
	changed chan struct{}
	closed  chan struct{}
	// mark is where the next wait starts reading the output.
	mark int
	// waitErr is the session's end, once closed is closed.
	waitErr error
	// background, when set, is the colour spec the terminal reports when
	// asked (OSC 11), followed by its device attributes.
	background string
}

// openTerm requests a PTY of w×h and a shell on a new session.
func openTerm(t testing.TB, c *gossh.Client, w, h int, background string) *term {
	t.Helper()
	tm, err := tryTerm(t, c, w, h, background)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func tryTerm(t testing.TB, c *gossh.Client, w, h int, background string) (*term, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	tm := &term{t: t, sess: sess, changed: make(chan struct{}, 1), closed: make(chan struct{}), background: background}
	if tm.in, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	// Refusals and the like come on stderr; a terminal shows both.
	sess.Stderr = stderrOf{tm}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	go tm.read(out)
	return tm, nil
}

// stderrOf adds what the server writes on stderr to the terminal's output.
type stderrOf struct{ tm *term }

func (w stderrOf) Write(p []byte) (int, error) {
	w.tm.mu.Lock()
	w.tm.out = append(w.tm.out, p...)
	w.tm.mu.Unlock()
	select {
	case w.tm.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (tm *term) read(r io.Reader) {
	defer func() {
		// Wait also waits for stderr to be copied, so once closed is
		// closed the output is complete.
		tm.waitErr = tm.sess.Wait()
		close(tm.closed)
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			tm.mu.Lock()
			tm.out = append(tm.out, buf[:n]...)
			tm.mu.Unlock()
			if tm.background != "" && bytes.Contains(buf[:n], []byte(queryBackground)) {
				io.WriteString(tm.in, "\x1b]11;"+tm.background+"\x1b\\\x1b[?62;22c")
			}
			select {
			case tm.changed <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// text is the output since the mark, without escape sequences.
func (tm *term) text() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansi.Strip(string(tm.out[tm.mark:]))
}

// raw is all the output so far, escape sequences and all.
func (tm *term) raw() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return string(tm.out)
}

func (tm *term) size() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return len(tm.out)
}

// waitFor waits until the output since the mark shows every one of want,
// then moves the mark to the end of the output.
func (tm *term) waitFor(want ...string) {
	tm.t.Helper()
	if err := tm.tryWait(waitLimit, want...); err != nil {
		tm.t.Fatal(err)
	}
}

func (tm *term) tryWait(limit time.Duration, wants ...string) error {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	want := strings.Join(wants, `", "`)
	closedAt := -1
	for {
		tm.mu.Lock()
		shown := ansi.Strip(string(tm.out[tm.mark:]))
		found := true
		for _, w := range wants {
			found = found && strings.Contains(shown, w)
		}
		if found {
			tm.mark = len(tm.out)
		}
		tm.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-tm.changed:
		case <-tm.closed:
			if tm.size() > closedAt {
				closedAt = tm.size()
				continue
			}
			return errors.New("session closed before showing " + quote(want) + "; it showed:\n" + tm.text())
		case <-deadline.C:
			return errors.New("timed out waiting for " + quote(want) + "; the screen showed:\n" + tm.text())
		}
	}
}

// waitOutput waits until there is output past n bytes.
func (tm *term) waitOutput(n int) error {
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for tm.size() <= n {
		select {
		case <-tm.changed:
		case <-tm.closed:
			if tm.size() > n {
				return nil
			}
			return errors.New("session closed")
		case <-deadline.C:
			return errors.New("no output after a key")
		}
	}
	return nil
}

// waitClosed waits for the server to end the session and returns its exit
// status.
func (tm *term) waitClosed() int {
	tm.t.Helper()
	select {
	case <-tm.closed:
	case <-time.After(waitLimit):
		tm.t.Fatalf("session still open; it showed:\n%s", tm.text())
	}
	var exit *gossh.ExitError
	if errors.As(tm.waitErr, &exit) {
		return exit.ExitStatus()
	}
	return 0
}

func (tm *term) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.in, keys); err != nil {
		tm.t.Fatalf("send %q: %v", keys, err)
	}
}

func quote(s string) string { return "\"" + s + "\"" }

// enterName types a name at the prompt and waits for the picker.
func (tm *term) enterName(name string) {
	tm.t.Helper()
	tm.waitFor("Type your name")
	tm.send(name + "\r")
	tm.waitFor("choose a conversation")
}

// playFixture starts the fixture from the picker and takes the first line
// at every turn until the end screen.
func (tm *term) playFixture() {
	tm.t.Helper()
	tm.send("\r")
	tm.waitFor("What do you say?")
	for i, reply := range fixtureReplies {
		tm.send("1")
		if i == len(fixtureReplies)-1 {
			tm.waitFor(reply, "Saved: your attempt")
			break
		}
		tm.waitFor(reply)
	}
}

// records reads the store, failing on any file that is not a record.
func records(t testing.TB, store *results.Store) []*results.Record {
	t.Helper()
	recs, skipped, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Fatalf("unreadable files in the results folder: %v", skipped)
	}
	return recs
}

// eventually polls cond until it holds or the wait limit passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
