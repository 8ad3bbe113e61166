// Package report turns attempt records into what a trainer reads: per
// trainee and per scenario, the average and spread of each score, the trend
// over attempts, the weakest behaviours, and for each decision point the
// share of attempts that took each choice. It writes the report as a
// terminal table, CSV, JSON or Markdown, and exports records as xAPI
// statements for a learning record store.
//
// It reads only records (package results), never scenarios, so a report
// works on any folder of results, including ones from scenarios the trainer
// does not have.
package report

import (
	"cmp"
	"maps"
	"math"
	mathbits "math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
)

// Filter picks the records a report covers. Empty fields match everything.
type Filter struct {
	// Trainee matches the trainee's name, ignoring case and surrounding
	// space.
	Trainee string
	// Scenario matches the scenario id exactly.
	Scenario string
}

// Match reports whether a record passes the filter.
func (f Filter) Match(r *results.Record) bool {
	if f.Trainee != "" && !strings.EqualFold(strings.TrimSpace(r.Trainee), strings.TrimSpace(f.Trainee)) {
		return false
	}
	return f.Scenario == "" || r.Scenario.ID == f.Scenario
}

// Apply returns the records that pass the filter, in order.
func (f Filter) Apply(recs []*results.Record) []*results.Record {
	var out []*results.Record
	for _, r := range recs {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// Unnamed is the group name for records with no trainee name.
const Unnamed = "(unnamed)"

// The score keys, in display order, as used in JSON and CSV.
const (
	KeyOpening   = "first_30_seconds"
	KeyEmpathy   = "empathy"
	KeyDifficult = "difficult_customers"
	KeyOverall   = "overall"
)

// Labels of the scores as the trainee sees them.
var scoreLabels = [4]string{"First 30 seconds", "Empathy", "Difficult customers", "Overall"}
var scoreKeys = [4]string{KeyOpening, KeyEmpathy, KeyDifficult, KeyOverall}

// TopBehaviors is how many weak behaviours each group lists.
const TopBehaviors = 5

// Report is the whole trainer's report.
type Report struct {
	// Attempts counts the scenario attempts covered; Finished and
	// Abandoned split them. Drill rounds are counted in Drills.
	Attempts  int        `json:"attempts"`
	Finished  int        `json:"finished"`
	Abandoned int        `json:"abandoned"`
	Trainees  []Group    `json:"trainees"`
	Scenarios []Scenario `json:"scenarios"`
	// Drills sum up drill rounds, per trainee and drill.
	Drills []DrillStat `json:"drills"`
}

// DrillStat sums up one trainee's rounds of one drill.
type DrillStat struct {
	Trainee string `json:"trainee"`
	// Drill is the drill's id, Title its title.
	Drill     string `json:"drill"`
	Title     string `json:"title"`
	Rounds    int    `json:"rounds"`
	Abandoned int    `json:"abandoned"`
	// Score is the round's points as a percentage of the most it could
	// have had (results.DrillRound.Percent), over finished rounds; its
	// Trend is each round's, oldest first.
	Score Stat `json:"score"`
	// Best and Answers count the answers of finished rounds, and those
	// that found the best response; DeadAir those where the time ran out.
	Best    int `json:"best"`
	Answers int `json:"answers"`
	DeadAir int `json:"dead_air"`
}

// Group is the summary of one trainee's or one scenario's attempts.
type Group struct {
	// Name is the trainee's name, or the scenario's id.
	Name      string `json:"name"`
	Attempts  int    `json:"attempts"`
	Finished  int    `json:"finished"`
	Abandoned int    `json:"abandoned"`
	// Scores are First 30 seconds, Empathy, Difficult customers and
	// Overall, over finished attempts. A trainee's own Scores mix the
	// scenarios they played, so the written reports leave them out and
	// give Scenarios instead.
	Scores []Stat `json:"scores,omitempty"`
	// Outcomes counts finished attempts by outcome, best first.
	Outcomes []Count `json:"outcomes"`
	// Negatives are the negative behaviours that recur: the share of
	// attempts in which each was shown, most frequent first.
	Negatives []Count `json:"recurring_negatives"`
	// Missing are the positive behaviours most often missing: the share of
	// finished attempts that never showed one, counting only attempts at
	// scenarios where some attempt did show it (so it was within reach).
	Missing []Count `json:"missing_positives"`
	// Scenarios are, for a trainee, their attempts at each scenario they
	// played (named by scenario id), in id order: averages never mix
	// scenarios of different difficulty.
	Scenarios []Group `json:"scenarios,omitempty"`
}

// Stat summarises one score over a group's finished attempts.
type Stat struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// N counts the attempts where the score was assessed.
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	// SD is the population standard deviation: the spread.
	SD  float64 `json:"sd"`
	Min int     `json:"min"`
	Max int     `json:"max"`
	// Trend is the score of each assessed attempt, oldest first.
	Trend []int `json:"trend"`
}

// Count is how many of a group's attempts had something.
type Count struct {
	ID    string  `json:"id"`
	Count int     `json:"count"`
	Of    int     `json:"of"`
	Share float64 `json:"share"`
}

// Scenario is the summary of one scenario's attempts, with the class's
// choices at each decision point.
type Scenario struct {
	Group
	Title string `json:"title"`
	// Versions counts the different scenario files (hashes) played.
	Versions int `json:"versions"`
	// Points are the decision points in conversation order.
	Points []Point `json:"decision_points"`
}

// Point is one decision point: how often it was reached and what was
// chosen there.
type Point struct {
	Node string `json:"node"`
	// Visits counts the times attempts reached the node and chose.
	Visits  int      `json:"visits"`
	Choices []Choice `json:"choices"`
}

// Choice is one choice at a decision point and the share of visits that
// took it.
//
// Choices are told apart by their id (results.Turn.ChoiceID), so a
// scenario whose choices were reordered or reworded between attempts never
// mixes two lines into one row; Number and Say are those of the latest
// attempt that took it. Records from before choice ids are grouped by
// number. Typed lines the customer did not follow are a row of their own,
// with no number.
type Choice struct {
	ID     string  `json:"id,omitempty"`
	Number int     `json:"choice"`
	Say    string  `json:"say"`
	Count  int     `json:"count"`
	Share  float64 `json:"share"`
	// Best marks the choice the scoring model rated best here.
	Best bool `json:"best,omitempty"`
}

// Build summarises records (already filtered). Records should be in time
// order, as results.Read returns them; trends follow the given order.
func Build(recs []*results.Record) *Report {
	var b Builder
	for _, r := range recs {
		b.Add(r)
	}
	return b.Report()
}

// Builder builds a report from records given one at a time, in any order,
// keeping only what the report needs of each: a few numbers per attempt
// for the trends, and counts. A report over a folder of any size reads
// its records one by one (results.Each) and never holds them all.
//
// The report is the one Build makes from the same records sorted as
// results.SortByTime sorts them: where Build's result depends on the
// records' order (trends, the newest title, the line shown for a choice,
// the order of decision points), the builder keeps each record's place in
// that order and compares places. TestBuilderMatchesInMemory holds the
// two to the same bytes.
type Builder struct {
	attempts  blocks[attempt]
	trainees  map[string]*acc
	scenarios map[string]*scenarioAcc
	// behaviors numbers the behaviour ids seen; ids is the reverse.
	behaviors map[string]int
	ids       []string
	// pos and neg are the current record's behaviour sets.
	pos, neg bits
	// seq counts the records added.
	seq int
	// drills are the drill rounds' sums by trainee and drill; rounds the
	// finished rounds' scores, for the trends.
	drills map[[2]string]*drillAcc
	rounds []round
	// last is the place of the attempt added last, and unsorted says
	// one came before one added earlier: a folder is read in the order
	// of its files' names, which start with the time, so the attempts
	// usually come in time order, and Report need not sort them.
	last     place
	unsorted bool
}

// drillAcc sums up one trainee's rounds of one drill.
type drillAcc struct {
	DrillStat
	titleAt place
}

// round is a finished drill round's score and place.
type round struct {
	at      place
	d       *drillAcc
	percent int
}

// place is a record's place in time order (results.SortByTime: start
// time, then id), then the order records were added, then a turn's index
// within its record.
type place struct {
	started time.Time
	id      string
	seq     int
	turn    int
}

func (a place) compare(b place) int {
	// Not cmp.Or of the four: its arguments are all worked out, and the
	// ids compared, even when the times differ, for every turn added.
	if c := a.started.Compare(b.started); c != 0 {
		return c
	}
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmp.Or(a.seq-b.seq, a.turn-b.turn)
}

// attempt is what the builder keeps of one record: its place and scores.
type attempt struct {
	at                place
	trainee, scenario *acc
	// traineeAt is the trainee's group at the attempt's scenario.
	traineeAt *acc
	finished  bool
	assessed  [4]bool
	scores    [4]int
}

// acc accumulates one group (a trainee or a scenario).
type acc struct {
	name                          string
	attempts, finished, abandoned int
	outcomes                      map[string]int
	// negatives counts, by behaviour number, the attempts that showed a
	// negative behaviour.
	negatives []int
	// per holds, by scenario id, the group's finished attempts there and
	// how many of them showed each positive behaviour: with the
	// scenario's reach, what a missing positive counts.
	per  map[string]*perScenario
	vals [4][]int
	// assessed counts the attempts with each score assessed: the length
	// vals will have.
	assessed [4]int
	// at holds a trainee's groups by scenario id.
	at map[string]*acc
}

type perScenario struct {
	finished int
	pos      []int
}

// scenarioAcc accumulates one scenario's group, title, versions and
// decision points.
type scenarioAcc struct {
	acc
	title   string
	titleAt place
	titled  bool
	hashes  map[string]struct{}
	// reach is the positive behaviours some attempt at the scenario
	// showed: those were within reach there, so their absence elsewhere
	// says something about the trainee rather than the scenario.
	reach bits
	nodes map[string]*tally
}

// tally is one decision point of a scenario.
type tally struct {
	first   int   // earliest turn index the node was seen at
	firstAt place // where it was first seen
	visits  int
	// choices are the choices taken or named best there, by choiceKey:
	// one map, looked up once or twice a turn.
	choices map[string]*choiceAt
}

// choiceAt is one choice at a decision point: how often it was taken and
// named best, and the line shown for it.
type choiceAt struct {
	rowAt
	picked, best int
}

type row struct {
	id     string
	number int
	say    string
}

// rowAt is the line shown for a choice: the latest attempt's that took it,
// or, for a choice only ever named best, the first attempt's that named it.
type rowAt struct {
	row
	taken bool
	at    place
}

// Add adds one record (already filtered). It keeps strings of the
// record, nothing else, so it may be given records whose memory is reused
// (results.EachTransient).
func (b *Builder) Add(r *results.Record) {
	if b.trainees == nil {
		b.trainees, b.scenarios, b.behaviors = map[string]*acc{}, map[string]*scenarioAcc{}, map[string]int{}
		b.drills = map[[2]string]*drillAcc{}
	}
	at := place{started: r.Started, id: r.ID, seq: b.seq}
	b.seq++
	// Drill rounds have their own summary; the rest is about scenarios.
	if r.IsDrill() {
		if r.Drill != nil {
			b.addDrill(r, at)
		}
		return
	}
	clear(b.pos)
	clear(b.neg)
	for _, t := range r.Turns {
		for _, bh := range t.Behaviors {
			n, ok := b.behaviors[bh.ID]
			if !ok {
				n = len(b.ids)
				b.behaviors[bh.ID] = n
				b.ids = append(b.ids, bh.ID)
				if words := (n + 64) / 64; words > len(b.pos) {
					b.pos, b.neg = append(b.pos, 0), append(b.neg, 0)
				}
			}
			switch bh.Polarity {
			case "+":
				b.pos.set(n)
			case "-":
				b.neg.set(n)
			}
		}
	}
	name := traineeName(r)
	t := b.trainees[name]
	if t == nil {
		t = &acc{name: name}
		b.trainees[name] = t
	}
	s := b.scenarios[r.Scenario.ID]
	if s == nil {
		s = &scenarioAcc{acc: acc{name: r.Scenario.ID}, hashes: map[string]struct{}{}, nodes: map[string]*tally{}}
		b.scenarios[r.Scenario.ID] = s
	}
	if t.at == nil {
		t.at = map[string]*acc{}
	}
	ta := t.at[r.Scenario.ID]
	if ta == nil {
		ta = &acc{name: r.Scenario.ID}
		t.at[r.Scenario.ID] = ta
	}
	a := attempt{at: at, trainee: t, scenario: &s.acc, traineeAt: ta, finished: r.Status == results.Finished}
	if sc := r.Scores; a.finished && sc != nil {
		for k, x := range sc.All() {
			a.assessed[k], a.scores[k] = x.Assessed, x.Value
		}
		a.assessed[3], a.scores[3] = true, sc.Overall
	}
	if b.attempts.n > 0 && at.compare(b.last) < 0 {
		b.unsorted = true
	}
	b.last = at
	b.attempts.add(a)
	for k, ok := range a.assessed {
		if ok {
			t.assessed[k]++
			ta.assessed[k]++
			s.assessed[k]++
		}
	}
	t.add(r, a.finished, b.pos, b.neg)
	ta.add(r, a.finished, b.pos, b.neg)
	s.add(r, a.finished, b.pos, b.neg)
	for len(s.reach) < len(b.pos) {
		s.reach = append(s.reach, 0)
	}
	for w := range b.pos {
		s.reach[w] |= b.pos[w]
	}
	if !s.titled || at.compare(s.titleAt) > 0 {
		s.title, s.titleAt, s.titled = r.Scenario.Title, at, true // the newest title wins
	}
	s.hashes[r.Scenario.Hash] = struct{}{}
	s.addTurns(r, at)
}

func (g *acc) add(r *results.Record, finished bool, pos, neg bits) {
	g.attempts++
	g.negatives = grow(g.negatives, len(neg)*64)
	neg.count(g.negatives)
	if !finished {
		g.abandoned++
		return
	}
	g.finished++
	if r.Ending != nil {
		if g.outcomes == nil {
			g.outcomes = map[string]int{}
		}
		g.outcomes[string(r.Ending.Outcome)]++
	}
	if g.per == nil {
		g.per = map[string]*perScenario{}
	}
	p := g.per[r.Scenario.ID]
	if p == nil {
		p = &perScenario{}
		g.per[r.Scenario.ID] = p
	}
	p.finished++
	p.pos = grow(p.pos, len(pos)*64)
	pos.count(p.pos)
}

// grow lengthens counts to n.
func grow(counts []int, n int) []int {
	if len(counts) < n {
		counts = append(counts, make([]int, n-len(counts))...)
	}
	return counts
}

// traineeName is the name a record's attempts are grouped under.
func traineeName(r *results.Record) string {
	if name := strings.TrimSpace(r.Trainee); name != "" {
		return name
	}
	return Unnamed
}

// addDrill counts a drill round.
func (b *Builder) addDrill(r *results.Record, at place) {
	k := [2]string{traineeName(r), r.Scenario.ID}
	d := b.drills[k]
	if d == nil {
		d = &drillAcc{DrillStat: DrillStat{Trainee: k[0], Drill: k[1]}, titleAt: at}
		d.Title = r.Scenario.Title
		b.drills[k] = d
	}
	if at.compare(d.titleAt) > 0 {
		d.Title, d.titleAt = r.Scenario.Title, at // the newest title wins
	}
	d.Rounds++
	if r.Status != results.Finished {
		d.Abandoned++
		return
	}
	d.Best += r.Drill.Best
	d.Answers += len(r.Drill.Answers)
	d.DeadAir += r.Drill.DeadAir
	if p, ok := r.Drill.Percent(); ok {
		b.rounds = append(b.rounds, round{at, d, p})
	}
}

// drillStats is the drills' sums in order of trainee and drill, each
// score's trend oldest first.
func (b *Builder) drillStats() []DrillStat {
	slices.SortFunc(b.rounds, func(x, y round) int { return x.at.compare(y.at) })
	scores := map[*drillAcc][]int{}
	for _, r := range b.rounds {
		scores[r.d] = append(scores[r.d], r.percent)
	}
	keys := make([][2]string, 0, len(b.drills))
	for k := range b.drills {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(x[0]), strings.ToLower(y[0])), cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1]))
	})
	out := make([]DrillStat, 0, len(keys))
	for _, k := range keys {
		d := b.drills[k]
		st := d.DrillStat
		st.Score = stat("score", "Drill score", scores[d])
		out = append(out, st)
	}
	return out
}

