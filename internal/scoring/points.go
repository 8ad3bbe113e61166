package scoring

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// The points one line earns on each score. Evaluate folds these over a
// conversation; LinePoints reports them for a single response, so
// `rapport score`, the debrief and the tests compare the same numbers.

// SignalMonologue is a line too long for the channel: a spoken monologue
// past MonologueTime, or a chat reply far longer than the customer's.
const SignalMonologue reader.BehaviorID = "monologue"

// SignalRule is a company rule from the scenario's [scoring] table that
// changed a point (Delta 0 for a cost the scenario allows).
const SignalRule reader.BehaviorID = "company_rule"

// Economy: where length costs, and how stock phrases are paid.
const (
	// MonologueTime is how long a spoken line (phone, in person) may run
	// before the customer feels talked at: 25 s is about 62 words at 150 wpm.
	MonologueTime = 25 * time.Second
	// monologuePerStep and monologueStep: a point per 5 s past it.
	monologueStep    = 5 * time.Second
	monologuePerStep = 2
	monologueCap     = 10
	// ChatLongWords and ChatLongRatio: a chat reply over 40 words and over
	// three times the customer's last message is far longer than theirs.
	ChatLongWords = 40
	ChatLongRatio = 3
	chatLongStep  = 15 // words per point… per monologuePerStep points
	// stockCredit is the most a behaviour shown only by a stock phrase
	// earns on any score.
	stockCredit = 1
)

// stockCost is what each stock phrase in a line costs per score, and the
// most a line's stock phrases can cost.
var stockCost = lazy.Value[map[string][2]int]{New: func() map[string][2]int {
	return map[string][2]int{
		LabelOpening:   {3, 12},
		LabelEmpathy:   {3, 12},
		LabelDifficult: {2, 8},
	}
}}

// CompanyRules are a scenario's adjustments to the model (the [scoring]
// table): behaviours whose cost the company's practice allows, and weights
// that scale a behaviour's points.
type CompanyRules struct {
	Allow  map[reader.BehaviorID]bool
	Weight map[reader.BehaviorID]float64
	// Note says why, in the company's words, for the debrief.
	Note string
}

// RulesOf returns a scenario's company rules (empty when it has none).
func RulesOf(sc *scenario.Scenario) CompanyRules {
	r := CompanyRules{}
	if sc == nil {
		return r
	}
	for _, a := range sc.Scoring.Allow {
		if r.Allow == nil {
			r.Allow = map[reader.BehaviorID]bool{}
		}
		r.Allow[reader.BehaviorID(a)] = true
	}
	for k, w := range sc.Scoring.Weight {
		if r.Weight == nil {
			r.Weight = map[reader.BehaviorID]float64{}
		}
		r.Weight[reader.BehaviorID(k)] = w
	}
	r.Note = sc.Scoring.Note
	return r
}

// lineScorer holds what carries from line to line within one score:
// behaviours already paid for (diminishing returns) and company rules.
type lineScorer struct {
	awarded   marks
	penalised marks
	rules     CompanyRules
	noted     marks
	// quiet scorers count the points without explaining them (no
	// evidence, principle or explanation): the scores are the same, and a
	// search through thousands of conversations needs nothing more.
	quiet bool
	// theirs is the content words of the customer line last asked about
	// (see generic), read once per line rather than once per behaviour.
	theirs struct {
		line  string
		words map[string]bool
	}
}

func newLineScorer(r CompanyRules) *lineScorer {
	return &lineScorer{rules: r}
}

// adjust applies the company rules to a point: an allowed cost becomes a
// zero-point note (once per score), a weight scales it.
func (ls *lineScorer) adjust(p Point) (Point, bool) {
	if p.Delta < 0 && ls.rules.Allow[p.Behavior] {
		if ls.noted.has(p.Behavior) {
			return p, false
		}
		ls.noted.set(p.Behavior, 1)
		p.Delta = 0
		if ls.quiet {
			return p, true
		}
		why := ls.rules.Note
		if why == "" {
			why = "the company's practice differs here"
		}
		p.Explanation = fmt.Sprintf("%s 0 (company rule): %q %s, which this scenario allows — %s.",
			capital(reader.Label(p.Behavior)), reader.Quote(p.Evidence), phrase(p.Behavior), why)
		return p, true
	}
	if w, ok := ls.rules.Weight[p.Behavior]; ok && p.Delta != 0 {
		d := int(float64(p.Delta)*w + 0.5*sign(p.Delta))
		if d != p.Delta && !ls.quiet {
			p.Explanation = strings.TrimSuffix(p.Explanation, ".") +
				fmt.Sprintf(" (company rule: weighted ×%g, %+d instead of %+d).", w, d, p.Delta)
		}
		p.Delta = d
	}
	return p, true
}

