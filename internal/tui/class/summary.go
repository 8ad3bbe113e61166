package class

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Snapshot is the class as read at one moment: the saved attempts and who
// is connected now.
type Snapshot struct {
	// At is when it was read.
	At time.Time
	// Saved sums up the saved attempts, added as they were read
	// (explanations need not be read), so that a class of any size is
	// never held in memory; nil when there are none.
	Saved *report.Builder
	// Skipped counts files in the results folder that are not records.
	Skipped int
	// Live are the connected trainees; Server the running server, nil when
	// none is (the dashboard then shows saved attempts only).
	Live   []Live
	Server *Server
}

// What a connected trainee is doing (Live.Activity), as the server's
// presence files say it.
const (
	ActivityNaming   = presence.ActivityNaming
	ActivityChoosing = presence.ActivityChoosing
	ActivityPlaying  = presence.ActivityPlaying
	ActivityDebrief  = presence.ActivityDebrief
)

// Live is one connected trainee, as the server's presence file says
// (package presence writes and reads them; the dashboard draws them).
type Live = presence.Session

// Server is the running classroom server.
type Server = presence.Server

// status is where a trainee is, for the table.
type status int

const (
	statusLeft status = iota
	statusConnected
	statusPlaying
)

// row is one trainee in the table.
type row struct {
	name   string
	status status
	// now says what they are doing, for the connected.
	now string
	// sessions counts their connections.
	sessions int
	// attempts, finished and abandoned count saved attempts; scores are
	// means over the finished ones (report.Stat), overall last.
	attempts, finished, abandoned int
	scores                        [4]report.Stat
	// soFar is the overall score of the attempt in progress, if any.
	soFar    int
	hasSoFar bool
}

// scenarioView is one scenario's decision points: the share of the class
// on each choice, saved and in-progress attempts together.
type scenarioView struct {
	id, title            string
	attempts, inProgress int
	points               []report.Point
}

// summary is everything the dashboard draws, worked out from a snapshot.
type summary struct {
	rows                          []row
	connected, playing            int
	attempts, finished, abandoned int
	scenarios                     []scenarioView
}

// unnamed stands for a connected trainee who has not typed a name yet.
const unnamed = "(new trainee)"

// summarize works out the table and the decision points. lib, when it
// has a scenario, adds the choices nobody has taken yet; assigned orders
// the scenarios (any others seen come after).
func summarize(snap Snapshot, lib []*scenario.Scenario, assigned []string) summary {
	var s summary
	saved := snap.Saved
	if saved == nil {
		saved = &report.Builder{}
	}
	rep := saved.Report()
	s.attempts, s.finished, s.abandoned = rep.Attempts, rep.Finished, rep.Abandoned

	byName := map[string]*row{}
	var rows []*row
	key := func(name string) string { return strings.ToLower(strings.TrimSpace(name)) }
	for _, g := range rep.Trainees {
		r := &row{name: g.Name, attempts: g.Attempts, finished: g.Finished, abandoned: g.Abandoned}
		copy(r.scores[:], g.Scores)
		rows = append(rows, r)
		byName[key(g.Name)] = r
	}
	var inProgress []*results.Record
	for _, l := range snap.Live {
		s.connected++
		if l.Activity == ActivityPlaying {
			s.playing++
		}
		if l.Attempt != nil {
			inProgress = append(inProgress, l.Attempt)
		}
		r := byName[key(l.Trainee)]
		if r == nil || strings.TrimSpace(l.Trainee) == "" {
			r = &row{name: cmp.Or(strings.TrimSpace(l.Trainee), unnamed)}
			rows = append(rows, r)
			if strings.TrimSpace(l.Trainee) != "" {
				byName[key(l.Trainee)] = r
			}
		}
		r.sessions++
		st := statusConnected
		if l.Activity == ActivityPlaying {
			st = statusPlaying
		}
		if st >= r.status {
			r.status = st
			r.now = doing(l)
			if l.Attempt != nil && l.Attempt.Scores != nil && len(l.Attempt.Turns) > 0 {
				r.soFar, r.hasSoFar = l.Attempt.Scores.Overall, true
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b *row) int {
		if a.status != b.status {
			return int(b.status) - int(a.status)
		}
		return cmp.Or(cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name)), cmp.Compare(a.name, b.name))
	})
	for _, r := range rows {
		s.rows = append(s.rows, *r)
	}

	all := saved.Clone()
	for _, r := range inProgress {
		all.Add(r)
	}
	live := all.Report()
	counts := map[string]int{}
	for _, r := range inProgress {
		counts[r.Scenario.ID]++
	}
	var ids []string
	ids = append(ids, assigned...)
	for _, sv := range live.Scenarios {
		if !slices.Contains(ids, sv.Name) {
			ids = append(ids, sv.Name)
		}
	}
	for _, id := range ids {
		v := scenarioView{id: id, title: id}
		var sc *scenario.Scenario
		if i := slices.IndexFunc(lib, func(sc *scenario.Scenario) bool { return sc.ID == id }); i >= 0 {
			sc = lib[i]
			v.title = textsafe.Text(sc.Title)
		}
		if i := slices.IndexFunc(live.Scenarios, func(sv report.Scenario) bool { return sv.Name == id }); i >= 0 {
			sv := live.Scenarios[i]
			if sv.Title != "" && sc == nil {
				v.title = sv.Title
			}
			v.inProgress = counts[id]
			v.attempts = sv.Attempts - v.inProgress
			v.points = withUntaken(sv.Points, sc)
		}
		s.scenarios = append(s.scenarios, v)
	}
	return s
}

// doing says what a connected trainee is doing.
func doing(l Live) string {
	title := cmp.Or(l.Title, l.Scenario)
	switch l.Activity {
	case ActivityNaming:
		return "typing their name"
	case ActivityChoosing:
		return "choosing a conversation"
	case ActivityDebrief:
		if title != "" {
			return "reading the debrief of " + title
		}
		return "reading a debrief"
	case ActivityPlaying:
		s := "playing"
		if title != "" {
			s += " " + title
		}
		if l.Node != "" {
			s += " · at " + l.Node
		}
		if l.Attempt != nil {
			s += " · turn " + strconv.Itoa(len(l.Attempt.Turns)+1)
		}
		return s
	}
	return l.Activity
}

// withUntaken adds, at each decision point, the choices the scenario
// offers that nobody has taken yet, so a trainer sees them at 0%.
func withUntaken(points []report.Point, sc *scenario.Scenario) []report.Point {
	if sc == nil {
		return points
	}
	out := make([]report.Point, len(points))
	for i, p := range points {
		p.Choices = slices.Clone(p.Choices)
		if n, ok := sc.Node(p.Node); ok {
			for _, c := range n.Choices {
				if !slices.ContainsFunc(p.Choices, func(rc report.Choice) bool { return rc.Number == c.Number }) {
					p.Choices = append(p.Choices, report.Choice{Number: c.Number, Say: c.Say})
				}
			}
		}
		slices.SortFunc(p.Choices, func(a, b report.Choice) int { return a.Number - b.Number })
		out[i] = p
	}
	return out
}
