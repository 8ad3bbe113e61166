package scoring

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// The three score labels, exactly as shown to the trainee.
const (
	LabelOpening   = "First 30 seconds"
	LabelEmpathy   = "Empathy"
	LabelDifficult = "Difficult customers"
)

// Signals: points that come from the conversation rather than from one
// behaviour. They use the Point.Behavior field but are not behaviours.
const (
	SignalRelief       reader.BehaviorID = "relief"
	SignalDeadAir      reader.BehaviorID = "dead_air"
	SignalDeescalation reader.BehaviorID = "de_escalation"
	SignalAngerRise    reader.BehaviorID = "anger_rise"
	SignalOutcome      reader.BehaviorID = "outcome"
	SignalNoEscalation reader.BehaviorID = "escalation_missed"
	// SignalMissed is a turn where a clearly better line was on offer; it
	// costs the overall score.
	SignalMissed reader.BehaviorID = "missed_chance"
)

// LabelOverall is the Point.Score of the points that adjust the overall
// score directly (the outcome and missed chances).
const LabelOverall = "Overall"

// Band names the overall level; the top band is "One of the good ones".
type Band string

// BandFor returns the band for an overall score.
func BandFor(overall int) Band {
	for _, b := range bandFloors {
		if overall >= b.floor {
			return b.band
		}
	}
	return BandNotYet
}

// Point is one reason a score went up or down.
type Point struct {
	Behavior reader.BehaviorID `json:"behavior"`
	Delta    int               `json:"delta"`
	Evidence string            `json:"evidence,omitempty"`
	// Principle is the principle the point serves, as named in
	// PRINCIPLES.md.
	Principle string `json:"principle"`
	// Explanation is one sentence naming the behaviour, quoting the words
	// and naming the principle, with the points.
	Explanation string `json:"explanation"`
	// Turn is the 0-based trainee turn, or -1 for a point about the
	// conversation as a whole (relief, de-escalation, outcome).
	Turn int `json:"turn"`
	// Score is the label of the score the point belongs to.
	Score string `json:"score"`
	// At is when on the conversation clock the point was earned.
	At time.Duration `json:"at"`
}

// Score is one of the three scores.
type Score struct {
	Label    string `json:"label"`
	Value    int    `json:"value"`
	Assessed bool   `json:"assessed"`
	// Reason says why a score was not assessed.
	Reason string  `json:"reason,omitempty"`
	Points []Point `json:"points"`
}

// Alternative is the best choice that was available at a turn.
type Alternative struct {
	// Choice is the authored number (scenario.Choice.Number), the one the
	// engine and the records use.
	Choice int `json:"choice"`
	// ID is the choice's id (scenario.Choice.ID): what records and reports
	// refer to it by.
	ID string `json:"id,omitempty"`
	// Shown is the number the trainee saw: the choice's place (1-based)
	// among the choices offered at that turn. It differs from Choice where
	// a condition hid an earlier choice.
	Shown int    `json:"shown"`
	Say   string `json:"say"`
	Why   string `json:"why"`
	// Gap is how much better the alternative ranked than the line said, in
	// line-value units (see lineValues); the missed-chance cost is made
	// from it.
	Gap float64 `json:"gap,omitempty"`
	// principle is the principle of the alternative's most valuable
	// behaviour, for the missed-chance explanation.
	principle string
}

// ShownNumber is the number the trainee saw the alternative under: Shown,
// or the authored Choice for a report made before Shown existed.
func (a Alternative) ShownNumber() int {
	if a.Shown > 0 {
		return a.Shown
	}
	return a.Choice
}

// Turn is one trainee line, read.
type Turn struct {
	Index int           `json:"index"`
	Node  string        `json:"node"`
	At    time.Duration `json:"at"`
	// Hesitation is the pause before the line.
	Hesitation time.Duration `json:"hesitation,omitempty"`
	// Customer is the customer's line this one answered.
	Customer string `json:"customer,omitempty"`
	Said     string `json:"said"`
	// Choice is the authored number of the choice taken (or matched, for a
	// typed line); Shown is the number the trainee saw it under among the
	// offered choices (0 when it was not among them).
	Choice int  `json:"choice"`
	Shown  int  `json:"shown,omitempty"`
	Typed  bool `json:"typed,omitempty"`
	// ChoiceID is the id of the choice taken or matched (scenario.Choice.ID).
	ChoiceID string `json:"choice_id,omitempty"`
	// Unheard marks a typed line the customer did not follow: no choice
	// was taken, and the customer asked what the trainee meant.
	Unheard bool `json:"unheard,omitempty"`
	// Analysis holds the behaviours: detected in the text, merged with the
	// choice's author tags for a picked choice.
	Analysis reader.Analysis `json:"analysis"`
	// Feedback is the author's feedback on the choice (empty for a typed
	// line).
	Feedback string  `json:"feedback,omitempty"`
	Points   []Point `json:"points,omitempty"`
	// Best is the offered choice that would have scored highest here, nil
	// if the trainee's line was as good.
	Best *Alternative `json:"best,omitempty"`
	// MatchedWhy says how a typed line was heard: which choice it was
	// matched to and why (or that the customer did not follow it), and
	// what the customer reacted to in its words.
	MatchedWhy string `json:"matched_why,omitempty"`
}