func sign(d int) float64 {
	if d < 0 {
		return -1
	}
	return 1
}

// point is a behaviour's point, explained unless the scorer is quiet.
func (ls *lineScorer) point(score string, b reader.Behavior, delta, turn int, at time.Duration) Point {
	if ls.quiet {
		return Point{Behavior: b.ID, Delta: delta, Turn: turn, Score: score, At: at}
	}
	return behaviorPoint(score, b, delta, turn, at)
}

func (ls *lineScorer) add(out []Point, p Point) []Point {
	if p, ok := ls.adjust(p); ok {
		return append(out, p)
	}
	return out
}

// credit is what a positive behaviour is worth at weight w in line t: full
// for a specific one; stockCredit for one shown only by a stock phrase, or
// for the sympathy in a line that meets the customer's question with
// sympathy alone (warmth in place of an answer is not about what they
// asked); half for a generic one (see generic).
func (ls *lineScorer) credit(t Turn, b reader.Behavior, w int) int {
	if b.Stock {
		return min(w, stockCredit)
	}
	if _, deflects := t.Analysis.Has(reader.Deflect); deflects && sympathyAlone(t.Analysis) {
		return min(w, stockCredit)
	}
	if ls.generic(t, b) {
		return max(1, w/2)
	}
	return w
}

// generic reports whether a weak apology, acknowledgement or emotional
// reaction is about nothing in particular: "Sorry about that", "I
// understand", "Oh no", with not one word taken up from what the customer
// just said. It earns half: specific beats formula.
func (ls *lineScorer) generic(t Turn, b reader.Behavior) bool {
	switch b.ID {
	case reader.Apology, reader.Acknowledge, reader.EmotionalReaction:
	default:
		return false
	}
	if b.Strength != 1 || b.Stock || b.Tagged || t.Customer == "" {
		return false
	}
	if ls.theirs.words == nil || ls.theirs.line != t.Customer {
		// A new map, never written again: clones share it.
		words := map[string]bool{}
		for _, w := range reader.ContentWords(t.Customer) {
			words[w] = true
		}
		ls.theirs.line, ls.theirs.words = t.Customer, words
	}
	theirs := ls.theirs.words
	for _, w := range reader.ContentWords(b.Evidence) {
		if theirs[w] {
			return false
		}
	}
	return true
}

// noteGeneric says in a point's explanation that it earned half.
func (ls *lineScorer) noteGeneric(p Point, t Turn, b reader.Behavior) Point {
	if !ls.quiet && p.Delta > 0 && !b.Stock && ls.generic(t, b) {
		if _, deflects := t.Analysis.Has(reader.Deflect); !deflects || !sympathyAlone(t.Analysis) {
			p.Explanation = strings.TrimSuffix(p.Explanation, ".") + " (half: it takes up nothing the customer said)."
		}
	}
	return p
}

// sympathyAlone reports whether a line engages with nothing the customer
// said beyond sympathy: no restatement, no question about their situation,
// no check. A deflecting line that does one of those still pays for the
// deflection, but keeps what it earns for listening.
func sympathyAlone(a reader.Analysis) bool {
	for _, b := range a.Behaviors {
		switch b.ID {
		case reader.Interpretation, reader.Exploration, reader.CheckUnderstand:
			return false
		}
	}
	return true
}

// voided reports whether a positive behaviour earns nothing in this line:
// the expectation or follow-up inside an overpromise ("I guarantee it'll be
// there tomorrow") is the promise that costs, not a clear expectation.
func voided(a reader.Analysis, b reader.Behavior) bool {
	if b.ID != reader.Expectation && b.ID != reader.FollowUp {
		return false
	}
	_, over := a.Has(reader.Overpromise)
	return over
}

