package scoring

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// stockPadding is 40 words of stock phrases, each from the catalogue in
// docs/scoring.md.
const stockPadding = "We apologise for any inconvenience caused. Your call is important to us. " +
	"We value you as a customer. I understand your frustration. " +
	"Thank you for your patience and understanding. Rest assured we take this very seriously. " +
	"Your satisfaction is our top priority."

// goodLines are the corpus lines that show a positive behaviour and no
// negative one: the project corpus and both halves of the labelled corpus.
func goodLines(t *testing.T) []readertest.Line {
	var out []readertest.Line
	all := readertest.Read(t, "corpus.jsonl")
	for _, name := range []string{"dev.jsonl", "test.jsonl"} {
		if _, err := os.Stat(readertest.Path("labelled/" + name)); err == nil {
			all = append(all, readertest.Read(t, "labelled/"+name)...)
		}
	}
	for _, c := range all {
		good, bad := false, false
		for _, l := range c.Labels {
			if info, _ := reader.Info(reader.BehaviorID(l)); info.Polarity == reader.Positive {
				good = true
			} else {
				bad = true
			}
		}
		if good && !bad {
			out = append(out, c)
		}
	}
	return out
}

func pointsOf(text string, ctx reader.Context) Points {
	return LinePoints(text, ctx, LineMood{}, CompanyRules{})
}

// TestPaddingNeverPays: every good response in the corpus, plus 40 words
// of stock phrases before or after it, never scores more points than the
// response alone, on any channel, with or without an angry customer.
func TestPaddingNeverPays(t *testing.T) {
	if n := len(strings.Fields(stockPadding)); n < 40 {
		t.Fatalf("the padding is %d words, want at least 40", n)
	}
	lines := goodLines(t)
	if len(lines) < 200 {
		t.Fatalf("only %d good lines in the corpus", len(lines))
	}
	checked := 0
	for _, c := range lines {
		for _, ch := range []scenario.Channel{scenario.Phone, scenario.Chat} {
			for _, mood := range []LineMood{{}, {Anger: 70, Known: true}} {
				ctx := c.Context()
				ctx.Channel = ch
				alone := LinePoints(c.Text, ctx, mood, CompanyRules{}).Total
				for _, padded := range []string{c.Text + " " + stockPadding, stockPadding + " " + c.Text} {
					if got := LinePoints(padded, ctx, mood, CompanyRules{}).Total; got > alone {
						t.Errorf("%s, anger %d: padding raised %q from %d to %d points", ch, mood.Anger, c.Text, alone, got)
					}
				}
				checked++
			}
		}
	}
	t.Logf("%d good lines checked, each padded before and after", checked)
}

// stockOnly are lines made of nothing but stock phrases.
var stockOnly = []string{
	"We apologise for any inconvenience caused.",
	"I understand your frustration.",
	"I understand your frustration. We value you as a customer.",
	"Thank you for your patience and understanding.",
	"Your call is important to us. Rest assured we take this very seriously.",
	"I'm sorry for any inconvenience. Your satisfaction is our top priority.",
	stockPadding,
}

// TestStockLineUnderHalfBest: at every node of every shipped scenario, a
// line made only of stock phrases never reaches half the points of the
// best offered line there.
func TestStockLineUnderHalfBest(t *testing.T) {
	nodes := 0
	for _, sc := range loadShipped(t) {
		rules := RulesOf(sc)
		for _, n := range sc.Nodes {
			ctx := reader.ContextAt(sc, n)
			mood := LineMood{Anger: sc.Customer.Start.Anger, Known: true}
			best, bestSay := 0, ""
			for _, c := range n.Choices {
				if p := LinePoints(c.Say, ctx, mood, rules).Total; p > best {
					best, bestSay = p, c.Say
				}
			}
			if best <= 0 {
				continue
			}
			nodes++
			for _, s := range stockOnly {
				if got := LinePoints(s, ctx, mood, rules).Total; 2*got >= best {
					t.Errorf("%s/%s: stock line %q earns %d, at least half the best line's %d (%q)",
						sc.ID, n.ID, s, got, best, bestSay)
				}
			}
		}
	}
	if nodes < 50 {
		t.Fatalf("only %d nodes checked", nodes)
	}
}

