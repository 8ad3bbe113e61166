// Command rapport is a terminal simulator for practising customer-service
// conversations. See README.md for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rapport-sim/rapport/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
