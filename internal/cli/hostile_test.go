package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/server"
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

// assertClean fails if out holds anything that would act on a terminal or
// reorder text: ESC, a C1 control, a raw 0x9B byte, a format character, or
// the same as a JSON escape (a JSON reader would decode it and print it),
// or what is left of a sequence that was not removed whole.
func assertClean(t *testing.T, what, out string) {
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
	for _, rest := range []string{`\u001b`, `\u001B`, `\u009b`, `\u009d`, `\u202e`, `\u202E`, `\u2066`, `\u200b`, "]52;", "ZXZpbA==", "cHduZWQ=", "[2J", "31m", "evil.test"} {
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
		// Decoded as plain JSON: results.Unmarshal would sanitise it.
		var r results.Record
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		r.Trainee = hostile(r.Trainee)
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
			if j%2 == 0 {
				tn.Typed = hostile("I am so sorry")
			}
			for k := range tn.Behaviors {
				tn.Behaviors[k].ID = hostile(tn.Behaviors[k].ID)
			}
			if tn.Best != nil {
				tn.Best.Say = hostile(tn.Best.Say)
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

	live := server.LiveDir(dir)
	now := time.Now().UTC()
	info := server.ServerInfo{Schema: 1, Addr: hostile("0.0.0.0:2222"), Started: now, Updated: now,
		Assigned: []string{hostile("first-time-caller"), hostile("late-delivery")}, Sessions: 1}
	attempt := seeded[1].rec
	attempt.Trainee = hostile("Mallory")
	attempt.Turns[0].Typed = hostile("typed")
	attempt.Explanations = nil
	p := server.Presence{Schema: 1, Session: hostile("s1"), Trainee: hostile("Mallory"), Activity: hostile(server.ActivityPlaying),
		Connected: now, Updated: now, Scenario: hostile("first-time-caller"), Title: hostile("Title"), Node: hostile("start"), Attempt: attempt}
	for path, v := range map[string]any{
		filepath.Join(live, "server.json"):            info,
		filepath.Join(live, "sessions", "s1.json"):    p,
		filepath.Join(live, "sessions", "s2"+".json"): server.Presence{Schema: 1, Session: "s2", Trainee: "Eve" + osc52, Activity: "naming", Connected: now, Updated: now},
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
	for name, args := range cmds {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runWith(t, env, args...)
			if strings.HasPrefix(name, "replay") && code != ExitOK && code != ExitFailure || !strings.HasPrefix(name, "replay") && code != ExitOK {
				t.Errorf("exit %d\nstderr: %s", code, stderr)
			}
			if strings.TrimSpace(stdout) == "" {
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
	}
	// What is shown is the text without the sequences, not nothing.
	_, stdout, _ := runWith(t, env, "class", "--results", dir, "--once")
	for _, want := range []string{"Mallory", "0.0.0.0:2222", "Ann"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("class --once lacks %q:\n%s", want, stdout)
		}
	}
	_, stdout, _ = runWith(t, env, "report", dir, "--format", "csv")
	if !strings.Contains(stdout, "trainee,Ann,attempts") || !strings.Contains(stdout, "resolved") {
		t.Errorf("report lost the clean text:\n%s", stdout)
	}
}
