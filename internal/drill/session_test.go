package drill

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// fixture loads testdata/advice.toml: four openers, warnings only. Its
// best responses are all number 1; the others are rated in the order the
// file gives.
func fixture(t *testing.T) *Drill {
	t.Helper()
	src, err := os.ReadFile("testdata/advice.toml")
	if err != nil {
		t.Fatal(err)
	}
	d, ds := Parse("advice.toml", src)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return d
}

func ids(s *Session) []string {
	var out []string
	for _, o := range s.openers {
		out = append(out, o.ID)
	}
	return out
}

func TestSessionOrderIsSeeded(t *testing.T) {
	d := fixture(t)
	a, b := NewSession(d, Options{Seed: 7}), NewSession(d, Options{Seed: 7})
	if !slices.Equal(ids(a), ids(b)) {
		t.Fatalf("same seed, different orders: %v %v", ids(a), ids(b))
	}
	sorted := slices.Sorted(slices.Values(ids(a)))
	if !slices.Equal(sorted, []string{"a", "b", "c", "d"}) {
		t.Fatalf("session lost or repeated openers: %v", ids(a))
	}
	orders := map[string]bool{}
	for seed := range uint64(20) {
		orders[fmtIDs(NewSession(d, Options{Seed: seed}))] = true
	}
	if len(orders) < 5 {
		t.Errorf("20 seeds gave only %d orders of 4 openers", len(orders))
	}
}

func fmtIDs(s *Session) string {
	out := ""
	for _, id := range ids(s) {
		out += id
	}
	return out
}

func TestSessionCount(t *testing.T) {
	d := fixture(t)
	tests := map[string]struct{ count, want int }{
		"all by default":     {0, 4},
		"fewer":              {2, 2},
		"more than the file": {9, 4},
		"negative means all": {-1, 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := NewSession(d, Options{Count: tc.count}).Len(); got != tc.want {
				t.Errorf("Len() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestSessionAnswers(t *testing.T) {
	d := fixture(t)
	s := NewSession(d, Options{Seed: 1, Limit: 8 * time.Second})
	if _, err := s.Answer(5, 0); !errors.Is(err, ErrNoResponse) {
		t.Fatalf("pick 5 of 4: err = %v", err)
	}
	first := s.Current()
	r, err := s.Answer(1, time.Second)
	if err != nil || r.Rating != Best || r.Missed() || r.Opener != first || r.DeadAir {
		t.Fatalf("best pick: %+v, %v", r, err)
	}
	r, err = s.Answer(2, 9*time.Second)
	if err != nil || !r.DeadAir || r.Rating != Poor || r.Principle() != NoDeadAir {
		t.Fatalf("late pick: %+v, %v", r, err)
	}
	if fb := r.Feedback(); !contains(fb, "9s", "8s", r.Picked.Feedback) {
		t.Errorf("late pick feedback %q does not name the times and the pick's own feedback", fb)
	}
	r, err = s.TimeOut()
	if err != nil || r.Picked != nil || r.Rating != Poor || r.Feedback() != DeadAirFeedback {
		t.Fatalf("time-out: %+v, %v", r, err)
	}
	fourth := s.Current()
	r, err = s.Answer(4, 0)
	if err != nil || r.Principle() != fourth.Responses[3].Principle || r.Rating != fourth.Responses[3].Rating {
		t.Fatalf("fourth pick: %+v, %v", r, err)
	}
	if !s.Done() || s.Current() != nil {
		t.Fatal("session not done after four answers")
	}
	if _, err := s.Answer(1, 0); !errors.Is(err, ErrDone) {
		t.Errorf("answer after the end: %v", err)
	}
	if _, err := s.TimeOut(); !errors.Is(err, ErrDone) {
		t.Errorf("time-out after the end: %v", err)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestSummary(t *testing.T) {
	d := fixture(t)
	// Answer the openers in file order: a best, b poor, c good, d poor.
	s := &Session{drill: d, openers: d.Openers}
	for _, n := range []int{1, 4, 2, 4} {
		if _, err := s.Answer(n, 0); err != nil {
			t.Fatal(err)
		}
	}
	sum := s.Summary()
	if sum.Total != 4 || sum.Best != 1 || sum.Points != 3+0+2+0 || sum.MaxPoints != 12 {
		t.Errorf("score %s", sum.Score())
	}
	if got := sum.RatingsLine(); got != "best 1 · good 1 · weak 0 · poor 2 · dead air 0" {
		t.Errorf("ratings %q", got)
	}
	if got := TallyLine(sum.ByChannel); got != "phone 1/2 · chat 0/1 · in-person 0/1" {
		t.Errorf("by channel %q", got)
	}
	if got := TallyLine(sum.ByMood); got != "anxious 1/1 · angry 0/1 · confused 0/1 · sceptical 0/1" {
		t.Errorf("by mood %q", got)
	}
	want := []Miss{{NoAccountFirst, 1}, {NoInvalidating, 1}, {NotDefensive, 1}}
	if !slices.Equal(sum.Missed, want) {
		t.Errorf("missed %v, want %v", sum.Missed, want)
	}
	if m := MissLine(sum.Missed[0]); m != "1× a customer, not an account number (no-account-number-first)" {
		t.Errorf("miss line %q", m)
	}
}

func TestVerdictSaysTheRatingInWords(t *testing.T) {
	o := &Opener{Responses: []*Response{{Rating: Weak}}}
	tests := map[string]struct {
		r    Result
		want string
	}{
		"best":     {Result{Opener: o, Rating: Best}, "BEST (3 of 3 points)"},
		"weak":     {Result{Opener: o, Rating: Weak}, "WEAK (1 of 3 points)"},
		"dead air": {Result{Opener: o, Rating: Poor, DeadAir: true}, "DEAD AIR, rated poor (0 of 3 points)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.r.Verdict(); got != tc.want {
				t.Errorf("Verdict() = %q, want %q", got, tc.want)
			}
		})
	}
	if (&Opener{Channel: scenario.Phone}).String() == "" {
		t.Error("empty opener description")
	}
}
