package reader

import (
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// NodeContexts is ContextAt for every node of a scenario, keyed by node id,
// with the distances from the start found in one walk rather than one per
// node: what an analysis of a whole scenario needs.
func NodeContexts(sc *scenario.Scenario) map[string]Context {
	depth := depths(sc)
	out := make(map[string]Context, len(sc.Nodes))
	for _, n := range sc.Nodes {
		out[n.ID] = Context{
			Customer: scenario.Fill(joinLines(n.Say), ""), Channel: sc.Channel,
			CustomerName: sc.Customer.Name, Mode: sc.Customer.Mode, Turn: depth[n.ID],
		}
	}
	return out
}

// TypedContext is what the scoring model knows when the trainee types a
// line now, in a conversation at state st, after hesitation: the customer's
// lines since the trainee last spoke, who the customer is, and where the
// conversation stands. It reads the conversation the way Evaluate reads the
// same line afterwards, so the match made during play is the one the
// debrief explains. Every front end that matches typed text uses it.
func TypedContext(sc *scenario.Scenario, st engine.State, hesitation time.Duration) Context {
	var said []string
	for _, e := range st.Transcript {
		if e.Speaker == engine.Trainee {
			said = said[:0]
			continue
		}
		said = append(said, e.Text)
	}
	return Context{
		Customer:     strings.Join(said, " "),
		Channel:      sc.Channel,
		CustomerName: sc.Customer.Name,
		Mode:         sc.Customer.Mode,
		Turn:         len(st.Steps),
		Elapsed:      st.Clock + hesitation,
		Agent:        st.Agent,
	}
}
