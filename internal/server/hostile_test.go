package server

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/log"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/testio"
	gossh "golang.org/x/crypto/ssh"
)

// TestHostileClientText: what an SSH client chooses (its user name) and
// what a trainee types as their name reach the trainer's log and the
// dashboard's presence files with no escape sequence, control or bidi
// character, and the name is kept without them.
func TestHostileClientText(t *testing.T) {
	var logs testio.Buffer
	h := startServer(t, func(c *Config) {
		c.Logger = log.NewWithOptions(&logs, log.Options{ReportTimestamp: true, Level: log.DebugLevel})
	})
	evil := "eve\x1b]52;c;ZXZpbA==\x07\u202e\u009b2J"
	if c, err := dialWith(h.addr, &gossh.ClientConfig{User: evil, Auth: []gossh.AuthMethod{gossh.Password("wrong")}}); err == nil {
		c.Close()
		t.Fatal("a wrong code was let in")
	}
	c, err := dialWith(h.addr, &gossh.ClientConfig{User: evil, Auth: []gossh.AuthMethod{gossh.Password(testCode)}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Mal\u202elo\u200bry\u2066 \u0085Lee")
	var live []presence.Session
	eventually(t, "the trainee's presence file", func() bool {
		_, live, _ = presence.ReadLive(h.live, time.Now())
		return len(live) == 1 && live[0].Trainee != ""
	})
	if live[0].Trainee != "Mallory Lee" {
		t.Errorf("trainee saved as %q, want %q", live[0].Trainee, "Mallory Lee")
	}
	tm.send("q")
	c.Close()
	eventually(t, "the session's end in the log", func() bool { return strings.Contains(logs.String(), "session ended") })
	out := logs.String()
	if !strings.Contains(out, "eve") {
		t.Fatalf("the user name is not logged at all:\n%s", out)
	}
	for i, r := range out {
		if r == 0x1b || r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && r != '\n' {
			t.Fatalf("%U at byte %d of the log: %q", r, i, out[max(0, i-60):min(len(out), i+20)])
		}
	}
}
