package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/testio"
)

// The tests run the real program: the test binary runs main when
// RAPPORT_TEST_MAIN is set, and the tests start it as a subprocess, with
// real signals, pipes and pseudo-terminals.
func TestMain(m *testing.M) {
	if os.Getenv("RAPPORT_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// wait is how long a test waits for the program to say something or to
// exit. It is a deadline for a hung program, not a timing assertion: the
// program answers in milliseconds.
const wait = 15 * time.Second

// rapport is a running program.
type rapport struct {
	cmd *exec.Cmd
	out *testio.Buffer
	// in is the program's standard input (the pty's master side in a
	// terminal).
	in   io.WriteCloser
	tty  *os.File
	done chan struct{}
	err  error
	// stopReading and readerDone stop the goroutine reading the terminal.
	stopReading, readerDone chan struct{}
}

// env is the environment for a program whose records and settings land in
// folders the test owns.
func env(t *testing.T, term string) []string {
	e := []string{
		"RAPPORT_TEST_MAIN=1",
		"RAPPORT_DATA_DIR=" + t.TempDir(),
		"RAPPORT_CONFIG_DIR=" + t.TempDir(),
		"HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH"),
	}
	if term != "" {
		e = append(e, "TERM="+term)
	}
	return e
}

// startPiped runs rapport with a pipe for input and a buffer for output:
// plain mode, as a script or a screen reader's console drives it.
func startPiped(t *testing.T, args ...string) *rapport {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = env(t, "xterm-256color")
	r := &rapport{cmd: cmd, out: &testio.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = r.out, r.out
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r.in = in
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.err = cmd.Wait(); close(r.done) }()
	t.Cleanup(r.kill)
	return r
}

// startTTY runs rapport in an 80x24 pseudo-terminal. With answer set the
// terminal answers the background-colour and cursor-position queries as a
// real one would; without it, it never answers (as some terminals, serial
// consoles and screen readers' consoles do).
func startTTY(t *testing.T, term string, answer bool, args ...string) *rapport {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = env(t, term)
	return startOnTTY(t, cmd, &pty.Winsize{Cols: 80, Rows: 24}, answer)
}

// startOnTTY starts cmd in a pseudo-terminal of the given size; answer is
// as for startTTY.
func startOnTTY(t *testing.T, cmd *exec.Cmd, size *pty.Winsize, answer bool) *rapport {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, size)
	if err != nil {
		t.Fatal(err)
	}
	r := &rapport{cmd: cmd, out: &testio.Buffer{}, in: tty, tty: tty, done: make(chan struct{}),
		stopReading: make(chan struct{}), readerDone: make(chan struct{})}
	go func() {
		defer close(r.readerDone)
		// Poll before each read, so the reader can stop without a read
		// blocked on the terminal: a blocked read keeps the terminal open,
		// and closeTerminal could not hang it up.
		fd := int(tty.Fd())
		buf := make([]byte, 4096)
		for {
			select {
			case <-r.stopReading:
				return
			default:
			}
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			if n, err := unix.Poll(fds, 20); err != nil && !errors.Is(err, unix.EINTR) || n == 0 {
				if err != nil && !errors.Is(err, unix.EINTR) {
					return
				}
				continue
			}
			n, err := unix.Read(fd, buf)
			if n <= 0 || err != nil {
				if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
					continue
				}
				return
			}
			chunk := buf[:n]
			r.out.Write(chunk)
			if answer {
				if bytes.Contains(chunk, []byte("\x1b]11;?")) {
					tty.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
				}
				if bytes.Contains(chunk, []byte("\x1b[6n")) {
					tty.WriteString("\x1b[1;1R")
				}
			}
		}
	}()
	go func() { r.err = cmd.Wait(); close(r.done) }()
	t.Cleanup(func() { r.kill(); r.closeTerminal() })
	return r
}

// closeTerminal closes the pseudo-terminal, as closing a terminal window
// does: the kernel hangs it up and sends SIGHUP.
func (r *rapport) closeTerminal() {
	select {
	case <-r.stopReading:
		return
	default:
	}
	close(r.stopReading)
	<-r.readerDone
	r.tty.Close()
}