// Moment is a key moment on the conversation clock.
type Moment struct {
	At time.Duration `json:"at"`
	// Turn is the trainee turn the moment belongs to, or -1.
	Turn int `json:"turn"`
	// Kind is one of "start", "good", "cost", "dead-air", "mark", "peak",
	// "end".
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Delta int    `json:"delta,omitempty"`
}

// MoodPoint is the customer's state at a time.
type MoodPoint struct {
	At   time.Duration `json:"at"`
	Mood scenario.Mood `json:"mood"`
	// Turn is the trainee turn whose line led to this mood, -1 at the start.
	Turn int `json:"turn"`
}

// Report is the full scoring of a conversation.
type Report struct {
	Opening   Score `json:"opening"`
	Empathy   Score `json:"empathy"`
	Difficult Score `json:"difficult"`
	Overall   int   `json:"overall"`
	// Adjustments are the points taken straight off (or added to) the
	// overall score after the weighted mean: the outcome of the
	// conversation and every turn where a clearly better line was on offer.
	Adjustments []Point          `json:"adjustments,omitempty"`
	Band        Band             `json:"band"`
	Turns       []Turn           `json:"turns"`
	Moments     []Moment         `json:"moments"`
	Mood        []MoodPoint      `json:"mood"`
	Outcome     scenario.Outcome `json:"outcome,omitempty"`
	Ending      string           `json:"ending,omitempty"`
	// Duration is the conversation clock at the end.
	Duration time.Duration `json:"duration"`
}

// ShownNumber is the number the trainee saw the choice under: Shown, or
// the authored Choice when the offered choices are not known.
func (t Turn) ShownNumber() int {
	if t.Shown > 0 {
		return t.Shown
	}
	return t.Choice
}

// Scores returns the three scores in display order.
func (r Report) Scores() []Score { return []Score{r.Opening, r.Empathy, r.Difficult} }

// turnInfo is a trainee turn with what Evaluate needs beside the Turn.
type turnInfo struct {
	entry   engine.Entry
	ctx     reader.Context
	offered []*scenario.Choice
	chosen  *scenario.Choice
	step    engine.Step
	before  scenario.Mood
}

// Evaluate scores a conversation: a pure fold over the engine state (the
// transcript, its moods and the steps taken). It replays the steps on the
// scenario only to learn which choices were offered at each turn. It never
// fails; a state that does not fit the scenario is scored from its
// transcript alone.
func Evaluate(sc *scenario.Scenario, st engine.State) Report {
	return evaluate(sc, st, nil)
}

// evaluate is Evaluate reading lines through m (nil: read every line).
func evaluate(sc *scenario.Scenario, st engine.State, m *reader.Memo) Report {
	r := Report{Outcome: st.Outcome, Ending: st.Ending, Duration: st.Clock}
	infos := collectTurns(sc, st)
	for i, ti := range infos {
		t := Turn{
			Index: i, Node: ti.entry.Node, At: ti.entry.At, Hesitation: ti.entry.Hesitation,
			Customer: ti.ctx.Customer, Said: ti.entry.Text, Choice: ti.entry.Choice, Typed: ti.entry.Typed,
			ChoiceID: ti.entry.ChoiceID, Unheard: ti.step.Unheard,
		}
		if ti.entry.Typed || ti.chosen == nil {
			t.Analysis = m.Analyze(ti.entry.Text, ti.ctx)
		} else {
			t.Analysis = m.AnalyzeChoice(ti.chosen, ti.ctx)
			t.Feedback = scenario.Fill(ti.chosen.Feedback, st.Agent)
		}
		for k, c := range ti.offered {
			if c.Number == ti.entry.Choice {
				t.Shown = k + 1
			}
		}
		if ti.entry.Typed && len(ti.offered) > 0 {
			t.MatchedWhy = typedWhy(sc, ti, t.Analysis)
		}
		t.Best = bestAlternative(sc, ti, t.Analysis, m)
		r.Turns = append(r.Turns, t)
	}
	r.Mood = moodCurve(sc, st, infos)
	r.Opening = scoreOpening(sc, infos, r.Turns, r.Mood)
	r.Empathy = scoreEmpathy(sc, infos, r.Turns)
	r.Difficult = scoreDifficult(sc, st, r.Turns, r.Mood)
	r.Adjustments = adjustments(st, r.Turns, r.Scores())
	r.Overall = overall(r.Adjustments, r.Opening, r.Empathy, r.Difficult)
	r.Band = BandFor(r.Overall)
	for _, s := range append(r.Scores(), Score{Points: r.Adjustments}) {
		for _, p := range s.Points {
			if p.Turn >= 0 && p.Turn < len(r.Turns) {
				r.Turns[p.Turn].Points = append(r.Turns[p.Turn].Points, p)
			}
		}
	}
	r.Moments = moments(sc, st, r)
	return r
}

