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

// The guide's long-line example joins into one line, and its default id is
// the id of the line written on one line.
func TestGuideLongLineJoins(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1) {
		sc, _ := Parse("x", b[1])
		if sc == nil || sc.ID != "recipe-replies" {
			continue
		}
		n, _ := sc.Node("line-check")
		want := "I can see a fault at the exchange: an engineer will fix it by 6 pm today, and I'll text you the moment it's done."
		if got := n.Choices[0].Say; got != want {
			t.Fatalf("the wrapped line reads %q, want %q", got, want)
		}
		if n.Choices[0].ID != DefaultChoiceID(want) {
			t.Errorf("wrapped line id %q, one-line id %q", n.Choices[0].ID, DefaultChoiceID(want))
		}
		return
	}
	t.Fatal("no recipe-replies example in docs/authoring.md")
}