// stockPoint charges a line's stock phrases on one score.
func (ls *lineScorer) stockPoint(out []Point, score string, t Turn, i int) []Point {
	b, ok := t.Analysis.Has(reader.StockPhrase)
	if !ok {
		return out
	}
	c := stockCost.Get()[score]
	n := max(1, b.Count)
	d := -min(c[1], c[0]*n)
	p := ls.point(score, b, d, i, t.At)
	if n > 1 && !ls.quiet {
		p.Explanation = fmt.Sprintf("Stock phrase %+d: %d stock phrases (%q…) are padding, not about this customer — %s.",
			d, n, reader.Quote(b.Evidence), whyOf(reader.StockPhrase))
	}
	return ls.add(out, p)
}

// openingLine appends the points a line earns in First 30 seconds to out
// (the searches pass a buffer on the stack; nil for a new list). limit is the
// byte offset up to which behaviours count (-1: all), for a line past the
// window of which only the first sentences are judged.
func (ls *lineScorer) openingLine(out []Point, t Turn, i, limit int) []Point {
	late := t.At >= OpeningWindow
	for _, b := range t.Analysis.Behaviors {
		w, ok := openingWeights.Get()[b.ID]
		if !ok || (limit >= 0 && b.Offset > limit) || voided(t.Analysis, b) {
			continue
		}
		v := w.at(b.Strength)
		var p Point
		if v > 0 {
			d := ls.awarded.award(b.ID, ls.credit(t, b, v))
			if d <= 0 {
				continue
			}
			p = ls.noteGeneric(ls.point(LabelOpening, b, d, i, t.At), t, b)
		} else {
			if ls.penalised.has(b.ID) {
				continue
			}
			ls.penalised.set(b.ID, 1)
			p = ls.point(LabelOpening, b, v, i, t.At)
		}
		if late && !ls.quiet {
			p.Explanation = strings.TrimSuffix(p.Explanation, ".") +
				fmt.Sprintf(" (said at %s, after the first 30 seconds, but within your first three sentences).", FormatClock(t.At))
		}
		out = ls.add(out, p)
	}
	return ls.stockPoint(out, LabelOpening, t, i)
}

// empathyLine appends the points a line earns in Empathy to out.
func (ls *lineScorer) empathyLine(out []Point, t Turn, i int, ctx reader.Context) []Point {
	er, in, ex := reader.Mechanisms(t.Analysis.Behaviors)
	for _, m := range []struct {
		id reader.BehaviorID
		reader.Mechanism
	}{{reader.EmotionalReaction, er}, {reader.Interpretation, in}, {reader.Exploration, ex}} {
		if m.Level == 0 {
			continue
		}
		if d := ls.awarded.award(m.id, ls.credit(t, m.Source, empathyMechanisms.Get()[m.id].at(m.Level))); d > 0 {
			p := ls.point(LabelEmpathy, m.Source, d, i, t.At)
			if m.Source.ID != m.id && !ls.quiet {
				p.Explanation = fmt.Sprintf("%s %+d: %q %s, which counts as a weak %s — %s.",
					capital(reader.Label(m.Source.ID)), d, reader.Quote(m.Source.Evidence), phrase(m.Source.ID),
					reader.Label(m.id), whyOf(m.id))
				p.Principle = reader.PrincipleHeard
			}
			out = ls.add(out, ls.noteGeneric(p, t, m.Source))
		}
	}
	for _, b := range t.Analysis.Behaviors {
		id := b.ID
		if id == reader.CheckUnderstand {
			id = reader.Acknowledge
		}
		if voided(t.Analysis, b) {
			continue
		}
		if w, ok := empathyExtras.Get()[id]; ok {
			if d := ls.awarded.award(extraKey.Get()[id], ls.credit(t, b, w)); d > 0 {
				out = ls.add(out, ls.noteGeneric(ls.point(LabelEmpathy, b, d, i, t.At), t, b))
			}
		}
		if w, ok := empathyGraded.Get()[id]; ok {
			if d := ls.awarded.award(id, ls.credit(t, b, w.at(b.Strength))); d > 0 {
				out = ls.add(out, ls.point(LabelEmpathy, b, d, i, t.At))
			}
		}
		if w, ok := empathyPenalties.Get()[b.ID]; ok {
			out = ls.add(out, ls.point(LabelEmpathy, b, w.at(b.Strength), i, t.At))
		}
	}
	out = ls.stockPoint(out, LabelEmpathy, t, i)
	if p, ok := monologue(t, i, ctx, ls.quiet); ok {
		out = ls.add(out, p)
	}
	return out
}

