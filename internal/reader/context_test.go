package reader

import (
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// NodeContexts must be ContextAt for every node: analyses read the former
// and the tag check the latter.
func TestNodeContextsMatchContextAt(t *testing.T) {
	lib, _, err := scenario.LoadDir(scenarios.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(lib) == 0 {
		t.Fatal("no shipped scenarios")
	}
	for _, sc := range lib {
		ctxs := NodeContexts(sc)
		if len(ctxs) != len(sc.Nodes) {
			t.Errorf("%s: %d contexts for %d nodes", sc.ID, len(ctxs), len(sc.Nodes))
		}
		for _, n := range sc.Nodes {
			if got, want := ctxs[n.ID], ContextAt(sc, n); got != want {
				t.Errorf("%s/%s: context %+v, want %+v", sc.ID, n.ID, got, want)
			}
		}
	}
}

// A typed line answers what the customer said since the trainee last spoke.
func TestTypedContextReadsSinceTheTraineeLastSpoke(t *testing.T) {
	sc := &scenario.Scenario{Channel: scenario.Chat, Customer: scenario.Customer{Name: "Ada", Mode: "feel"}}
	st := engine.State{
		Transcript: []engine.Entry{
			{Speaker: engine.Customer, Text: "Hello?"},
			{Speaker: engine.Trainee, Text: "Hi, I'm Sam."},
			{Speaker: engine.Customer, Text: "My parcel is late."},
			{Speaker: engine.Customer, Text: "Again."},
		},
		Steps: []engine.Step{{Choice: 1}},
		Clock: 20 * time.Second,
	}
	got := TypedContext(sc, st, 5*time.Second)
	want := Context{Customer: "My parcel is late. Again.", Channel: scenario.Chat, CustomerName: "Ada", Mode: "feel", Turn: 1, Elapsed: 25 * time.Second}
	if got != want {
		t.Errorf("context %+v, want %+v", got, want)
	}
}
