package analysis

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// briefingFindings warns about a scenario without a [briefing]: the
// trainee would start the call not knowing who they are or what they may
// offer, and the customer's first question about a refund is a guess.
func briefingFindings(sc *scenario.Scenario) scenario.Diagnostics {
	if sc.Briefing != nil {
		return nil
	}
	return scenario.Diagnostics{diag(sc, sc.IDPos, CodeNoBriefing,
		fmt.Sprintf("scenario %q has no [briefing]: the trainee starts the call not knowing their role, the goal or what they may offer", sc.ID),
		`add [briefing] with role = "…", company = "…", goal = "…" and may_offer = ["a refund up to £50", "a callback"]`)}
}

// contradictionFindings warns about a choice whose effects say the opposite
// of its tags: a line tagged blame, sarcasm or another negative behaviour
// that calms the customer (anger down, trust up), or a line tagged only
// with good behaviours that angers them and costs trust. One of the two is
// a mistake, and either way the scores and the customer disagree.
func contradictionFindings(sc *scenario.Scenario) scenario.Diagnostics {
	var out scenario.Diagnostics
	for _, n := range sc.Nodes {
		for _, c := range n.Choices {
			var neg, pos []string
			for _, t := range c.Tags {
				info, ok := reader.Info(reader.BehaviorID(t))
				if !ok {
					continue // RP103
				}
				if info.Polarity == reader.Negative {
					neg = append(neg, t)
				} else {
					pos = append(pos, t)
				}
			}
			fx := c.Effects
			where := fmt.Sprintf("choice %d of node %q", c.Number, n.ID)
			switch {
			case len(neg) > 0 && fx.Anger < 0 && fx.Trust > 0:
				out = append(out, diag(sc, c.Pos, CodeContradiction,
					fmt.Sprintf("%s is tagged %s but its effects calm the customer (anger %+d, trust %+d)", where, strings.Join(neg, ", "), fx.Anger, fx.Trust),
					"a poor line should cost something: raise anger or lower trust, or drop the tag if the line is not meant as poor"))
			case len(pos) > 0 && len(neg) == 0 && fx.Anger > 0 && fx.Trust < 0:
				out = append(out, diag(sc, c.Pos, CodeContradiction,
					fmt.Sprintf("%s is tagged only with good behaviours (%s) but its effects anger the customer and cost trust (anger %+d, trust %+d)", where, strings.Join(pos, ", "), fx.Anger, fx.Trust),
					"tag what makes the line poor (account_first, overpromise, …) so the debrief can say it, or give it effects that match its tags"))
			}
		}
	}
	return out
}
