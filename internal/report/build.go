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
	"math"
	"slices"
	"strconv"
	"strings"

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

// drills sums up the drill rounds among recs, by trainee and drill.
func drills(recs []*results.Record) []DrillStat {
	type key struct{ trainee, drill string }
	by := map[key]*DrillStat{}
	var keys []key
	scores := map[key][]int{}
	for _, r := range recs {
		if !r.IsDrill() || r.Drill == nil {
			continue
		}
		name := strings.TrimSpace(r.Trainee)
		if name == "" {
			name = Unnamed
		}
		k := key{name, r.Scenario.ID}
		d := by[k]
		if d == nil {
			d = &DrillStat{Trainee: name, Drill: r.Scenario.ID}
			by[k] = d
			keys = append(keys, k)
		}
		d.Title = r.Scenario.Title // the newest title wins
		d.Rounds++
		if r.Status != results.Finished {
			d.Abandoned++
			continue
		}
		d.Best += r.Drill.Best
		d.Answers += len(r.Drill.Answers)
		d.DeadAir += r.Drill.DeadAir
		if p, ok := r.Drill.Percent(); ok {
			scores[k] = append(scores[k], p)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.trainee), strings.ToLower(b.trainee)), cmp.Compare(a.trainee, b.trainee), cmp.Compare(a.drill, b.drill))
	})
	out := make([]DrillStat, 0, len(keys))
	for _, k := range keys {
		d := by[k]
		d.Score = stat("score", "Drill score", scores[k])
		out = append(out, *d)
	}
	return out
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
	rep := &Report{Trainees: []Group{}, Scenarios: []Scenario{}, Drills: drills(recs)}
	// Drill rounds have their own summary; the rest is about scenarios.
	if slices.ContainsFunc(recs, (*results.Record).IsDrill) {
		recs = slices.DeleteFunc(slices.Clone(recs), (*results.Record).IsDrill)
	}
	ix := index(recs)
	byTrainee := map[string][]int{}
	byScenario := map[string][]int{}
	for i, r := range recs {
		rep.Attempts++
		if r.Status == results.Finished {
			rep.Finished++
		} else {
			rep.Abandoned++
		}
		name := strings.TrimSpace(r.Trainee)
		if name == "" {
			name = Unnamed
		}
		byTrainee[name] = append(byTrainee[name], i)
		byScenario[r.Scenario.ID] = append(byScenario[r.Scenario.ID], i)
	}
	for _, name := range sortedKeys(byTrainee, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
	}) {
		g := ix.group(name, recs, byTrainee[name])
		byScen := map[string][]int{}
		for _, i := range byTrainee[name] {
			byScen[recs[i].Scenario.ID] = append(byScen[recs[i].Scenario.ID], i)
		}
		for _, id := range sortedKeys(byScen, strings.Compare) {
			g.Scenarios = append(g.Scenarios, ix.group(id, recs, byScen[id]))
		}
		rep.Trainees = append(rep.Trainees, g)
	}
	for _, id := range sortedKeys(byScenario, strings.Compare) {
		idx := byScenario[id]
		rs := make([]*results.Record, len(idx))
		for j, i := range idx {
			rs[j] = recs[i]
		}
		s := Scenario{Group: ix.group(id, recs, idx), Points: points(rs)}
		hashes := map[string]bool{}
		for _, r := range rs {
			hashes[r.Scenario.Hash] = true
			s.Title = r.Scenario.Title // the newest title wins
		}
		s.Versions = len(hashes)
		rep.Scenarios = append(rep.Scenarios, s)
	}
	return rep
}

func sortedKeys[V any](m map[string]V, f func(a, b string) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, f)
	return keys
}

// bits is a set of behaviour numbers (see behaviorIndex).
type bits []uint64

func (b bits) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bits) set(i int)      { b[i/64] |= 1 << (i % 64) }

// behaviorIndex numbers the behaviours seen in the records and holds, per
// record, the sets of positive and negative behaviours it showed, and per
// scenario the positive behaviours some attempt showed: those were within
// reach there, so their absence elsewhere says something about the
// trainee rather than the scenario. Working on numbered sets, computed
// once, keeps a report over ten thousand records fast.
type behaviorIndex struct {
	ids      []string
	pos, neg []bits
	reach    map[string]bits
}

func index(recs []*results.Record) *behaviorIndex {
	num := map[string]int{}
	for _, r := range recs {
		for _, t := range r.Turns {
			for _, b := range t.Behaviors {
				if _, ok := num[b.ID]; !ok {
					num[b.ID] = len(num)
				}
			}
		}
	}
	ix := &behaviorIndex{ids: make([]string, len(num)), reach: map[string]bits{}}
	for id, i := range num {
		ix.ids[i] = id
	}
	words := (len(num) + 63) / 64
	newBits := func() bits { return make(bits, words) }
	ix.pos, ix.neg = make([]bits, len(recs)), make([]bits, len(recs))
	for i, r := range recs {
		pos, neg := newBits(), newBits()
		for _, t := range r.Turns {
			for _, b := range t.Behaviors {
				switch b.Polarity {
				case "+":
					pos.set(num[b.ID])
				case "-":
					neg.set(num[b.ID])
				}
			}
		}
		ix.pos[i], ix.neg[i] = pos, neg
		reach, ok := ix.reach[r.Scenario.ID]
		if !ok {
			reach = newBits()
			ix.reach[r.Scenario.ID] = reach
		}
		for w := range reach {
			reach[w] |= pos[w]
		}
	}
	return ix
}

