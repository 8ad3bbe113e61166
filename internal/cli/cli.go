// Package cli wires Rapport's subcommands to the packages that do the work.
// It is the only package that parses flags, reads files for the user, and
// decides exit codes; cmd/rapport only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/rapport-sim/rapport/internal/hugeheap"
)

// Exit codes, shared by every subcommand.
const (
	ExitOK      = 0
	ExitFailure = 1   // the command failed, or check found problems
	ExitUsage   = 2   // bad flags or arguments (the flag package's convention)
	ExitAborted = 130 // the user pressed ctrl+c
)

// env is what a command gets from the outside world. Tests fill it with
// buffers; Main fills it with the process's streams.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// getenv reads environment variables (NO_COLOR, XDG_*): injected so
	// tests never depend on the machine's settings.
	getenv func(string) string
}

// command is one subcommand, in the style of cmd/go's base.Command.
type command struct {
	name  string
	args  string // argument synopsis for usage
	short string // one line for the command list
	long  string // paragraph for `rapport help NAME`
	// define registers the command's flags and returns the function that
	// runs it with the positional arguments left after parsing.
	define func(fs *flag.FlagSet) func(e *env, args []string) int
	// raw, when set, runs a command that parses its own flags.
	raw func(e *env, args []string) int
	// heap, when set, is about how many bytes of heap a run allocates: the
	// heap is grown to it on huge pages before the run (hugeheap), which
	// saves the analyses and reports most of their page faults.
	heap int
}

// bigHeap is the heap grown on huge pages for the analyses and reports:
// more than `check` on a 5,000-node scenario or a report over 10,000
// records allocates. What a run does not touch costs nothing.
const bigHeap = 64 << 20

// run parses the command's flags and runs it.
func (c *command) run(e *env, args []string) int {
	if c.raw != nil {
		return c.raw(e, args)
	}
	fs := newFlagSet(e, c)
	run := c.define(fs)
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if c.heap > 0 {
		hugeheap.Reserve(c.heap, e.getenv)
	}
	return run(e, pos)
}

// builtin names each of Rapport's own subcommands and makes it; its file
// holds the rest of it. A command is made when it is first looked for, not
// when the program starts: this table needs no code before main (where
// registering each command from an init function did), and running one
// command makes only that one (TestBuiltinNames holds the names here to
// the commands').
var builtin = [...]struct {
	name string
	make func() *command
}{
	{"check", checkCmd}, {"class", classCmd}, {"drill", drillCmd}, {"export", exportCmd},
	{"graph", graphCmd}, {"history", historyCmd}, {"list", listCmd}, {"new", newCmd},
	{"paths", pathsCmd}, {"play", playCmd}, {"replay", replayCmd}, {"report", reportCmd},
	{"schema", schemaCmd}, {"score", scoreCmd}, {"version", versionCmd},
}

var (
	madeMu sync.Mutex
	// made are the builtin commands made so far, by their place in builtin:
	// each is made once, so a change to one (Extend's) lasts.
	made [len(builtin)]*command
	// extra are the commands an Extension adds.
	extra []*command
)

// builtinCommand returns the i'th builtin command, making it the first time.
func builtinCommand(i int) *command {
	madeMu.Lock()
	defer madeMu.Unlock()
	if made[i] == nil {
		made[i] = builtin[i].make()
	}
	return made[i]
}

// registered returns every subcommand: the builtin ones, then those added.
func registered() []*command {
	out := make([]*command, 0, len(builtin)+len(extra))
	for i := range builtin {
		out = append(out, builtinCommand(i))
	}
	return append(out, extra...)
}

// register adds a subcommand to the builtin ones.
func register(c *command) { extra = append(extra, c) }

// commandOrder is the order `rapport help` lists commands in: the ones a
// trainee uses first, then the trainer's, then the rest alphabetically.
var commandOrder = []string{"play", "drill", "list", "history", "replay", "check", "paths", "graph", "new", "schema", "score", "report", "export", "serve", "class", "version"}

func commands() []*command {
	out := slices.Clone(registered())
	rank := func(name string) int {
		if i := slices.Index(commandOrder, name); i >= 0 {
			return i
		}
		return len(commandOrder)
	}
	slices.SortStableFunc(out, func(a, b *command) int {
		if ra, rb := rank(a.name), rank(b.name); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.name, b.name)
	})
	return out
}

