package scoring

import (
	"slices"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Totals are a conversation's scores without their reasons: each score's
// label, value and whether it was assessed, and the overall with its band.
// They are the numbers Evaluate's Report holds (TestTotalsMatchEvaluate);
// the searches of the path analysis and `rapport check` need nothing more.
type Totals struct {
	// Opening, Empathy and Difficult carry Label, Value and Assessed; no
	// points and no reason.
	Opening   Score
	Empathy   Score
	Difficult Score
	Overall   int
	Band      Band
}

// Scores returns the three scores in display order.
func (t Totals) Scores() []Score { return []Score{t.Opening, t.Empathy, t.Difficult} }

// TotalsOf returns Evaluate(sc, st)'s scores without building the report:
// no explanations, no turns, no timeline.
func TotalsOf(sc *scenario.Scenario, st engine.State) Totals {
	return (*Memo)(nil).Totals(sc, st)
}

// Totals is TotalsOf, reading each line through the memo.
func (m *Memo) Totals(sc *scenario.Scenario, st engine.State) Totals {
	t := m.Tally(sc)
	t.feed(st)
	return t.Totals()
}

// Tally carries a conversation's scores line by line, so a search that
// grows conversations one choice at a time pays for the new line only
// instead of scoring every prefix from the start. Evaluate's scores are a
// fold over the lines but for what only the end decides — whether
// Difficult customers is assessed at all, and whether escalation was
// warranted — so a Tally carries the Difficult customers score and the
// missed chances under each answer and picks one when asked for Totals.
//
// A Tally is a value: Extend returns a new one and leaves the receiver as
// it was, so many conversations can grow from one prefix.
type Tally struct {
	sc    *scenario.Scenario
	m     *reader.Memo
	memo  *Memo
	rules CompanyRules

	// seen counts the transcript entries read; turns the trainee lines.
	seen, turns int
	// customer holds the customer's lines since the trainee last spoke,
	// joined as Evaluate joins them for Context.Customer.
	customer  string
	customers int
	// peak and end are the customer's highest and latest anger (the mood
	// curve's), askedSenior whether a line the trainee answered asked for
	// someone in authority.
	peak, end   int
	askedSenior bool
	outcome     scenario.Outcome

	opening struct {
		part
		sentences, lastJudged, judgedApprehension int
		closed                                    bool
	}
	empathy part
	// difficult[w] is Difficult customers with escalation warranted (w 1)
	// or not (w 0), offered whether escalation was offered. The two differ
	// only from a line that offers escalation on: until split, difficult[0]
	// stands for both.
	difficult [2]part
	offered   [2]bool
	split     bool
	// missed sums the missed-chance costs when Difficult customers is not
	// assessed (0), assessed without escalation warranted (1), and with
	// (2): a turn that already cost points is not charged again, and what
	// costs points in Difficult customers depends on those.
	missed [3]int

	// replay is set when a line has no record of the choices offered with
	// it: the state is then scored by Evaluate, which replays it.
	replay *engine.State
}

// part is one score's running sums, as settle adds them up.
type part struct {
	// ls is held by value: its marks are persistent, so a copy of the
	// tally is a copy of its scorers, with nothing to clone.
	ls            lineScorer
	gains, losses int
}

func (p *part) add(d int) {
	if d > 0 {
		p.gains += d
	} else {
		p.losses += d
	}
}

// value is settle over the points added, with extra points (the signals
// of the conversation as a whole) on top.
func (p part) value(base int, extra ...int) int {
	gains, losses := base+p.gains, p.losses
	for _, d := range extra {
		if d > 0 {
			gains += d
		} else {
			losses += d
		}
	}
	return settled(gains, losses)
}

// Tally returns an empty tally of a conversation of sc, reading lines
// through m (nil: read afresh).
func (m *Memo) Tally(sc *scenario.Scenario) Tally {
	t := Tally{sc: sc, rules: RulesOf(sc)}
	if m != nil {
		t.m, t.memo = m.r, m
	}
	t.peak, t.end = sc.Customer.Start.Anger, sc.Customer.Start.Anger
	quiet := lineScorer{rules: t.rules, quiet: true}
	t.opening.ls = quiet
	t.opening.lastJudged = -1
	t.empathy.ls = quiet
	t.difficult[0].ls = quiet
	return t
}

// Extend reads the lines st adds to the conversation tallied so far: st
// must be that conversation carried on (the engine state after further
// choices), as a search extends a path.
func (t Tally) Extend(st engine.State) Tally {
	t.feed(st)
	return t
}

// Continue is Extend given only what the conversation added: more's
// Transcript and Steps hold just the entries and steps after those
// tallied so far, as the engine gives them when restored from the tallied
// conversation's state without its transcript and steps (a search then
// never copies a whole conversation to grow it by a line). ok is false
// when a line has no record of the choices offered with it: such a
// conversation is scored by replaying it whole, so the caller extends the
// receiver by the whole conversation instead.
func (t Tally) Continue(more engine.State) (next Tally, ok bool) {
	if t.replay != nil {
		return Tally{}, false
	}
	t.outcome = more.Outcome
	if !t.read(more, more.Transcript, more.Steps, t.turns) {
		return Tally{}, false
	}
	return t, true
}

// feed reads st.Transcript past the entries already seen, in place.
func (t *Tally) feed(st engine.State) {
	t.outcome = st.Outcome
	if t.replay != nil || len(st.Transcript) < t.seen {
		t.replay = &st
		return
	}
	if !t.read(st, st.Transcript[t.seen:], st.Steps, 0) {
		t.replay = &st
	}
}

// read reads entries, the transcript of st past what was seen; steps are
// st's steps from the one of turn stepBase on. It returns false, having
// read part, at a trainee line with no record of the choices offered.
func (t *Tally) read(st engine.State, entries []engine.Entry, steps []engine.Step, stepBase int) bool {
	sc := t.sc
	for _, e := range entries {
		t.seen++
		t.peak = max(t.peak, e.Mood.Anger)
		t.end = e.Mood.Anger
		if e.Speaker == engine.Customer {
			if t.customers == 0 {
				t.customer = e.Text
			} else {
				t.customer += " " + e.Text
			}
			t.customers++
			continue
		}
		n, ok := sc.Node(e.Node)
		if !ok || len(e.Offered) == 0 {
			return false
		}
		offered := make([]*scenario.Choice, 0, len(e.Offered))
		// mask says which of the node's choices were offered, for the
		// memo's key (all 1s: too many choices to say).
		var mask uint64
		for _, num := range e.Offered {
			k := slices.IndexFunc(n.Choices, func(c *scenario.Choice) bool { return c.Number == num })
			if k < 0 {
				return false
			}
			offered = append(offered, n.Choices[k])
			if k < 64 {
				mask |= 1 << k
			}
		}
		if len(n.Choices) > 64 {
			mask = ^uint64(0)
		}
		ti := turnInfo{entry: e, offered: offered, ctx: reader.Context{
			Customer: t.customer, Channel: sc.Channel, CustomerName: sc.Customer.Name, Mode: sc.Customer.Mode,
			Turn: t.turns, Elapsed: e.At, Agent: st.Agent,
		}}
		if k := t.turns - stepBase; k >= 0 && k < len(steps) {
			ti.step = steps[k]
		}
		ti.chosen = chosenOf(n, ti)
		t.line(ti, mask)
		t.customer, t.customers = "", 0
		t.turns++
	}
	return true
}

// chosenOf is the choice a trainee line took (or was matched to): among
// those offered, else among the node's.
func chosenOf(n *scenario.Node, ti turnInfo) *scenario.Choice {
	var chosen *scenario.Choice
	for _, c := range ti.offered {
		if c.Number == ti.entry.Choice {
			chosen = c
		}
	}
	if chosen == nil && n != nil {
		for _, c := range n.Choices {
			if c.Number == ti.entry.Choice {
				chosen = c
			}
		}
	}
	return chosen
}

// facts works out what a trainee line means to the tally apart from the
// scores' own marks: its reading, the missed chance against the best
// choice offered with it, whether the customer asked for someone senior.
// A chosen line's facts come from what its Memo remembers of the choices
// offered with it, under the reading's context and the choices offered
// (mask; all 1s: not remembered): they depend on nothing else.
func (t *Tally) facts(ti turnInfo, mask uint64) turnFacts {
	e := ti.entry
	if t.memo != nil && !e.Typed && ti.chosen != nil {
		// The line said is the one the chosen choice says, so its reading
		// and cost are those of that choice among the ones offered.
		if k := slices.Index(ti.offered, ti.chosen); k >= 0 {
			o := t.memo.offered(t.sc, ti, mask)
			r := &o.reads[k]
			return turnFacts{a: r.a, missed: r.missed, hasMissed: r.hasMissed, senior: o.senior}
		}
	}
	var f turnFacts
	if e.Typed || ti.chosen == nil {
		f.a = t.m.Analyze(e.Text, ti.ctx)
	} else {
		f.a = t.m.AnalyzeChoice(ti.chosen, ti.ctx)
	}
	if b, ok := bestOffered(t.sc, ti, f.a, t.m); ok {
		f.missed, f.hasMissed = missedCost(b.gap), true
	}
	f.senior = asksSenior(ti.ctx.Customer)
	return f
}

// line scores one trainee line on every score, as Evaluate's folds do;
// mask is as facts takes it.
func (t *Tally) line(ti turnInfo, mask uint64) {
	i := t.turns
	e := ti.entry
	tn := Turn{
		Index: i, Node: e.Node, At: e.At, Hesitation: e.Hesitation, Customer: ti.ctx.Customer, Said: e.Text,
		Choice: e.Choice, Typed: e.Typed, ChoiceID: e.ChoiceID, Unheard: ti.step.Unheard,
	}
	f := t.facts(ti, mask)
	tn.Analysis = f.a
	if f.senior {
		t.askedSenior = true
	}

	// A point that costs marks the turn: no missed chance is charged on it.
	// Each score's points are summed as soon as they are made, so one
	// buffer on the stack holds them in turn.
	var buf [16]Point
	costly := false
	take := func(p *part, pts []Point) bool {
		cost := false
		for _, pt := range pts {
			p.add(pt.Delta)
			cost = cost || pt.Delta < 0
		}
		return cost
	}

	// First 30 seconds: the lines inside the window, then the first
	// sentences (scoreOpening).
	if o := &t.opening; !o.closed {
		limit := -1
		ends := reader.SentenceEnds(tn.Said)
		if tn.At >= OpeningWindow {
			if o.sentences >= OpeningSentences {
				o.closed = true
			} else if need := OpeningSentences - o.sentences; need < len(ends) {
				limit = ends[need-1]
			}
		}
		if !o.closed {
			o.sentences += len(ends)
			o.lastJudged, o.judgedApprehension = i, e.Mood.Apprehension
			if d := deadAirCost(tn.Hesitation); d != 0 {
				o.add(d)
				costly = costly || d < 0
			}
			costly = take(&o.part, o.ls.openingLine(buf[:0], tn, i, limit)) || costly
		}
	}
	costly = take(&t.empathy, t.empathy.ls.empathyLine(buf[:0], tn, i, ti.ctx)) || costly
	if _, ok := tn.Analysis.Has(reader.EscalationOffer); ok && !t.split {
		// From here on it matters whether escalation was warranted.
		t.split = true
		t.difficult[1] = t.difficult[0]
		t.difficult[1].ls = t.difficult[0].ls
		t.offered[1], t.missed[2] = t.offered[0], t.missed[1]
	}
	var costlyDifficult [2]bool
	for w := range t.difficult {
		if w == 1 && !t.split {
			costlyDifficult[1] = costlyDifficult[0]
			break
		}
		pts, offered := t.difficult[w].ls.difficultLine(buf[:0], tn, i, w == 1)
		costlyDifficult[w] = take(&t.difficult[w], pts)
		t.offered[w] = t.offered[w] || offered
	}

	if f.hasMissed {
		d := f.missed
		if !costly {
			t.missed[0] += d
		}
		for w, c := range costlyDifficult {
			if !costly && !c {
				t.missed[1+w] += d
			}
		}
	}
}

// Totals are the scores of the conversation tallied so far, as Evaluate
// gives them for it.
func (t Tally) Totals() Totals {
	if t.replay != nil {
		r := evaluate(t.sc, *t.replay, t.m)
		return Totals{Opening: bare(r.Opening), Empathy: bare(r.Empathy), Difficult: bare(r.Difficult), Overall: r.Overall, Band: r.Band}
	}
	sc := t.sc
	start := sc.Customer.Start
	out := Totals{
		Opening:   Score{Label: LabelOpening},
		Empathy:   Score{Label: LabelEmpathy},
		Difficult: Score{Label: LabelDifficult},
	}
	if t.turns > 0 {
		o := t.opening
		rl := 0
		if o.lastJudged >= 0 {
			rl = relief(start.Apprehension, o.judgedApprehension)
		}
		out.Opening.Assessed, out.Opening.Value = true, o.value(openingBase, rl)
		out.Empathy.Assessed, out.Empathy.Value = true, t.empathy.value(0)
	}
	missed := t.missed[0]
	if t.turns > 0 && difficultRelevance(sc, start.Anger, t.peak, t.outcome).any() {
		warranted := warrantedBy(t.peak, t.end) || t.askedSenior
		w := 0
		if warranted && t.split {
			w = 1
		}
		var extra []int
		if warranted && !t.offered[w] {
			extra = append(extra, escalationMissed)
		}
		if d := deescalation(t.peak, t.end); d > 0 {
			extra = append(extra, d)
		}
		if d := angerRise(start.Anger, t.end); d > 0 {
			extra = append(extra, -d)
		}
		if t.outcome != "" {
			extra = append(extra, outcomeDifficult(t.outcome, warranted))
		}
		out.Difficult.Assessed, out.Difficult.Value = true, t.difficult[w].value(difficultBase, extra...)
		missed = t.missed[1]
		if warranted {
			missed = t.missed[2]
		}
	}
	v, parts := WeightedMean(out.Scores())
	if len(parts) > 0 {
		v += missed
		if t.outcome != "" {
			v += outcomeOverall.Get()[t.outcome]
		}
		out.Overall = clampInt(v, 0, 100)
	}
	out.Band = BandFor(out.Overall)
	return out
}

// bare is a score without its points and reason, as Totals carry it.
func bare(s Score) Score { return Score{Label: s.Label, Value: s.Value, Assessed: s.Assessed} }
