package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
)

// Hostile text: what a trainee with write access to a shared results
// folder, or the author of a scenario file, could put in front of a
// trainer's terminal. osc52 would write the trainer's clipboard; the rest
// clear the screen, move the cursor, or reverse and hide text.
const (
	osc52    = "\x1b]52;c;ZXZpbA==\x07"          // clipboard := "evil"
	osc52st  = "\x1b]52;c;cHduZWQ=\x1b\\"        // the same, ended by ST
	csiClear = "\x1b[2J\x1b[H"                   // clear screen, cursor home
	c1CSI    = "\u009b31m"                       // CSI as one C1 character
	c1OSC    = "\u009d8;;http://evil.test\u009c" // a hyperlink in C1 form
	rlo      = "\u202e"                          // right-to-left override
	isolate  = "\u2066"                          // left-to-right isolate
	zwsp     = "\u200b"                          // zero-width space
)

// hostile wraps s in every kind of hostile sequence.
func hostile(s string) string {
	return osc52 + s + rlo + c1CSI + isolate + csiClear + zwsp + c1OSC + osc52st + "\u200f"
}

// assertSafe fails if out holds anything that would act on a terminal or
// reorder text: ESC, a C1 control, a raw 0x9B byte, a format character, or
// in JSON output, the same as a JSON escape (a JSON reader would decode
// it and print it).
// Text quoted Go-style ("\x1b" as four characters) is safe, and is how
// diagnostics show an author what a key holds.
func assertSafe(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		bad := r == 0x1b || r >= 0x80 && r <= 0x9f || r == utf8.RuneError && !strings.HasPrefix(out[i:], "\uFFFD") ||
			unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && r != '\n' && r != '\t'
		if bad {
			lo, hi := max(0, i-40), min(len(out), i+40)
			t.Errorf("%s: %U at byte %d reaches the terminal: %q", what, r, i, out[lo:hi])
			return
		}
	}
	if t := strings.TrimSpace(out); t == "" || t[0] != '{' && t[0] != '[' {
		return // not JSON: a backslash is a backslash
	}
	for _, esc := range []string{`\u001b`, `\u001B`, `\u009b`, `\u009d`, `\u202e`, `\u202E`, `\u2066`, `\u200b`} {
		for i := 0; ; {
			j := strings.Index(out[i:], esc)
			if j < 0 {
				break
			}
			if k := i + j; k == 0 || out[k-1] != '\\' {
				t.Errorf("%s: JSON escape %s reaches the output: %q", what, esc, out[max(0, k-40):min(len(out), k+40)])
				break
			}
			i += j + len(esc)
		}
	}
}

