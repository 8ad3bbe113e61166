// Package sigstart puts in place the handler for the signals that stop
// Rapport, on a goroutine of its own, so that the program can go on
// starting while it is done.
//
// The first signal.Notify for SIGINT, SIGTERM and SIGHUP takes about a
// millisecond here (the runtime hands each signal to its signal thread in
// turn). cli.NotifySignals calls Start and waits for Installed only before
// something a signal must not cut short (the terminal in raw mode, reading
// scenarios). The programs also import package early, which calls Start
// while the other packages are still initialising, so by the time main has
// read the command line the handler is in place and the first frame does
// not wait for it.
package sigstart

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Handler is the handler being put in place: the signals arrive on C once
// Installed is closed. Until then a signal does what it would without one.
type Handler struct {
	C         chan os.Signal
	Installed chan struct{}
}

var (
	once sync.Once
	h    Handler
)

// Start starts putting the handler in place, the first time it is called,
// and returns it. C holds up to four signals until they are read, so one
// that arrives before anything reads C is not lost.
func Start() Handler {
	once.Do(func() {
		h = Handler{C: make(chan os.Signal, 4), Installed: make(chan struct{})}
		go func() {
			signal.Notify(h.C, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
			close(h.Installed)
		}()
	})
	return h
}