// addTurns counts a record's choices at each decision point.
func (s *scenarioAcc) addTurns(r *results.Record, at place) {
	for i, t := range r.Turns {
		at.turn = i
		n := s.nodes[t.Node]
		if n == nil {
			n = &tally{first: t.Index, firstAt: at, choices: map[string]*choiceAt{}}
			s.nodes[t.Node] = n
		}
		n.first = min(n.first, t.Index)
		if at.compare(n.firstAt) < 0 {
			n.firstAt = at
		}
		n.visits++
		k := choiceKey(t.ChoiceID, t.Choice, t.Unheard)
		picked := row{t.ChoiceID, t.Choice, t.Say}
		if t.Unheard {
			picked = row{say: UnheardSay}
		}
		c := n.choices[k]
		if c == nil {
			c = &choiceAt{rowAt: rowAt{row: picked, taken: true, at: at}}
			n.choices[k] = c
		} else if !c.taken || at.compare(c.at) > 0 {
			// Records mostly come in time order, so the latest changes
			// at almost every turn.
			c.rowAt = rowAt{row: picked, taken: true, at: at}
		}
		c.picked++
		if t.Best != nil {
			bk := choiceKey(t.Best.ID, t.Best.Choice, false)
			bc := n.choices[bk]
			if bc == nil {
				bc = &choiceAt{rowAt: rowAt{row: row{t.Best.ID, t.Best.Choice, t.Best.Say}, at: at}}
				n.choices[bk] = bc
			} else if !bc.taken && at.compare(bc.at) < 0 {
				bc.rowAt = rowAt{row: row{t.Best.ID, t.Best.Choice, t.Best.Say}, at: at}
			}
			bc.best++
		} else if t.Typed == "" && r.Scores != nil {
			// Scored, and no better choice was on offer: this one was
			// the best.
			c.best++
		}
	}
}

