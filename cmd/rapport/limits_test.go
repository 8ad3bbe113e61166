package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario/hostile"
)

// TestSignalWhileReadingStopsAtOnce: ctrl+c while a large scenario file is
// being read and checked ends rapport at once with status 130. The parser
// does not watch for signals, so it used to run on until the 10 s grace
// ran out ("did not stop within 10s").
func TestSignalWhileReadingStopsAtOnce(t *testing.T) {
	var src []byte
	for _, in := range hostile.Inputs() {
		if in.Name == "nested-keys-at-limit" { // the slowest file the limits let through
			src = in.Src
		}
	}
	file := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	r := startPiped(t, "check", file)
	time.Sleep(500 * time.Millisecond) // past start-up, into the parse
	select {
	case <-r.done:
		t.Skip("check finished before the signal could be sent")
	default:
	}
	if err := r.cmd.Process.Signal(syscall.SIGINT); errors.Is(err, os.ErrProcessDone) {
		// It ended between the look above and the signal.
		t.Skip("check finished before the signal could be sent")
	} else if err != nil {
		t.Fatal(err)
	}
	if code := r.exitCode(t); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	out := r.out.String()
	if strings.Contains(out, "did not stop within") || !strings.Contains(out, "stopped by SIGINT (ctrl+c) while reading scenarios") {
		t.Errorf("output:\n%s", tail(out))
	}
}
