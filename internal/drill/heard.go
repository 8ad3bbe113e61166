package drill

import (
	"fmt"

	"github.com/rapport-sim/rapport/internal/reader"
)

// Heard is the Detector backed by the scoring model: the behaviours it
// reads in a response, in the model's catalogue order (positives first),
// each with the words that showed it, such as `+ own name: "I'm Ravi"` or
// `- jargon: "reissue cycle"`. The sign says whether the behaviour counts
// for or against, in a character a screen reader speaks.
func Heard(o *Opener, response string) []string {
	a := reader.Analyze(response, reader.Context{Customer: o.Say, Channel: o.Channel, CustomerName: o.Customer})
	out := make([]string, 0, len(a.Behaviors))
	for _, b := range a.Behaviors {
		label := string(b.ID)
		if info, ok := reader.Info(b.ID); ok {
			label = info.Label
		}
		sign := "+"
		if b.Polarity == reader.Negative {
			sign = "-"
		}
		out = append(out, fmt.Sprintf("%s %s: %q", sign, label, b.Evidence))
	}
	return out
}
