package server

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/log"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/testio"
)

func TestPlayToTheEnd(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("  Ana \x1b[31mTest  ")

	// While the trainee is at the picker, the dashboard sees them.
	var live []presence.Session
	eventually(t, "a presence file naming the trainee", func() bool {
		_, live, _ = presence.ReadLive(h.live, time.Now())
		return len(live) == 1 && live[0].Trainee == "Ana Test"
	})
	info, _, err := presence.ReadLive(h.live, time.Now())
	if err != nil || info == nil || len(info.Assigned) != 1 || info.Assigned[0] != "lost-card" {
		t.Fatalf("server presence = %+v, %v; want the fixture assigned", info, err)
	}

	tm.send("\r")
	tm.waitFor("What do you say?")
	tm.send("1")
	tm.waitFor(fixtureReplies[0])
	eventually(t, "the attempt in progress in the presence file", func() bool {
		_, live, _ = presence.ReadLive(h.live, time.Now())
		return len(live) == 1 && live[0].Activity == presence.ActivityPlaying && live[0].Scenario == "lost-card" &&
			live[0].Node == "block" && live[0].Attempt != nil && len(live[0].Attempt.Turns) == 1 && live[0].Attempt.Scores != nil
	})
	tm.send("1")
	tm.waitFor(fixtureReplies[1])
	tm.send("1")
	tm.waitFor(fixtureReplies[2], "Saved: your attempt")

	// Leaving the debrief goes back to the picker; leaving the picker
	// ends the session with a goodbye.
	tm.send("q")
	tm.waitFor("choose a conversation")
	tm.send("q")
	tm.waitFor("Thank you for practising, Ana Test")
	if code := tm.waitClosed(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}

	recs := records(t, h.store)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Trainee != "Ana Test" || r.Status != results.Finished || len(r.Turns) != 3 ||
		r.Scenario.ID != "lost-card" || r.Ending == nil || r.Ending.ID != "sorted" || r.Scores == nil {
		t.Errorf("record = trainee %q status %s, %d turns, scenario %s, ending %+v; want Ana Test's finished call",
			r.Trainee, r.Status, len(r.Turns), r.Scenario.ID, r.Ending)
	}
	eventually(t, "the presence file removed", func() bool {
		_, live, _ = presence.ReadLive(h.live, time.Now())
		return len(live) == 0
	})
}

func TestShutdownSavesTheAttemptInProgress(t *testing.T) {
	h := startServer(t, nil)
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Bo")
	tm.send("\r")
	tm.waitFor("What do you say?")
	tm.send("1")
	tm.waitFor(fixtureReplies[0])

	ctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := h.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	tm.waitFor("Your trainer has closed Rapport for now.", "Your unfinished conversation (The card that vanished) was saved")
	tm.waitClosed()

	recs := records(t, h.store)
	if len(recs) != 1 || recs[0].Status != results.Abandoned || len(recs[0].Turns) != 1 || recs[0].Trainee != "Bo" {
		t.Fatalf("records after shutdown = %d; want Bo's attempt, abandoned after one turn", len(recs))
	}
	if _, err := os.Stat(filepath.Join(h.live, "server.json")); !os.IsNotExist(err) {
		t.Errorf("server presence file still there after shutdown (%v)", err)
	}
	if _, err := dial(h.addr, nil); err == nil {
		t.Error("a new connection was accepted after shutdown")
	}
}

func TestIdleTimeout(t *testing.T) {
	h := startServer(t, func(c *Config) { c.Limits.IdleTimeout = 400 * time.Millisecond })
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Cy")
	tm.send("\r")
	tm.waitFor("What do you say?")
	tm.send("1")
	tm.waitFor(fixtureReplies[0])
	// No more keys: the session closes by itself.
	tm.waitFor("without a key press")
	tm.waitClosed()
	if !strings.Contains(tm.raw(), "was saved") {
		t.Errorf("the goodbye does not say the attempt was saved:\n%s", tm.text())
	}
	recs := records(t, h.store)
	if len(recs) != 1 || recs[0].Status != results.Abandoned || len(recs[0].Turns) != 1 {
		t.Fatalf("want one abandoned record with one turn, got %d records", len(recs))
	}
}

func TestSessionLengthLimit(t *testing.T) {
	h := startServer(t, func(c *Config) { c.Limits.MaxSession = 600 * time.Millisecond })
	c := mustDial(t, h.addr)
	tm := openTerm(t, c, 100, 30, "")
	tm.waitFor("Type your name")
	tm.waitFor("reached its")
	tm.waitClosed()
	if n := len(records(t, h.store)); n != 0 {
		t.Errorf("%d records for a session that started no conversation", n)
	}
}

