package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/results"
)

// runIn calls Main with a fixed environment, so records and the config
// file land in folders the test owns.
func runIn(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestPlaySavesEveryAttempt(t *testing.T) {
	data, cfg := t.TempDir(), t.TempDir()
	env := map[string]string{"RAPPORT_DATA_DIR": data, "RAPPORT_CONFIG_DIR": cfg, "NO_COLOR": "1"}
	if err := config.Save(filepath.Join(cfg, config.ConfigFile), config.Config{Name: "Remembered Rae"}); err != nil {
		t.Fatal(err)
	}

	// A finished attempt under the remembered name.
	code, stdout, stderr := runIn(t, env, strings.Repeat("1\n", 40), "play", "first-time-caller", "--plain")
	if code != ExitOK || !strings.Contains(stderr, "Attempt saved: ") {
		t.Fatalf("exit %d\nstdout tail: %s\nstderr: %s", code, tail(stdout), stderr)
	}
	// An abandoned one, under --name, into another folder.
	class := t.TempDir()
	code, _, stderr = runIn(t, env, "1\n", "play", "first-time-caller", "--plain", "--name", "Sam Ortiz", "--results", class)
	if code != ExitFailure || !strings.Contains(stderr, "Unfinished attempt saved: "+class) {
		t.Fatalf("abandoned: exit %d, stderr: %s", code, stderr)
	}

	mine, skipped, err := results.Read(filepath.Join(data, "results"))
	if err != nil || len(skipped) > 0 || len(mine) != 1 {
		t.Fatalf("default folder: %d records, skipped %v, err %v", len(mine), skipped, err)
	}
	r := mine[0]
	if r.Trainee != "Remembered Rae" || r.Status != results.Finished || r.Scenario.ID != "first-time-caller" || r.Scores == nil || len(r.Turns) == 0 {
		t.Errorf("finished record = trainee %q status %q scenario %q scores %v turns %d", r.Trainee, r.Status, r.Scenario.ID, r.Scores, len(r.Turns))
	}
	theirs, _, err := results.Read(class)
	if err != nil || len(theirs) != 1 || theirs[0].Trainee != "Sam Ortiz" || theirs[0].Status != results.Abandoned {
		t.Fatalf("class folder: %v %v", theirs, err)
	}
	// --name is for this run only: the remembered name stays.
	c, _ := config.Load(filepath.Join(cfg, config.ConfigFile))
	if c.Name != "Remembered Rae" {
		t.Errorf("remembered name changed to %q", c.Name)
	}
}

// A record that cannot be written fails the command, and nothing says the
// attempt was saved: it used to exit 0.
func TestPlayReportsUnwritableResults(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(readOnly, 0o755) })
	folders := map[string]string{"a file in the way": filepath.Join(blocker, "sub")}
	if os.Geteuid() != 0 { // root writes to read-only folders regardless
		folders["read-only folder"] = readOnly
	}
	for name, dir := range folders {
		for _, input := range []string{strings.Repeat("1\n", 40), "1\n"} {
			t.Run(name, func(t *testing.T) {
				env := map[string]string{"RAPPORT_DATA_DIR": t.TempDir(), "RAPPORT_CONFIG_DIR": t.TempDir()}
				code, _, stderr := runIn(t, env, input, "play", "first-time-caller", "--plain", "--results", dir)
				if code != ExitFailure || !strings.Contains(stderr, "your attempt was NOT saved") || strings.Contains(stderr, "ttempt saved") {
					t.Errorf("exit %d (want %d), stderr: %s", code, ExitFailure, stderr)
				}
			})
		}
	}
}

func tail(s string) string {
	if len(s) > 400 {
		return s[len(s)-400:]
	}
	return s
}

// A call left before the trainee said a word is not an attempt: nothing is
// saved, so history and report never list it as 0/0/0. An abandoned
// attempt with lines is saved, and history shows it unscored, as the
// report counts it.
func TestAbandonedAttempts(t *testing.T) {
	data, cfg := t.TempDir(), t.TempDir()
	env := map[string]string{"RAPPORT_DATA_DIR": data, "RAPPORT_CONFIG_DIR": cfg, "NO_COLOR": "1", "HOME": t.TempDir()}
	code, _, stderr := runIn(t, env, "", "play", "first-time-caller", "--plain", "--name", "Ann")
	if code == ExitOK || strings.Contains(stderr, "saved") {
		t.Errorf("nothing said: exit %d, stderr %q", code, stderr)
	}
	recs, _, _ := results.Read(filepath.Join(data, "results"))
	if len(recs) != 0 {
		t.Fatalf("%d records of a call nobody took", len(recs))
	}
	if code, _, stderr := runIn(t, env, "1\n", "play", "first-time-caller", "--plain", "--name", "Ann"); !strings.Contains(stderr, "Unfinished attempt saved") {
		t.Fatalf("one line said: exit %d, stderr %q", code, stderr)
	}
	_, out, _ := runIn(t, env, "", "history", "--plain", "--name", "Ann")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "abandoned") || strings.Count(lines[1], " - ") < 3 {
		t.Errorf("history of an abandoned attempt should show no scores:\n%s", out)
	}
	_, out, _ = runIn(t, env, "", "history", "--format", "json", "--name", "Ann")
	var hist []historyEntry
	if err := json.Unmarshal([]byte(out), &hist); err != nil || len(hist) != 1 || hist[0].Overall != nil || hist[0].Band != "" {
		t.Errorf("history json of an abandoned attempt: %s (%v)", out, err)
	}
	_, out, _ = runIn(t, env, "", "report", "--format", "csv", "--per", "attempt")
	if !strings.Contains(out, ",choices,yes,") || strings.Contains(out, "Not yet") {
		t.Errorf("report of an abandoned attempt:\n%s", out)
	}
}
