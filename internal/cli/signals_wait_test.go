package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/testio"
)

// Plain mode shows nothing, and so takes no answer, before a signal would
// reach the handler that saves the attempt. The handler is put in place on
// another goroutine while the command line is read; `play ID` found its
// built-in scenario without waiting for it, and a SIGHUP just after the
// first line ended the process with the attempt unsaved.
func TestPlainWaitsForTheSignalHandler(t *testing.T) {
	for _, args := range [][]string{
		{"play", "first-time-caller", "--plain"},
		{"drill", "openings", "--plain", "--count", "1", "--seed", "1"},
	} {
		t.Run(args[0], func(t *testing.T) {
			pending := make(chan struct{})
			signalsPending = pending
			defer func() { signalsPending = nil }()
			var out testio.Buffer
			env := map[string]string{"NO_COLOR": "1", "XDG_DATA_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
			done := make(chan int, 1)
			go func() {
				done <- Main(context.Background(), append(args, "--results", t.TempDir()), strings.NewReader(""), &out, &out, func(k string) string { return env[k] })
			}()
			// A generous look: the program prints its first line within
			// milliseconds when it does not wait.
			time.Sleep(200 * time.Millisecond)
			if got := out.String(); got != "" {
				t.Fatalf("printed before the signal handler was in place:\n%s", got)
			}
			close(pending)
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				t.Fatal("did not finish once the handler was in place")
			}
			if out.String() == "" {
				t.Error("printed nothing once the handler was in place")
			}
		})
	}
}
