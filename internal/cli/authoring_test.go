package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../analysis/testdata/"

func TestCheckAnalyses(t *testing.T) {
	tests := map[string]struct {
		args   []string
		code   int
		stderr []string
	}{
		"warnings pass without --strict": {args: []string{"check", fixtures + "bland.toml"}, code: ExitOK,
			stderr: []string{"bland.toml:9:1: warning: the choices at node \"start\" all score within 5 points", "[RP110]", "[RP111]", "[RP112]", "checked 1 file: 0 errors, 3 warnings"}},
		"--strict fails on warnings": {args: []string{"check", "--strict", fixtures + "tags.toml"}, code: ExitFailure,
			stderr: []string{"tags.toml:14:3: warning: choice 1 of node \"start\": tagged greeting", "[RP101]", "[RP102]", "[RP103]", "    hint: "}},
		"failing author tests are errors": {args: []string{"check", fixtures + "tests.toml"}, code: ExitFailure,
			stderr: []string{"tests.toml:70:1: error: test \"wrong ending\" failed", "tests.toml:77:15: error: test \"hidden choice\" failed", "[RP130]"}},
		"random playthroughs": {args: []string{"check", "--random", "5", "--seed", "3", fixtures + "endless.toml"}, code: ExitOK,
			stderr: []string{"random playthrough 1 of 5 (--seed 3) was still going after 200 choices", "[RP132]"}},
		"a stuck trainee is an error": {args: []string{"check", fixtures + "stuck.toml"}, code: ExitFailure,
			stderr: []string{"stuck.toml:22:1: error: no choice is offered at node \"middle\"", "[RP131]"}},
		"screen fit": {args: []string{"check", fixtures + "long.toml"}, code: ExitOK,
			stderr: []string{"[RP120]", "[RP121]", "[RP122]"}},
		"negative --random": {args: []string{"check", "--random", "-1"}, code: ExitUsage, stderr: []string{"--random must be 0 or more"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
	code, stdout, _ := run(t, "", "check", "--format", "json", fixtures+"tags.toml")
	var got struct {
		Files, Errors, Warnings int
		Diagnostics             []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v\n%s", code, err, stdout)
	}
	if got.Warnings != len(got.Diagnostics) || got.Warnings < 3 {
		t.Fatalf("got %+v", got)
	}
	for _, d := range got.Diagnostics {
		for _, k := range []string{"file", "line", "column", "severity", "code", "message", "hint"} {
			if _, ok := d[k]; !ok {
				t.Errorf("diagnostic lacks %q: %v", k, d)
			}
		}
	}
}

func TestPathsCommand(t *testing.T) {
	code, stdout, stderr := run(t, "", "paths", fixtures+"kettle.toml")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"kettle: 15 paths from the start to an ending (the longest takes 3 choices)", "best   ", "choices 1,1,1", "found by playing every path", "(exact)", "min ", "q1 ", "median ", "paths per ending:", "resolved  resolved",
		// The paths step by step, in words (issue 11: not only numbers).
		"best path, step by step:\n  1.  opening  1  \u201cGood morning, you're through to Northgate Home, my\u2026\u201d\n",
		"worst path, step by step:\n  1.  opening  2  \u201cCan I take your order number and postcode first?\u201d\n  2.  details  3  \u201cCalm down, it's only a kettle.\u201d\n",
		// What answering without listening scores, next to best and worst.
		"always longest   98  One of the good ones", "always shortest  0", "always first     98", "always last      0",
		"next to best 98, worst 0: a spread of 98",
		"giveaways on the best path: of 3 decisions, the best choice is the longest line at 3, in one place (number 1) at 3, the only question at 1"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	code, stdout, _ = run(t, "", "paths", "--format", "json", fixtures+"kettle.toml")
	var rep struct {
		Best, Worst struct {
			Score   int
			Ending  string
			Choices []int
		}
		Distribution struct{ Min, Q1, Median, Q3, Max int }
		Endings      []struct {
			ID    string
			Paths int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v\n%s", code, err, stdout)
	}
	if rep.Best.Ending != "resolved" || len(rep.Best.Choices) != 3 || rep.Best.Score <= rep.Worst.Score || len(rep.Endings) != 3 {
		t.Errorf("json %+v", rep)
	}
	// A library scenario by id, too big to play whole: sampled and said so.
	code, stdout, _ = run(t, "", "paths", "first-time-caller", "--samples", "50", "--seed", "2")
	if code != ExitOK || !strings.Contains(stdout, "estimated from 50 sampled paths") || !strings.Contains(stdout, "beam search") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "", "paths", fixtures+"loop.toml", "--depth", "6")
	if code != ExitOK || !strings.Contains(stdout, "of at most 6 choices (the graph has cycles") {
		t.Errorf("cyclic: exit %d:\n%s", code, stdout)
	}
	for _, args := range [][]string{{"paths"}, {"paths", "a", "b"}, {"paths", "--format", "xml", "kettle"}, {"paths", "--samples", "0", "kettle"}} {
		if code, _, _ := run(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if code, _, stderr := run(t, "", "paths", "no-such-scenario"); code != ExitFailure || !strings.Contains(stderr, "no scenario with id") {
		t.Errorf("unknown id: exit %d: %s", code, stderr)
	}
}

func TestGraphCommand(t *testing.T) {
	code, stdout, _ := run(t, "", "graph", fixtures+"kettle.toml")
	if code != ExitOK || !strings.Contains(stdout, "flowchart TD") || !strings.Contains(stdout, `-->|"3: apprehension+10 anger+25 trust-20 patience-30"|`) {
		t.Errorf("mermaid: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = run(t, "", "graph", "--format", "dot", "first-time-caller")
	if code != ExitOK || !strings.HasPrefix(stdout, `digraph "first-time-caller" {`) {
		t.Fatalf("dot: exit %d\n%s", code, stdout)
	}
	if dot, err := exec.LookPath("dot"); err == nil {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(stdout)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("dot rejects it: %v\n%.300s", err, out)
		}
	}
	if code, _, _ := run(t, "", "graph", "--format", "png", "first-time-caller"); code != ExitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

func TestNewCommand(t *testing.T) {
	dir := t.TempDir()
	for _, ch := range []string{"phone", "chat", "in-person"} {
		for _, d := range []string{"easy", "medium", "hard"} {
			id := "starter-" + ch + "-" + d
			code, stdout, stderr := run(t, "", "new", id, "--channel", ch, "--difficulty", d, "--dir", dir)
			path := filepath.Join(dir, id+".toml")
			if code != ExitOK || !strings.Contains(stdout, "wrote "+path) {
				t.Fatalf("new %s: exit %d: %s", id, code, stderr)
			}
			if code, _, stderr := run(t, "", "check", "--strict", "--random", "20", path); code != ExitOK {
				t.Errorf("%s does not pass check --strict:\n%s", id, stderr)
			}
			// The starter shows every part of the format a writer needs.
			src, _ := os.ReadFile(path)
			for _, key := range []string{"[briefing]", "may_offer = [", "clarify = ", "\n  id = ", "reply = ", "[[node.choice.variant]]", "{agent}", "[[test]]"} {
				if !strings.Contains(string(src), key) {
					t.Errorf("%s does not show %q", id, key)
				}
			}
		}
	}
	path := filepath.Join(dir, "starter-phone-easy.toml")
	before, _ := os.ReadFile(path)
	code, _, stderr := run(t, "", "new", "starter-phone-easy", "--dir", dir)
	after, _ := os.ReadFile(path)
	if code != ExitFailure || !strings.Contains(stderr, "starter-phone-easy.toml already exists\n") || strings.Contains(stderr, "file already exists") || string(before) != string(after) {
		t.Errorf("overwrite: exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	for _, args := range [][]string{{"new"}, {"new", "Bad_ID"}, {"new", "ok-id", "--channel", "fax"}, {"new", "ok-id", "--difficulty", "extreme"}} {
		if code, _, _ := run(t, "", append(args, "--dir", dir)...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if code, _, stderr := run(t, "", "new", "x", "--dir", filepath.Join(dir, "missing")); code != ExitFailure || !strings.Contains(stderr, "missing") {
		t.Errorf("missing folder: exit %d: %s", code, stderr)
	}
}

func TestSchemaCommand(t *testing.T) {
	code, stdout, _ := run(t, "", "schema")
	var s map[string]any
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != ExitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", s["$schema"])
	}
	if code, _, _ := run(t, "", "schema", "extra"); code != ExitUsage {
		t.Errorf("stray argument: exit %d", code)
	}
}
