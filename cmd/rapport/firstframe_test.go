package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestFirstFrame measures how long each program takes from its start to
// its first frame on an 80x24 pseudo-terminal that answers the terminal
// queries as a real one does: rapport's picker, rapport play late-delivery
// (which opens on its briefing) and the smallest full-screen Bubble Tea
// program (testdata/minimal), all built here from this module with the
// same flags. The runs are interleaved, so a busy moment on the machine
// falls on all three alike, and the test logs each one's median and its
// ratio to the minimal program's. It asserts nothing about time: the
// figures depend on the machine. It builds binaries and starts each many
// times, so it runs only when asked, with the number of runs each:
//
//	RAPPORT_FIRST_FRAME=40 go test ./cmd/rapport -run TestFirstFrame -v
func TestFirstFrame(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("RAPPORT_FIRST_FRAME"))
	if runs <= 0 {
		t.Skip("first-frame measurement: set RAPPORT_FIRST_FRAME to the number of runs (40 is a good start)")
	}
	dir := t.TempDir()
	build := func(out, pkg string) string {
		bin := filepath.Join(dir, out)
		cmd := exec.Command("go", "build", "-o", bin, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
		return bin
	}
	rapport := build("rapport", ".")
	minimal := build("minimal", "./testdata/minimal")
	// A returning trainee: the name is remembered, so rapport opens on the
	// picker rather than asking for it.
	cfg := t.TempDir()
	if err := os.WriteFile(filepath.Join(cfg, "config.toml"), []byte("name = \"First Frame\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	environ := append(env(t, "xterm-256color"), "RAPPORT_CONFIG_DIR="+cfg)

	type program struct {
		name  string
		argv  []string
		ready string
		took  []time.Duration
	}
	progs := []*program{
		{name: "minimal Bubble Tea program", argv: []string{minimal}, ready: "minimal program ready"},
		{name: "rapport (picker)", argv: []string{rapport}, ready: "choose a conversation"},
		{name: "rapport play late-delivery", argv: []string{rapport, "play", "late-delivery"}, ready: "Before the call"},
	}
	for i := range runs + 1 {
		for _, p := range progs {
			d, err := firstFrame(environ, p.argv, p.ready)
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			if i > 0 {
				// The first round warms the page cache and is left out.
				p.took = append(p.took, d)
			}
		}
	}
	median := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[len(s)/2]
	}
	quartiles := func(ds []time.Duration) string {
		s := slices.Clone(ds)
		slices.Sort(s)
		return fmt.Sprintf("%s–%s", s[len(s)/4].Round(100*time.Microsecond), s[3*len(s)/4].Round(100*time.Microsecond))
	}
	base := median(progs[0].took)
	for _, p := range progs {
		m := median(p.took)
		t.Logf("%-28s median %6s (quartiles %s) over %d runs: %.2f× the minimal program",
			p.name, m.Round(100*time.Microsecond), quartiles(p.took), len(p.took), float64(m)/float64(base))
	}
}

// firstFrame starts argv in environ on a fresh 80x24 pseudo-terminal and returns the
// time from just before the start to the moment the output holds ready,
// then stops the program.
func firstFrame(environ, argv []string, ready string) (time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = environ
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Kill()
		tty.Close()
		cmd.Wait()
	}()
	deadline := time.Now().Add(wait)
	fd := int(tty.Fd())
	var out bytes.Buffer
	buf := make([]byte, 8192)
	for time.Now().Before(deadline) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 20); n == 0 || errors.Is(err, unix.EINTR) {
			continue
		} else if err != nil {
			return 0, err
		}
		n, err := unix.Read(fd, buf)
		if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
			continue
		}
		if n <= 0 || err != nil {
			return 0, fmt.Errorf("no %q before the terminal closed (%v); the output was:\n%q", ready, err, tail(out.String()))
		}
		chunk := buf[:n]
		out.Write(chunk)
		// Answer the background-colour and cursor-position queries as a
		// terminal does, so no program waits them out.
		if bytes.Contains(chunk, []byte("\x1b]11;?")) {
			tty.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(chunk, []byte("\x1b[6n")) {
			tty.WriteString("\x1b[1;1R")
		}
		if strings.Contains(ansi.Strip(out.String()), ready) {
			return time.Since(start), nil
		}
	}
	return 0, fmt.Errorf("no %q within %s; the output was:\n%q", ready, wait, tail(out.String()))
}
