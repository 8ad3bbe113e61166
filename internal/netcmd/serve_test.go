package netcmd

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/server"
	"github.com/rapport-sim/rapport/internal/testio"
)

func TestServeRefusesToStart(t *testing.T) {
	tests := map[string]struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		"no way in":         {args: []string{"serve"}, code: cli.ExitUsage, want: "trainees need a way in"},
		"open on a network": {args: []string{"serve", "--open", "--listen", "0.0.0.0:2222"}, code: cli.ExitUsage, want: "--open works only on a loopback address"},
		"open and a code":   {args: []string{"serve", "--open", "--class-code", "tulip-42"}, code: cli.ExitUsage, want: "leave it out"},
		"bad listen":        {args: []string{"serve", "--open", "--listen", "2222"}, code: cli.ExitUsage, want: "not HOST:PORT"},
		"too short timed":   {args: []string{"serve", "--open", "--timed", "500ms"}, code: cli.ExitUsage, want: "at least 1s"},
		"bad limit":         {args: []string{"serve", "--open", "--max-sessions", "0"}, code: cli.ExitUsage, want: "at least one session"},
		"bad log level":     {args: []string{"serve", "--open", "--log-level", "loud"}, code: cli.ExitUsage, want: "unknown --log-level"},
		"unknown scenario":  {args: []string{"serve", "--open", "--listen", "127.0.0.1:0", "--assign", "nope,first-time-caller"}, code: cli.ExitFailure, want: "no scenario with id nope"},
		"missing keys file": {args: []string{"serve", "--listen", "127.0.0.1:0", "--authorized-keys", "/nonexistent/keys"}, code: cli.ExitFailure, want: "authorized keys"},
		"argument":          {args: []string{"serve", "--open", "extra"}, code: cli.ExitUsage, want: "unexpected argument"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestServeHelp(t *testing.T) {
	code, stdout, _ := run(t, "", "help", "serve")
	for _, want := range []string{"-class-code", "-authorized-keys", "-open", "-listen", "-assign", "-timed",
		"-max-sessions", "-conn-rate", "-idle-timeout", "-max-session ", "-max-line", "-host-key", EnvClassCode} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %s", want)
		}
	}
	if code != cli.ExitOK {
		t.Errorf("exit %d", code)
	}
}

// waitText polls a buffer until it contains want.
func waitText(t *testing.T, b *testio.Buffer, want string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q in:\n%s", want, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return b.String()
}

// class is a running serve with one trainee, Jo, who has made one choice.
type class struct {
	cancel         context.CancelFunc
	done           chan int
	stdout, stderr *testio.Buffer
	screen         *testio.Buffer
	resultsDir     string
}

// startClass runs serve in process, connects a trainee over SSH and makes
// one choice, and returns once the choice has reached the presence file.
func startClass(t *testing.T) *class {
	t.Helper()
	data, resultsDir := t.TempDir(), filepath.Join(t.TempDir(), "class")
	env := map[string]string{"NO_COLOR": "1", "RAPPORT_DATA_DIR": data, EnvClassCode: "tulip-42"}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var stdout, stderr testio.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--results", resultsDir,
			"--assign", "first-time-caller", "--no-animation"}, strings.NewReader(""), &stdout, &stderr,
			func(k string) string { return env[k] })
	}()
	out := waitText(t, &stdout, "Press ctrl+c")
	addr := regexp.MustCompile(`open on (\S+)`).FindStringSubmatch(out)
	if addr == nil {
		t.Fatalf("no address in:\n%s", out)
	}
	for _, want := range []string{"ssh -p ", "class code", "SHA256:", "first-time-caller", "rapport-server class --results"} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+stderr.String(), "tulip-42") {
		t.Error("the class code was printed")
	}
	if _, err := os.Stat(filepath.Join(data, server.HostKeyFile)); err != nil {
		t.Errorf("host key not kept in the data dir: %v", err)
	}

	// A trainee connects, names themselves and makes one choice.
	client, err := gossh.Dial("tcp", addr[1], &gossh.ClientConfig{
		User: "class", Auth: []gossh.AuthMethod{gossh.Password("tulip-42")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	var screen testio.Buffer
	sess.Stdout, sess.Stderr = &screen, io.Discard
	if err := sess.RequestPty("xterm", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitText(t, &screen, "Type your name")
	io.WriteString(in, "Jo\r")
	waitText(t, &screen, "choose a conversation")
	io.WriteString(in, "\r")
	// first-time-caller opens on its briefing; enter starts the call.
	waitText(t, &screen, "enter start the call")
	io.WriteString(in, "\r")
	waitText(t, &screen, "What do you say?")
	io.WriteString(in, "1")
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, live, _ := presence.ReadLive(presence.Dir(resultsDir), time.Now())
		if len(live) == 1 && live[0].Attempt != nil && len(live[0].Attempt.Turns) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the choice never reached the presence file")
		}
		time.Sleep(20 * time.Millisecond)
	}

	return &class{cancel: cancel, done: done, stdout: &stdout, stderr: &stderr, screen: &screen, resultsDir: resultsDir}
}

func TestServeRunsAClassAndClosesIt(t *testing.T) {
	c := startClass(t)
	cancel, done, resultsDir := c.cancel, c.done, c.resultsDir
	stdout, stderr, screen := c.stdout, c.stderr, c.screen
	// Closing the class says goodbye and keeps the attempt.
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitOK {
			t.Fatalf("serve exited %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(server.ShutdownGrace + 5*time.Second):
		t.Fatal("serve did not exit after the signal")
	}
	waitText(t, screen, "closed Rapport for now")
	if !strings.Contains(stdout.String(), "Class closed") {
		t.Errorf("no closing line:\n%s", stdout.String())
	}
	recs, _, err := results.Read(resultsDir)
	if err != nil || len(recs) != 1 || recs[0].Trainee != "Jo" || recs[0].Status != results.Abandoned {
		t.Fatalf("records %d (%v); want Jo's abandoned attempt", len(recs), err)
	}
	for _, want := range []string{"session started", "attempt saved", "shutting down"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// An attempt that cannot be saved when the class closes is never a clean
// exit: serve says how many were lost and where, and exits 1, so a script
// or a service manager notices.
func TestServeFailsWhenAnAttemptCannotBeSaved(t *testing.T) {
	c := startClass(t)
	// The results folder goes away and a file takes its name: nothing can
	// be written there any more (chmod would not stop root).
	if err := os.Rename(c.resultsDir, c.resultsDir+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.resultsDir, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.cancel()
	select {
	case code := <-c.done:
		if code != cli.ExitFailure {
			t.Fatalf("serve exited %d, want %d; stderr:\n%s", code, cli.ExitFailure, c.stderr.String())
		}
	case <-time.After(server.ShutdownGrace + 5*time.Second):
		t.Fatal("serve did not exit after the signal")
	}
	if errs := c.stderr.String(); !strings.Contains(errs, "1 attempt(s) could not be saved in "+c.resultsDir) {
		t.Errorf("stderr does not say the attempt was lost:\n%s", errs)
	}
	if strings.Contains(c.stdout.String(), "Class closed. Results are in") {
		t.Errorf("serve says the results are saved:\n%s", c.stdout.String())
	}
}

// TestClassroomDocsCoverEveryFlag keeps docs/classroom.md in step with the
// serve command (the cli package checks the class command's flags).
func TestClassroomDocsCoverEveryFlag(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "classroom.md"))
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveCommand().Define(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(doc), "--"+f.Name) {
			t.Errorf("docs/classroom.md does not mention rapport-server serve --%s", f.Name)
		}
	})
}
