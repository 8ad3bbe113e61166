package debrief

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Doc is a debrief, built once from a scoring report (New) and drawn by
// thin renderers: the plain text of this package (WriteDoc), plain mode's
// sentences for screen readers and the full-screen end screen. Every
// string in it is clean already (textsafe.Line, or textsafe.Text
// where line breaks matter), so a renderer only lays it out.
type Doc struct {
	// Title and Summary are the scenario's.
	Title, Summary string
	// Customer is the customer's name, empty when the scenario gives none.
	Customer string

	// Finished says the conversation reached an ending: Outcome and
	// Ending (the ending's id) then say which.
	Finished  bool
	Outcome   scenario.Outcome
	Ending    string
	WalkedOut bool
	// Clock is the time on the conversation clock at the end.
	Clock time.Duration
	// Closing are the customer's lines after the trainee's last one,
	// sanitised with their line breaks kept.
	Closing []string

	// Scored says the scores below are known (a record can be saved
	// without them).
	Scored  bool
	Overall int
	Band    scoring.Band
	// Scores are the three scores in display order, each with the points
	// that made it.
	Scores []Score
	// Mean is the weighted mean of the assessed scores, the overall before
	// its adjustments, and MeanParts the scores it was built from with
	// their weights; empty when not known (a record read without its
	// scenario). HowOverall puts them into words.
	Mean      int
	MeanParts []scoring.MeanPart
	// Adjustments are the points that moved the overall after the
	// weighted mean.
	Adjustments []Point
	Moments     []Moment
	Turns       []Turn
	// Mood is the customer's mood after each turn, from the start.
	Mood []scoring.MoodPoint
}

// Score is one of the three scores.
type Score struct {
	Label    string
	Assessed bool
	Value    int
	// Reason says why a score was not assessed, without the "Not
	// assessed:" the scoring model starts it with.
	Reason string
	Points []Point
}

// Point is one reason a score moved.
type Point struct {
	// Turn is the 0-based turn the point was earned on, -1 for the whole
	// conversation.
	Turn  int
	Delta int
	// Score names the score the point counts towards (on a turn's points).
	Score string
	Text  string
}

// Moment is a key moment on the conversation clock. Kind is one of
// "start", "good", "cost", "dead-air", "mark", "peak", "end".
type Moment struct {
	At   time.Duration
	Kind string
	Text string
}

// Turn is one of the trainee's lines with what it earned.
type Turn struct {
	At, Hesitation time.Duration
	// Node is the id of the decision point.
	Node string
	// Shown is the choice's number as the trainee saw it; Chose says the
	// line was (or was matched to) a choice.
	Shown int
	Chose bool
	Typed bool
	// Unheard marks a typed line the customer did not follow: no choice
	// was taken and the conversation stayed where it was.
	Unheard bool
	// Customer is the customer's line it answered.
	Customer, Said, Matched, Feedback string
	Points                            []Point
	// Best is the better line offered here, nil when the trainee's was the
	// best available.
	Best *Best
	// Strengths and Costs count the behaviours it showed, by polarity;
	// Seen names them ("+greeting", "-blame"), for a record's debrief.
	Strengths, Costs int
	Seen             []string
}

// Best is the better choice a turn could have taken.
type Best struct {
	Shown    int
	Say, Why string
}

// New builds the debrief of a scored conversation.
func New(sc *scenario.Scenario, st engine.State, r scoring.Report) Doc {
	line := textsafe.Line
	d := Doc{
		Title: line(sc.Title), Summary: line(sc.Summary), Customer: line(sc.Customer.Name),
		Finished: st.Done(), Outcome: st.Outcome, Ending: line(st.Ending), WalkedOut: st.WalkedOut, Clock: st.Clock,
		Scored: true, Overall: r.Overall, Band: r.Band, Mood: r.Mood,
	}
	for _, e := range closing(st) {
		d.Closing = append(d.Closing, textsafe.Text(e.Text))
	}
	for _, s := range r.Scores() {
		ds := Score{Label: line(s.Label), Assessed: s.Assessed, Value: s.Value, Reason: strings.TrimPrefix(line(s.Reason), "Not assessed: ")}
		for _, p := range s.Points {
			ds.Points = append(ds.Points, pointOf(p))
		}
		d.Scores = append(d.Scores, ds)
	}
	for _, p := range r.Adjustments {
		d.Adjustments = append(d.Adjustments, pointOf(p))
	}
	mean, parts := scoring.WeightedMean(r.Scores())
	for _, p := range parts {
		d.MeanParts = append(d.MeanParts, scoring.MeanPart{Label: line(p.Label), Value: p.Value, Weight: p.Weight})
	}
	d.Mean = mean
	for _, m := range r.Moments {
		d.Moments = append(d.Moments, Moment{At: m.At, Kind: m.Kind, Text: line(m.Text)})
	}
	for _, t := range r.Turns {
		dt := Turn{
			At: t.At, Hesitation: t.Hesitation, Node: line(t.Node), Shown: t.ShownNumber(), Chose: t.Choice > 0, Typed: t.Typed, Unheard: t.Unheard,
			Customer: line(t.Customer), Said: line(t.Said), Matched: line(t.MatchedWhy), Feedback: line(t.Feedback),
		}
		for _, p := range t.Points {
			dt.Points = append(dt.Points, pointOf(p))
		}
		if t.Best != nil {
			dt.Best = &Best{Shown: t.Best.ShownNumber(), Say: line(t.Best.Say), Why: line(t.Best.Why)}
		}
		for _, b := range t.Analysis.Behaviors {
			if b.Polarity == "-" {
				dt.Costs++
			} else {
				dt.Strengths++
			}
		}
		d.Turns = append(d.Turns, dt)
	}
	return d
}

