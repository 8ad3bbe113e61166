// Package quietinit keeps Rapport from querying the terminal while the
// program starts.
//
// Bubble Tea v1 asks the terminal for its background colour in a package
// init function (tea_init.go: lipgloss.HasDarkBackground, which writes an
// OSC 11 and a CSI 6n query and waits up to five seconds for the answers).
// That runs for every command, before main: plain mode for screen readers,
// TERM=dumb and scripts would all write escape sequences and, on a terminal
// that never answers, wait before their first line. termenv does not query
// a terminal whose TERM starts with "dumb", so this package sets TERM=dumb
// for the length of package initialisation and main puts it back with
// Restore, first thing. The full-screen programs ask for the background
// themselves (cli.darkBackground): the player in its Init, in the wait for
// its first frame, the others just before they start.
//
// It works because of Go's initialisation order: packages are initialised
// in import-path order as soon as their imports are, and this one imports
// only os, while Bubble Tea waits for os/signal, which sorts after it. The
// order is fixed by the language spec for a given import graph, and
// cmd/rapport's pty test fails if it ever changes.
package quietinit

import "os"

var term, hadTerm = os.LookupEnv("TERM")

func init() {
	os.Setenv("TERM", "dumb")
}

// Restore puts TERM back as it was when the process started.
func Restore() {
	if hadTerm {
		os.Setenv("TERM", term)
	} else {
		os.Unsetenv("TERM")
	}
}
