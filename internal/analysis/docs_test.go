package analysis

import (
	"os"
	"regexp"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// The guide's complete example passes every analysis (it is what a trainer
// copies), and no example's author tests fail or get stuck.
func TestGuideExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) < 4 {
		t.Fatalf("want the complete example and three recipes, found %d examples", len(blocks))
	}
	for i, b := range blocks {
		sc, ds := scenario.Parse("docs/authoring.md", b[1])
		if ds.HasErrors() {
			t.Fatalf("example %d: %v", i+1, ds)
		}
		for _, d := range Check(sc, CheckOptions{}) {
			if i == 0 || d.Severity == scenario.Error {
				t.Errorf("example %d (%s): %s", i+1, sc.ID, d)
			}
		}
	}
}
