// Command rapport-server is Rapport with its network commands: the SSH
// classroom (serve) and sending results to a learning record store
// (export --lrs). It does everything rapport does too, so a training
// department's shared machine needs only this one. Trainees install
// rapport, which has no network code and starts faster for it. See
// docs/classroom.md.
package main

import (
	"context"
	"os"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/netcmd"
	"github.com/rapport-sim/rapport/internal/quietinit"
	// The signal handler is put in place while the packages initialise.
	_ "github.com/rapport-sim/rapport/internal/sigstart/early"
)

func main() {
	quietinit.Restore()
	cli.Extend(netcmd.Extension())
	ctx, stop := cli.NotifySignals(context.Background(), os.Stderr)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