// Main runs Rapport with the given arguments (without the program name) and
// returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		args = []string{"play"}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return ExitOK
	case "help":
		return help(e, args[1:])
	case "-version", "--version":
		return findCommand("version").run(e, nil)
	}
	if strings.HasPrefix(args[0], "-") {
		// Flags before the command name belong to that command
		// (`rapport --scenarios DIR list`); with no command named, to
		// the default one.
		args = commandFirst(e, args)
	}
	c := findCommand(args[0])
	if c == nil && notHere(stderr, args[0]) {
		return ExitUsage
	}
	if c == nil {
		fmt.Fprintf(stderr, "%s: unknown command %q\n", program, args[0])
		if s := closest(args[0]); s != "" {
			fmt.Fprintf(stderr, "  did you mean %q?\n", s)
		}
		fmt.Fprintf(stderr, "  run '%s help' for the list of commands\n", program)
		return ExitUsage
	}
	code := c.run(e, args[1:])
	if se, ok := signalled(ctx); ok {
		// Stopped by a signal: whatever was in progress was saved or
		// reported on the way out; the status says which signal.
		return se.ExitCode()
	}
	return code
}

// commandFirst moves a command named after leading flags to the front,
// when those flags are the command's own and take it whole (so
// `--scenarios list` with a folder called list still plays); otherwise
// the flags go to play.
func commandFirst(e *env, args []string) []string {
	for i := 1; i < len(args); i++ {
		c := findCommand(args[i])
		if c == nil || c.define == nil {
			continue
		}
		fs := newFlagSet(e, c)
		c.define(fs)
		fs.SetOutput(io.Discard)
		if fs.Parse(args[:i]) == nil && fs.NArg() == 0 {
			return append(append([]string{args[i]}, args[:i]...), args[i+1:]...)
		}
	}
	return append([]string{"play"}, args...)
}

// findCommand returns the command called name, or nil. A builtin command
// comes before an added one of the same name, as in commands().
func findCommand(name string) *command {
	for i, b := range builtin {
		if b.name == name {
			return builtinCommand(i)
		}
	}
	for _, c := range extra {
		if c.name == name {
			return c
		}
	}
	return nil
}

func closest(name string) string {
	for _, c := range commands() {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return c.name
		}
	}
	return ""
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `Rapport: practise customer conversations in your terminal.

Usage:
  %s [command] [flags]

Commands:
`, program)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, `
With no command, %[1]s opens the scenario picker.
Run '%[1]s help COMMAND' or '%[1]s COMMAND --help' for a command's flags.
`, program)
	if program != networkProgram {
		fmt.Fprintf(w, `The classroom server (serve) and sending results to a learning record
store (export --lrs) are in %s: %s has no network code.
`, networkProgram, program)
	}
}

func help(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stdout)
		return ExitOK
	}
	c := findCommand(args[0])
	if c == nil && notHere(e.stderr, args[0]) {
		return ExitUsage
	}
	if c == nil {
		fmt.Fprintf(e.stderr, "%s help: unknown command %q\n", program, args[0])
		return ExitUsage
	}
	if c.raw != nil {
		return c.raw(&env{ctx: e.ctx, stdin: e.stdin, stdout: e.stdout, stderr: e.stdout, getenv: e.getenv}, []string{"--help"})
	}
	fs := newFlagSet(e, c)
	c.define(fs)
	printUsage(e.stdout, fs, c)
	return ExitOK
}

// newFlagSet makes a flag set whose errors go to stderr and whose Usage
// prints the command's usage. parse silences the flag package's own calls
// to Usage (on -h and on every error) and prints the usage once, on
// stdout, when it was asked for: asked-for help is output, not an error.
func newFlagSet(e *env, c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(program+" "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { printUsage(fs.Output(), fs, c) }
	return fs
}

// printUsage writes a command's usage: synopsis, description and flags.
func printUsage(out io.Writer, fs *flag.FlagSet, c *command) {
	fmt.Fprintf(out, "Usage: %s %s %s\n\n%s\n", program, c.name, c.args, strings.TrimSpace(c.long))
	var has bool
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(out, "\nFlags:")
		saved := fs.Output()
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(saved)
	}
}

// parse parses flags, allowing them after positional arguments too
// (`rapport check scenarios --strict`). It returns the positional arguments
// and, when parsing should stop, the exit code.
func parse(e *env, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	usage := fs.Usage
	fs.Usage = func() {} // the flag package's own call, before ErrHelp or an error
	defer func() { fs.Usage = usage }()
	for {
		fs.SetOutput(e.stderr)
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			usage()
			return nil, ExitOK, false
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "run '%s help %s' for usage\n", program, strings.TrimPrefix(fs.Name(), program+" "))
			return nil, ExitUsage, false
		}
		rest := fs.Args()
		i := slices.IndexFunc(rest, func(a string) bool { return strings.HasPrefix(a, "-") && a != "-" })
		if i < 0 {
			return append(pos, rest...), ExitOK, true
		}
		if rest[i] == "--" {
			return append(pos, rest[i+1:]...), ExitOK, true
		}
		pos = append(pos, rest[:i]...)
		args = rest[i:]
	}
}
