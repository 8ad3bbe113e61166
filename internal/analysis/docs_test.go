package analysis

import (
	"os"
	"regexp"
	"strings"
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

// The guide's sample of a failing author test is what check says about
// the complete example with the minimum it names.
func TestGuideFailingTestSample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1)
	src := strings.Replace(string(blocks[0][1]), "min = { empathy = 70, overall = 85 }", "min = { empathy = 90, overall = 85 }", 1)
	sc, ds := scenario.Parse("wrong-size-boots.toml", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	var got string
	for _, d := range RunTests(sc) {
		got = d.String()
	}
	sample := regexp.MustCompile(`(?m)^    (wrong-size-boots\.toml:\d+:\d+: error: test "caring path" failed: .*)$`).FindSubmatch(doc)
	if sample == nil || string(sample[1]) != got {
		t.Errorf("the guide's sample is not what check says:\n got  %s\n docs %s", got, sample)
	}
}