// collectTurns pairs every trainee line with its context, the choices
// offered there and the choice taken.
func collectTurns(sc *scenario.Scenario, st engine.State) []turnInfo {
	var infos []turnInfo
	var customer []string
	mood := sc.Customer.Start
	for _, e := range st.Transcript {
		if e.Speaker == engine.Customer {
			customer = append(customer, e.Text)
			mood = e.Mood
			continue
		}
		ctx := reader.Context{
			Customer: strings.Join(customer, " "), Channel: sc.Channel,
			CustomerName: sc.Customer.Name, Mode: sc.Customer.Mode,
			Turn: len(infos), Elapsed: e.At, Agent: st.Agent,
		}
		infos = append(infos, turnInfo{entry: e, ctx: ctx, before: mood})
		customer = customer[:0]
		mood = e.Mood
	}
	offered := offeredChoices(sc, st, len(infos))
	for i := range infos {
		if i < len(st.Steps) {
			infos[i].step = st.Steps[i]
		}
		if offered != nil {
			infos[i].offered = offered[i]
		} else if n, ok := sc.Node(infos[i].entry.Node); ok {
			for _, c := range n.Choices {
				if c.When.Holds(infos[i].before, func(string) bool { return false }) {
					infos[i].offered = append(infos[i].offered, c)
				}
			}
		}
		for _, c := range infos[i].offered {
			if c.Number == infos[i].entry.Choice {
				infos[i].chosen = c
			}
		}
		if infos[i].chosen == nil {
			if n, ok := sc.Node(infos[i].entry.Node); ok {
				for _, c := range n.Choices {
					if c.Number == infos[i].entry.Choice {
						infos[i].chosen = c
					}
				}
			}
		}
	}
	return infos
}

// offeredChoices returns the choices offered at each turn: as the engine
// recorded them with each trainee line (engine.Entry.Offered), or, for a
// state saved before it did, by replaying the steps (conditions depend on
// mood and flags). nil when neither works on this scenario.
func offeredChoices(sc *scenario.Scenario, st engine.State, turns int) [][]*scenario.Choice {
	if out, ok := recordedOffers(sc, st, turns); ok {
		return out
	}
	if len(st.Steps) != turns {
		return nil
	}
	e, err := engine.New(sc, engine.Options{})
	if err != nil {
		return nil
	}
	out := make([][]*scenario.Choice, 0, turns)
	for _, s := range st.Steps {
		out = append(out, e.Choices())
		if err := e.Choose(s); err != nil {
			return nil
		}
	}
	return out
}

// recordedOffers reads the choices the engine recorded as offered with
// each trainee line. ok is false when a line has none recorded or names a
// choice its node does not have.
func recordedOffers(sc *scenario.Scenario, st engine.State, turns int) ([][]*scenario.Choice, bool) {
	out := make([][]*scenario.Choice, 0, turns)
	for _, e := range st.Transcript {
		if e.Speaker != engine.Trainee {
			continue
		}
		n, ok := sc.Node(e.Node)
		if !ok || len(e.Offered) == 0 {
			return nil, false
		}
		offered := make([]*scenario.Choice, 0, len(e.Offered))
		for _, num := range e.Offered {
			i := slices.IndexFunc(n.Choices, func(c *scenario.Choice) bool { return c.Number == num })
			if i < 0 {
				return nil, false
			}
			offered = append(offered, n.Choices[i])
		}
		out = append(out, offered)
	}
	return out, len(out) == turns
}

// lineValue ranks a line for Turn.Best: its behaviours, plus the author's
// effects on the customer (scaled by match for a typed line), plus the
// ending it leads to.
func lineValue(a reader.Analysis, c *scenario.Choice, scale float64, sc *scenario.Scenario) float64 {
	v := 0.0
	for _, b := range a.Behaviors {
		v += float64(lineValues.Get()[b.ID].at(b.Strength))
	}
	if c != nil {
		fx := c.Effects
		v += scale * 0.5 * float64(-fx.Anger-fx.Apprehension+fx.Trust) * 0.5
		v += scale * 0.25 * float64(fx.Patience) * 0.5
		if sc != nil {
			if en, ok := sc.Ending(c.Next); ok {
				v += float64(outcomePoints.Get()[string(en.Outcome)]) / 2
			}
		}
	}
	return v
}

