package results

import (
	"fmt"

	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
)

// RecordOf scores an attempt and builds its record, with a new id. Its
// status follows session.Attempt.Finished, the one rule every front end
// shares: finished when the conversation reached an ending, else
// abandoned.
func RecordOf(a session.Attempt, trainee string) (*Record, error) {
	if a.Scenario == nil {
		return nil, fmt.Errorf("record of an attempt: no scenario")
	}
	meta := Meta{Trainee: trainee, Rewinds: a.Rewinds, RetryFrom: a.RetryFrom, Limit: a.Timed, Started: a.Started, Ended: a.Ended, Status: Abandoned}
	if a.Finished() {
		meta.Status = Finished
	}
	if a.Timed > 0 {
		meta.Mode = Timed
	}
	return NewRecord(a.Scenario, a.State, scoring.Evaluate(a.Scenario, a.State), meta)
}

// SaveAttempt scores an attempt, builds its record and saves it in the
// results folder dir, returning the record and the path written. An
// attempt in which nothing was said is not saved: the record is nil and
// the error too.
func SaveAttempt(dir string, a session.Attempt, trainee string) (*Record, string, error) {
	if a.Scenario == nil || Empty(a.State) {
		return nil, "", nil
	}
	store, err := Open(dir)
	if err != nil {
		return nil, "", err
	}
	rec, err := RecordOf(a, trainee)
	if err != nil {
		return nil, "", err
	}
	path, err := store.Save(rec)
	if err != nil {
		return nil, "", err
	}
	return rec, path, nil
}