// Clone returns a builder with what b holds so far, which records can be
// added to without changing b: the class dashboard adds the attempts in
// progress to the saved ones at every refresh.
func (b *Builder) Clone() *Builder {
	c := &Builder{behaviors: maps.Clone(b.behaviors), ids: slices.Clone(b.ids), pos: slices.Clone(b.pos), neg: slices.Clone(b.neg), seq: b.seq,
		last: b.last, unsorted: b.unsorted}
	if b.trainees == nil {
		return c
	}
	// Attempts point at their groups: the copies point at the copies.
	groups := make(map[*acc]*acc, 2*len(b.trainees)+len(b.scenarios))
	c.trainees = make(map[string]*acc, len(b.trainees))
	for name, t := range b.trainees {
		ct := t.clone()
		groups[t] = ct
		if t.at != nil {
			ct.at = make(map[string]*acc, len(t.at))
			for id, ta := range t.at {
				cta := ta.clone()
				groups[ta] = cta
				ct.at[id] = cta
			}
		}
		c.trainees[name] = ct
	}
	c.scenarios = make(map[string]*scenarioAcc, len(b.scenarios))
	for id, s := range b.scenarios {
		cs := &scenarioAcc{acc: *s.acc.clone(), title: s.title, titleAt: s.titleAt, titled: s.titled,
			hashes: maps.Clone(s.hashes), reach: slices.Clone(s.reach), nodes: make(map[string]*tally, len(s.nodes))}
		groups[&s.acc] = &cs.acc
		for node, n := range s.nodes {
			cn := *n
			cn.choices = make(map[string]*choiceAt, len(n.choices))
			for k, c := range n.choices {
				cc := *c
				cn.choices[k] = &cc
			}
			cs.nodes[node] = &cn
		}
		c.scenarios[id] = cs
	}
	for _, a := range b.attempts.all() {
		a.trainee, a.scenario, a.traineeAt = groups[a.trainee], groups[a.scenario], groups[a.traineeAt]
		c.attempts.add(a)
	}
	drills := make(map[*drillAcc]*drillAcc, len(b.drills))
	c.drills = make(map[[2]string]*drillAcc, len(b.drills))
	for k, d := range b.drills {
		cd := *d
		drills[d] = &cd
		c.drills[k] = &cd
	}
	c.rounds = make([]round, len(b.rounds))
	for i, r := range b.rounds {
		r.d = drills[r.d]
		c.rounds[i] = r
	}
	return c
}