// TestRepetitionEarnsNoMore: a good line said three times over earns no
// more than said twice, in one reply and across a conversation.
func TestRepetitionEarnsNoMore(t *testing.T) {
	for _, c := range goodLines(t) {
		ctx := c.Context()
		twice := pointsOf(c.Text+" "+c.Text, ctx).Total
		thrice := pointsOf(c.Text+" "+c.Text+" "+c.Text, ctx).Total
		if thrice > twice {
			t.Errorf("%q: three times in a reply earns %d, more than twice (%d)", c.Text, thrice, twice)
		}
		two := conversationEmpathy([]string{c.Text, c.Text})
		three := conversationEmpathy([]string{c.Text, c.Text, c.Text})
		if three > two {
			t.Errorf("%q: three turns earn Empathy %d, more than two (%d)", c.Text, three, two)
		}
	}
	// The third apology of a conversation earns nothing.
	lines := []string{"I'm so sorry we kept you waiting.", "I'm sorry about the wait.", "I'm really sorry."}
	turns := make([]Turn, len(lines))
	infos := make([]turnInfo, len(lines))
	for i, l := range lines {
		infos[i].ctx = reader.Context{Channel: scenario.Phone, Turn: i + 1}
		turns[i] = Turn{Index: i, Said: l, Analysis: reader.Analyze(l, infos[i].ctx)}
	}
	for _, p := range scoreEmpathy(nil, infos, turns).Points {
		if p.Turn == 2 && p.Delta > 0 {
			t.Errorf("the third apology earned %+d: %s", p.Delta, p.Explanation)
		}
	}
}

// TestSpecificBeatsFormula: the fixes trainers asked for in issue 10.
func TestSpecificBeatsFormula(t *testing.T) {
	ctx := reader.Context{Channel: scenario.Phone, Turn: 2, Customer: "They cut off my gas in the middle of winter and nobody told me."}
	stock := pointsOf("I understand your frustration.", ctx).Total
	specific := pointsOf("That must have been awful for you.", ctx).Total
	if stock >= specific {
		t.Errorf("\"I understand your frustration\" earns %d, not below \"That must have been awful for you\" (%d)", stock, specific)
	}
	if stock > 0 {
		t.Errorf("a line of one stock phrase earns %d, want nothing", stock)
	}
	// A generic weak apology earns half of what one that takes up the
	// customer's words earns, and says why.
	parcel := reader.Context{Channel: scenario.Phone, Turn: 2, Customer: "My parcel never came and I waited in all day."}
	generic, taken := pointsOf("Sorry about that.", parcel), pointsOf("Sorry, you waited in all day.", parcel)
	if generic.Total >= taken.Total {
		t.Errorf("generic apology %d, not below one about the wait (%d)", generic.Total, taken.Total)
	}
	half := false
	for _, p := range generic.Why {
		half = half || strings.Contains(p.Explanation, "(half: it takes up nothing the customer said)")
	}
	if !half {
		t.Errorf("the generic apology's points do not say why they are halved: %v", generic.Why)
	}
	// A stock apology in a good line earns nothing extra.
	good := "I'm so sorry we cut you off without warning; I'll get it reconnected today."
	if a, b := pointsOf(good, ctx).Total, pointsOf(good+" Sorry for any inconvenience.", ctx).Total; b > a {
		t.Errorf("a stock apology added to a good line raised it from %d to %d", a, b)
	}
}

// TestAnswerBeatsDeflect: when the customer asks something direct, the
// reply that answers earns more than sympathy alone, and sympathy alone
// loses points for the deflection.
func TestAnswerBeatsDeflect(t *testing.T) {
	cases := []struct{ customer, answer, deflect string }{
		{"When will my refund arrive?", "It'll be back in your account by Friday.", "I'm so sorry, I understand your frustration."},
		{"Can you cancel my order?", "I've cancelled it, and you won't be charged.", "Oh no, that sounds stressful."},
		{"How much is the repair?", "It's sixty pounds, parts included.", "Thank you for your patience and understanding."},
		{"Is the shop open on Sunday?", "Yes, from ten till four.", "I'm sorry to hear that."},
	}
	for _, c := range cases {
		ctx := reader.Context{Channel: scenario.Chat, Turn: 2, Customer: c.customer}
		a, d := reader.Analyze(c.answer, ctx), reader.Analyze(c.deflect, ctx)
		if _, ok := a.Has(reader.Answer); !ok {
			t.Errorf("%q → %q: no answer read (%v)", c.customer, c.answer, a.Behaviors)
		}
		if _, ok := d.Has(reader.Deflect); !ok {
			t.Errorf("%q → %q: no deflection read (%v)", c.customer, c.deflect, d.Behaviors)
		}
		pa, pd := pointsOf(c.answer, ctx), pointsOf(c.deflect, ctx)
		if pa.Total <= pd.Total || pd.Empathy >= 0 {
			t.Errorf("%q: answer %d vs deflection %d (deflection's Empathy %d)", c.customer, pa.Total, pd.Total, pd.Empathy)
		}
	}
	// No question, no answer and no deflection.
	a := reader.Analyze("I'm so sorry to hear that.", reader.Context{Turn: 2, Customer: "My dog died last week."})
	if _, ok := a.Has(reader.Deflect); ok {
		t.Errorf("sympathy with no question asked read as a deflection")
	}
}

