package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/rapport-sim/rapport/internal/results"
)

func TestBuild(t *testing.T) {
	rep := Build(fixture())
	if rep.Attempts != 7 || rep.Finished != 6 || rep.Abandoned != 1 {
		t.Errorf("counts = %d/%d/%d, want 7/6/1", rep.Attempts, rep.Finished, rep.Abandoned)
	}
	var names []string
	for _, g := range rep.Trainees {
		names = append(names, g.Name)
	}
	if got := strings.Join(names, ","); got != "Ann Lee,bo,Eve \x1b[31m| *x*\x1b[0m" {
		t.Errorf("trainees in order %q", got)
	}
	bo := rep.Trainees[1]
	overall := bo.Scores[3]
	// The abandoned attempt does not count towards scores.
	if overall.N != 2 || overall.Mean != 47 || overall.SD != 17 || overall.Min != 30 || overall.Max != 64 {
		t.Errorf("bo overall = %+v, want n 2 mean 47 sd 17 range 30–64", overall)
	}
	if got := bo.Negatives; len(got) == 0 || got[0].ID != "account_first" || got[0].Count != 2 || got[0].Of != 3 {
		t.Errorf("bo's top negative = %+v, want account_first in 2 of 3 attempts", got)
	}
	// greeting was shown at late-delivery (so within reach) and missing in
	// one of bo's two finished attempts there.
	var greeting *Count
	for i, c := range bo.Missing {
		if c.ID == "greeting" {
			greeting = &bo.Missing[i]
		}
	}
	if greeting == nil || greeting.Count != 1 || greeting.Of != 2 {
		t.Errorf("bo missing greeting = %+v, want 1 of 2", greeting)
	}
	ann := rep.Trainees[0]
	if d := ann.Scores[2]; d.N != 2 || math.Abs(d.Mean-52) > 1e-9 {
		t.Errorf("Ann difficult = %+v, want 2 assessed, mean 52 (the calm scenario is not assessed)", d)
	}

	late := rep.Scenarios[1]
	if late.Name != "late-delivery" || len(late.Points) != 2 || late.Points[0].Node != "greet" {
		t.Fatalf("late-delivery points = %+v", late.Points)
	}
	greet := late.Points[0]
	if greet.Visits != 5 {
		t.Errorf("greet visits = %d, want 5", greet.Visits)
	}
	want := map[int][2]float64{1: {2, 0.4}, 2: {2, 0.4}, 3: {1, 0.2}}
	for _, c := range greet.Choices {
		w := want[c.Number]
		if float64(c.Count) != w[0] || c.Share != w[1] || c.Best != (c.Number == 1) {
			t.Errorf("greet choice %d = %+v, want count %v share %v best %v", c.Number, c, w[0], w[1], c.Number == 1)
		}
	}
	// Nobody picked facts#1 from the menu, but it was the best choice
	// there: it is listed so the trainer sees it.
	facts := late.Points[1]
	if c := facts.Choices[0]; c.Number != 1 || !c.Best || c.Count != 1 {
		t.Errorf("facts choice 1 = %+v, want best, picked once (typed)", c)
	}
}

func TestFilter(t *testing.T) {
	recs := fixture()
	tests := map[string]struct {
		f    Filter
		want int
	}{
		"all":      {Filter{}, 7},
		"trainee":  {Filter{Trainee: " ann lee "}, 3},
		"scenario": {Filter{Scenario: "first-time-caller"}, 2},
		"both":     {Filter{Trainee: "BO", Scenario: "late-delivery"}, 3},
		"none":     {Filter{Trainee: "zed"}, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := len(tc.f.Apply(recs)); got != tc.want {
				t.Errorf("%+v matched %d, want %d", tc.f, got, tc.want)
			}
		})
	}
}