func TestSessionLimit(t *testing.T) {
	h := startServer(t, func(c *Config) { c.Limits.MaxSessions = 1 })
	first := openTerm(t, mustDial(t, h.addr), 100, 30, "")
	first.waitFor("Type your name")

	second := openTerm(t, mustDial(t, h.addr), 100, 30, "")
	second.waitFor("Rapport is full")
	if code := second.waitClosed(); code != 1 {
		t.Errorf("refused session exit status %d, want 1", code)
	}

	// The first trainee carries on.
	first.send("Di\r")
	first.waitFor("choose a conversation")
	if n := h.srv.Sessions(); n != 1 {
		t.Errorf("%d sessions, want 1", n)
	}
}

func TestConcurrentSessionsSaveEveryAttempt(t *testing.T) {
	const n = 8
	h := startServer(t, nil)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- playOnce(t, h.addr, "Trainee "+string(rune('A'+i)), nil)
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	recs := records(t, h.store)
	names := map[string]bool{}
	for _, r := range recs {
		if r.Status != results.Finished || len(r.Turns) != len(fixtureReplies) {
			t.Errorf("%s: status %s with %d turns", r.Trainee, r.Status, len(r.Turns))
		}
		names[r.Trainee] = true
	}
	if len(recs) != n || len(names) != n {
		t.Fatalf("%d records from %d trainees, want %d of each", len(recs), len(names), n)
	}
}

func TestTimedPlayIsRecordedAsTimed(t *testing.T) {
	h := startServer(t, func(c *Config) { c.Timed = 30 * time.Second })
	tm := openTerm(t, mustDial(t, h.addr), 100, 30, "")
	tm.enterName("Ida")
	tm.playFixture()
	recs := records(t, h.store)
	if len(recs) != 1 || recs[0].Mode != results.Timed || recs[0].Limit != results.Duration(30*time.Second) {
		t.Fatalf("records = %d; want one timed attempt with a 30s limit", len(recs))
	}
}

func TestWindowChangesReachThePlayer(t *testing.T) {
	h := startServer(t, nil)
	tm := openTerm(t, mustDial(t, h.addr), 100, 30, "")
	tm.enterName("Kim")
	if err := tm.sess.WindowChange(10, 30); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("Terminal too small (30x10)")
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("choose a conversation")
}

func TestNoColorFromTheClient(t *testing.T) {
	h := startServer(t, nil)
	for _, noColor := range []bool{false, true} {
		c := mustDial(t, h.addr)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		if noColor {
			if err := sess.Setenv("NO_COLOR", "1"); err != nil {
				t.Fatal(err)
			}
		}
		var out testio.Buffer
		sess.Stdout = &out
		// An open stdin: a client whose input ends has hung up.
		if _, err := sess.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm-256color", 30, 100, nil); err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the name prompt", func() bool { return strings.Contains(out.String(), "Rapport · classroom") })
		if coloured := sgrColour.MatchString(out.String()); coloured == noColor {
			t.Errorf("NO_COLOR sent: %v; colours drawn: %v", noColor, coloured)
		}
	}
}

func TestLogsNeverHoldTheClassCode(t *testing.T) {
	var logs testio.Buffer
	h := startServer(t, func(c *Config) { c.Logger = log.New(&logs) })
	for _, code := range []string{"tulip-41", "tulip-44"} {
		if c, err := dial(h.addr, gossh.Password(code)); err == nil {
			c.Close()
			t.Fatal("wrong code admitted")
		}
	}
	typo := &codeAnswers{codes: []string{"tulip-45", testCode}}
	c, err := dial(h.addr, gossh.KeyboardInteractive(typo.challenge))
	if err != nil {
		t.Fatal(err)
	}
	tm := openTerm(t, c, 100, 30, "")
	tm.enterName("Lou")
	tm.send("q")
	tm.waitClosed()
	eventually(t, "the session's end in the log", func() bool { return strings.Contains(logs.String(), "session ended") })
	if strings.Contains(logs.String(), "tulip-4") {
		t.Errorf("a class code reached the log:\n%s", logs.String())
	}
	for _, want := range []string{"wrong class code", "session started", "connect"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// sgrColour matches an SGR sequence that sets a foreground colour.
var sgrColour = regexp.MustCompile(`\x1b\[[0-9;]*(?:3[0-7]|38;[25];)[0-9;]*m`)
