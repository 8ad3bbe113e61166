// Package readertest reads the reader's labelled test data for the tests
// of the reader and of the scorer: the project corpus, the held-out sets and
// the labelled corpus in internal/reader/testdata. Only tests import it.
package readertest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Path is the path of a file in internal/reader/testdata, whichever
// package's test asks for it.
func Path(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", filepath.FromSlash(name))
}

// Line is one labelled response in a corpus file (JSON Lines).
type Line struct {
	Text     string   `json:"text"`
	Labels   []string `json:"labels"`
	Customer string   `json:"customer"`
	Channel  string   `json:"channel"`
	Turn     int      `json:"turn"`
	Name     string   `json:"name"`
	Mode     string   `json:"mode"`
}

// Context is the moment the line was labelled in.
func (c Line) Context() reader.Context {
	ch := scenario.Channel(c.Channel)
	if ch == "" {
		ch = scenario.Phone
	}
	return reader.Context{Customer: c.Customer, Channel: ch, CustomerName: c.Name, Mode: c.Mode, Turn: c.Turn}
}

// Read reads a corpus file named relative to internal/reader/testdata and
// fails the test on a line that does not parse or a label that is not a
// behaviour.
func Read(t testing.TB, name string) []Line {
	t.Helper()
	path := Path(name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Line
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var c Line
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		for _, l := range c.Labels {
			if !reader.Known(l) {
				t.Fatalf("%s:%d: unknown label %q", name, n, l)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Join adds a sentence to a response, ending the response's last sentence
// first if it has no final punctuation.
func Join(base, extra string) string {
	base = strings.TrimSpace(base)
	if base == "" {
		return extra
	}
	if !strings.ContainsAny(base[len(base)-1:], ".!?") {
		base += "."
	}
	return base + " " + extra
}

// PropertyBases is the project corpus plus 300 seeded random compositions
// of its lines: longer, mixed responses for property tests.
func PropertyBases(t *testing.T) []Line {
	t.Helper()
	lines := Read(t, "corpus.jsonl")
	r := rand.New(rand.NewPCG(1, 2))
	n := len(lines)
	for i := 0; i < 300; i++ {
		a, b, c := lines[r.IntN(n)], lines[r.IntN(n)], lines[r.IntN(n)]
		lines = append(lines, Line{Text: Join(Join(a.Text, b.Text), c.Text), Customer: a.Customer, Name: b.Name, Mode: c.Mode, Turn: r.IntN(4)})
	}
	return lines
}

// BenchResponses builds responses of about 25 words from the corpus lines,
// so benchmarks read realistic text of a realistic length.
func BenchResponses(b *testing.B) ([]string, []reader.Context) {
	b.Helper()
	lines := Read(b, "corpus.jsonl")
	var texts []string
	var ctxs []reader.Context
	var cur []string
	words := 0
	for _, c := range lines {
		cur = append(cur, c.Text)
		words += len(strings.Fields(c.Text))
		if words >= 22 {
			texts = append(texts, strings.Join(cur, " "))
			ctxs = append(ctxs, reader.Context{Customer: "I've been waiting all week and I feel like nobody is listening to me.",
				Channel: scenario.Phone, CustomerName: "Grace Okafor", Turn: len(texts) % 4})
			cur, words = cur[:0], 0
		}
	}
	return texts, ctxs
}

// Scenario builds a phone conversation of turns nodes, three
// choices each, written from the corpus, ending resolved.
func Scenario(b *testing.B, turns int) *scenario.Scenario {
	b.Helper()
	lines := Read(b, "corpus.jsonl")
	sc := &scenario.Scenario{ID: "bench", Title: "Bench", Channel: scenario.Phone, Tags: []string{"complaint"},
		Customer: scenario.Customer{Name: "Grace Okafor", Mode: "feel",
			Start: scenario.Mood{Apprehension: 70, Anger: 45, Trust: 30, Patience: 100}}}
	for i := 0; i < turns; i++ {
		n := &scenario.Node{ID: fmt.Sprintf("n%d", i), Say: []string{"I still don't understand why this keeps happening to me, and I feel like I'm going round in circles."}}
		next := fmt.Sprintf("n%d", i+1)
		if i == turns-1 {
			next = "done"
		}
		for k := 0; k < 3; k++ {
			c := lines[(i*3+k)%len(lines)]
			n.Choices = append(n.Choices, &scenario.Choice{Number: k + 1, Say: c.Text, Next: next,
				Effects: scenario.Mood{Anger: k - 1, Trust: 1 - k}, Tags: c.Labels, Feedback: "Author's note on this line."})
		}
		sc.Nodes = append(sc.Nodes, n)
	}
	sc.Endings = []*scenario.Ending{{ID: "done", Outcome: scenario.Resolved, Say: []string{"Thanks, that's everything."}}}
	sc.Index()
	return sc
}