// clone copies a group, all but its groups by scenario (at).
func (g *acc) clone() *acc {
	c := *g
	c.outcomes, c.negatives, c.at = maps.Clone(g.outcomes), slices.Clone(g.negatives), nil
	if g.per != nil {
		c.per = make(map[string]*perScenario, len(g.per))
		for id, p := range g.per {
			c.per[id] = &perScenario{finished: p.finished, pos: slices.Clone(p.pos)}
		}
	}
	for k := range g.vals {
		c.vals[k] = slices.Clone(g.vals[k])
	}
	return &c
}

// Report returns the report over the records added so far.
func (b *Builder) Report() *Report {
	rep := &Report{Trainees: []Group{}, Scenarios: []Scenario{}, Drills: b.drillStats()}
	// The trends, in time order: each exactly as long as it will be.
	for _, g := range b.trainees {
		g.makeVals()
		for _, ga := range g.at {
			ga.makeVals()
		}
	}
	for _, s := range b.scenarios {
		s.makeVals()
	}
	lists := b.attempts.list
	if b.unsorted {
		attempts := b.attempts.all()
		slices.SortFunc(attempts, func(x, y attempt) int { return x.at.compare(y.at) })
		lists = [][]attempt{attempts}
	}
	for _, list := range lists {
		for i := range list {
			a := &list[i]
			rep.Attempts++
			if a.finished {
				rep.Finished++
			} else {
				rep.Abandoned++
			}
			for k := range a.scores {
				if a.assessed[k] {
					a.trainee.vals[k] = append(a.trainee.vals[k], a.scores[k])
					a.traineeAt.vals[k] = append(a.traineeAt.vals[k], a.scores[k])
					a.scenario.vals[k] = append(a.scenario.vals[k], a.scores[k])
				}
			}
		}
	}
	names := sortedKeys(b.trainees, func(x, y string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(x), strings.ToLower(y)), cmp.Compare(x, y))
	})
	ids := sortedKeys(b.scenarios, strings.Compare)
	rep.Trainees, rep.Scenarios = make([]Group, len(names)), make([]Scenario, len(ids))
	// The groups are summed up on two cores: each reads only what the
	// records added, and writes its own place in the report.
	var counts [2]groupCounts
	share := shareWork(len(names)+len(ids), func(w, i int) {
		c := &counts[w]
		if i >= len(names) {
			s := b.scenarios[ids[i-len(names)]]
			rep.Scenarios[i-len(names)] = Scenario{Group: b.group(&s.acc, c), Title: s.title, Versions: len(s.hashes), Points: s.points()}
			return
		}
		t := b.trainees[names[i]]
		g := b.group(t, c)
		for _, id := range sortedKeys(t.at, strings.Compare) {
			g.Scenarios = append(g.Scenarios, b.group(t.at[id], c))
		}
		rep.Trainees[i] = g
	})
	share()
	// The trends were handed to the report; a second call starts again.
	for _, g := range b.trainees {
		g.vals = [4][]int{}
		for _, ga := range g.at {
			ga.vals = [4][]int{}
		}
	}
	for _, s := range b.scenarios {
		s.vals = [4][]int{}
	}
	return rep
}