func pointOf(p scoring.Point) Point {
	return Point{Turn: p.Turn, Delta: p.Delta, Score: textsafe.Line(p.Score), Text: textsafe.Line(p.Explanation)}
}

// closing are the customer's closing lines: everything said after the
// trainee's last line.
func closing(st engine.State) []engine.Entry {
	tr := st.Transcript
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].Speaker == engine.Trainee {
			return tr[i+1:]
		}
	}
	return nil
}

// Where names where a point was earned: "[turn 2]" or "[overall]".
// HowOverall explains the overall in words, one step a line, for every
// debrief to show the same way: the weighted mean of the assessed scores,
// each adjustment after it (the outcome, missed chances) with where it was
// earned, and the sum. It is nil when the document does not know how its
// overall was built.
func (d Doc) HowOverall() []Step {
	if !d.Scored || len(d.MeanParts) == 0 && len(d.Adjustments) == 0 {
		return nil
	}
	var out []Step
	sum := d.Mean
	if len(d.MeanParts) > 0 {
		terms := make([]string, len(d.MeanParts))
		wsum := 0
		for i, p := range d.MeanParts {
			terms[i] = fmt.Sprintf("%s %d × %d", p.Label, p.Value, p.Weight)
			wsum += p.Weight
		}
		out = append(out, Step{Text: fmt.Sprintf("Weighted mean of the scores: (%s) ÷ %d = %d.", strings.Join(terms, " + "), wsum, d.Mean)})
	}
	for _, p := range d.Adjustments {
		out = append(out, Step{Where: p.Where(), Text: p.Text})
		sum += p.Delta
	}
	if len(d.MeanParts) == 0 {
		return out
	}
	if len(d.Adjustments) == 0 {
		return append(out, Step{Text: fmt.Sprintf("Nothing adjusted it (no missed chances, no outcome cost): the overall is the mean, %d.", d.Overall)})
	}
	total := fmt.Sprintf("Overall: %d", d.Mean)
	for _, p := range d.Adjustments {
		if p.Delta < 0 {
			total += fmt.Sprintf(" − %d", -p.Delta)
		} else {
			total += fmt.Sprintf(" + %d", p.Delta)
		}
	}
	total += fmt.Sprintf(" = %d", d.Overall)
	if sum != d.Overall {
		total += " (kept within 0–100)"
	}
	return append(out, Step{Text: total + "."})
}

// Step is one line of HowOverall: where an adjustment was earned
// ("[turn 3]", "[overall]"; empty for the mean and the sum) and what it
// says.
type Step struct {
	Where, Text string
}

// Prefix is the step's Where followed by a space, or nothing: what a
// renderer writes before the text, hanging the text under it.
func (s Step) Prefix() string {
	if s.Where == "" {
		return ""
	}
	return s.Where + " "
}

func (p Point) Where() string {
	if p.Turn < 0 {
		return "[overall]"
	}
	return fmt.Sprintf("[turn %d]", p.Turn+1)
}

// MatchPhrase says how well typed words matched a choice, with the
// article English reads the number with: "a 75% match", "an 83% match",
// "an 11% match". pct is 0–100.
func MatchPhrase(pct int) string {
	article := "a"
	switch {
	case pct == 8, pct == 11, pct == 18, pct >= 80 && pct <= 89:
		article = "an"
	}
	return fmt.Sprintf("%s %d%% match", article, pct)
}

// PracticeMarks say, in words, how an attempt was played when that
// changes how to read its scores: lines taken back in practice, and in
// timed play the time allowed, how often it ran out, and how many pauses
// count as dead air in the key moments (a pause over scoring.DeadAir
// counts even when the time allowed did not run out), so the two never
// seem to disagree. Every front end shows these, glyphs aside.
func PracticeMarks(st engine.State, rewinds int, timed time.Duration) []string {
	var out []string
	switch {
	case rewinds == 1:
		out = append(out, "Practised with rewinds: you took back 1 line, so this run is practice, not a test.")
	case rewinds > 1:
		out = append(out, fmt.Sprintf("Practised with rewinds: you took back %d lines, so this run is practice, not a test.", rewinds))
	}
	if timed <= 0 {
		return out
	}
	late, long := 0, 0
	for _, s := range st.Steps {
		if s.TimedOut() {
			late++
		}
		if s.Hesitation > scoring.DeadAir {
			long++
		}
	}
	secs := func(d time.Duration) string {
		if n := int(max(d, 0) / time.Second); n != 1 {
			return fmt.Sprintf("%d seconds", n)
		}
		return "1 second"
	}
	limit := fmt.Sprintf("Timed: %s per answer", secs(timed))
	var mark string
	switch late {
	case 0:
		mark = limit + "; every answer came in time"
	case 1:
		mark = limit + "; time ran out once (dead air)"
	default:
		mark = fmt.Sprintf("%s; time ran out %d times (dead air)", limit, late)
	}
	if extra := long - late; extra > 0 {
		pauses := "1 other pause"
		if extra > 1 {
			pauses = fmt.Sprintf("%d other pauses", extra)
		}
		mark += fmt.Sprintf(", and %s over %s counted as dead air too", pauses, secs(scoring.DeadAir))
	}
	return append(out, mark+".")
}
