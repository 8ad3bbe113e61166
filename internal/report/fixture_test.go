package report

import (
	"time"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
)

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// turn builds a turn with the given behaviours ("+greeting", "-blame").
func turn(i int, node string, choice int, say string, best int, behaviors ...string) results.Turn {
	t := results.Turn{Index: i, Node: node, Choice: choice, Say: say,
		Hesitation: results.Duration(2 * time.Second), At: results.Duration(time.Duration(i*9) * time.Second)}
	for _, b := range behaviors {
		t.Behaviors = append(t.Behaviors, results.Behavior{ID: b[1:], Polarity: b[:1], Strength: 2})
	}
	if best != 0 && best != choice {
		t.Best = &results.Alternative{Choice: best, Say: bestSay[node+string(rune('0'+best))]}
	}
	return t
}

var bestSay = map[string]string{
	"opening2": "Good morning, Sam speaking, thank you for calling. What can I do for you?",
	"facts1":   "So the parcel never came, and you needed it for Saturday. Is that right?",
	"greet1":   "Hello Mr Duarte, I'm Priya. I can see this has been a long wait.",
}

// rec builds a record. Scores nil means an attempt with no scoring.
func rec(n int, trainee, scen string, status results.Status, overall, opening, empathy, difficult int, turns ...results.Turn) *results.Record {
	r := &results.Record{
		Schema: results.Schema, ID: day.Add(time.Duration(n)*time.Hour).Format("20060102T150405.000Z") + "-00000000000" + string(rune('a'+n)),
		Trainee: trainee, Mode: results.Choices, Status: status,
		Started: day.Add(time.Duration(n) * time.Hour), Ended: day.Add(time.Duration(n)*time.Hour + 3*time.Minute),
		Version: "v1.0.0", Clock: results.Duration(95 * time.Second), Turns: turns,
	}
	switch scen {
	case "late-delivery":
		r.Scenario = results.ScenarioRef{ID: scen, Title: "Late for the wedding", Hash: "aaa", Channel: "phone", Difficulty: "hard"}
	default:
		r.Scenario = results.ScenarioRef{ID: scen, Title: "First time on the phone", Hash: "bbb", Channel: "phone", Difficulty: "easy"}
	}
	if status == results.Finished {
		outcome := scenario.Resolved
		if overall < 40 {
			outcome = scenario.Lost
		}
		r.Ending = &results.Ending{ID: "end", Outcome: outcome}
	}
	r.Scores = &results.Scores{
		Opening:   results.Score{Label: "First 30 seconds", Value: opening, Assessed: true},
		Empathy:   results.Score{Label: "Empathy", Value: empathy, Assessed: true},
		Difficult: results.Score{Label: "Difficult customers", Value: difficult, Assessed: difficult >= 0},
		Overall:   overall, Band: "Getting there",
	}
	if difficult < 0 {
		r.Scores.Difficult.Reason = "the customer is calm"
	}
	if len(turns) > 0 {
		r.Explanations = &results.Explanations{
			Opening: []results.Point{{Behavior: "greeting", Delta: 8, Turn: 1, Explanation: "opens warmly"}},
			Empathy: []results.Point{{Behavior: "blame", Delta: -5, Turn: 1, Explanation: "blames the customer"}},
		}
	}
	return r
}

// fixture is a small class: three trainees (one with a hostile name), two
// scenarios, one abandoned attempt and one typed answer.
func fixture() []*results.Record {
	typed := turn(2, "facts", 1, "So the parcel never came, and you needed it for Saturday. Is that right?", 1, "+interpretation", "+check_understanding")
	typed.Typed = "you needed it saturday, right?"
	typed.Match = 0.71
	return []*results.Record{
		rec(0, "Ann Lee", "late-delivery", results.Finished, 45, 50, 40, 38,
			turn(1, "greet", 2, "Order number?", 1, "-account_first"),
			turn(2, "facts", 3, "You should have ordered earlier.", 1, "-blame", "-defensive")),
		rec(1, "Ann Lee", "late-delivery", results.Finished, 71, 70, 75, 66,
			turn(1, "greet", 1, "Hello Mr Duarte, I'm Priya. I can see this has been a long wait.", 1, "+greeting", "+own_name", "+customer_name"),
			turn(2, "facts", 3, "You should have ordered earlier.", 1, "-blame")),
		rec(2, "Ann Lee", "first-time-caller", results.Finished, 88, 92, 85, -1,
			turn(1, "opening", 2, "Good morning, Sam speaking, thank you for calling. What can I do for you?", 2, "+greeting", "+own_name", "+thanks")),
		rec(3, "bo", "late-delivery", results.Finished, 30, 25, 35, 20,
			turn(1, "greet", 2, "Order number?", 1, "-account_first"),
			turn(2, "facts", 2, "Calm down, it's only flowers.", 1, "-invalidate", "-blame")),
		rec(4, "bo", "late-delivery", results.Abandoned, 20, 20, 20, 20,
			turn(1, "greet", 3, "Order number? Please hold.", 1, "-account_first", "-hold_first")),
		rec(5, "bo", "late-delivery", results.Finished, 64, 60, 70, 58,
			turn(1, "greet", 1, "Hello Mr Duarte, I'm Priya. I can see this has been a long wait.", 1, "+greeting", "+own_name"),
			typed),
		rec(6, "Eve \x1b[31m| *x*\x1b[0m", "first-time-caller", results.Finished, 52, 40, 60, -1,
			turn(1, "opening", 1, "Bank.\x07 Account number?", 2, "-account_first")),
	}
}