// makeVals makes the group's trends, empty, with room for every score.
func (g *acc) makeVals() {
	for k, n := range g.assessed {
		if n > 0 {
			g.vals[k] = make([]int, 0, n)
		}
	}
}

// groupCounts are the counts Builder.group works out for each group, kept
// from group to group by each goroutine summing them up.
type groupCounts struct {
	missing, missingOf []int
}

func (b *Builder) group(g *acc, c *groupCounts) Group {
	out := Group{Name: g.name, Attempts: g.attempts, Finished: g.finished, Abandoned: g.abandoned, Scores: make([]Stat, 0, len(g.vals))}
	for k, vals := range g.vals {
		out.Scores = append(out.Scores, stat(scoreKeys[k], scoreLabels[k], vals))
	}
	out.Outcomes = outcomeCounts(g.outcomes, g.finished)
	n := len(b.ids)
	c.missing, c.missingOf = grow(c.missing[:0], n), grow(c.missingOf[:0], n)
	missing, missingOf := c.missing, c.missingOf
	clear(missing)
	clear(missingOf)
	for id, p := range g.per {
		reach := b.scenarios[id].reach
		for bh := range reach.each() {
			missingOf[bh] += p.finished
			missing[bh] += p.finished
			if bh < len(p.pos) {
				missing[bh] -= p.pos[bh]
			}
		}
	}
	out.Negatives = b.top(g.negatives, func(int) int { return g.attempts })
	out.Missing = b.top(missing, func(bh int) int { return missingOf[bh] })
	return out
}

