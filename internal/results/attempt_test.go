package results

import (
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/session"
)

// One rule for status, whatever front end saved the attempt: finished when
// the conversation reached an ending, abandoned otherwise.
func TestRecordOfStatus(t *testing.T) {
	sc := loadScenario(t, "first-time-caller")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s, err := session.New(sc, session.Options{Timed: 20 * time.Second, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Say(0); err != nil {
		t.Fatal(err)
	}
	r, err := RecordOf(s.Attempt(), "Ana")
	if err != nil || r.Status != Abandoned || r.Mode != Timed || r.Trainee != "Ana" || len(r.Turns) != 1 || r.Scores == nil {
		t.Fatalf("in progress: %+v, %v", r, err)
	}
	for !s.Done() {
		if err := s.Say(0); err != nil {
			t.Fatal(err)
		}
	}
	if r, err = RecordOf(s.Attempt(), "Ana"); err != nil || r.Status != Finished || r.Ending == nil {
		t.Fatalf("finished: %+v, %v", r, err)
	}
}