// TestItemSevenFixes: the specific faults trainees and trainers reported.
func TestItemSevenFixes(t *testing.T) {
	// Troubleshooting after the customer said they had done it is not
	// exploration.
	ctx := reader.Context{Turn: 3, Customer: "I've switched it off and on three times already."}
	if _, ok := reader.Analyze("Have you tried switching it off and on again?", ctx).Has(reader.Exploration); ok {
		t.Errorf("a troubleshooting checklist counted as exploration")
	}
	// An overpromise costs more than the expectation inside it earns.
	angry := LineMood{Anger: 60, Known: true}
	if p := LinePoints("I guarantee it'll be fixed by tonight.", reader.Context{Turn: 3}, angry, CompanyRules{}); p.Total >= 0 {
		t.Errorf("an overpromise with a time earns %d overall, want a loss: %v", p.Total, p.Why)
	}
	// A condolence is not explained as owning the problem.
	p := pointsOf("I'm so sorry about what happened to your mum, that's so much to carry.", reader.Context{Turn: 1, Customer: "My mum passed away last month."})
	for _, pt := range p.Why {
		if pt.Behavior == reader.Apology || strings.Contains(pt.Explanation, "own the problem") {
			t.Errorf("a condolence explained as an apology: %s", pt.Explanation)
		}
	}
	// Each behaviour's explanation gives its own reason.
	seen := map[string]reader.BehaviorID{}
	for _, b := range reader.Behaviors() {
		w := whyOf(b.ID)
		if other, dup := seen[w]; dup {
			t.Errorf("%s and %s share the reason %q", b.ID, other, w)
		}
		seen[w] = b.ID
	}
}

// TestOpeningPastWindowSaysWhy: a point in First 30 seconds for a line
// said after the window says why it still counts.
func TestOpeningPastWindowSaysWhy(t *testing.T) {
	ls := newLineScorer(CompanyRules{})
	turn := Turn{At: OpeningWindow + 5e9, Said: "Good morning, I'm Sam.", Analysis: reader.Analyze("Good morning, I'm Sam.", reader.Context{Turn: 1})}
	pts := ls.openingLine(nil, turn, 1, -1)
	if len(pts) == 0 {
		t.Fatal("no opening points")
	}
	for _, p := range pts {
		if !strings.Contains(p.Explanation, "after the first 30 seconds, but within your first three sentences") {
			t.Errorf("late opening point without a reason: %s", p.Explanation)
		}
	}
}

// TestEscalationNotMissedWhenCalmed: a furious customer calmed to the end
// who never asked for anyone costs nothing for "no escalation offered";
// one who asked does.
func TestEscalationNotMissedWhenCalmed(t *testing.T) {
	sc := &scenario.Scenario{Customer: scenario.Customer{Start: scenario.Mood{Anger: 80}}}
	mood := []MoodPoint{{Mood: scenario.Mood{Anger: 80}, Turn: -1}, {At: 1e10, Mood: scenario.Mood{Anger: 10}, Turn: 0}}
	turn := func(customer string) []Turn {
		return []Turn{{Customer: customer, Said: "I'll sort this out today.", Analysis: reader.Analyze("I'll sort this out today.", reader.Context{Turn: 1})}}
	}
	missed := func(s Score) bool {
		for _, p := range s.Points {
			if p.Behavior == SignalNoEscalation {
				return true
			}
		}
		return false
	}
	if s := scoreDifficult(sc, engine.State{}, turn("This is a disgrace!"), mood); missed(s) {
		t.Errorf("calmed customer who never asked: escalation still charged")
	}
	if s := scoreDifficult(sc, engine.State{}, turn("Get me your manager."), mood); !missed(s) {
		t.Errorf("customer asked for a manager and none was offered: not charged")
	}
	stayed := []MoodPoint{mood[0], {At: 1e10, Mood: scenario.Mood{Anger: 75}, Turn: 0}}
	if s := scoreDifficult(sc, engine.State{}, turn("This is a disgrace!"), stayed); !missed(s) {
		t.Errorf("customer stayed furious and no one was offered: not charged")
	}
}