func (ix *behaviorIndex) group(name string, recs []*results.Record, idx []int) Group {
	g := Group{Name: name, Attempts: len(idx)}
	var vals [4][]int
	outcomes := map[string]int{}
	n := len(ix.ids)
	negatives, missing, missingOf := make([]int, n), make([]int, n), make([]int, n)
	for _, i := range idx {
		r := recs[i]
		for b := range n {
			if ix.neg[i].has(b) {
				negatives[b]++
			}
		}
		if r.Status != results.Finished {
			g.Abandoned++
			continue
		}
		g.Finished++
		if r.Ending != nil {
			outcomes[string(r.Ending.Outcome)]++
		}
		reach := ix.reach[r.Scenario.ID]
		for b := range n {
			if reach.has(b) {
				missingOf[b]++
				if !ix.pos[i].has(b) {
					missing[b]++
				}
			}
		}
		if s := r.Scores; s != nil {
			for k, sc := range s.All() {
				if sc.Assessed {
					vals[k] = append(vals[k], sc.Value)
				}
			}
			vals[3] = append(vals[3], s.Overall)
		}
	}
	for k := range vals {
		g.Scores = append(g.Scores, stat(scoreKeys[k], scoreLabels[k], vals[k]))
	}
	g.Outcomes = outcomeCounts(outcomes, g.Finished)
	g.Negatives = ix.top(negatives, func(int) int { return g.Attempts })
	g.Missing = ix.top(missing, func(b int) int { return missingOf[b] })
	return g
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
func (ix *behaviorIndex) top(counts []int, of func(int) int) []Count {
	out := []Count{}
	for b, n := range counts {
		if n > 0 {
			out = append(out, count(ix.ids[b], n, of(b)))
		}
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(b.Count, a.Count), strings.Compare(a.ID, b.ID))
	})
	if len(out) > TopBehaviors {
		out = out[:TopBehaviors]
	}
	return out
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

// points builds the choice distribution at each decision point of one
// scenario's attempts.
func points(recs []*results.Record) []Point {
	type row struct {
		id     string
		number int
		say    string
	}
	type tally struct {
		first  int // earliest turn index the node was seen at
		visits int
		picked map[string]int
		rows   map[string]row
		best   map[string]int // how often each choice was named best
		order  int
	}
	nodes := map[string]*tally{}
	for _, r := range recs {
		for _, t := range r.Turns {
			n := nodes[t.Node]
			if n == nil {
				n = &tally{first: t.Index, picked: map[string]int{}, rows: map[string]row{}, best: map[string]int{}, order: len(nodes)}
				nodes[t.Node] = n
			}
			n.first = min(n.first, t.Index)
			n.visits++
			k := choiceKey(t.ChoiceID, t.Choice, t.Unheard)
			n.picked[k]++
			if t.Unheard {
				n.rows[k] = row{say: UnheardSay}
			} else {
				n.rows[k] = row{t.ChoiceID, t.Choice, t.Say}
			}
			if t.Best != nil {
				bk := choiceKey(t.Best.ID, t.Best.Choice, false)
				n.best[bk]++
				if _, ok := n.rows[bk]; !ok {
					n.rows[bk] = row{t.Best.ID, t.Best.Choice, t.Best.Say}
				}
			} else if t.Typed == "" && r.Scores != nil {
				// Scored, and no better choice was on offer: this one
				// was the best.
				n.best[k]++
			}
		}
	}
	ids := sortedKeys(nodes, func(a, b string) int {
		return cmp.Or(nodes[a].first-nodes[b].first, nodes[a].order-nodes[b].order)
	})
	out := make([]Point, 0, len(ids))
	for _, id := range ids {
		n := nodes[id]
		best, bestN := "", 0
		for c, k := range n.best {
			if k > bestN || k == bestN && c < best {
				best, bestN = c, k
			}
		}
		p := Point{Node: id, Visits: n.visits}
		// In the order the trainee saw them (by number), the lines the
		// customer did not follow last.
		keys := sortedKeys(n.rows, func(a, b string) int {
			ra, rb := n.rows[a], n.rows[b]
			last := func(r row) int {
				if r.number == 0 {
					return 1
				}
				return 0
			}
			return cmp.Or(last(ra)-last(rb), ra.number-rb.number, strings.Compare(a, b))
		})
		for _, k := range keys {
			r := n.rows[k]
			ch := Choice{ID: r.id, Number: r.number, Say: r.say, Count: n.picked[k], Best: k == best}
			ch.Share = float64(ch.Count) / float64(n.visits)
			p.Choices = append(p.Choices, ch)
		}
		out = append(out, p)
	}
	return out
}