func sortedKeys[V any](m map[string]V, f func(a, b string) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, f)
	return keys
}

func stat(key, label string, vals []int) Stat {
	s := Stat{Key: key, Label: label, N: len(vals), Trend: vals}
	if len(vals) == 0 {
		s.Trend = []int{}
		return s
	}
	s.Min, s.Max = slices.Min(vals), slices.Max(vals)
	var sum float64
	for _, v := range vals {
		sum += float64(v)
	}
	s.Mean = sum / float64(len(vals))
	var sq float64
	for _, v := range vals {
		d := float64(v) - s.Mean
		sq += d * d
	}
	s.SD = math.Sqrt(sq / float64(len(vals)))
	return s
}

// outcomeOrder is scenario.Outcomes' order, best first, kept here as
// strings so records with outcomes this version does not know still count.
var outcomeOrder = []string{"resolved", "kept", "follow-up", "escalated", "lost"}

func outcomeCounts(m map[string]int, of int) []Count {
	out := []Count{}
	rank := func(id string) int {
		if i := slices.Index(outcomeOrder, id); i >= 0 {
			return i
		}
		return len(outcomeOrder)
	}
	for _, id := range sortedKeys(m, func(a, b string) int { return cmp.Or(rank(a)-rank(b), strings.Compare(a, b)) }) {
		out = append(out, count(id, m[id], of))
	}
	return out
}