// assertClean is assertSafe, and also fails on what is left of a sequence
// that was not removed whole, or removed but shown escaped: record text is
// shown without the sequences.
func assertClean(t *testing.T, what, out string) {
	t.Helper()
	assertSafe(t, what, out)
	for _, rest := range []string{"]52;", "ZXZpbA==", "cHduZWQ=", "[2J", "31m", "evil.test"} {
		if strings.Contains(out, rest) {
			i := strings.Index(out, rest)
			t.Errorf("%s: %q reaches the output: %q", what, rest, out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

// hostileFolder seeds a results folder with real attempts, then rewrites
// them as an attacker would: every text field a reader shows carries
// escape sequences, C1 controls and bidi overrides. It adds presence files
// for a running server with one trainee, and a foreign file whose name
// holds an escape sequence. It returns the folder and the record ids.
func hostileFolder(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	var ids []string
	for i, a := range seeded {
		path := filepath.Join(dir, a.rec.ID+results.Ext)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// Decoded as plain JSON: the results readers would sanitise it.
		var r results.Record
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		r.Trainee = hostile(r.Trainee)
		r.Agent = hostile("Sam")
		r.Scenario.Title = hostile(r.Scenario.Title)
		r.Scenario.Version = hostile("1")
		if i == 2 {
			// A scenario not in the library: readers fall back to what
			// the record says.
			r.Scenario.ID = hostile("evil-scenario")
		} else {
			r.Scenario.ID = hostile(r.Scenario.ID)
		}
		if r.Ending != nil {
			r.Ending.Outcome = "resolved" + osc52
			r.Ending.ID = hostile(r.Ending.ID)
		}
		if r.Scores != nil {
			r.Scores.Band = hostile(r.Scores.Band)
			r.Scores.Opening.Label = hostile(r.Scores.Opening.Label)
			r.Scores.Difficult.Reason = hostile(r.Scores.Difficult.Reason)
		}
		for j := range r.Turns {
			tn := &r.Turns[j]
			tn.Say = hostile(tn.Say)
			tn.Node = hostile(tn.Node)
			tn.ChoiceID = hostile(tn.ChoiceID)
			tn.Heard = append(tn.Heard, hostile("blame"))
			if j%2 == 0 {
				tn.Typed = hostile("I am so sorry")
			}
			for k := range tn.Behaviors {
				tn.Behaviors[k].ID = hostile(tn.Behaviors[k].ID)
			}
			if tn.Best != nil {
				tn.Best.Say = hostile(tn.Best.Say)
				tn.Best.ID = hostile(tn.Best.ID)
			}
		}
		if x := r.Explanations; x != nil {
			for _, ps := range [][]results.Point{x.Opening, x.Empathy, x.Difficult} {
				for k := range ps {
					ps[k].Explanation = hostile(ps[k].Explanation)
					ps[k].Evidence = hostile(ps[k].Evidence)
					ps[k].Behavior = hostile(ps[k].Behavior)
				}
			}
			for k := range x.Turns {
				x.Turns[k].Feedback = hostile(x.Turns[k].Feedback)
				x.Turns[k].BestWhy = hostile(x.Turns[k].BestWhy)
				ev := map[string]string{}
				for b, w := range x.Turns[k].Evidence {
					ev[hostile(b)] = hostile(w)
				}
				x.Turns[k].Evidence = ev
			}
		}
		out, err := results.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out, 0o600); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	// A file that is not a record, named to attack the warning about it.
	writeFile(t, dir, "x"+osc52+rlo+".json", `{"schema":1,"id":"`+osc52+`"}`)

	live := presence.Dir(dir)
	now := time.Now().UTC()
	info := presence.Server{Schema: 1, Addr: hostile("0.0.0.0:2222"), Started: now, Updated: now,
		Assigned: []string{hostile("first-time-caller"), hostile("late-delivery")}, Sessions: 1}
	attempt := seeded[1].rec
	attempt.Trainee = hostile("Mallory")
	attempt.Turns[0].Typed = hostile("typed")
	attempt.Explanations = nil
	p := presence.Session{Schema: 1, Session: hostile("s1"), Trainee: hostile("Mallory"), Activity: hostile(presence.ActivityPlaying),
		Connected: now, Updated: now, Scenario: hostile("first-time-caller"), Title: hostile("Title"), Node: hostile("start"), Attempt: attempt}
	for path, v := range map[string]any{
		filepath.Join(live, "server.json"):            info,
		filepath.Join(live, "sessions", "s1.json"):    p,
		filepath.Join(live, "sessions", "s2"+".json"): presence.Session{Schema: 1, Session: "s2", Trainee: "Eve" + osc52, Activity: "naming", Connected: now, Updated: now},
	} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, ids
}

// TestHostileRecordsNeverReachTheTerminal drives every command that reads
// records or presence files over a folder an attacker wrote, and checks
// that nothing that acts on a terminal comes out, on either stream.
func TestHostileRecordsNeverReachTheTerminal(t *testing.T) {
	dir, ids := hostileFolder(t)
	out := t.TempDir()
	env := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	cmds := map[string][]string{
		"history table":   {"history", "--results", dir, "--all", "--plain"},
		"history json":    {"history", "--results", dir, "--all", "--format", "json"},
		"history by name": {"history", "--results", dir, "--name", "Ann"},
		"class --once":    {"class", "--results", dir, "--once"},
		"export xapi":     {"export", "--format", "xapi", "--results", dir},
		"export a file":   {"export", "--format", "xapi", filepath.Join(dir, ids[0]+results.Ext)},
	}
	for _, f := range []string{"table", "csv", "json", "markdown"} {
		cmds["report "+f] = []string{"report", dir, "--format", f}
	}
	for i, id := range ids {
		cmds["replay "+string(rune('a'+i))] = []string{"replay", id, "--results", dir}
	}
	// An id prefix that names the foreign file.
	cmds["replay by prefix"] = []string{"replay", "x", "--results", dir}
	for name, args := range cmds {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runWith(t, env, args...)
			if strings.HasPrefix(name, "replay") && code != ExitOK && code != ExitFailure || !strings.HasPrefix(name, "replay") && code != ExitOK {
				t.Errorf("exit %d\nstderr: %s", code, stderr)
			}
			if strings.TrimSpace(stdout) == "" && name != "replay by prefix" {
				t.Errorf("nothing on stdout; stderr: %s", stderr)
			}
			assertClean(t, "stdout", stdout)
			assertClean(t, "stderr", stderr)
		})
	}
	// The class dashboard's e key writes the class report to a file.
	for _, f := range exportFormats {
		path, err := exportClass(dir, out, f, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "class export "+f, string(data))
		// It names trainees: as private as the records.
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("class export %s: mode %v, want 0600", f, info.Mode().Perm())
		}
	}
	// What is shown is the text without the sequences, not nothing.
	_, stdout, _ := runWith(t, env, "class", "--results", dir, "--once")
	for _, want := range []string{"Mallory", "0.0.0.0:2222", "Ann"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("class --once lacks %q:\n%s", want, stdout)
		}
	}
	_, stdout, _ = runWith(t, env, "report", dir, "--format", "csv")
	if !strings.Contains(stdout, "trainee,Ann,,attempts") || !strings.Contains(stdout, "resolved") {
		t.Errorf("report lost the clean text:\n%s", stdout)
	}
}

