package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/results/resultstest"
)

// updatedAt is the clock time rapport class prints.
var updatedAt = regexp.MustCompile(`updated \d\d:\d\d:\d\d`)

// generateResults saves n attempts as the player makes them: shipped
// scenarios played along random paths, some abandoned, some with typed
// lines, by a handful of trainees.
func generateResults(t *testing.T, dir string, n int) {
	t.Helper()
	resultstest.Write(t, dir, n, resultstest.Options{Seed: 7, Trainees: []string{"Ann Lee", "Bo", "Cy", "Dee"}, MaxSteps: 30, Every: 13 * time.Minute})
}

// TestIndexChangesNoOutput: every report format, the history list and the
// class dashboard print the same bytes with and without the folder's
// summary index, over a folder with damaged and half-written records, as
// the folder changes and when the index is damaged.
func TestIndexChangesNoOutput(t *testing.T) {
	dir := t.TempDir()
	generateResults(t, dir, 60)
	entries, _ := os.ReadDir(dir)
	first := filepath.Join(dir, entries[0].Name())
	data, _ := os.ReadFile(first)
	writeFile(t, dir, "truncated.json", string(data[:len(data)/2]))
	writeFile(t, dir, ".tmp-half.json-123", string(data[:100]))
	writeFile(t, dir, "notes.json", `{"name": "not a record"}`)
	writeFile(t, dir, "empty.json", "")
	index := filepath.Join(dir, results.IndexName)
	// Files older than the index's racy window, so the index is trusted.
	age := func() {
		old := time.Now().Add(-time.Hour)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != results.IndexName {
				os.Chtimes(filepath.Join(dir, e.Name()), old, old)
			}
		}
	}
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	cmds := [][]string{
		{"report", dir}, {"report", dir, "--format", "csv"}, {"report", dir, "--format", "json"},
		{"report", dir, "--format", "markdown"}, {"report", dir, "--trainee", "Bo"},
		{"report", dir, "--scenario", "late-delivery", "--format", "markdown"},
		{"history", "--results", dir, "--all", "--plain"}, {"history", "--results", dir, "--all", "--format", "json"},
		{"class", "--results", dir, "--once"},
	}
	outputs := func(withIndex bool) []string {
		t.Helper()
		var outs []string
		for _, args := range cmds {
			if !withIndex {
				os.Remove(index)
			}
			code, stdout, stderr := runWith(t, env, args...)
			if code != ExitOK {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			// The dashboard says when it read the folder.
			stdout = updatedAt.ReplaceAllString(stdout, "updated hh:mm:ss")
			outs = append(outs, stdout+"\n--stderr--\n"+stderr)
		}
		return outs
	}
	compare := func(what string) {
		t.Helper()
		age()
		want := outputs(false)
		outputs(true) // writes the index
		if _, err := os.Stat(index); err != nil {
			t.Fatalf("%s: no index: %v", what, err)
		}
		for i, got := range outputs(true) {
			if got != want[i] {
				t.Errorf("%s: %v differs with the index:\n%s\nwithout:\n%s", what, cmds[i], got, want[i])
			}
		}
	}
	compare("generated folder")
	if !strings.Contains(outputs(true)[0], "Ann Lee") {
		t.Fatal("the report is empty")
	}

	// The folder changes under the index: new, rewritten, damaged and
	// removed records.
	generateResults(t, dir, 3)
	entries, _ = os.ReadDir(dir)
	os.Remove(filepath.Join(dir, entries[3].Name()))
	os.WriteFile(filepath.Join(dir, entries[5].Name()), []byte(`{"schema":1`), 0o600)
	rec, err := results.ReadFile(filepath.Join(dir, entries[7].Name()))
	if err != nil {
		t.Fatal(err)
	}
	rec.Trainee = "Eve"
	store, _ := results.Open(dir)
	store.Save(rec)
	compare("changed folder")

	// A damaged index.
	os.WriteFile(index, []byte("rapport index\n\x01\x02garbage"), 0o600)
	want := outputs(false)
	os.WriteFile(index, []byte("rapport index\n\x01\x02garbage"), 0o600)
	for i, got := range outputs(true) {
		if got != want[i] {
			t.Errorf("damaged index: %v differs", cmds[i])
		}
	}
}
