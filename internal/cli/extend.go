package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Rapport's own program has no network code. The two commands that talk to
// the network, the SSH classroom (serve) and sending statements to a
// learning record store (export --lrs), need an SSH server, TLS and HTTP:
// about a hundred packages and 7.6 MB that every trainee would otherwise
// load, initialise and keep resident at each start. They live in package
// netcmd, which only cmd/rapport-server links in; it adds them here with
// Extend before calling Main.

// Streams is what Main gives a command added with Extend: the process's
// streams and environment, or a test's buffers.
type Streams struct {
	Ctx    context.Context
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads environment variables; tests inject their own.
	Getenv func(string) string
}

// Command is a subcommand defined outside this package. Define registers
// its flags and returns the function that runs it with the positional
// arguments left after parsing, as the built-in commands do.
type Command struct {
	Name  string
	Args  string // argument synopsis for usage
	Short string // one line for the command list
	Long  string // paragraph for `help NAME`
	// Define may not be nil.
	Define func(fs *flag.FlagSet) func(s Streams, args []string) int
}

// StatementSender sends xAPI statements to a learning record store for
// `export --lrs`.
type StatementSender struct {
	// Help is the paragraph export's help gives about sending.
	Help string
	// DefaultBatch is --batch's default: statements per request.
	DefaultBatch int
	// Check says why endpoint cannot be sent to, before anything is read.
	Check func(endpoint string) error
	// Send sends sts in batches of batch, reading credentials with getenv,
	// and says how many the store took and how many it already held.
	Send func(ctx context.Context, endpoint string, batch int, sts []report.Statement, getenv func(string) string) (sent, held int, err error)
}

// Extension is what a program built on Main adds to Rapport's commands.
type Extension struct {
	// Program is the program's name in usage lines ("rapport-server").
	Program  string
	Commands []Command
	// Sender, when set, makes `export --lrs` send.
	Sender *StatementSender
}

// program is the name usage lines give; Extend changes it.
var program = "rapport"

// sender sends `export --lrs`; nil in Rapport's own program.
var sender *StatementSender

// networkProgram is the program that holds the network commands, named
// when someone asks this one for them.
const networkProgram = "rapport-server"

// elsewhere says what a command that only networkProgram has is for, and
// whether name is one.
func elsewhere(name string) (string, bool) {
	switch name {
	case "serve":
		return "the SSH classroom", true
	}
	return "", false
}

// Extend adds x's commands to the ones Main runs and lists. Call it once,
// before Main.
func Extend(x Extension) {
	if x.Program != "" {
		program = x.Program
	}
	for _, c := range x.Commands {
		register(&command{name: c.Name, args: c.Args, short: c.Short, long: c.Long,
			define: func(fs *flag.FlagSet) func(*env, []string) int {
				run := c.Define(fs)
				return func(e *env, args []string) int { return run(e.streams(), args) }
			}})
	}
	if x.Sender != nil {
		sender = x.Sender
		findCommand("export").long = exportLong()
	}
}

func (e *env) streams() Streams {
	return Streams{Ctx: e.ctx, Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr, Getenv: e.getenv}
}

// notHere tells someone who asked this program for a command that only
// networkProgram has where to find it. It reports whether name was one.
func notHere(w io.Writer, name string) bool {
	what, ok := elsewhere(name)
	if !ok || program == networkProgram {
		return false
	}
	pointToServer(w, program, name+" ("+what+")", networkProgram+" "+name+" …")
	return true
}

// pointToServer says that what is done by networkProgram, and the command
// line that does it there.
func pointToServer(w io.Writer, prefix, what, commandLine string) {
	fmt.Fprintf(w, "%s: %s is in %s, which holds Rapport's network code; %s itself never opens a connection.\n", prefix, what, networkProgram, program)
	fmt.Fprintf(w, "  run it with: %s   (install: go install ./cmd/%s, from the source folder)\n", commandLine, networkProgram)
}

// ResultsFlag is the --results flag every results command shares.
func ResultsFlag(fs *flag.FlagSet, dir *string) { resultsFlag(fs, dir) }

// ScenariosFlag is the --scenarios flag every command that reads the
// library shares.
func ScenariosFlag(fs *flag.FlagSet, dir *string) { scenariosFlag(fs, dir) }

// ResultsDir is --results, else the data dir's results folder.
func ResultsDir(s Streams, flagDir string) (string, error) {
	return resultsDir(&env{getenv: s.Getenv}, flagDir)
}

// LoadLibrary loads the built-in library, or the folder dir. Scenarios
// with errors are left out; their diagnostics say why.
func LoadLibrary(dir string) ([]*scenario.Scenario, scenario.Diagnostics, error) {
	return loadLibrary(dir)
}

// PrintDiagnostics writes diagnostics as check does: one per line with an
// indented hint, so editors can jump to them.
func PrintDiagnostics(w io.Writer, ds scenario.Diagnostics) { printDiagnostics(w, ds) }