// bestAlternative finds the offered choice that would have scored highest
// at this turn, analysing each in the same context.
func bestAlternative(sc *scenario.Scenario, ti turnInfo, taken reader.Analysis, m *reader.Memo) *Alternative {
	b, ok := bestOffered(sc, ti, taken, m)
	if !ok {
		return nil
	}
	why := b.choice.Feedback
	if why == "" {
		why = describe(b.reading)
	}
	principle, top := reader.PrincipleHeard, 0
	for _, x := range b.reading.Behaviors {
		if v := lineValues.Get()[x.ID].at(x.Strength); v > top {
			info, _ := reader.Info(x.ID)
			principle, top = info.Principle, v
		}
	}
	return &Alternative{Choice: b.choice.Number, ID: b.choice.ID, Shown: b.shown, Say: scenario.Fill(b.choice.Say, ti.ctx.Agent), Why: scenario.Fill(why, ti.ctx.Agent), Gap: b.gap, principle: principle}
}

// offeredBest is the offered choice that ranks highest at a turn: how it
// was read, its place in the list, and how far it ranks above the line
// said.
type offeredBest struct {
	choice  *scenario.Choice
	reading reader.Analysis
	shown   int
	gap     float64
}

// bestOffered finds the offered choice that would have scored highest at
// a turn, reading each in the same context; ok is false when the line said
// was as good (or nothing else was offered).
func bestOffered(sc *scenario.Scenario, ti turnInfo, taken reader.Analysis, m *reader.Memo) (offeredBest, bool) {
	if len(ti.offered) < 2 {
		return offeredBest{}, false
	}
	var best offeredBest
	bestV := 0.0
	for k, c := range ti.offered {
		var a reader.Analysis
		if c == ti.chosen && !ti.entry.Typed {
			a = taken // already read in this context
		} else {
			a = m.AnalyzeChoice(c, ti.ctx)
		}
		v := lineValue(a, c, 1, sc)
		if best.choice == nil || v > bestV {
			best, bestV = offeredBest{choice: c, reading: a, shown: k + 1}, v
		}
	}
	takenV := lineValue(taken, ti.chosen, 1, sc)
	if ti.entry.Typed {
		takenV = lineValue(taken, ti.chosen, clamp01(ti.step.Match), sc)
	}
	if (!ti.entry.Typed && best.choice.Number == ti.entry.Choice) || takenV >= bestV {
		return offeredBest{}, false
	}
	best.gap = bestV - takenV
	return best, true
}

func clamp01(f float64) float64 { return max(0, min(1, f)) }

// describe says in words which positive behaviours a line shows.
func describe(a reader.Analysis) string {
	var pos []string
	for _, b := range a.Behaviors {
		if b.Polarity == reader.Positive {
			pos = append(pos, reader.Label(b.ID))
		}
	}
	if len(pos) == 0 {
		return "It avoids the moves that cost points here."
	}
	return "It shows " + reader.JoinAnd(pos) + "."
}

// moodCurve lists the customer's mood at the start and after every line
// that changed it.
func moodCurve(sc *scenario.Scenario, st engine.State, infos []turnInfo) []MoodPoint {
	pts := []MoodPoint{{At: 0, Mood: sc.Customer.Start, Turn: -1}}
	turn := -1
	for _, e := range st.Transcript {
		if e.Speaker == engine.Trainee {
			turn++
		}
		if e.Mood == pts[len(pts)-1].Mood {
			continue
		}
		pts = append(pts, MoodPoint{At: e.At + e.Duration, Mood: e.Mood, Turn: turn})
	}
	return pts
}

// moodAt returns the mood at clock time t.
func moodAt(pts []MoodPoint, t time.Duration) scenario.Mood {
	m := pts[0].Mood
	for _, p := range pts {
		if p.At > t {
			break
		}
		m = p.Mood
	}
	return m
}

// explain builds the one-sentence explanation of a point.
func explain(id reader.BehaviorID, delta int, evidence string) string {
	info, ok := reader.Info(id)
	if !ok {
		return fmt.Sprintf("%s %+d.", id, delta)
	}
	lbl := strings.ToUpper(info.Label[:1]) + info.Label[1:]
	return fmt.Sprintf("%s %+d: %q %s — %s.", lbl, delta, reader.Quote(evidence), info.Phrase, whyOf(id))
}

func behaviorPoint(score string, b reader.Behavior, delta, turn int, at time.Duration) Point {
	info, _ := reader.Info(b.ID)
	return Point{
		Behavior: b.ID, Delta: delta, Evidence: b.Evidence, Principle: info.Principle,
		Explanation: explain(b.ID, delta, b.Evidence), Turn: turn, Score: score, At: at,
	}
}

