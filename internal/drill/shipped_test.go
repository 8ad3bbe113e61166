package drill

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// The shipped openings drill must load without a single diagnostic and
// hold what the drill promises: at least 30 openers over every channel,
// four responses each, one of each rating, and the best in every slot
// about equally often.
func TestShippedOpeningsDrill(t *testing.T) {
	d, ds, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, diag := range ds {
		t.Errorf("%s\n\thint: %s", diag, diag.Hint)
	}
	if d.ID != "openings" {
		t.Errorf("id %q, want openings (rapport drill openings)", d.ID)
	}
	if len(d.Openers) < MinOpeners {
		t.Fatalf("%d openers, want at least %d", len(d.Openers), MinOpeners)
	}
	channels := map[scenario.Channel]int{}
	moods := map[Mood]int{}
	slots := map[int]int{}
	for _, o := range d.Openers {
		channels[o.Channel]++
		moods[o.Mood]++
		if len(o.Responses) != ResponsesPerOpener {
			t.Errorf("%s: %d responses", o, len(o.Responses))
		}
		ratings := map[Rating]int{}
		for _, r := range o.Responses {
			ratings[r.Rating]++
			if r.Principle == "" || strings.TrimSpace(r.Feedback) == "" {
				t.Errorf("%s response %d: no principle or feedback", o, r.Number)
			}
		}
		for _, r := range Ratings {
			if ratings[r] != 1 {
				t.Errorf("%s: %d %s responses, want exactly 1", o, ratings[r], r)
			}
		}
		_, n := o.Best()
		slots[n]++
	}
	for _, c := range scenario.Channels {
		if channels[c] < 8 {
			t.Errorf("%d %s openers, want at least 8", channels[c], c)
		}
	}
	if len(moods) < 7 {
		t.Errorf("only %d moods: %v", len(moods), moods)
	}
	for slot := 1; slot <= ResponsesPerOpener; slot++ {
		if n := slots[slot]; n < len(d.Openers)/ResponsesPerOpener-2 || n > len(d.Openers)/ResponsesPerOpener+2 {
			t.Errorf("the best is response %d in %d openers: spread it evenly (%v)", slot, n, slots)
		}
	}
	t.Logf("%d openers; channels %v; moods %v; best slots %v", len(d.Openers), channels, moods, slots)
}

// The shipped drill teaches listening, not length (issue 11, section 5):
// the best opening is the longest of its four in at most a third of the
// openers, the shortest in some, and no line a trainee could pick by size
// dwarfs the others.
func TestShippedDrillLengthGivesNothingAway(t *testing.T) {
	d, _, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		t.Fatal(err)
	}
	longest, shortest := 0, 0
	for _, o := range d.Openers {
		_, n := o.Best()
		words := make([]int, len(o.Responses))
		for i, r := range o.Responses {
			words[i] = len(strings.Fields(r.Say))
		}
		best := words[n-1]
		if best >= slices.Max(words) {
			longest++
		}
		if best <= slices.Min(words) {
			shortest++
		}
		if slices.Max(words) > 2*slices.Min(words) {
			t.Errorf("%s: responses of %v words; keep the four comparable (at most twice as long as the shortest)", o, words)
		}
	}
	if longest*3 > len(d.Openers) {
		t.Errorf("the best is the longest in %d of %d openers, want at most a third", longest, len(d.Openers))
	}
	if shortest == 0 {
		t.Errorf("the best is never the shortest: let it be sometimes")
	}
	t.Logf("best longest in %d, shortest in %d of %d openers", longest, shortest, len(d.Openers))
}

// A "good" opening is nearly right: its rating and its feedback agree only
// if it makes none of the mistakes the drill teaches (an account number
// first, a hold, jargon, blame ...). Such a response is weak or poor. The
// check reads both the author's tags and what the scoring model hears.
func TestShippedDrillGoodMakesNoMistake(t *testing.T) {
	d, _, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range d.Openers {
		for _, r := range o.Responses {
			if r.Rating != Good && r.Rating != Best {
				continue
			}
			if r.Rating == Good && r.Principle == "no-account-number-first" {
				t.Errorf("%s response %d is rated good for breaking %q: rate it weak", o, r.Number, r.Principle)
			}
			for _, tag := range r.Tags {
				if info, ok := reader.Info(reader.BehaviorID(tag)); ok && info.Polarity == reader.Negative {
					t.Errorf("%s response %d is rated %s but tagged %s: rate it weak or rewrite it", o, r.Number, r.Rating, tag)
				}
			}
			for _, h := range Heard(o, r.Say) {
				if strings.HasPrefix(h, "-") {
					t.Errorf("%s response %d is rated %s but the model hears %s", o, r.Number, r.Rating, h)
				}
			}
		}
	}
}

// The drill's dialogue must be its own: no line of a customer or trainee
// may appear in a scenario file.
func TestShippedDrillDialogueIsOriginal(t *testing.T) {
	d, _, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	var others []string
	for _, name := range names {
		if scenario.IsDrillFile(name) {
			continue
		}
		src, err := fs.ReadFile(scenarios.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		others = append(others, " "+normalise(string(src))+" ")
	}
	check := func(what, line string) {
		n := normalise(line)
		if len(strings.Fields(n)) < 6 {
			return // short lines ("Reference?") are shared by any two conversations
		}
		for i, o := range others {
			if strings.Contains(o, " "+n+" ") {
				t.Errorf("%s %q also appears in a scenario file (%d)", what, line, i)
			}
		}
	}
	seen := map[string]string{}
	for _, o := range d.Openers {
		check(o.ID+" customer line", o.Say)
		for _, r := range o.Responses {
			check(o.ID+" response", r.Say)
			key := normalise(r.Say)
			if prev, dup := seen[key]; dup {
				t.Errorf("%s repeats a response of %s: %q", o.ID, prev, r.Say)
			}
			seen[key] = o.ID
		}
	}
}

func TestShippedDrillIsFound(t *testing.T) {
	d, _, err := Find(scenarios.FS, "openings")
	if err != nil || d == nil || d.ID != "openings" {
		t.Fatalf("Find(openings) = %v, %v", d, err)
	}
	drills, ds, err := LoadDir(scenarios.FS)
	if err != nil || ds.HasErrors() || len(drills) == 0 {
		t.Fatalf("LoadDir: %d drills, %v, %v", len(drills), ds, err)
	}
}
