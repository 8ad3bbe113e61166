package netcmd

import (
	"context"
	"fmt"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/lrs"
	"github.com/rapport-sim/rapport/internal/report"
)

// lrsSender makes `export --lrs URL` send the statements to a learning
// record store with lrs.Client.
func lrsSender() *cli.StatementSender {
	return &cli.StatementSender{
		Help: fmt.Sprintf(`With --lrs URL the statements are sent to that learning record store's xAPI
endpoint instead of printed: in batches of --batch, tried again with growing
waits while the store is down or busy, and never stored twice (a re-run is
safe). The store's basic-auth user and password are read from the environment
variables %s and %s.`, lrs.EnvUser, lrs.EnvPassword),
		DefaultBatch: lrs.DefaultBatch,
		Check: func(endpoint string) error {
			_, err := lrs.StatementsURL(endpoint)
			return err
		},
		Send: func(ctx context.Context, endpoint string, batch int, sts []report.Statement, getenv func(string) string) (int, int, error) {
			c := &lrs.Client{Endpoint: endpoint, User: getenv(lrs.EnvUser), Password: getenv(lrs.EnvPassword), Batch: batch}
			sum, err := c.Send(ctx, sts)
			return sum.Sent, sum.Held, err
		},
	}
}
