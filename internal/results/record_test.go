package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
)

func TestFromStateAndReplay(t *testing.T) {
	sc := loadScenario(t, "first-time-caller")
	for pick := range 4 {
		st := play(t, sc, pick, 30)
		r, err := FromState(sc, st, meta("Ann", t0))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Turns) != len(st.Steps) || len(r.Turns) == 0 {
			t.Fatalf("pick %d: %d turns for %d steps", pick, len(r.Turns), len(st.Steps))
		}
		if got, want := r.Status, Finished; st.Done() && got != want {
			t.Errorf("pick %d: status %q, want %q", pick, got, want)
		}
		if len(r.Turns) >= 3 && r.Mode != FreeText {
			t.Errorf("pick %d: mode %q, want free-text (turn 3 was typed)", pick, r.Mode)
		}
		for _, tn := range r.Turns {
			if tn.Say == "" {
				t.Errorf("pick %d turn %d: no authored text for choice %d at %s", pick, tn.Index, tn.Choice, tn.Node)
			}
		}
		// The turns are the steps: replaying them rebuilds the state.
		e, err := engine.Replay(sc, engine.Options{Pace: testPace}, r.Steps())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(e.State(), st) {
			t.Errorf("pick %d: replayed state differs from the played one", pick)
		}
	}
}

func TestAbandonedRecord(t *testing.T) {
	sc := loadScenario(t, "late-delivery")
	st := play(t, sc, 0, 2)
	r, err := FromState(sc, st, Meta{Trainee: "Bo", Started: t0, Ended: t0.Add(time.Minute), Mode: Timed, Limit: 15 * time.Second, Rewinds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != Abandoned || r.Ending != nil || r.Mode != Timed || r.Rewinds != 2 || r.Version == "" {
		t.Errorf("abandoned record = status %q ending %v mode %q rewinds %d version %q", r.Status, r.Ending, r.Mode, r.Rewinds, r.Version)
	}
}

func TestNewID(t *testing.T) {
	id, err := NewID(time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.FixedZone("x", 3600)), bytes.NewReader([]byte{1, 2, 3, 4, 5, 0xff}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "20260102T020405.006Z-0102030405ff"; id != want {
		t.Errorf("NewID = %q, want %q", id, want)
	}
	if !ValidID(id) {
		t.Errorf("NewID made an id ValidID rejects: %q", id)
	}
	if _, err := NewID(t0, iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("NewID with a failing reader succeeded")
	}
	seen := map[string]bool{}
	for range 1000 {
		id, err := NewID(t0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"20260102T020405.006Z-0102030405ff": true,
		"a":                                 true,
		"":                                  false,
		".hidden":                           false,
		"../etc":                            false,
		"a..b":                              false,
		"a/b":                               false,
		`a\b`:                               false,
		"a b":                               false,
		strings.Repeat("a", 101):            false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := func() *Record {
		return &Record{Schema: 1, ID: "x1", Scenario: ScenarioRef{ID: "s"}, Mode: Choices, Status: Finished, Started: t0,
			Turns: []Turn{{Index: 1, Node: "n", Choice: 1}}}
	}
	tests := map[string]struct {
		edit func(*Record)
		want error
		text string
	}{
		"good":         {func(*Record) {}, nil, ""},
		"no schema":    {func(r *Record) { r.Schema = 0 }, ErrNotRecord, "no schema"},
		"newer":        {func(r *Record) { r.Schema = Schema + 1 }, ErrNewer, "update rapport"},
		"bad id":       {func(r *Record) { r.ID = "../x" }, ErrInvalid, "id"},
		"no scenario":  {func(r *Record) { r.Scenario.ID = "" }, ErrInvalid, "scenario"},
		"bad status":   {func(r *Record) { r.Status = "won" }, ErrInvalid, "status"},
		"bad mode":     {func(r *Record) { r.Mode = "" }, ErrInvalid, "mode"},
		"no start":     {func(r *Record) { r.Started = time.Time{} }, ErrInvalid, "start"},
		"turn index":   {func(r *Record) { r.Turns[0].Index = 2 }, ErrInvalid, "index"},
		"turn choice":  {func(r *Record) { r.Turns[0].Choice = 0 }, ErrInvalid, "choice"},
		"neg. rewinds": {func(r *Record) { r.Rewinds = -1 }, ErrInvalid, "rewinds"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := good()
			tc.edit(r)
			err := r.Validate()
			if !errors.Is(err, tc.want) || tc.want != nil && !strings.Contains(err.Error(), tc.text) {
				t.Errorf("Validate() = %v, want %v mentioning %q", err, tc.want, tc.text)
			}
		})
	}
}

func TestDurationJSON(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Duration
		fail bool
	}{
		"text":        {`"1m4.25s"`, time.Minute + 4250*time.Millisecond, false},
		"nanoseconds": {`1500000000`, 1500 * time.Millisecond, false},
		"null":        {`null`, 0, false},
		"bad text":    {`"soon"`, 0, true},
		"bad type":    {`true`, 0, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var d Duration
			err := json.Unmarshal([]byte(tc.in), &d)
			if (err != nil) != tc.fail {
				t.Fatalf("Unmarshal(%s) error = %v, want failure %v", tc.in, err, tc.fail)
			}
			if time.Duration(d) != tc.want {
				t.Errorf("Unmarshal(%s) = %v, want %v", tc.in, d, tc.want)
			}
		})
	}
	// Odd durations (a measured hesitation) survive exactly.
	d := Duration(1234567891)
	b, _ := json.Marshal(d)
	var back Duration
	if err := json.Unmarshal(b, &back); err != nil || back != d {
		t.Errorf("round trip of %v via %s = %v, %v", time.Duration(d), b, back, err)
	}
	if !regexp.MustCompile(`^"[0-9.]+s"$`).Match(b) {
		t.Errorf("Duration marshals as %s, want duration text", b)
	}
}