func TestSparkline(t *testing.T) {
	tests := map[string]struct {
		in   []int
		want string
	}{
		"range":   {[]int{0, 14, 29, 43, 57, 72, 86, 100}, "▁▂▃▄▅▆▇█"},
		"clamped": {[]int{-5, 150}, "▁█"},
		"empty":   {nil, ""},
		"last 20": {append(make([]int, 5), []int{100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}...), strings.Repeat("█", 20)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Sparkline(tc.in); got != tc.want {
				t.Errorf("Sparkline(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFormats compares every format with its golden file (go test
// -update rewrites them).
func TestFormats(t *testing.T) {
	rep := Build(fixture())
	formats := map[string]func(*bytes.Buffer) error{
		"table":    func(b *bytes.Buffer) error { return WriteTable(b, rep, lipgloss.NewRenderer(b)) },
		"csv":      func(b *bytes.Buffer) error { return WriteCSV(b, rep) },
		"json":     func(b *bytes.Buffer) error { return WriteJSON(b, rep) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, rep) },
		"xapi":     func(b *bytes.Buffer) error { return WriteXAPI(b, fixture(), XAPIOptions{}) },
		"empty":    func(b *bytes.Buffer) error { return WriteTable(b, Build(nil), lipgloss.NewRenderer(b)) },
	}
	for name, write := range formats {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(b.String(), "\x1b\x07") {
				t.Errorf("%s output carries escape or control characters from the records", name)
			}
			golden.RequireEqual(t, b.Bytes())
		})
	}
}

func TestCSVShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, Build(fixture())); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Errorf("header = %v", rows[0])
	}
	choices := 0
	for _, r := range rows[1:] {
		if r[3] == "choice" {
			choices++
		}
		// A trainee's score rows name the scenario: averages never mix.
		if r[0] == "trainee" && (r[3] == "mean" || r[3] == "trend") && r[2] == "" {
			t.Errorf("trainee score row without its scenario: %v", r)
		}
	}
	if choices != 8 {
		t.Errorf("%d choice rows, want 8 (3+2 at late-delivery, 2 at first-time-caller… plus facts)", choices)
	}
}

// A trainee who played an easy and a hard scenario gets an average for
// each, never one that mixes them.
func TestTraineeAveragesPerScenario(t *testing.T) {
	recs := []*results.Record{
		rec(1, "Ann", "first-time-caller", results.Finished, 90, 90, 90, -1),
		rec(2, "Ann", "late-delivery", results.Finished, 40, 40, 40, 40),
		rec(3, "Ann", "late-delivery", results.Finished, 50, 50, 50, 50),
	}
	rep := Build(recs)
	ann := rep.Trainees[0]
	if len(ann.Scenarios) != 2 || ann.Scenarios[0].Name != "first-time-caller" || ann.Scenarios[1].Name != "late-delivery" {
		t.Fatalf("Ann's scenarios: %+v", ann.Scenarios)
	}
	if m := ann.Scenarios[1].Scores[3].Mean; m != 45 {
		t.Errorf("late-delivery overall mean %v, want 45", m)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, rep, lipgloss.NewRenderer(&b)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// 60 would be the mixed mean of 90, 40 and 50.
	if strings.Contains(out, "60 ±") || !strings.Contains(out, "45 ±5") || !strings.Contains(out, "90 ±0") {
		t.Errorf("the trainee table mixes scenarios:\n%s", out)
	}
	b.Reset()
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	var back Report
	_ = json.Unmarshal(b.Bytes(), &back)
	if back.Trainees[0].Scores != nil || len(back.Trainees[0].Scenarios) != 2 {
		t.Errorf("JSON trainee: scores %v, %d scenarios", back.Trainees[0].Scores, len(back.Trainees[0].Scenarios))
	}
	b.Reset()
	if err := WriteMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "| 60 ±") {
		t.Errorf("the Markdown report mixes scenarios:\n%s", b.String())
	}
}