func count(id string, n, of int) Count {
	c := Count{ID: id, Count: n, Of: of}
	if of > 0 {
		c.Share = float64(n) / float64(of)
	}
	return c
}

// top returns the TopBehaviors behaviours with the largest share, ties by
// count and then id.
func (b *Builder) top(counts []int, of func(int) int) []Count {
	// The best so far, in order: ids differ, so the order is total, and
	// these are the first of all of them sorted.
	var best [TopBehaviors]Count
	n := 0
	for bh, k := range counts {
		if k <= 0 {
			continue
		}
		c := count(b.ids[bh], k, of(bh))
		i := n
		for i > 0 && compareCounts(c, best[i-1]) < 0 {
			i--
		}
		if i == TopBehaviors {
			continue
		}
		n = min(n+1, TopBehaviors)
		copy(best[i+1:n], best[i:n-1])
		best[i] = c
	}
	return append(make([]Count, 0, n), best[:n]...)
}

// compareCounts orders behaviours by share, largest first, then by count
// and id.
func compareCounts(x, y Count) int {
	return cmp.Or(cmp.Compare(y.Share, x.Share), cmp.Compare(y.Count, x.Count), strings.Compare(x.ID, y.ID))
}

// blocks is a list that grows a block at a time instead of being copied
// to a larger array as append does: a report over a hundred thousand
// attempts keeps that many, and copying them over and over was a fifth
// of its time.
type blocks[T any] struct {
	list [][]T
	n    int
}