// tomlHostile is s with its control characters written as TOML escapes,
// so the file parses and the sequences reach the loader.
func tomlHostile(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, `\u%04X`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestHostileScenarioAndTyping plays and checks a scenario file an
// attacker wrote, and types hostile lines and a hostile name into the
// plain player: nothing that acts on a terminal comes out, and the saved
// record holds the text without the sequences.
func TestHostileScenarioAndTyping(t *testing.T) {
	src, err := os.ReadFile("../scenario/testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for _, field := range []string{`title = "Minimal"`, `name = "Ana"`, `say = "Hi."`, `say = "Bye."`, `say = "Thanks!"`} {
		k, v, _ := strings.Cut(field, " = ")
		s = strings.Replace(s, field, k+` = "`+tomlHostile(hostile(strings.Trim(v, `"`)))+`"`, 1)
	}
	// A key the loader does not know, named to attack the hint about it.
	s = strings.Replace(s, "anger = 50", "anger = 50\n\""+tomlHostile(hostile("moood"))+"\" = 1", 1)
	dir := t.TempDir()
	file := writeFile(t, dir, "hostile.toml", s)
	// A syntax error on a line holding raw sequences: the excerpt shows it.
	broken := writeFile(t, dir, "broken.toml", "id = \"x\"\ntitle = "+hostile("oops")+"\n")
	data := t.TempDir()
	env := map[string]string{"HOME": t.TempDir(), "RAPPORT_DATA_DIR": data, "XDG_CONFIG_HOME": t.TempDir()}
	for name, args := range map[string][]string{
		"check":        {"check", file},
		"check json":   {"check", "--format", "json", file},
		"check broken": {"check", broken},
		"play":         {"play", file, "--plain"},
		"play broken":  {"play", broken, "--plain"},
		"list":         {"list", "--scenarios", dir},
		"paths":        {"paths", file},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runWith(t, env, args...)
			if code == ExitOK && strings.HasPrefix(name, "check") {
				t.Errorf("exit %d: the hostile file passed the check", code)
			}
			assertSafe(t, "stdout", stdout)
			assertSafe(t, "stderr", stderr)
		})
	}
	// The checker points at the first hostile character.
	_, _, stderr := runWith(t, env, "check", file)
	if !strings.Contains(stderr, "RP009") || !strings.Contains(stderr, "bidi override") {
		t.Errorf("check does not name the problem:\n%s", stderr)
	}

	typed := "t I am " + osc52 + "so" + rlo + " sorry" + c1CSI + ", let me" + csiClear + " help.\n"
	code, stdout, stderr := runWithInput(t, env, strings.Repeat(typed, 30)+ones,
		"play", "first-time-caller", "--plain", "--name", hostile("Mallory"))
	if code != ExitOK {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	assertClean(t, "play stdout", stdout)
	assertClean(t, "play stderr", stderr)
	if !strings.Contains(stdout, "I am so sorry, let me help.") {
		t.Errorf("the typed line is not shown cleaned:\n%s", stdout)
	}
	recs, _, err := results.Read(filepath.Join(data, "results"))
	if err != nil || len(recs) != 1 {
		t.Fatalf("saved %d records: %v", len(recs), err)
	}
	raw, err := os.ReadFile(filepath.Join(data, "results", recs[0].ID+results.Ext))
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, "saved record", string(raw))
	if recs[0].Trainee != "Mallory" || recs[0].Turns[0].Typed != "I am so sorry, let me help." {
		t.Errorf("saved name %q, first line %q", recs[0].Trainee, recs[0].Turns[0].Typed)
	}
}

// runWithInput is runWith with stdin.
func runWithInput(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return env[k]
	}
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb, getenv)
	return code, out.String(), errb.String()
}