// TestLinePointsDeterministic: the same line in the same context always
// earns the same points, explained the same way.
func TestLinePointsDeterministic(t *testing.T) {
	for _, c := range readertest.Read(t, "corpus.jsonl")[:100] {
		a := LinePoints(c.Text, c.Context(), LineMood{Anger: 50, Known: true}, CompanyRules{})
		b := LinePoints(c.Text, c.Context(), LineMood{Anger: 50, Known: true}, CompanyRules{})
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%q scored differently twice", c.Text)
		}
		sum := 0
		for _, p := range a.Why {
			sum += p.Delta
			if p.Explanation == "" {
				t.Errorf("%q: a point without an explanation", c.Text)
			}
		}
		if sum != a.Total || a.Opening+a.Empathy+a.Difficult != a.Total {
			t.Errorf("%q: points %v do not add up to the total %d", c.Text, a.Why, a.Total)
		}
	}
}

// TestCompanyRules: an allowed behaviour costs nothing and says so; a
// weight scales a behaviour's points.
func TestCompanyRules(t *testing.T) {
	ctx := reader.Context{Turn: 0}
	line := "Can I take your account number please?"
	plain := pointsOf(line, ctx)
	allowed := LinePoints(line, ctx, LineMood{}, CompanyRules{Allow: map[reader.BehaviorID]bool{reader.AccountFirst: true}, Note: "security requires it"})
	if allowed.Total <= plain.Total {
		t.Errorf("allowing account_first did not lift the line: %d vs %d", allowed.Total, plain.Total)
	}
	said := false
	for _, p := range allowed.Why {
		if p.Behavior == reader.AccountFirst && p.Delta == 0 && strings.Contains(p.Explanation, "security requires it") {
			said = true
		}
	}
	if !said {
		t.Errorf("the debrief does not say the rule was adjusted: %v", allowed.Why)
	}
	double := LinePoints("Sorry for any inconvenience.", reader.Context{Turn: 2}, LineMood{}, CompanyRules{Weight: map[reader.BehaviorID]float64{reader.StockPhrase: 2}})
	single := pointsOf("Sorry for any inconvenience.", reader.Context{Turn: 2})
	if double.Total >= single.Total {
		t.Errorf("weight 2 on stock_phrase: %d, not below %d", double.Total, single.Total)
	}
}

// TestCompanyRulesInTheDebrief: a scenario's [scoring] allow reaches
// Evaluate: the hold it allows costs nothing, and the point that says so is
// in the report the debrief prints.
func TestCompanyRulesInTheDebrief(t *testing.T) {
	sc := loadScenario(t, "first-time-caller.toml")
	play := func() Report {
		e, err := engine.Replay(sc, engine.Options{Pace: Pace(sc.Channel)}, []engine.Step{{Choice: 4, Hesitation: DefaultHesitation}})
		if err != nil {
			t.Fatal(err)
		}
		return Evaluate(sc, e.State())
	}
	before := play()
	sc.Scoring = scenario.ScoringRules{Allow: []string{string(reader.HoldFirst)}, Note: "the switchboard holds every caller"}
	defer func() { sc.Scoring = scenario.ScoringRules{} }()
	after := play()
	if after.Opening.Value <= before.Opening.Value {
		t.Errorf("allowing hold_first left First 30 seconds at %d (was %d)", after.Opening.Value, before.Opening.Value)
	}
	said := false
	for _, p := range after.Turns[0].Points {
		if p.Behavior == reader.HoldFirst {
			if p.Delta != 0 || !strings.Contains(p.Explanation, "company rule") || !strings.Contains(p.Explanation, "the switchboard holds every caller") {
				t.Errorf("hold point %+v", p)
			}
			said = true
		}
	}
	if !said {
		t.Errorf("no point says the company rule changed the hold: %+v", after.Turns[0].Points)
	}
}