func (r *rapport) kill() {
	select {
	case <-r.done:
	default:
		r.cmd.Process.Kill()
		<-r.done
	}
}

// waitFor waits until the output holds s, failing the test if the program
// ends or hangs first.
func (r *rapport) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !strings.Contains(r.out.String(), s) {
		select {
		case <-r.done:
			// What the program wrote just before it ended may still be on
			// its way out of the terminal.
			if r.readerDone != nil {
				select {
				case <-r.readerDone:
				case <-time.After(2 * time.Second):
				}
			}
			if strings.Contains(r.out.String(), s) {
				return
			}
			t.Fatalf("rapport ended (%v) before saying %q:\n%s", r.err, s, r.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("rapport did not say %q within %s:\n%q", s, wait, tail(r.out.String()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exitCode waits for the program to end and returns its exit status.
func (r *rapport) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(wait):
		t.Fatalf("rapport did not exit within %s (hung):\n%q", wait, tail(r.out.String()))
	}
	var ee *exec.ExitError
	switch {
	case r.err == nil:
		return 0
	case errors.As(r.err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("rapport was killed by %v instead of handling it:\n%q", ws.Signal(), tail(r.out.String()))
		}
		return ee.ExitCode()
	}
	t.Fatal(r.err)
	return -1
}

func (r *rapport) signal(t *testing.T, s os.Signal) {
	t.Helper()
	if err := r.cmd.Process.Signal(s); err != nil {
		t.Fatal(err)
	}
}

// savedOne checks the results folder holds exactly one record, abandoned,
// with the answers given before the signal.
func savedOne(t *testing.T, dir string, steps int) {
	t.Helper()
	recs, skipped, err := results.Read(dir)
	if err != nil || len(skipped) > 0 || len(recs) != 1 {
		t.Fatalf("results: %d records, skipped %v, err %v; want 1", len(recs), skipped, err)
	}
	r := recs[0]
	if r.Status != results.Abandoned || len(r.Turns) < steps {
		t.Errorf("record: status %q with %d turns; want abandoned with at least %d", r.Status, len(r.Turns), steps)
	}
}

var stopSignals = map[string]struct {
	sig  syscall.Signal
	code int
}{
	"SIGINT":  {syscall.SIGINT, 130},
	"SIGHUP":  {syscall.SIGHUP, 129},
	"SIGTERM": {syscall.SIGTERM, 143},
}

// A signal in plain mode, timed or untimed, saves the attempt in progress
// and exits with the signal's status. Untimed plain mode used to block in a
// read that no signal could interrupt: SIGINT killed it unsaved.
func TestPlainSignalSavesTheAttempt(t *testing.T) {
	for _, timed := range []bool{false, true} {
		for name, s := range stopSignals {
			mode := "untimed"
			if timed {
				mode = "timed"
			}
			t.Run(mode+"-"+name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				args := []string{"play", "first-time-caller", "--plain", "--name", "Sig Test", "--results", dir}
				if timed {
					args = append(args, "--timed", "60s")
				}
				r := startPiped(t, args...)
				r.waitFor(t, "Type a number")
				io.WriteString(r.in, "1\n")
				r.waitFor(t, "You say:")
				r.signal(t, s.sig)
				if code := r.exitCode(t); code != s.code {
					t.Errorf("exit %d, want %d:\n%s", code, s.code, tail(r.out.String()))
				}
				savedOne(t, dir, 1)
				if !strings.Contains(r.out.String(), "Unfinished attempt saved") {
					t.Errorf("output does not say the attempt was saved:\n%s", tail(r.out.String()))
				}
			})
		}
	}
}

// The same in the full-screen player, which used to save nothing on
// SIGTERM or SIGHUP.
func TestFullScreenSignalSavesTheAttempt(t *testing.T) {
	for _, timed := range []bool{false, true} {
		for name, s := range stopSignals {
			mode := "untimed"
			if timed {
				mode = "timed"
			}
			t.Run(mode+"-"+name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				r := startFullScreen(t, dir, timed)
				r.signal(t, s.sig)
				if code := r.exitCode(t); code != s.code {
					t.Errorf("exit %d, want %d:\n%q", code, s.code, tail(r.out.String()))
				}
				savedOne(t, dir, 1)
			})
		}
	}
}

// startFullScreen opens the full-screen player on a scenario and says the
// first line, so an attempt is in progress.
func startFullScreen(t *testing.T, dir string, timed bool) *rapport {
	t.Helper()
	args := []string{"play", "first-time-caller", "--no-animation", "--name", "Sig Test", "--results", dir}
	if timed {
		args = append(args, "--timed", "60s")
	}
	r := startTTY(t, "xterm-256color", true, args...)
	// first-time-caller opens on its briefing; enter starts the call.
	r.waitFor(t, "enter start the call")
	io.WriteString(r.in, "\r")
	r.waitFor(t, "What do you say?")
	io.WriteString(r.in, "1")
	// Her reply to choice 1 shows the line was said ("You" is on the
	// briefing already).
	r.waitFor(t, "about my account")
	return r
}

// Closing the terminal (the kernel sends SIGHUP, and output fails from
// then on) saves the attempt.
func TestClosedTerminalSavesTheAttempt(t *testing.T) {
	dir := t.TempDir()
	r := startFullScreen(t, dir, false)
	r.closeTerminal()
	if code := r.exitCode(t); code != 129 {
		t.Errorf("exit %d, want 129", code)
	}
	savedOne(t, dir, 1)
}

// A second SIGTERM while the first is handled neither hangs the program nor
// loses the attempt (Bubble Tea's handler and Rapport's used to race).
func TestRepeatedSignalsNeverHang(t *testing.T) {
	dir := t.TempDir()
	r := startFullScreen(t, dir, false)
	r.signal(t, syscall.SIGTERM)
	r.signal(t, syscall.SIGTERM)
	if code := r.exitCode(t); code != 143 {
		t.Errorf("exit %d, want 143", code)
	}
	savedOne(t, dir, 1)
}

// Plain mode, in a terminal that never answers queries, writes no query
// (OSC 11 background colour, CSI 6n cursor position) and no alternate
// screen, so its first line comes at once. TERM=dumb does the same without
// --plain. Both used to write the queries and wait for the terminal's
// answer before the first line.
func TestPlainNeverQueriesTheTerminal(t *testing.T) {
	for name, tc := range map[string]struct {
		term string
		args []string
	}{
		"--plain":   {"xterm-256color", []string{"play", "first-time-caller", "--plain"}},
		"TERM=dumb": {"dumb", []string{"play", "first-time-caller"}},
		"list":      {"xterm-256color", []string{"list"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := append(tc.args, "--name", "Quiet Test", "--results", t.TempDir())
			if name == "list" {
				args = tc.args
			}
			r := startTTY(t, tc.term, false, args...)
			if name == "list" {
				r.waitFor(t, "first-time-caller")
			} else {
				r.waitFor(t, "Type a number")
				io.WriteString(r.in, "q\n")
			}
			r.exitCode(t)
			out := r.out.String()
			for what, seq := range map[string]string{
				"OSC 11 background query": "\x1b]11;?",
				"CSI 6n cursor query":     "\x1b[6n",
				"alternate screen":        "\x1b[?1049h",
			} {
				if strings.Contains(out, seq) {
					t.Errorf("wrote a %s: %q", what, tail(out))
				}
			}
		})
	}
}

func tail(s string) string {
	if len(s) > 1500 {
		return s[len(s)-1500:]
	}
	return s
}

// A conversation that reached its end is saved as finished even when a
// signal stops the program on the debrief: the CLI used to mark any
// attempt abandoned when the program ended with an error.
func TestSignalOnTheDebriefKeepsTheAttemptFinished(t *testing.T) {
	dir := t.TempDir()
	r := startFullScreen(t, dir, false)
	for i := 0; i < 40 && !strings.Contains(r.out.String(), "Conversation over"); i++ {
		io.WriteString(r.in, "1")
		time.Sleep(20 * time.Millisecond)
	}
	r.waitFor(t, "Conversation over")
	r.signal(t, syscall.SIGTERM)
	if code := r.exitCode(t); code != 143 {
		t.Errorf("exit %d, want 143", code)
	}
	recs, _, err := results.Read(dir)
	if err != nil || len(recs) != 1 || recs[0].Status != results.Finished {
		t.Fatalf("records %v (%v), want one finished", recs, err)
	}
}
