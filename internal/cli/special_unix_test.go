//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/presence"
)

// TestReadersSkipSpecialFiles: a named pipe called *.json in the results
// folder or its live folder is skipped with a warning by every reader,
// which never waits on it.
func TestReadersSkipSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	seedResults(t, dir)
	sessions := filepath.Join(presence.Dir(dir), "sessions")
	if err := os.MkdirAll(sessions, 0o700); err != nil {
		t.Fatal(err)
	}
	pipes := []string{filepath.Join(dir, "pipe.json"), filepath.Join(presence.Dir(dir), "server.json"), filepath.Join(sessions, "s.json")}
	for _, p := range pipes {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"HOME": t.TempDir()}
	for name, tc := range map[string]struct {
		args  []string
		warns []string
	}{
		"history":      {[]string{"history", "--results", dir, "--all", "--plain"}, pipes[:1]},
		"report":       {[]string{"report", dir}, pipes[:1]},
		"report csv":   {[]string{"report", dir, "--format", "csv"}, pipes[:1]},
		"export":       {[]string{"export", "--format", "xapi", "--results", dir}, pipes[:1]},
		"class --once": {[]string{"class", "--results", dir, "--once"}, pipes},
	} {
		t.Run(name, func(t *testing.T) {
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runWith(t, env, tc.args...)
				done <- result{code, stdout, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("blocked on a named pipe")
			}
			if r.code != ExitOK {
				t.Errorf("exit %d\n%s", r.code, r.stderr)
			}
			for _, p := range tc.warns {
				if want := "skipped " + p + ": not a regular file: a named pipe (FIFO)"; !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}

// TestScenarioReadersSkipSpecialFiles: a named pipe called *.toml, given
// by name or found in a scenario folder, is refused with a reason; no
// command waits on it.
func TestScenarioReadersSkipSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mine.toml", minimalScenario(t))
	pipe := filepath.Join(dir, "pipe.toml")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": t.TempDir(), "RAPPORT_DATA_DIR": t.TempDir()}
	for name, args := range map[string][]string{
		"check the pipe":  {"check", pipe},
		"check a folder":  {"check", dir},
		"play the pipe":   {"play", pipe, "--plain"},
		"list the folder": {"list", "--scenarios", dir},
		"drill the pipe":  {"drill", filepath.Join(dir, "pipe.drill.toml")},
	} {
		t.Run(name, func(t *testing.T) {
			if name == "drill the pipe" {
				if err := syscall.Mkfifo(args[1], 0o600); err != nil && !os.IsExist(err) {
					t.Fatal(err)
				}
			}
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runWith(t, env, args...)
				done <- result{code, stdout, stderr}
			}()
			select {
			case r := <-done:
				if !strings.Contains(r.stderr+r.stdout, "not a regular file: a named pipe (FIFO)") {
					t.Errorf("exit %d, no reason given:\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("blocked on a named pipe")
			}
		})
	}
}
