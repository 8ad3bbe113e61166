// Package netcmd holds Rapport's commands that use the network: the SSH
// classroom (serve) and sending statements to a learning record store
// (export --lrs). Only cmd/rapport-server links it in (through
// cli.Extend), so the trainee's program, cmd/rapport, has no network code
// to load, initialise or keep in memory.
package netcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/server"
)

// Extension is what cmd/rapport-server adds to Rapport's commands.
func Extension() cli.Extension {
	return cli.Extension{Program: "rapport-server", Commands: []cli.Command{serveCommand()}, Sender: lrsSender()}
}

// errReported means the problem was already printed for the user.
var errReported = errors.New("reported")

// EnvClassCode is where serve reads the class code when --class-code is
// not given, which keeps the code out of the process list.
const EnvClassCode = "RAPPORT_CLASS_CODE"

// shortCode is the class code length below which serve warns.
const shortCode = 6

type serveOptions struct {
	listen, code, keysFile, hostKey string
	results, scenarios, assign      string
	logLevel                        string
	open, noAnimation               bool
	timed                           time.Duration
	limits                          server.Limits
}

func serveCommand() cli.Command {
	return cli.Command{
		Name:  "serve",
		Args:  "[--class-code CODE | --authorized-keys FILE | --open] [--listen ADDR] [--assign ID,ID] [--timed 15s] [--results DIR]",
		Short: "serve Rapport to a classroom over SSH",
		Long: `Run a classroom: trainees connect with any ssh client, type their name and play
the scenarios you assign, each in their own window; every attempt is saved in
the results folder. Watch the class live with 'rapport class' (same --results).

Trainees need a way in. --class-code admits whoever types the code (or put it
in $` + EnvClassCode + ` to keep it out of the process list); --authorized-keys
admits the public keys in an authorized_keys file; give both to allow either.
With neither, serve refuses to start, unless --open is given on a loopback
address (for trying it out on one machine).

The server listens on 127.0.0.1:2222, this machine only. To serve a room, say so:
  rapport-server serve --listen 0.0.0.0:2222 --class-code tulip-42 --assign wants-a-manager,billing-error
and trainees run:
  ssh -p 2222 class@<your machine's address>

The host key is made once and kept in the data dir, so trainees are asked to
trust it only the first time; serve prints its fingerprint to read out.
Exec requests, sessions without a terminal, subsystems and port or agent
forwarding are refused. Past a limit a trainee is told why and the others
carry on. Ctrl+C (or SIGTERM) closes the class: trainees see a goodbye,
unfinished attempts are saved as abandoned, and serve exits within 5 seconds.
See docs/classroom.md.`,
		Define: func(fs *flag.FlagSet) func(cli.Streams, []string) int {
			o := serveOptions{listen: server.DefaultAddr, logLevel: "info", limits: server.DefaultLimits()}
			fs.StringVar(&o.listen, "listen", o.listen, "`ADDR` to listen on; anything but loopback must be given explicitly")
			fs.StringVar(&o.code, "class-code", "", "admit trainees who type `CODE` (default $"+EnvClassCode+")")
			fs.StringVar(&o.keysFile, "authorized-keys", "", "admit the public keys in `FILE` (authorized_keys format)")
			fs.BoolVar(&o.open, "open", false, "admit anyone without authentication (loopback addresses only)")
			fs.StringVar(&o.assign, "assign", "", "offer only these scenarios: `IDS` separated by commas, in picker order")
			fs.DurationVar(&o.timed, "timed", 0, "time allowed per answer in every conversation, such as `15s`")
			fs.StringVar(&o.hostKey, "host-key", "", "host key `FILE` (default: <data dir>/"+server.HostKeyFile+", created if missing)")
			cli.ResultsFlag(fs, &o.results)
			cli.ScenariosFlag(fs, &o.scenarios)
			fs.IntVar(&o.limits.MaxSessions, "max-sessions", o.limits.MaxSessions, "most trainees connected at once")
			fs.IntVar(&o.limits.ConnsPerMinute, "conn-rate", o.limits.ConnsPerMinute, "most connections from one address per minute (raise it when a class shares one NAT address)")
			fs.DurationVar(&o.limits.IdleTimeout, "idle-timeout", o.limits.IdleTimeout, "close a session after this long without a key press")
			fs.DurationVar(&o.limits.MaxSession, "max-session", o.limits.MaxSession, "longest a session may last")
			fs.IntVar(&o.limits.MaxLine, "max-line", o.limits.MaxLine, "most characters typed or pasted in one line")
			fs.BoolVar(&o.noAnimation, "no-animation", false, "show the customer's lines at once instead of typing them out")
			fs.StringVar(&o.logLevel, "log-level", o.logLevel, "log `LEVEL` on stderr: debug, info, warn or error")
			return func(e cli.Streams, args []string) int {
				if len(args) > 0 {
					fmt.Fprintf(e.Stderr, "rapport-server serve: unexpected argument %q\n", args[0])
					return cli.ExitUsage
				}
				if o.code == "" {
					o.code = e.Getenv(EnvClassCode)
				}
				return serve(e, o)
			}
		},
	}
}

