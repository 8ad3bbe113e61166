package scenario

import (
	"os"
	"regexp"
	"testing"
)

// The examples in the authoring guide are loaded exactly as a trainer's
// file would be, so the guide cannot promise a format Rapport rejects.
func TestAuthoringGuideExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no ```toml examples found in docs/authoring.md")
	}
	for i, b := range blocks {
		sc, ds := Parse("docs/authoring.md example", b[1])
		for _, d := range ds {
			t.Errorf("example %d: %s (hint: %s)", i+1, d, d.Hint)
		}
		if sc == nil || len(sc.Nodes) == 0 {
			t.Errorf("example %d is not a complete scenario", i+1)
		}
	}
}
