package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/rapport-sim/rapport/internal/sigstart"
)

// Exit codes for the signals that stop Rapport, 128 plus the signal's
// number as shells report them: ctrl+c (SIGINT) is ExitAborted.
const (
	ExitHangUp     = 129 // SIGHUP: the terminal was closed
	ExitTerminated = 143 // SIGTERM: kill, a service manager, a shutdown
)

// stopGrace is how long Rapport may take to save and restore the terminal
// after the signal that stops it, before it exits regardless. Saving takes
// milliseconds; the grace is there so that nothing can make it hang.
const stopGrace = 10 * time.Second

// SignalError is the cause of a context cancelled by NotifySignals: the
// signal that asked Rapport to stop.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "stopped by " + signalName(e.Signal) }

// ExitCode is the exit status for the signal: 130 for SIGINT, 129 for
// SIGHUP, 143 for SIGTERM.
func (e *SignalError) ExitCode() int {
	switch e.Signal {
	case syscall.SIGHUP:
		return ExitHangUp
	case syscall.SIGTERM:
		return ExitTerminated
	}
	return ExitAborted
}

func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT (ctrl+c)"
	case syscall.SIGHUP:
		return "SIGHUP (the terminal was closed)"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// NotifySignals returns a context that ends at the first SIGINT, SIGTERM
// or SIGHUP, with a *SignalError as its cause. Every command watches that
// context: a player stops, saves the attempt in progress as abandoned and
// returns, and Main turns the signal into the exit status.
//
// Rapport owns these signals; Bubble Tea's own handler is switched off
// (tea.WithoutSignalHandler), because two handlers racing for one signal
// could leave the program waiting forever. Later signals are absorbed while
// the first is handled, so a second SIGTERM cannot interrupt a save; if
// stopping takes longer than stopGrace, the process exits with the first
// signal's status and says so on stderr.
func NotifySignals(parent context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	// The handler is put in place on another goroutine (sigstart), started
	// while the packages initialise when the program imports
	// sigstart/early. Until it is in place, a signal ends the process as it
	// always could; waitForSignals holds back what must not be cut short
	// that way (the terminal in raw mode, reading scenarios).
	h := sigstart.Start()
	ch, installed := h.C, h.Installed
	signalsPending = installed
	done := make(chan struct{})
	go func() {
		var first *SignalError
		var grace <-chan time.Time
		for {
			select {
			case s := <-ch:
				if first != nil {
					continue // already stopping
				}
				first = &SignalError{Signal: s}
				readMu.Lock()
				stopping, stopOut = first, stderr
				if reading > 0 {
					// Nothing is saved while scenarios are read, and the
					// parser does not watch the context: stop now rather
					// than after stopGrace.
					exitReading()
				}
				readMu.Unlock()
				cancel(first)
				grace = time.After(stopGrace)
			case <-grace:
				fmt.Fprintf(stderr, "rapport: did not stop within %s of %s; exiting\n", stopGrace, signalName(first.Signal))
				os.Exit(first.ExitCode())
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		<-installed
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// signalsPending is closed once NotifySignals' handler is in place; nil
// when NotifySignals was not called (tests run Main without it).
var signalsPending chan struct{}

// waitForSignals returns once a signal would reach NotifySignals' handler
// rather than end the process at once.
func waitForSignals() {
	if c := signalsPending; c != nil {
		<-c
	}
}

// What whileReading needs to know, under readMu: how many loads are in
// progress, and the signal that asked Rapport to stop, if one has.
var (
	readMu   sync.Mutex
	reading  int
	stopping *SignalError
	stopOut  io.Writer
)

// whileReading marks a load of scenario or drill files, during which a
// signal ends the process at once: a 1 MiB file can take a second or two
// to parse and check, the parser does not watch the context, and nothing
// needs saving meanwhile. A load that starts after the signal (it came
// during start-up) ends the process too. Call the returned function when
// the load ends.
func whileReading() func() {
	waitForSignals()
	readMu.Lock()
	defer readMu.Unlock()
	if stopping != nil {
		exitReading()
	}
	reading++
	return func() {
		readMu.Lock()
		reading--
		readMu.Unlock()
	}
}

// exitReading ends the process for the signal in stopping. The caller
// holds readMu.
func exitReading() {
	fmt.Fprintf(stopOut, "rapport: stopped by %s while reading scenarios\n", signalName(stopping.Signal))
	os.Exit(stopping.ExitCode())
}

// signalled returns the signal that ended ctx, if one did.
func signalled(ctx context.Context) (*SignalError, bool) {
	var se *SignalError
	if errors.As(context.Cause(ctx), &se) {
		return se, true
	}
	return nil, false
}
