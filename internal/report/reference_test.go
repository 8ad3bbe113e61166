package report

// The report as it was built before the Builder: every record in memory,
// in time order, walked in that order. Kept as the reference the Builder
// must match byte for byte (TestBuilderMatchesInMemory).

import (
	"cmp"
	"slices"
	"strings"

	"github.com/rapport-sim/rapport/internal/results"
)

// drills sums up the drill rounds among recs, by trainee and drill.
func refDrills(recs []*results.Record) []DrillStat {
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

// buildInMemory summarises records (already filtered). Records should be in time
// order, as results.Read returns them; trends follow the given order.
func buildInMemory(recs []*results.Record) *Report {
	rep := &Report{Trainees: []Group{}, Scenarios: []Scenario{}, Drills: refDrills(recs)}
	// Drill rounds have their own summary; the rest is about scenarios.
	if slices.ContainsFunc(recs, (*results.Record).IsDrill) {
		recs = slices.DeleteFunc(slices.Clone(recs), (*results.Record).IsDrill)
	}
	ix := refIndexOf(recs)
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
		s := Scenario{Group: ix.group(id, recs, idx), Points: refPoints(rs)}
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

// refBits is a set of behaviour numbers (see refIndex).
type refBits []uint64

func (b refBits) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b refBits) set(i int)      { b[i/64] |= 1 << (i % 64) }

// refIndex numbers the behaviours seen in the records and holds, per
// record, the sets of positive and negative behaviours it showed, and per
// scenario the positive behaviours some attempt showed: those were within
// reach there, so their absence elsewhere says something about the
// trainee rather than the scenario. Working on numbered sets, computed
// once, keeps a report over ten thousand records fast.
type refIndex struct {
	ids      []string
	pos, neg []refBits
	reach    map[string]refBits
}

func refIndexOf(recs []*results.Record) *refIndex {
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
	ix := &refIndex{ids: make([]string, len(num)), reach: map[string]refBits{}}
	for id, i := range num {
		ix.ids[i] = id
	}
	words := (len(num) + 63) / 64
	newBits := func() refBits { return make(refBits, words) }
	ix.pos, ix.neg = make([]refBits, len(recs)), make([]refBits, len(recs))
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

func (ix *refIndex) group(name string, recs []*results.Record, idx []int) Group {
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

// top returns the TopBehaviors behaviours with the largest share, ties by
// count and then id.
func (ix *refIndex) top(counts []int, of func(int) int) []Count {
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

// points builds the choice distribution at each decision point of one
// scenario's attempts.
func refPoints(recs []*results.Record) []Point {
	type refRow struct {
		id     string
		number int
		say    string
	}
	type tally struct {
		first  int // earliest turn index the node was seen at
		visits int
		picked map[string]int
		rows   map[string]refRow
		best   map[string]int // how often each choice was named best
		order  int
	}
	nodes := map[string]*tally{}
	for _, r := range recs {
		for _, t := range r.Turns {
			n := nodes[t.Node]
			if n == nil {
				n = &tally{first: t.Index, picked: map[string]int{}, rows: map[string]refRow{}, best: map[string]int{}, order: len(nodes)}
				nodes[t.Node] = n
			}
			n.first = min(n.first, t.Index)
			n.visits++
			k := choiceKey(t.ChoiceID, t.Choice, t.Unheard)
			n.picked[k]++
			if t.Unheard {
				n.rows[k] = refRow{say: UnheardSay}
			} else {
				n.rows[k] = refRow{t.ChoiceID, t.Choice, t.Say}
			}
			if t.Best != nil {
				bk := choiceKey(t.Best.ID, t.Best.Choice, false)
				n.best[bk]++
				if _, ok := n.rows[bk]; !ok {
					n.rows[bk] = refRow{t.Best.ID, t.Best.Choice, t.Best.Say}
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
			last := func(r refRow) int {
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