// difficultLine is the points a line earns in Difficult customers, and
// whether it offered escalation.
func (ls *lineScorer) difficultLine(out []Point, t Turn, i int, warranted bool) ([]Point, bool) {
	offered := false
	for _, b := range t.Analysis.Behaviors {
		if voided(t.Analysis, b) {
			continue
		}
		if w, ok := difficultPositives.Get()[b.ID]; ok {
			if d := ls.awarded.award(b.ID, ls.credit(t, b, w.at(b.Strength))); d > 0 {
				out = ls.add(out, ls.noteGeneric(ls.point(LabelDifficult, b, d, i, t.At), t, b))
			}
		}
		if b.ID == reader.EscalationOffer {
			offered = true
			w := escalationUnwarranted
			if warranted {
				w = escalationWarranted
			}
			if d := ls.awarded.award(b.ID, w.at(b.Strength)); d > 0 {
				out = ls.add(out, ls.point(LabelDifficult, b, d, i, t.At))
			}
		}
		if w, ok := difficultPenalties.Get()[b.ID]; ok {
			out = ls.add(out, ls.point(LabelDifficult, b, w.at(b.Strength), i, t.At))
		}
	}
	return ls.stockPoint(out, LabelDifficult, t, i), offered
}

// monologue charges a line too long for its channel (Empathy: a customer
// talked at is not being heard); quiet leaves the point unexplained.
func monologue(t Turn, i int, ctx reader.Context, quiet bool) (Point, bool) {
	words := spokenFields(t.Said)
	switch ctx.Channel {
	case scenario.Chat:
		cw := fieldCount(ctx.Customer)
		limit := max(ChatLongWords, ChatLongRatio*cw)
		if words <= limit {
			return Point{}, false
		}
		d := -min(monologueCap, monologuePerStep*(1+(words-limit)/chatLongStep))
		if quiet {
			return Point{Behavior: SignalMonologue, Delta: d, Turn: i, Score: LabelEmpathy, At: t.At}, true
		}
		return signalPoint(LabelEmpathy, SignalMonologue, d, i, t.At, reader.PrincipleHeard,
			fmt.Sprintf("a %d-word reply to a customer who wrote %d words is far longer than theirs; say less, and let them answer", words, cw)), true
	default:
		dur := speakingTime(words)
		if dur <= MonologueTime {
			return Point{}, false
		}
		d := -min(monologueCap, monologuePerStep*(1+int((dur-MonologueTime)/monologueStep)))
		if quiet {
			return Point{Behavior: SignalMonologue, Delta: d, Turn: i, Score: LabelEmpathy, At: t.At}, true
		}
		return signalPoint(LabelEmpathy, SignalMonologue, d, i, t.At, reader.PrincipleHeard,
			fmt.Sprintf("%d words take about %s to say with no pause for the customer, past %s; stop and let them speak", words, secs(dur), secs(MonologueTime))), true
	}
}

// speakingTime is how long n words take to say at SpokenWPM.
func speakingTime(n int) time.Duration {
	return time.Duration(n) * time.Minute / SpokenWPM
}

// spokenFields is len(strings.Fields(stripDirections(s))) without building
// either: the searches count every line they score
// (TestSpokenFieldsMatchesFields).
func spokenFields(s string) int {
	if strings.IndexByte(s, '[') < 0 {
		return fieldCount(s)
	}
	n, depth, inField := 0, 0, false
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			// What stripDirections keeps: the fields are counted over it.
			if unicode.IsSpace(r) {
				inField = false
			} else if !inField {
				n, inField = n+1, true
			}
		}
	}
	return n
}

// fieldCount is len(strings.Fields(s)) without the slice.
func fieldCount(s string) int {
	n, inField := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if space {
			inField = false
		} else if !inField {
			n, inField = n+1, true
		}
	}
	return n
}