func signalPoint(score string, id reader.BehaviorID, delta, turn int, at time.Duration, principle, text string) Point {
	return Point{
		Behavior: id, Delta: delta, Principle: principle, Turn: turn, Score: score, At: at,
		Explanation: fmt.Sprintf("%s %+d: %s — %s.", signalLabel(id), delta, text, principle),
	}
}

func signalLabel(id reader.BehaviorID) string {
	switch id {
	case SignalRelief:
		return "Relief"
	case SignalDeadAir:
		return "Dead air"
	case SignalDeescalation:
		return "De-escalation"
	case SignalAngerRise:
		return "Anger left higher"
	case SignalOutcome:
		return "Outcome"
	case SignalNoEscalation:
		return "No escalation offered"
	case SignalMissed:
		return "Missed chance"
	case SignalMonologue:
		return "Too long"
	}
	return string(id)
}

// marks are what one score has noted behaviour by behaviour — the points
// awarded, the costs charged, the company rules applied — as a persistent
// list, newest first. Copying marks copies the head alone, and a search
// grows thousands of conversations from shared starts: a map had to be
// cloned for each (most of what a search allocated). A conversation marks
// a few dozen behaviours at most, so a walk down the list costs no more
// than hashing.
type marks struct{ head *mark }

type mark struct {
	id   reader.BehaviorID
	w    int
	next *mark
}

// get is the latest mark of id.
func (m marks) get(id reader.BehaviorID) (int, bool) {
	for p := m.head; p != nil; p = p.next {
		if p.id == id {
			return p.w, true
		}
	}
	return 0, false
}

// set marks id with w, over any mark it had; the marks copied before are
// left as they were.
func (m *marks) set(id reader.BehaviorID, w int) { m.head = &mark{id, w, m.head} }

// has reports whether id is marked.
func (m marks) has(id reader.BehaviorID) bool {
	_, ok := m.get(id)
	return ok
}

// award awards a positive behaviour once per score: the first time it is
// shown, and again by the difference if it is later shown stronger.
func (m *marks) award(id reader.BehaviorID, w int) int {
	had, _ := m.get(id)
	d := w - had
	if d <= 0 {
		return 0
	}
	m.set(id, w)
	return d
}

// scoreOpening judges the lines that start inside OpeningWindow and the
// trainee's first OpeningSentences sentences.
func scoreOpening(sc *scenario.Scenario, infos []turnInfo, turns []Turn, mood []MoodPoint) Score {
	s := Score{Label: LabelOpening, Assessed: true}
	if len(turns) == 0 {
		s.Assessed = false
		s.Reason = "Not assessed: the trainee said nothing."
		return s
	}
	ls := newLineScorer(RulesOf(sc))
	sentences := 0
	lastJudged := -1
	for i, t := range turns {
		inWindow := t.At < OpeningWindow
		limit := -1 // byte offset up to which behaviours count; -1 = all
		if !inWindow {
			if sentences >= OpeningSentences {
				break
			}
			ends := reader.SentenceEnds(t.Said)
			need := OpeningSentences - sentences
			if need < len(ends) {
				limit = ends[need-1]
			}
		}
		sentences += len(reader.SentenceEnds(t.Said))
		lastJudged = i
		if d := deadAirCost(t.Hesitation); d != 0 {
			s.Points = append(s.Points, signalPoint(LabelOpening, SignalDeadAir, d, i, t.At, reader.PrincipleOpening,
				fmt.Sprintf("a %s pause before you spoke at %s is silence the customer hears", secs(t.Hesitation), FormatClock(t.At))))
		}
		s.Points = append(s.Points, ls.openingLine(nil, t, i, limit)...)
	}
	// Relief: did apprehension fall by the end of the judged lines?
	if lastJudged >= 0 {
		start := sc.Customer.Start.Apprehension
		end := infos[lastJudged].entry.Mood.Apprehension
		at := turns[lastJudged].At
		if d := relief(start, end); d != 0 {
			text := fmt.Sprintf("the customer's apprehension fell from %d to %d in the opening", start, end)
			if d < 0 {
				text = fmt.Sprintf("the customer's apprehension rose from %d to %d in the opening", start, end)
			}
			s.Points = append(s.Points, signalPoint(LabelOpening, SignalRelief, d, -1, at, reader.PrincipleOpening, text))
		}
	}
	s.Value = settle(openingBase, s.Points)
	return s
}

