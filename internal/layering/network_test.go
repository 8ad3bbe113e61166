package layering

import (
	"os/exec"
	"strings"
	"testing"
)

// networkPackages are what a program needs to open a connection: the
// sockets, HTTP and TLS, the SSH server, and Rapport's own packages built
// on them.
var networkPackages = []string{
	"net", "net/http", "crypto/tls", "golang.org/x/crypto/ssh",
	"github.com/charmbracelet/wish", "github.com/charmbracelet/ssh",
	module + "internal/server", module + "internal/lrs", module + "internal/netcmd",
}

// TestRapportHasNoNetworkCode holds the trainee's program, cmd/rapport, to
// having no network code at all, linked in by any path: the classroom
// server and sending to a learning record store live in
// cmd/rapport-server. Each of those packages made rapport larger and
// slower to start, and kept more of it in memory, for every trainee.
func TestRapportHasNoNetworkCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := goListDeps(t, "../../cmd/rapport")
	for _, p := range networkPackages {
		if deps[p] {
			t.Errorf("cmd/rapport links %s: network code belongs in internal/netcmd (cmd/rapport-server)", p)
		}
	}
	// The check can fail: the server's program does link them.
	server := goListDeps(t, "../../cmd/rapport-server")
	for _, p := range []string{"net", "golang.org/x/crypto/ssh", module + "internal/netcmd"} {
		if !server[p] {
			t.Errorf("cmd/rapport-server does not link %s; the check above would not notice network code", p)
		}
	}
}

// goListDeps is every package the program in dir links, as go list sees it.
func goListDeps(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", dir).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", dir, err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	return deps
}
