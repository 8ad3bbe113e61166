package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// TestScoringRulesChecked: `check` reports a [scoring] entry that names no
// behaviour, or allows a positive one, at the entry's line and column.
func TestScoringRulesChecked(t *testing.T) {
	src, err := os.ReadFile("testdata/everykey.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), `allow = ["account_first"]`, `allow = ["acount_first", "greeting"]`, 1)
	bad = strings.Replace(bad, `weight = { stock_phrase = 2 }`, `weight = { stock_phrse = 2 }`, 1)
	lines := strings.Split(bad, "\n")
	line := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "allow = ") {
			line = i + 1
		}
	}
	sc, ds := scenario.Parse("everykey.toml", []byte(bad))
	if len(ds) > 0 {
		for _, d := range ds {
			t.Errorf("the file should load (the ids are checked by check): %s (%s)", d, d.Hint)
		}
		t.FailNow()
	}
	var got []string
	for _, d := range Check(sc, CheckOptions{Rand: rand.New(rand.NewPCG(1, 1))}) {
		if d.Code == CodeBadRule {
			got = append(got, fmt.Sprintf("%d:%d %s %s | %s", d.Pos.Line, d.Pos.Col, d.Severity, d.Message, d.Hint))
		}
	}
	want := []string{
		fmt.Sprintf(`%d:10 error [scoring] allow: "acount_first" is not a behaviour id | did you mean "account_first"?`, line),
		fmt.Sprintf(`%d:26 error [scoring] allow: "greeting" is a positive behaviour; allow lifts the cost of a negative one | to change what it earns, use weight = { greeting = 2 }`, line),
		fmt.Sprintf(`%d:12 error [scoring] weight: "stock_phrse" is not a behaviour id | did you mean "stock_phrase"?`, line+1),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
