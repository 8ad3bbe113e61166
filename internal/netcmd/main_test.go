package netcmd

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/cli"
)

// TestMain adds the network commands to cli.Main, as cmd/rapport-server does.
func TestMain(m *testing.M) {
	cli.Extend(Extension())
	os.Exit(m.Run())
}

// run runs rapport-server with args in a clean environment.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWith(t, map[string]string{"XDG_DATA_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}, stdin, args...)
}

// runWith runs rapport-server with args and the environment env (NO_COLOR always set).
func runWith(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return env[k]
	}
	code = cli.Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, getenv)
	return code, out.String(), errb.String()
}
