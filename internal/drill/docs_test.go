package drill

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The example in docs/drill.md is loaded exactly as a trainer's file would
// be, so the guide cannot promise a format Rapport rejects; and the guide
// must document every diagnostic code and principle the loader knows.
func TestDrillGuide(t *testing.T) {
	doc, err := os.ReadFile("../../docs/drill.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no ```toml example in docs/drill.md")
	}
	for i, b := range blocks {
		d, ds := Parse("docs/drill.md example", b[1])
		for _, diag := range ds {
			if diag.Code != CodeFewOpeners {
				t.Errorf("example %d: %s (hint: %s)", i+1, diag, diag.Hint)
			}
		}
		if d == nil || len(d.Openers) == 0 {
			t.Fatalf("example %d is not a complete drill", i+1)
		}
		s := NewSession(d, Options{Seed: 1})
		for !s.Done() {
			best, n := s.Current().Best()
			if best == nil {
				t.Fatalf("example %d: opener without a best response", i+1)
			}
			if _, err := s.Answer(n, 0); err != nil {
				t.Fatal(err)
			}
		}
		if sum := s.Summary(); sum.Best != sum.Total {
			t.Errorf("example %d: best picks scored %s", i+1, sum.Score())
		}
	}
	text := string(doc)
	for code := range severities.Get() {
		if !strings.Contains(text, "`"+string(code)+"` | "+SeverityOf(code).String()) {
			t.Errorf("docs/drill.md does not list %s as a %s", code, SeverityOf(code))
		}
	}
	for _, code := range []string{"RP201", "RP202", "RP203", "RP204", "RP209", "RP211"} {
		if !strings.Contains(text, "`"+code+"` | error") {
			t.Errorf("docs/drill.md does not list %s as an error", code)
		}
	}
	for _, p := range Principles {
		if !strings.Contains(text, "| `"+string(p)+"` | "+p.Name()) {
			t.Errorf("docs/drill.md does not document principle %s as %q", p, p.Name())
		}
	}
	for _, m := range Moods {
		if !strings.Contains(text, "`"+string(m)+"`") {
			t.Errorf("docs/drill.md does not list mood %s", m)
		}
	}
}
