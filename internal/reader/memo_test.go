package reader

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// TestMemoKeyReadsTheSame: the memo keeps one reading per line and
// memoKey(ctx), so a line must read the same at every turn and clock time
// that share a key — for every choice of the shipped scenarios and lines
// whose reading depends on being early (an account number or a hold
// before any acknowledgement, "thank you for calling") — and a memo
// asked in any order gives what Analyze gives.
func TestMemoKeyReadsTheSame(t *testing.T) {
	lib, _, err := scenario.LoadDir(scenarios.FS)
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		text string
		ctx  Context
	}
	var jobs []job
	for _, sc := range lib {
		ctxs := NodeContexts(sc)
		for _, n := range sc.Nodes {
			for _, c := range n.Choices {
				jobs = append(jobs, job{scenario.Fill(c.Say, ""), ctxs[n.ID]})
			}
		}
	}
	own := Context{Customer: "My parcel never came and I've called three times.", Channel: scenario.Phone, CustomerName: "Robin Hale"}
	for _, s := range []string{
		"Can I take your account number first?",
		"Before anything else, what's your account number?",
		"Please hold while I check.",
		"Thank you for calling, Robin, is there anything else?",
		"I'm sorry the parcel never came. Can I take your account number to look into it?",
	} {
		jobs = append(jobs, job{s, own})
	}
	turns := []int{0, 1, 2, 7}
	clocks := []time.Duration{0, time.Second, 10 * time.Second, OpeningWindow - time.Second, OpeningWindow, 45 * time.Second, 5 * time.Minute}
	m := NewMemo()
	earlyDiffers := 0
	for _, j := range jobs {
		var readings [2]*Analysis
		for _, turn := range turns {
			for _, at := range clocks {
				ctx := j.ctx
				ctx.Turn, ctx.Elapsed = turn, at
				want := Analyze(j.text, ctx)
				if got := Analyze(j.text, memoKey(ctx)); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q at turn %d, %s reads differently in its memo key's context:\n%+v\nwant %+v", j.text, turn, at, got, want)
				}
				if got := m.Analyze(j.text, ctx); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q at turn %d, %s: the memo's reading differs from Analyze's", j.text, turn, at)
				}
				k := 0
				if isEarly(ctx) {
					k = 1
				}
				if readings[k] == nil {
					readings[k] = &want
				}
			}
		}
		if !reflect.DeepEqual(*readings[0], *readings[1]) {
			earlyDiffers++
		}
	}
	if earlyDiffers < 5 {
		t.Fatalf("only %d lines read differently early and late: the test no longer tells the cases apart", earlyDiffers)
	}
}

// TestMemoChoiceManyContexts: a choice met after many different customer
// lines (more than the memo keeps beside the choice itself) reads, in
// every one of them and asked again, what AnalyzeChoice reads.
func TestMemoChoiceManyContexts(t *testing.T) {
	c := &scenario.Choice{Number: 1, Say: "I'm so sorry, {agent} here. Can you tell me what happened with the order?", Tags: []string{"ownership"}}
	customers := []string{
		"Where is my parcel?", "I've called three times.", "Nobody listens to me!", "Can I speak to a manager?",
		"It was a gift for my mother.", "I'm really upset.", "Why does this keep happening?", "Just fix it.",
		"I see no tracking at all.", "It sounds like nobody cares.",
	}
	m := NewMemo()
	for pass := range 2 {
		for i, cust := range customers {
			for _, turn := range []int{0, 4} {
				ctx := Context{Customer: cust, Channel: scenario.Phone, CustomerName: "Robin Hale", Turn: turn, Agent: "Alex"}
				if got, want := m.AnalyzeChoice(c, ctx), AnalyzeChoice(c, ctx); !reflect.DeepEqual(got, want) {
					t.Fatalf("pass %d, customer line %d, turn %d: the memo's reading differs:\n%+v\nwant %+v", pass, i, turn, got, want)
				}
			}
		}
	}
	n := len(m.more)
	for r := m.choices[c]; r != nil; r = r.next {
		n++
	}
	if n != 2*len(customers) {
		t.Fatalf("the memo holds %d readings of the choice, want one per context (%d)", n, 2*len(customers))
	}
}
