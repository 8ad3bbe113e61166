// Command rapport is a terminal simulator for practising customer-service
// conversations. See README.md for usage.
package main

import (
	"context"
	"os"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/quietinit"
	// The signal handler is put in place while the packages initialise.
	_ "github.com/rapport-sim/rapport/internal/sigstart/early"
)

func main() {
	quietinit.Restore()
	ctx, stop := cli.NotifySignals(context.Background(), os.Stderr)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