// --per attempt: one row per attempt with the columns a trainer sorts by.
func TestAttemptsCSV(t *testing.T) {
	recs := fixture()
	var b bytes.Buffer
	if err := WriteAttemptsCSV(&b, recs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(recs)+1 || strings.Join(rows[0], ",") != "trainee,scenario,version,date,duration_s,outcome,first_30_seconds,empathy,difficult_customers,overall,band,mode,abandoned,record,kind" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	for i, r := range recs {
		row := rows[i+1]
		if row[13] != r.ID || row[1] != r.Scenario.ID || row[4] != "180" || row[3] != r.Started.UTC().Format(time.RFC3339) {
			t.Errorf("row %d = %v", i+1, row)
		}
		if r.Status == results.Finished {
			if row[12] != "no" || row[9] != strconv.Itoa(r.Scores.Overall) || row[10] != r.Scores.Band || row[5] == "" {
				t.Errorf("finished row %d = %v", i+1, row)
			}
		} else if row[12] != "yes" || row[6] != "" || row[9] != "" || row[10] != "" || row[5] != "" {
			t.Errorf("abandoned row %d carries scores or an outcome: %v", i+1, row)
		}
		if row[2] == "" {
			t.Errorf("row %d has no version", i+1)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Build(fixture())); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Attempts != 7 || len(back.Scenarios) != 2 || len(back.Scenarios[1].Points) != 2 {
		t.Errorf("JSON report decoded to %+v", back)
	}
}

func TestXAPIStatements(t *testing.T) {
	recs := fixture()
	st := Statements(recs[5], XAPIOptions{}) // bo's finished attempt with a typed answer
	if len(st) != 3 {
		t.Fatalf("%d statements, want 2 turns + completed", len(st))
	}
	if st[0].Verb.ID != VerbAnswered || st[1].Verb.ID != VerbResponded || st[2].Verb.ID != VerbCompleted {
		t.Errorf("verbs = %s, %s, %s", st[0].Verb.ID, st[1].Verb.ID, st[2].Verb.ID)
	}
	if st[1].Result.Response != "you needed it saturday, right?" || st[1].Object.Definition.InteractionType != "fill-in" {
		t.Errorf("typed turn = %+v", st[1].Result)
	}
	if st[0].Object.ID != "urn:rapport:scenario:late-delivery:node:greet" || st[2].Object.ID != "urn:rapport:scenario:late-delivery" {
		t.Errorf("activity ids = %s, %s", st[0].Object.ID, st[2].Object.ID)
	}
	if got := st[2].Result.Score; got == nil || got.Scaled != 0.64 || got.Raw != 64 {
		t.Errorf("completed score = %+v, want scaled 0.64", got)
	}
	if st[0].Actor.Account != (Account{HomePage: DefaultHomePage, Name: "bo"}) {
		t.Errorf("actor = %+v", st[0].Actor)
	}
	// Ids are deterministic, distinct, and UUIDv5-shaped.
	again := Statements(recs[5], XAPIOptions{})
	seen := map[string]bool{}
	for i, s := range st {
		if s.ID != again[i].ID {
			t.Errorf("statement %d id changed between exports", i)
		}
		if seen[s.ID] {
			t.Errorf("duplicate statement id %s", s.ID)
		}
		seen[s.ID] = true
		if len(s.ID) != 36 || s.ID[14] != '5' || !strings.ContainsRune("89ab", rune(s.ID[19])) {
			t.Errorf("statement id %s is not a version 5 UUID", s.ID)
		}
		if s.Context.Registration != Registration(recs[5].ID) {
			t.Errorf("statement %d registration differs from the attempt's", i)
		}
	}
	if ab := Statements(recs[4], XAPIOptions{}); ab[len(ab)-1].Verb.ID != VerbAbandoned || *ab[len(ab)-1].Result.Completion || ab[len(ab)-1].Result.Score != nil {
		t.Errorf("abandoned attempt ends with %s %+v, want abandoned with completion false and no score", ab[len(ab)-1].Verb.ID, ab[len(ab)-1].Result)
	}
}

func TestUUID5KnownValue(t *testing.T) {
	// RFC 4122 / Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
	got := formatUUID(uuid5(mustParseUUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
	if want := "886313e1-3b8a-5372-9b90-0c9aee199e5d"; got != want {
		t.Errorf("uuid5 = %s, want %s", got, want)
	}
}

func TestISODuration(t *testing.T) {
	for d, want := range map[string]string{
		"0s": "PT0S", "1.5s": "PT1.5S", "64.25s": "PT1M4.25S", "1h": "PT1H", "1h0m0.004s": "PT1H", "-3s": "PT0S", "2m": "PT2M",
	} {
		dd, _ := time.ParseDuration(d)
		if got := isoDuration(dd); got != want {
			t.Errorf("isoDuration(%s) = %s, want %s", d, got, want)
		}
	}
}

// TestWriteAttempt renders attempts from their records alone (no
// scenario): a finished one with points and a typed turn, an abandoned
// one, and one whose name carries escape sequences.
func TestWriteAttempt(t *testing.T) {
	recs := fixture()
	recs[5].Explanations = &results.Explanations{
		Opening: []results.Point{{Behavior: "greeting", Delta: 8, Turn: 1, Explanation: "Greeting +8: \u201cHello Mr Duarte\u201d opens warmly \u2014 the first 30 seconds decide."}},
		Turns: []results.TurnNotes{
			{Feedback: "A warm, named opening that shows you noticed the wait."},
			{MatchedWhy: "Closest to choice 1: it restates the problem and checks it.", BestWhy: ""},
		},
	}
	recs[5].Rewinds, recs[5].Mode, recs[5].Limit = 2, results.Timed, results.Duration(15*time.Second)
	for name, r := range map[string]*results.Record{"finished": recs[5], "abandoned": recs[4], "hostile": recs[6]} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteAttemptHeader(&b, r, time.UTC); err != nil {
				t.Fatal(err)
			}
			if err := WriteAttempt(&b, r); err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(b.String(), "\x1b\x07") {
				t.Error("control characters from the record reached the output")
			}
			golden.RequireEqual(t, b.Bytes())
		})
	}
}

// Every line of the terminal report fits 80 columns, whatever the names,
// ids and lines in the records; long ones wrap or are cut, never spill.
func TestTableFits80Columns(t *testing.T) {
	long := strings.Repeat("very-long-scenario-id-", 5)
	tn := turn(1, strings.Repeat("a-decision-point-with-a-long-name ", 4), 1,
		strings.Repeat("A choice whose line goes on and on ", 6), 2, "+greeting", "-blame", "-jargon", "-account_first", "-hold_first")
	recs := append(fixture(),
		rec(20, strings.Repeat("Maximiliana Featherstonehaugh ", 3), long, results.Finished, 100, 100, 100, 100, tn),
		rec(21, strings.Repeat("Maximiliana Featherstonehaugh ", 3), long, results.Abandoned, 10, 10, 10, 10, tn),
	)
	for i := range 12 {
		recs = append(recs, rec(30+i, "Ann Lee", "late-delivery", results.Finished, 100, 100, 100, 100, tn))
	}
	for _, colour := range []bool{false, true} {
		var b bytes.Buffer
		r := lipgloss.NewRenderer(&b)
		if colour {
			r.SetColorProfile(termenv.ANSI)
		}
		if err := WriteTable(&b, Build(recs), r); err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(b.String(), "\n") {
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("colour %v, line %d is %d columns: %q", colour, i+1, w, ansi.Strip(l))
			}
		}
	}
}