func secs(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

// scoreEmpathy: the best level of each mechanism shown, plus name, mode and
// acknowledgement once, minus every invalidating move.
func scoreEmpathy(sc *scenario.Scenario, infos []turnInfo, turns []Turn) Score {
	s := Score{Label: LabelEmpathy, Assessed: true}
	if len(turns) == 0 {
		s.Assessed = false
		s.Reason = "Not assessed: the trainee said nothing."
		return s
	}
	ls := newLineScorer(RulesOf(sc))
	for i, t := range turns {
		s.Points = append(s.Points, ls.empathyLine(nil, t, i, infos[i].ctx)...)
	}
	s.Value = settle(0, s.Points)
	return s
}

// settle turns a score's points into its value: the base and the gains,
// capped at 100, then the losses, kept within 0–100. Capping the gains
// first means a cost always shows: a line that passes the buck costs
// points even after a conversation full of good moves.
func settle(base int, points []Point) int {
	gains, losses := base, 0
	for _, p := range points {
		if p.Delta > 0 {
			gains += p.Delta
		} else {
			losses += p.Delta
		}
	}
	return settled(gains, losses)
}

// settled is a score's value from its gains (base included) and losses.
func settled(gains, losses int) int {
	return clampInt(min(gains, 100)+losses, 0, 100)
}

// deadAirCost is what a pause before a line costs in the opening (0 for
// one within DeadAir).
func deadAirCost(hesitation time.Duration) int {
	if hesitation <= DeadAir {
		return 0
	}
	extra := int((hesitation - DeadAir) / time.Second)
	return -min(deadAirCap, deadAirBase+deadAirPerSec*extra)
}

// relief is the opening's points for the customer's apprehension falling
// (or rising) from start to end.
func relief(start, end int) int {
	return clampInt((start-end)/reliefDivisor, -reliefCap, reliefCap)
}

// Difficult customers' points for the conversation as a whole, from the
// customer's anger at the start, at its peak and at the end.
func warrantedBy(peak, end int) bool { return peak >= warrantedPeakAnger && end > calmedAnger }
func deescalation(peak, end int) int { return min(deescalateCap, (peak-end)/deescalateDivisor) }
func angerRise(start, end int) int   { return min(angerRiseCap, (end-start)/angerRiseDivisor) }

// outcomeDifficult is what the ending is worth in Difficult customers: an
// escalation the customer needed is a fair ending.
func outcomeDifficult(o scenario.Outcome, warranted bool) int {
	if o == scenario.Escalated && warranted {
		return 5
	}
	return outcomePoints.Get()[string(o)]
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// difficultTags are scenario tags that make the difficult-customer score
// relevant whatever the customer's mood.
var difficultTags = []string{"angry", "abusive", "demanding", "difficult", "escalation", "complaint",
	"problem", "recovery", "irate", "upset", "frustrated"}

// seniorAsk are words in a customer line that ask for someone in authority.
var seniorAsk = []string{"manager", "supervisor", "someone in charge", "someone senior", "your boss",
	"team leader", "someone else", "complaints department", "escalate"}

// relevance is why Difficult customers applies to a conversation: the
// customer started angry, or grew angry, the scenario is tagged as a
// complaint (tag), or the conversation ended escalated or lost.
type relevance struct {
	startedAngry, grewAngry, endedBadly bool
	tag                                 string
}

func (r relevance) any() bool { return r.startedAngry || r.grewAngry || r.tag != "" || r.endedBadly }

func difficultRelevance(sc *scenario.Scenario, start, peak int, outcome scenario.Outcome) relevance {
	r := relevance{
		startedAngry: start >= relevantStartAnger,
		grewAngry:    peak >= relevantPeakAnger && start < relevantStartAnger,
		endedBadly:   outcome == scenario.Escalated || outcome == scenario.Lost,
	}
	for _, t := range sc.Tags {
		if slices.Contains(difficultTags, strings.ToLower(t)) {
			r.tag = t
			break
		}
	}
	return r
}

// scoreDifficult is assessed only where the scenario makes it relevant.
func scoreDifficult(sc *scenario.Scenario, st engine.State, turns []Turn, mood []MoodPoint) Score {
	s := Score{Label: LabelDifficult}
	start := sc.Customer.Start.Anger
	peak, peakAt := start, time.Duration(0)
	for _, p := range mood {
		if p.Mood.Anger > peak {
			peak, peakAt = p.Mood.Anger, p.At
		}
	}
	end := mood[len(mood)-1].Mood.Anger
	rel := difficultRelevance(sc, start, peak, st.Outcome)
	var why []string
	if rel.startedAngry {
		why = append(why, fmt.Sprintf("the customer started angry (anger %d)", start))
	}
	if rel.grewAngry {
		why = append(why, fmt.Sprintf("anger reached %d", peak))
	}
	if rel.tag != "" {
		why = append(why, fmt.Sprintf("the scenario is tagged %q", rel.tag))
	}
	if rel.endedBadly {
		why = append(why, fmt.Sprintf("the conversation ended %s", st.Outcome))
	}
	if len(why) == 0 || len(turns) == 0 {
		name := sc.Customer.Name
		if name == "" {
			name = "The customer"
		}
		ended := "the conversation has not ended"
		if st.Outcome != "" {
			ended = "the conversation ended " + string(st.Outcome)
		}
		s.Reason = fmt.Sprintf("Not assessed: %s was never angry (anger peaked at %d), the scenario is not tagged as a complaint, and %s.",
			name, peak, ended)
		if len(turns) == 0 {
			s.Reason = "Not assessed: the trainee said nothing."
		}
		return s
	}
	s.Assessed = true
	s.Reason = "Assessed because " + reader.JoinAnd(why) + "."

	// Escalation is warranted when the customer asked for someone in
	// authority, or was furious and was never calmed: a customer brought
	// from fury to calm who never asked for anyone needed no manager.
	warranted := warrantedBy(peak, end)
	for _, t := range turns {
		if asksSenior(t.Customer) {
			warranted = true
		}
	}
	ls := newLineScorer(RulesOf(sc))
	offered := false
	for i, t := range turns {
		pts, o := ls.difficultLine(nil, t, i, warranted)
		s.Points = append(s.Points, pts...)
		offered = offered || o
	}
	at := st.Clock
	if warranted && !offered {
		s.Points = append(s.Points, signalPoint(LabelDifficult, SignalNoEscalation, escalationMissed, -1, at, reader.PrincipleDifficult,
			"the customer asked for someone in authority (or stayed furious) and no one was offered"))
	}
	if d := deescalation(peak, end); d > 0 {
		s.Points = append(s.Points, signalPoint(LabelDifficult, SignalDeescalation, d, -1, at, reader.PrincipleDifficult,
			fmt.Sprintf("anger came down from its peak of %d at %s to %d", peak, FormatClock(peakAt), end)))
	}
	if d := angerRise(start, end); d > 0 {
		s.Points = append(s.Points, signalPoint(LabelDifficult, SignalAngerRise, -d, -1, at, reader.PrincipleDifficult,
			fmt.Sprintf("the customer ended angrier (%d) than they started (%d)", end, start)))
	}
	if st.Outcome != "" {
		if d := outcomeDifficult(st.Outcome, warranted); d != 0 {
			s.Points = append(s.Points, signalPoint(LabelDifficult, SignalOutcome, d, -1, at, reader.PrincipleDifficult,
				fmt.Sprintf("the conversation ended %s", st.Outcome)))
		}
	}
	s.Value = settle(difficultBase, s.Points)
	return s
}

// overall is the weighted mean of the assessed scores, rounded, plus the
// adjustments (outcome and missed chances), kept within 0–100.
func overall(adjust []Point, scores ...Score) int {
	v, parts := WeightedMean(scores)
	if len(parts) == 0 {
		return 0
	}
	for _, p := range adjust {
		v += p.Delta
	}
	return clampInt(v, 0, 100)
}

// MeanPart is one assessed score's share of the overall's weighted mean.
type MeanPart struct {
	Label string
	Value int
	// Weight is the score's weight among the assessed scores, in percent
	// of all three (the weights of scores not assessed are left out of
	// the mean, not given to the others).
	Weight int
}

// WeightedMean is the overall score before its adjustments: the weighted
// mean of the assessed scores, rounded, with the parts it was built from
// (Opening, Empathy, Difficult, in that order, as Report.Scores gives
// them). It is 0 with no parts when nothing was assessed. Debriefs show
// the parts so the overall can be followed by hand.
func WeightedMean(scores []Score) (int, []MeanPart) {
	sum, wsum := 0, 0
	var parts []MeanPart
	for i, s := range scores {
		if i < len(overallWeights) && s.Assessed {
			sum += overallWeights[i] * s.Value
			wsum += overallWeights[i]
			parts = append(parts, MeanPart{Label: s.Label, Value: s.Value, Weight: overallWeights[i]})
		}
	}
	if wsum == 0 {
		return 0, nil
	}
	return (sum + wsum/2) / wsum, parts
}

// adjustments are the points on the overall score itself. Positive
// behaviours count once per score, so once a conversation has earned a
// score's worth, a later weaker line would cost nothing; a missed chance
// makes every turn count: where an offered line was clearly better than the
// one said, the gap costs points. The outcome counts in every scenario,
// not only where Difficult customers is assessed.
func adjustments(st engine.State, turns []Turn, scores []Score) []Point {
	costly := map[int]bool{}
	for _, s := range scores {
		for _, p := range s.Points {
			if p.Delta < 0 && p.Turn >= 0 {
				costly[p.Turn] = true
			}
		}
	}
	var out []Point
	for i, t := range turns {
		// A line that already cost points in the scores (losses are taken
		// after the gains are capped, so they always show) is not charged
		// again; the missed chance is for the weak line that cost nothing.
		if t.Best == nil || costly[i] {
			continue
		}
		d := missedCost(t.Best.Gap)
		if d == 0 {
			continue
		}
		out = append(out, Point{
			Behavior: SignalMissed, Delta: d, Evidence: t.Said, Principle: t.Best.principle, Turn: i,
			Score: LabelOverall, At: t.At,
			Explanation: fmt.Sprintf("%s %+d: %q fell clearly short of choice %d, which was on offer here — %s.",
				signalLabel(SignalMissed), d, reader.Quote(t.Said), t.Best.ShownNumber(), t.Best.principle),
		})
	}
	if st.Outcome != "" {
		if d := outcomeOverall.Get()[st.Outcome]; d != 0 {
			out = append(out, Point{
				Behavior: SignalOutcome, Delta: d, Principle: reader.PrincipleBeyond, Turn: -1, Score: LabelOverall, At: st.Clock,
				Explanation: fmt.Sprintf("%s %+d: the conversation ended %s, not resolved — %s.",
					signalLabel(SignalOutcome), d, st.Outcome, reader.PrincipleBeyond),
			})
		}
	}
	return out
}

// missedCost turns the gap between the best offered line and the one said
// into points off the overall score: one per whole missedDivisor of gap,
// so a line a few units behind the best costs nothing.
func missedCost(gap float64) int {
	return -min(missedCap, int(gap/missedDivisor))
}

// moments builds the key-moment timeline.
func moments(sc *scenario.Scenario, st engine.State, r Report) []Moment {
	ms := []Moment{{At: 0, Turn: -1, Kind: "start", Text: fmt.Sprintf("The conversation starts: apprehension %d, anger %d, trust %d.",
		sc.Customer.Start.Apprehension, sc.Customer.Start.Anger, sc.Customer.Start.Trust)}}
	for i, t := range r.Turns {
		if t.Hesitation > DeadAir {
			ms = append(ms, Moment{At: t.At - t.Hesitation, Turn: i, Kind: "dead-air",
				Text: fmt.Sprintf("Dead air: %s of silence before turn %d.", secs(t.Hesitation), i+1)})
		}
		var good, bad *Point
		for k := range t.Points {
			p := &t.Points[k]
			if p.Delta > 0 && (good == nil || p.Delta > good.Delta) {
				good = p
			}
			if p.Delta < 0 && (bad == nil || p.Delta < bad.Delta) {
				bad = p
			}
		}
		if good != nil {
			ms = append(ms, Moment{At: t.At, Turn: i, Kind: "good", Text: good.Explanation, Delta: good.Delta})
		}
		if bad != nil {
			ms = append(ms, Moment{At: t.At, Turn: i, Kind: "cost", Text: bad.Explanation, Delta: bad.Delta})
		}
	}
	m30 := moodAt(r.Mood, OpeningWindow)
	start := sc.Customer.Start.Apprehension
	text := fmt.Sprintf("30-second mark: apprehension %d (started at %d).", m30.Apprehension, start)
	if m30.Apprehension < start {
		text = fmt.Sprintf("30-second mark: apprehension %d, down from %d: relief.", m30.Apprehension, start)
	}
	if st.Clock < OpeningWindow {
		text = fmt.Sprintf("30-second mark: the conversation was already over (it lasted %s).", FormatClock(st.Clock))
	}
	ms = append(ms, Moment{At: OpeningWindow, Turn: -1, Kind: "mark", Text: text})
	peak := MoodPoint{Mood: sc.Customer.Start, Turn: -1}
	for _, p := range r.Mood {
		if p.Mood.Anger > peak.Mood.Anger {
			peak = p
		}
	}
	if peak.Mood.Anger >= relevantStartAnger && peak.At > 0 {
		ms = append(ms, Moment{At: peak.At, Turn: peak.Turn, Kind: "peak", Text: fmt.Sprintf("Anger peaks at %d.", peak.Mood.Anger)})
	}
	if st.Ending != "" {
		text := fmt.Sprintf("The conversation ends: %s (%s).", st.Ending, st.Outcome)
		if st.WalkedOut {
			text = fmt.Sprintf("The customer gives up: %s (%s).", st.Ending, st.Outcome)
		}
		ms = append(ms, Moment{At: st.Clock, Turn: -1, Kind: "end", Text: text})
	}
	kindOrder := map[string]int{"start": 0, "dead-air": 1, "good": 2, "cost": 3, "mark": 4, "peak": 5, "end": 6}
	slices.SortStableFunc(ms, func(a, b Moment) int {
		if a.At != b.At {
			if a.At < b.At {
				return -1
			}
			return 1
		}
		return kindOrder[a.Kind] - kindOrder[b.Kind]
	})
	return ms
}
