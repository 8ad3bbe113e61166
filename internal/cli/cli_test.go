package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run calls Main the way cmd/rapport does, with buffers for the streams.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"NO_COLOR": "1", "XDG_DATA_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const brokenScenario = `id = "broken"
title = "Broken"
channel = "phone"
difficulty = "easy"

[customer]
name = "Bo"
trust = 140

[[node]]
id = "start"
say = "Hi."

  [[node.choice]]
  say = "Hello."
  nxt = "done"
  next = "done"

  [[node.choice]]
  say = "Hey."
  next = "nowhere"

[[ending]]
id = "done"
outcome = "resolved"
say = "Bye."
`

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, dir, "broken.toml", brokenScenario)
	src, err := os.ReadFile("../scenario/testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	clean := writeFile(t, t.TempDir(), "minimal.toml", string(src))

	t.Run("built-in library is clean", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", "--strict")
		if code != ExitOK {
			t.Fatalf("exit %d, stderr:\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "0 errors, 0 warnings") {
			t.Errorf("summary missing: %s", stderr)
		}
	})
	t.Run("--ignore leaves out warnings, never errors", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", "--strict", clean)
		if code != ExitFailure || !strings.Contains(stderr, "[RP140]") {
			t.Fatalf("without --ignore: exit %d, %s", code, stderr)
		}
		if code, _, stderr := run(t, "", "check", "--strict", "--ignore", "rp140,RP111,RP154", clean); code != ExitOK || strings.Contains(stderr, "RP140") {
			t.Errorf("with --ignore rp140,RP111,RP154: exit %d, %s", code, stderr)
		}
		if code, _, stderr := run(t, "", "check", "--ignore", "RP021", clean); code != ExitUsage || !strings.Contains(stderr, "RP021 is an error") {
			t.Errorf("ignoring an error: exit %d, %s", code, stderr)
		}
		if code, _, stderr := run(t, "", "check", "--ignore", "RP999", clean); code != ExitUsage || !strings.Contains(stderr, `"RP999" is not a diagnostic code`) {
			t.Errorf("ignoring an unknown code: exit %d, %s", code, stderr)
		}
	})
	t.Run("--random says what it played; --seed needs --random", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", "--random", "7", "--seed", "4", clean)
		if code != ExitOK || !strings.Contains(stderr, "played 7 random conversations per scenario (seed 4)") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		code, stdout, _ := run(t, "", "check", "--format", "json", "--random", "7", "--seed", "4", clean)
		if code != ExitOK || !strings.Contains(stdout, `"random": 7,`) || !strings.Contains(stdout, `"seed": 4`) {
			t.Errorf("json: exit %d: %s", code, stdout)
		}
		code, _, stderr = run(t, "", "check", "--seed", "4", clean)
		if code != ExitUsage || !strings.Contains(stderr, "--seed chooses the random conversations, so it needs --random N") {
			t.Errorf("--seed alone: exit %d: %s", code, stderr)
		}
	})
	t.Run("clean file", func(t *testing.T) {
		if code, _, stderr := run(t, "", "check", clean); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
	t.Run("every problem with position and hint", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", broken)
		if code != ExitFailure {
			t.Errorf("exit %d, want %d", code, ExitFailure)
		}
		for _, want := range []string{
			broken + ":8:9: error: trust is 140, outside 0–100 [RP007]",
			broken + `:16:3: error: unknown key "nxt" in [[node.choice]] [RP003]`,
			`    hint: did you mean "next"?`,
			broken + `:21:10: error: choice 2 of node "start" leads to "nowhere"`,
			"checked 1 file: 3 errors, 0 warnings",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
	})
	t.Run("folders are searched and flags may follow paths", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", dir, "--strict")
		if code != ExitFailure || !strings.Contains(stderr, "checked 1 file") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("json", func(t *testing.T) {
		code, stdout, _ := run(t, "", "check", "--format", "json", broken)
		if code != ExitFailure {
			t.Errorf("exit %d", code)
		}
		var got struct {
			Files, Errors, Warnings int
			Diagnostics             []map[string]any
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if got.Files != 1 || got.Errors != 3 || len(got.Diagnostics) != 3 {
			t.Fatalf("got %+v", got)
		}
		d := got.Diagnostics[0]
		for _, k := range []string{"file", "line", "column", "severity", "code", "message", "hint"} {
			if _, ok := d[k]; !ok {
				t.Errorf("diagnostic lacks %q: %v", k, d)
			}
		}
		if d["line"] != 8.0 || d["column"] != 9.0 || d["severity"] != "error" || d["code"] != "RP007" {
			t.Errorf("first diagnostic = %v", d)
		}
	})
	t.Run("missing path", func(t *testing.T) {
		code, _, stderr := run(t, "", "check", filepath.Join(dir, "nope.toml"))
		if code != ExitFailure || !strings.Contains(stderr, "nope.toml") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("bad format is a usage error", func(t *testing.T) {
		if code, _, _ := run(t, "", "check", "--format", "yaml"); code != ExitUsage {
			t.Errorf("exit %d, want %d", code, ExitUsage)
		}
	})
}

func TestList(t *testing.T) {
	code, stdout, stderr := run(t, "", "list")
	if code != ExitOK || !strings.Contains(stdout, "first-time-caller") || !strings.HasPrefix(stdout, "ID") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "", "list", "--format", "json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v\n%s", code, err, stdout)
	}
	for _, k := range []string{"id", "title", "channel", "difficulty", "summary", "tags"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("list entry lacks %q", k)
		}
	}

	// --scenarios replaces the library; a broken file is reported, not listed.
	dir := t.TempDir()
	src, _ := os.ReadFile("../scenario/testdata/minimal.toml")
	writeFile(t, dir, "minimal.toml", string(src))
	writeFile(t, dir, "broken.toml", brokenScenario)
	code, stdout, stderr = run(t, "", "list", "--scenarios", dir)
	if code != ExitFailure || !strings.Contains(stdout, "minimal") || strings.Contains(stdout, "broken ") || !strings.Contains(stderr, "broken.toml:8:9") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "", "list", "--scenarios", filepath.Join(dir, "absent")); code != ExitFailure || !strings.Contains(stderr, "absent") {
		t.Errorf("missing folder: exit %d: %s", code, stderr)
	}
	// The flag before the command name belongs to the command.
	code2, stdout2, stderr2 := run(t, "", "--scenarios", dir, "list")
	if code2 != code || stdout2 != stdout || stderr2 != stderr {
		t.Errorf("rapport --scenarios DIR list: exit %d\nstdout:\n%s\nstderr:\n%s", code2, stdout2, stderr2)
	}
}

func TestUsage(t *testing.T) {
	tests := map[string]struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		"help lists commands": {args: []string{"help"}, code: ExitOK, stdout: "check "},
		"--help":              {args: []string{"--help"}, code: ExitOK, stdout: "Commands:"},
		"command help":        {args: []string{"check", "--help"}, code: ExitOK, stdout: "Usage: rapport check"},
		"help command":        {args: []string{"help", "list"}, code: ExitOK, stdout: "-format"},
		"unknown command":     {args: []string{"lst"}, code: ExitUsage, stderr: `unknown command "lst"`},
		"unknown flag":        {args: []string{"list", "--colour"}, code: ExitUsage, stderr: "flag provided but not defined: -colour"},
		"stray argument":      {args: []string{"list", "extra"}, code: ExitUsage, stderr: `unexpected argument "extra"`},
		"version":             {args: []string{"version"}, code: ExitOK, stdout: "rapport "},
		"--version":           {args: []string{"--version"}, code: ExitOK, stdout: "rapport "},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
		})
	}
}

// Every command's --help prints its usage once, on stdout, and exits 0; it
// used to print it twice (once on stderr from the flag package).
func TestHelpPrintsOnce(t *testing.T) {
	for _, c := range commands() {
		for _, flag := range []string{"--help", "-h"} {
			t.Run(c.name+flag, func(t *testing.T) {
				code, stdout, stderr := run(t, "", c.name, flag)
				if code != ExitOK || stderr != "" {
					t.Errorf("exit %d, stderr %q", code, stderr)
				}
				if n := strings.Count(stdout, "Usage:"); n != 1 || !strings.Contains(stdout, "rapport "+c.name) {
					t.Errorf("usage printed %d times:\n%s", n, stdout)
				}
			})
		}
	}
}

// The picker lists the embedded library from headers; every entry must
// open into the same scenario the full loader gives.
func TestPickerLibraryOpensEveryScenario(t *testing.T) {
	heads, open, err := pickerLibrary()
	if err != nil {
		t.Fatal(err)
	}
	full, diags, err := loadLibrary("")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	if len(heads) != len(full) {
		t.Fatalf("picker lists %d scenarios, the library has %d", len(heads), len(full))
	}
	for i, h := range heads {
		if h.Complete() {
			t.Errorf("%s: the picker should hold only the header", h.ID)
		}
		sc, err := open(h)
		if err != nil {
			t.Fatalf("%s: %v", h.ID, err)
		}
		if sc.ID != full[i].ID || sc.Hash != full[i].Hash || !sc.Complete() {
			t.Errorf("entry %d opens %q (complete %v), want %q in the same order as the library", i, sc.ID, sc.Complete(), full[i].ID)
		}
	}
}

func TestScoreIsACommand(t *testing.T) {
	code, stdout, stderr := run(t, "", "score", "Hi Ana, I'm Sam. I'm so sorry, that sounds really stressful.")
	if code != ExitOK || !strings.Contains(stdout, "own_name") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "", "help", "score"); code != ExitOK || !strings.Contains(stdout, "--jsonl") {
		t.Errorf("help score: exit %d: %s", code, stdout)
	}
	if _, stdout, _ := run(t, "", "help"); !strings.Contains(stdout, "score ") {
		t.Errorf("help does not list score:\n%s", stdout)
	}
}

// `rapport play ID` finds a built-in scenario from the headers and loads
// only its file: the same scenario the whole library gives, for every id.
func TestResolveEmbeddedByID(t *testing.T) {
	scs, diags, err := loadLibrary("")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	for _, want := range scs {
		got, ok := embeddedByID(want.ID)
		if !ok || got.ID != want.ID || got.File != want.File || got.Hash != want.Hash || len(got.Nodes) != len(want.Nodes) {
			t.Errorf("%s: got %v (ok %v), want the library's", want.ID, got, ok)
		}
	}
	if _, ok := embeddedByID("no-such-scenario"); ok {
		t.Error("an unknown id was found")
	}
}

// TestBuiltinNames holds the names in the builtin table, by which a
// command is found without making the others, to the commands' own.
func TestBuiltinNames(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range builtin {
		if c := b.make(); c.name != b.name {
			t.Errorf("builtin lists %q for the command called %q", b.name, c.name)
		}
		if seen[b.name] {
			t.Errorf("builtin lists %q twice", b.name)
		}
		seen[b.name] = true
		if c := findCommand(b.name); c == nil || c.name != b.name {
			t.Errorf("findCommand(%q) = %v", b.name, c)
		}
	}
}