// asciiSpace is unicode.IsSpace over ASCII, as strings.Fields has it.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Points is what one response earns at one point of a conversation: the
// points on each score, every one explained, as the debrief would count
// them for that line alone.
type Points struct {
	Opening   int `json:"opening"`
	Empathy   int `json:"empathy"`
	Difficult int `json:"difficult"`
	Total     int `json:"total"`
	// Assessed says which scores the line was judged on: the opening only
	// early in a conversation, Difficult customers only with an angry or
	// complaining customer.
	Opening30    bool    `json:"opening_assessed"`
	DifficultNow bool    `json:"difficult_assessed"`
	Why          []Point `json:"why"`
}

// LineMood is what is known of the customer's mood when the line is said;
// Known false means the mood was not given.
type LineMood struct {
	Anger int
	Known bool
}

// LinePoints scores one response in its context with the same per-line
// code Evaluate uses. The opening is judged when the line is the first
// (Turn 0) or starts inside the first 30 seconds; Difficult customers when
// the customer's anger is 40 or more, or, when the mood is not given, when
// their line is a complaint (it names a feeling, asks for someone senior,
// or says something went wrong).
func LinePoints(response string, ctx reader.Context, mood LineMood, rules CompanyRules) Points {
	return LinePointsOf(reader.Analyze(response, ctx), response, ctx, mood, rules)
}

// LinePointsOf is LinePoints for a response already read: a must be
// reader.Analyze(response, ctx). A caller that reports the reading too
// (rapport score) reads each line once instead of twice.
func LinePointsOf(a reader.Analysis, response string, ctx reader.Context, mood LineMood, rules CompanyRules) Points {
	return linePoints(a, response, ctx, mood, rules)
}

func linePoints(a reader.Analysis, response string, ctx reader.Context, mood LineMood, rules CompanyRules) Points {
	t := Turn{Index: ctx.Turn, At: ctx.Elapsed, Said: response, Customer: ctx.Customer, Analysis: a}
	var p Points
	if ctx.Turn == 0 || (ctx.Elapsed > 0 && ctx.Elapsed < OpeningWindow) {
		p.Opening30 = true
		for _, pt := range newLineScorer(rules).openingLine(nil, t, 0, -1) {
			p.Opening += pt.Delta
			p.Why = append(p.Why, pt)
		}
	}
	for _, pt := range newLineScorer(rules).empathyLine(nil, t, 0, ctx) {
		p.Empathy += pt.Delta
		p.Why = append(p.Why, pt)
	}
	if complaint(ctx.Customer, mood) {
		p.DifficultNow = true
		warranted := asksSenior(ctx.Customer) || (mood.Known && mood.Anger >= warrantedPeakAnger)
		pts, _ := newLineScorer(rules).difficultLine(nil, t, 0, warranted)
		for _, pt := range pts {
			p.Difficult += pt.Delta
			p.Why = append(p.Why, pt)
		}
	}
	for i := range p.Why {
		p.Why[i].Turn = ctx.Turn
	}
	p.Total = p.Opening + p.Empathy + p.Difficult
	return p
}

// complaint decides whether Difficult customers applies to one line.
func complaint(customer string, mood LineMood) bool {
	if mood.Known {
		return mood.Anger >= relevantStartAnger
	}
	if asksSenior(customer) {
		return true
	}
	return reader.SoundsUpset(customer)
}

// asksSenior reports whether a customer line asks for someone in authority.
func asksSenior(customer string) bool {
	// Every line a search scores is asked this about its customer line:
	// short ASCII lines are lowered into a buffer on the stack rather than
	// a new string.
	var buf [512]byte
	if len(customer) <= len(buf) {
		low, ascii := buf[:len(customer)], true
		for i := 0; i < len(customer) && ascii; i++ {
			c := customer[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[i], ascii = c, c < utf8.RuneSelf
		}
		if ascii {
			for _, w := range seniorAsk {
				if bytes.Contains(low, []byte(w)) {
					return true
				}
			}
			return false
		}
	}
	low := strings.ToLower(customer)
	for _, w := range seniorAsk {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}