func drillRec(n int, trainee string, status results.Status, best, points int, answers int) *results.Record {
	r := &results.Record{
		Schema: results.DrillSchema, Kind: results.KindDrill,
		ID:      day.Add(time.Duration(n)*time.Hour).Format("20060102T150405.000Z") + "-d0000000000" + string(rune('a'+n)),
		Trainee: trainee, Mode: results.Choices, Status: status,
		Started: day.Add(time.Duration(n) * time.Hour), Ended: day.Add(time.Duration(n)*time.Hour + time.Minute),
		Scenario: results.ScenarioRef{ID: "openings", Title: "Openings"},
		Drill:    &results.DrillRound{Seed: 7, Count: answers, Best: best, Points: points, MaxPoints: 3 * answers},
	}
	for range answers {
		r.Drill.Answers = append(r.Drill.Answers, results.DrillAnswer{Opener: "o", Rating: "best"})
	}
	return r
}

// Drill rounds are summed up on their own, per trainee and drill, and
// never counted as scenario attempts.
func TestReportDrills(t *testing.T) {
	recs := append(fixture(),
		drillRec(40, "Ann Lee", results.Finished, 5, 24, 10),
		drillRec(41, "Ann Lee", results.Finished, 8, 27, 10),
		drillRec(42, "Ann Lee", results.Abandoned, 1, 3, 2),
	)
	rep := Build(recs)
	if rep.Attempts != 7 || len(rep.Scenarios) != 2 || len(rep.Trainees) != 3 {
		t.Errorf("drills counted as attempts: %d attempts, %d scenarios", rep.Attempts, len(rep.Scenarios))
	}
	if len(rep.Drills) != 1 {
		t.Fatalf("drills = %+v", rep.Drills)
	}
	d := rep.Drills[0]
	if d.Rounds != 3 || d.Abandoned != 1 || d.Best != 13 || d.Answers != 20 || d.Score.N != 2 || d.Score.Mean != 85 {
		t.Errorf("Ann's openings = %+v", d)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, rep, lipgloss.NewRenderer(&b)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Drills") || !strings.Contains(b.String(), "13/20 (65%)") || !strings.Contains(b.String(), "85 ±5") {
		t.Errorf("table:\n%s", b.String())
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("too wide: %q", l)
		}
	}
	b.Reset()
	if err := WriteAttemptsCSV(&b, recs); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&b).ReadAll()
	drillRows := 0
	for _, r := range rows[1:] {
		if r[14] == "drill" {
			drillRows++
			if r[1] != "openings" || r[6] != "" {
				t.Errorf("drill row %v", r)
			}
		}
	}
	if drillRows != 3 || rows[len(rows)-3][9] != "80" {
		t.Errorf("%d drill rows; first drill overall %q, want 80", drillRows, rows[len(rows)-3][9])
	}
	b.Reset()
	_ = WriteMarkdown(&b, rep)
	if !strings.Contains(b.String(), "## Drills") {
		t.Error("markdown lacks the drills")
	}
	// xAPI leaves drill rounds out.
	b.Reset()
	_ = WriteXAPI(&b, recs[len(recs)-3:], XAPIOptions{})
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("xAPI of drill rounds: %s", b.String())
	}
}