func serve(e cli.Streams, o serveOptions) int {
	fail := func(code int, format string, args ...any) int {
		fmt.Fprintf(e.Stderr, "rapport-server serve: "+format+"\n", args...)
		return code
	}
	level, err := log.ParseLevel(o.logLevel)
	if err != nil {
		return fail(cli.ExitUsage, "unknown --log-level %q (use debug, info, warn or error)", o.logLevel)
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return fail(cli.ExitUsage, "--listen %q is not HOST:PORT: %v", o.listen, err)
	}
	switch {
	case o.code == "" && o.keysFile == "" && !o.open:
		return fail(cli.ExitUsage, "trainees need a way in: give --class-code CODE or --authorized-keys FILE\n"+
			"  (or --open to try it out on this machine alone)")
	case o.open && (o.code != "" || o.keysFile != ""):
		return fail(cli.ExitUsage, "--open admits everyone; leave it out when giving a class code or keys")
	case o.open && !server.IsLoopback(o.listen):
		return fail(cli.ExitUsage, "--open works only on a loopback address such as 127.0.0.1:2222, not %s:\n"+
			"  give --class-code or --authorized-keys to serve a network", o.listen)
	case o.timed != 0 && o.timed < time.Second:
		return fail(cli.ExitUsage, "--timed must be at least 1s (got %s)", o.timed)
	}
	if err := o.limits.Validate(); err != nil {
		return fail(cli.ExitUsage, "%v", err)
	}
	if o.code != "" && len([]rune(o.code)) < shortCode {
		fmt.Fprintf(e.Stderr, "rapport-server serve: warning: a class code of fewer than %d characters is easy to guess\n", shortCode)
	}

	offered, assigned, err := serveScenarios(e, o)
	if err != nil {
		return cli.ExitFailure
	}
	var keys []gossh.PublicKey
	if o.keysFile != "" {
		if keys, err = server.LoadAuthorizedKeys(o.keysFile); err != nil {
			return fail(cli.ExitFailure, "%v", err)
		}
	}
	dir, err := cli.ResultsDir(e, o.results)
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}
	store, err := results.Open(dir)
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}
	keyPath := o.hostKey
	if keyPath == "" {
		data, err := config.DataDir(e.Getenv)
		if err != nil {
			return fail(cli.ExitFailure, "%v", err)
		}
		keyPath = filepath.Join(data, server.HostKeyFile)
	}
	hostKey, created, err := server.LoadHostKey(keyPath)
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}

	logger := log.NewWithOptions(e.Stderr, log.Options{ReportTimestamp: true, Prefix: "rapport-server serve", Level: level})
	srv, err := server.New(server.Config{
		Addr:           o.listen,
		HostKey:        hostKey,
		ClassCode:      o.code,
		AuthorizedKeys: keys,
		Open:           o.open,
		Scenarios:      offered,
		Assigned:       assigned,
		Results:        store,
		Live:           presence.Dir(store.Dir()),
		Limits:         o.limits,
		Timed:          o.timed,
		NoAnimation:    o.noAnimation,
		ColorQuery:     server.DefaultColorQuery,
		Logger:         logger,
	})
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}
	ln, err := server.Listen(o.listen)
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}

	ctx, stop := signal.NotifyContext(e.Ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	printServing(e, o, ln.Addr().String(), hostKey, keyPath, created, offered, store.Dir())

	select {
	case err := <-served:
		if err != nil {
			return fail(cli.ExitFailure, "%v", err)
		}
		return cli.ExitOK
	case <-ctx.Done():
	}
	fmt.Fprintln(e.Stdout, "Closing the class: saying goodbye and saving unfinished attempts…")
	sctx, cancel := context.WithTimeout(context.Background(), server.ShutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-served; err == nil && serr != nil {
		err = serr
	}
	if err != nil {
		return fail(cli.ExitFailure, "%v", err)
	}
	if n := srv.SaveFailures(); n > 0 {
		// Never a clean exit after an attempt was lost: a script or a
		// service manager must notice.
		return fail(cli.ExitFailure, "%d attempt(s) could not be saved in %s (the log says why); the class is closed", n, store.Dir())
	}
	fmt.Fprintln(e.Stdout, "Class closed. Results are in "+store.Dir())
	return cli.ExitOK
}

// serveScenarios loads the library and keeps the assigned scenarios, in
// the order given. Problems are printed; the error is errReported.
func serveScenarios(e cli.Streams, o serveOptions) (offered []*scenario.Scenario, assigned []string, err error) {
	scs, diags, err := cli.LoadLibrary(o.scenarios)
	if err != nil {
		fmt.Fprintf(e.Stderr, "rapport-server serve: %v\n", err)
		return nil, nil, errReported
	}
	if errs := diags.Errors(); len(errs) > 0 {
		cli.PrintDiagnostics(e.Stderr, errs)
		fmt.Fprintln(e.Stderr, "rapport-server serve: the scenarios above have errors and are not offered")
	}
	if o.assign == "" {
		if len(scs) == 0 {
			fmt.Fprintln(e.Stderr, "rapport-server serve: no playable scenarios")
			return nil, nil, errReported
		}
		return scs, nil, nil
	}
	var missing []string
	for _, id := range strings.Split(o.assign, ",") {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(assigned, id) {
			continue
		}
		i := slices.IndexFunc(scs, func(sc *scenario.Scenario) bool { return sc.ID == id })
		if i < 0 {
			missing = append(missing, id)
			continue
		}
		offered = append(offered, scs[i])
		assigned = append(assigned, id)
	}
	if len(missing) > 0 || len(offered) == 0 {
		if len(missing) > 0 {
			fmt.Fprintf(e.Stderr, "rapport-server serve: --assign names no scenario with id %s\n", strings.Join(missing, ", "))
		} else {
			fmt.Fprintln(e.Stderr, "rapport-server serve: --assign names no scenario")
		}
		var ids []string
		for _, sc := range scs {
			ids = append(ids, sc.ID)
		}
		fmt.Fprintf(e.Stderr, "  hint: run 'rapport list' to see the ids; available: %s\n", strings.Join(ids, ", "))
		return nil, nil, errReported
	}
	return offered, assigned, nil
}

// printServing tells the trainer what to tell the class.
func printServing(e cli.Streams, o serveOptions, addr string, key gossh.Signer, keyPath string, created bool,
	offered []*scenario.Scenario, resultsDir string) {
	host, port, _ := net.SplitHostPort(addr)
	target := host
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		target = "<this machine's address>"
	}
	sshCmd := "ssh -p " + port + " class@" + target
	if port == "22" {
		sshCmd = "ssh class@" + target
	}
	var admit []string
	if o.code != "" {
		admit = append(admit, "the class code")
	}
	if o.keysFile != "" {
		admit = append(admit, "a key in "+o.keysFile)
	}
	if o.open {
		admit = append(admit, "anyone on this machine (--open)")
	}
	keyNote := ""
	if created {
		keyNote = " (new, saved in " + keyPath + ")"
	}
	var ids []string
	for _, sc := range offered {
		ids = append(ids, sc.ID)
	}
	w := e.Stdout
	fmt.Fprintf(w, "Rapport classroom open on %s\n", addr)
	fmt.Fprintf(w, "  trainees run:  %s\n", sshCmd)
	fmt.Fprintf(w, "  admits:        %s\n", strings.Join(admit, ", or "))
	fmt.Fprintf(w, "  host key:      %s%s\n", server.Fingerprint(key), keyNote)
	fmt.Fprintf(w, "  scenarios:     %s\n", strings.Join(ids, ", "))
	if o.timed > 0 {
		fmt.Fprintf(w, "  timed:         %s per answer\n", o.timed)
	}
	fmt.Fprintf(w, "  results:       %s\n", resultsDir)
	fmt.Fprintf(w, "  dashboard:     rapport-server class --results %s\n", shellQuote(resultsDir))
	fmt.Fprintln(w, "Press ctrl+c to close the class.")
}

// shellQuote quotes a path for a command line when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
