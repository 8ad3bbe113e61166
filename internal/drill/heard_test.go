package drill

import (
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/scenarios"
)

// Heard reports what the scoring model reads, with a sign and the words
// that showed each behaviour.
func TestHeard(t *testing.T) {
	d, _, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Opener{}
	for _, o := range d.Openers {
		byID[o.ID] = o
	}
	tests := map[string]struct {
		opener string
		rating Rating
		want   []string
	}{
		"a warm formula":   {"card-swallowed", Good, []string{`+ greeting: "Good evening`, `+ thanks: "thank you for calling`, `+ own name: "you're speaking with Priya`}},
		"a specific start": {"card-swallowed", Best, []string{`+ own name: "I'm Priya`, `+ customer's name: "Mr Balogun`}},
		"invalidating":     {"kitchen-flooded", Poor, []string{`- invalidation: "calm down`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o := byID[tc.opener]
			var say string
			for _, r := range o.Responses {
				if r.Rating == tc.rating {
					say = r.Say
				}
			}
			got := strings.Join(Heard(o, say), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Heard(%q) lacks %s; got:\n%s", say, w, got)
				}
			}
		})
	}
}