// blockSize is how many items a block holds.
const blockSize = 1024

func (b *blocks[T]) add(v T) {
	if len(b.list) == 0 || len(b.list[len(b.list)-1]) == blockSize {
		b.list = append(b.list, make([]T, 0, blockSize))
	}
	last := &b.list[len(b.list)-1]
	*last = append(*last, v)
	b.n++
}

// all returns the items in one new slice, in the order they were added.
func (b *blocks[T]) all() []T {
	out := make([]T, 0, b.n)
	for _, l := range b.list {
		out = append(out, l...)
	}
	return out
}

// bits is a set of behaviour numbers (see Builder.behaviors).
type bits []uint64

func (b bits) set(i int) { b[i/64] |= 1 << (i % 64) }

// count adds one to counts[i] for each number i in the set: each() in a
// loop of its own, as Builder.Add does it for every record.
func (b bits) count(counts []int) {
	for w, word := range b {
		for word != 0 {
			i := mathbits.TrailingZeros64(word)
			counts[w*64+i]++
			word &^= 1 << i
		}
	}
}

// each yields the numbers in the set, in order.
func (b bits) each() func(func(int) bool) {
	return func(yield func(int) bool) {
		for w, word := range b {
			for word != 0 {
				i := mathbits.TrailingZeros64(word)
				if !yield(w*64 + i) {
					return
				}
				word &^= 1 << i
			}
		}
	}
}

// UnheardSay is the line a report shows for typed lines the customer did
// not follow.
const UnheardSay = "(typed lines the customer did not follow)"

// choiceKey tells choices apart in a report: by id, or by number in
// records made before choice ids.
func choiceKey(id string, number int, unheard bool) string {
	switch {
	case unheard:
		return "~unheard"
	case id != "":
		return id
	}
	return "#" + strconv.Itoa(number)
}

// points is the choice distribution at each decision point of the
// scenario, in conversation order.
func (s *scenarioAcc) points() []Point {
	nodes := s.nodes
	ids := sortedKeys(nodes, func(a, b string) int {
		return cmp.Or(nodes[a].first-nodes[b].first, nodes[a].firstAt.compare(nodes[b].firstAt))
	})
	out := make([]Point, 0, len(ids))
	for _, id := range ids {
		n := nodes[id]
		best, bestN := "", 0
		for key, c := range n.choices {
			if c.best > 0 && (c.best > bestN || c.best == bestN && key < best) {
				best, bestN = key, c.best
			}
		}
		p := Point{Node: id, Visits: n.visits}
		// In the order the trainee saw them (by number), the lines the
		// customer did not follow last.
		keys := sortedKeys(n.choices, func(a, b string) int {
			ra, rb := n.choices[a], n.choices[b]
			last := func(r *choiceAt) int {
				if r.number == 0 {
					return 1
				}
				return 0
			}
			return cmp.Or(last(ra)-last(rb), ra.number-rb.number, strings.Compare(a, b))
		})
		for _, k := range keys {
			r := n.choices[k]
			ch := Choice{ID: r.id, Number: r.number, Say: r.say, Count: r.picked, Best: k == best}
			ch.Share = float64(ch.Count) / float64(n.visits)
			p.Choices = append(p.Choices, ch)
		}
		out = append(out, p)
	}
	return out
}
