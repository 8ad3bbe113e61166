//go:build linux || darwin

package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyRun runs a command in process on a pseudo-terminal of w×h, as it runs
// in a trainer's terminal, and gives the test the terminal's side.
type ptyRun struct {
	t      *testing.T
	master *os.File
	mu     sync.Mutex
	out    bytes.Buffer
	done   chan int
	stderr bytes.Buffer
}

func startPTY(t *testing.T, env map[string]string, w, h int, args ...string) *ptyRun {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)}); err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{t: t, master: master, done: make(chan int, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	// NO_COLOR is set unless env names it (as "" for colour).
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "NO_COLOR" {
			return "1"
		}
		return env[k]
	}
	go func() {
		r.done <- Main(context.Background(), args, slave, slave, &r.stderr, getenv)
		slave.Close()
	}()
	t.Cleanup(func() { master.Close() })
	return r
}

func (r *ptyRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits until the screen has shown want since the start.
func (r *ptyRun) waitFor(want string) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.output(), want) {
		if time.Now().After(deadline) {
			r.t.Fatalf("%q never appeared; output:\n%q", want, r.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *ptyRun) send(keys string) {
	r.t.Helper()
	if _, err := r.master.WriteString(keys); err != nil {
		r.t.Fatal(err)
	}
}

func (r *ptyRun) wait() int {
	r.t.Helper()
	select {
	case code := <-r.done:
		return code
	case <-time.After(10 * time.Second):
		r.t.Fatalf("did not end; output:\n%q", r.output())
		return -1
	}
}

// TestHostileHistoryView opens the interactive history over an attacker's
// results folder in a real (pseudo-)terminal, opens an attempt's debrief,
// and checks the screen: the program's own drawing aside, none of the
// records' sequences, C1 controls or bidi characters reaches it.
func TestHostileHistoryView(t *testing.T) {
	dir, _ := hostileFolder(t)
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	r := startPTY(t, env, 120, 40, "history", "--results", dir, "--all")
	r.waitFor("Everyone")
	r.waitFor("4 of 4 attempts")
	r.send("\r") // the newest attempt's debrief
	r.waitFor("DEBRIEF")
	r.send("\x1b") // back to the list
	time.Sleep(200 * time.Millisecond)
	r.send("q")
	if code := r.wait(); code != ExitOK {
		t.Errorf("exit %d; stderr: %s", code, r.stderr.String())
	}
	out := r.output()
	for _, bad := range []string{"\x1b]52", "ZXZpbA==", "cHduZWQ=", "evil.test", "\x1b]8", "\u009b", "\u009d", "\u202e", "\u2066", "\u200b", "\u200f"} {
		if i := strings.Index(out, bad); i >= 0 {
			t.Errorf("%q reaches the terminal: %q", bad, out[max(0, i-60):min(len(out), i+40)])
		}
	}
	assertClean(t, "stderr", r.stderr.String())
}

// In a terminal, replay and report go through $PAGER; --plain, and output
// that is not a terminal, print plain text.
func TestPagerInATerminal(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	id := seeded[0].rec.ID
	env := map[string]string{"HOME": t.TempDir(), "PAGER": "sed 's/^/PAGED> /'"}
	for _, args := range [][]string{{"replay", id, "--results", dir}, {"report", dir}} {
		r := startPTY(t, env, 80, 24, args...)
		if code := r.wait(); code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %s", args, code, r.stderr.String())
		}
		r.waitFor("PAGED> ")
		r = startPTY(t, env, 80, 24, append(args, "--plain")...)
		if code := r.wait(); code != ExitOK {
			t.Fatalf("%v --plain: exit %d, stderr %s", args, code, r.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
		if out := r.output(); strings.Contains(out, "PAGED> ") || len(out) < 100 {
			t.Errorf("%v --plain went through the pager or printed nothing: %q", args, out)
		}
		// Not a terminal: plain text, no pager.
		code, out, _ := runWith(t, env, args...)
		if code != ExitOK || strings.Contains(out, "PAGED> ") || len(out) < 100 {
			t.Errorf("%v to a pipe: exit %d, paged or empty: %q", args, code, out)
		}
	}
}

func TestPagerCommand(t *testing.T) {
	found := func(string) (string, error) { return "/usr/bin/less", nil }
	missing := func(string) (string, error) { return "", exec.ErrNotFound }
	if c := pagerCommand("most -s", found); c == nil || strings.Join(c.Args, " ") != "/bin/sh -c most -s" {
		t.Errorf("$PAGER: %v", c)
	}
	if c := pagerCommand("", found); c == nil || strings.Join(c.Args, " ") != "/usr/bin/less -R -F -X" {
		t.Errorf("less: %v", c)
	}
	if c := pagerCommand("  ", missing); c != nil {
		t.Errorf("no pager: %v, want the built-in one", c)
	}
}
