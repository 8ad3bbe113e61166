package results

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Progress is how a trainee has done at one scenario over their attempts:
// what the picker shows beside it and `rapport history --progress` lists.
type Progress struct {
	// Scenario is the scenario's id; Title its title at the last attempt.
	Scenario, Title string
	// Attempts counts every attempt saved, finished or abandoned.
	Attempts int
	// Overalls are the overall scores of the finished, scored attempts,
	// oldest first; Best and Last come from them, and are meaningless
	// when it is empty (only abandoned attempts).
	Overalls   []int
	Best, Last int
	// LastPlayed is when the last attempt started.
	LastPlayed time.Time
}

// Scored reports whether any attempt was finished and scored.
func (p Progress) Scored() bool { return len(p.Overalls) > 0 }

// ProgressOf sums up records by scenario id (records of one trainee, or
// of whoever the caller chose). An abandoned attempt counts as an attempt
// but has no overall: its scores would judge a conversation that did not
// end.
func ProgressOf(recs []*Record) map[string]Progress {
	recs = slices.Clone(recs)
	SortByTime(recs)
	out := map[string]Progress{}
	for _, r := range recs {
		p := out[r.Scenario.ID]
		p.Scenario, p.Title = r.Scenario.ID, r.Scenario.Title
		p.Attempts++
		p.LastPlayed = r.Started
		if r.Status == Finished && r.Scores != nil {
			p.Overalls = append(p.Overalls, r.Scores.Overall)
			p.Last = r.Scores.Overall
			p.Best = max(p.Best, r.Scores.Overall)
		}
		out[r.Scenario.ID] = p
	}
	return out
}

// NeedsPractice orders scenarios for practice: never played first, then
// those never finished, then by the last overall, lowest first (ties by
// best, lowest first); ids break ties so the order is stable. It returns
// a negative number when the scenario a needs practice more than b.
func NeedsPractice(a, b Progress, aID, bID string) int {
	rank := func(p Progress) int {
		switch {
		case p.Attempts == 0:
			return 0
		case !p.Scored():
			return 1
		}
		return 2
	}
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Last, b.Last); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Best, b.Best); c != 0 {
		return c
	}
	return strings.Compare(aID, bID)
}
