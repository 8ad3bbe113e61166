package scoring

import (
	"os"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
)

// TestDocsCoverModel keeps docs/scoring.md in step with the model: every
// behaviour has its own section, and the clock constants and bands are
// stated with their values.
func TestDocsCoverModel(t *testing.T) {
	b, err := os.ReadFile("../../docs/scoring.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, info := range reader.Behaviors() {
		if !strings.Contains(doc, "\n#### "+string(info.ID)+"\n") {
			t.Errorf("docs/scoring.md has no section for %s", info.ID)
		}
	}
	for _, want := range []string{
		"| `SpokenWPM` | 150 words a minute", "| `TypingWPM` | 40 words a minute", "| `ReadingWPM` | 240 words a minute",
		"| `DefaultHesitation` | 2 s", "| `DeadAir` | 5 s", "| `OpeningWindow` | 30 s", "| `OpeningSentences` | 3",
		"| 85–100 | One of the good ones |", "| 70–84 | Solid |", "| 50–69 | Getting there |", "| 0–49 | Not yet |",
		"Starts at **40**", "Starts at **50**", "First 30 seconds 30,\nEmpathy 40, Difficult customers 30",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/scoring.md does not say %q", want)
		}
	}
	if SpokenWPM != 150 || TypingWPM != 40 || ReadingWPM != 240 || DefaultHesitation.Seconds() != 2 ||
		DeadAir.Seconds() != 5 || OpeningWindow.Seconds() != 30 || OpeningSentences != 3 ||
		openingBase != 40 || difficultBase != 50 || overallWeights != [3]int{30, 40, 30} {
		t.Errorf("a documented constant changed: update docs/scoring.md and this test")
	}
	for _, b := range bandFloors {
		if b.band == BandTop && b.floor != 85 || b.band == BandSolid && b.floor != 70 || b.band == BandGetting && b.floor != 50 {
			t.Errorf("band %q floor %d differs from the docs", b.band, b.floor)
		}
	}
}

// TestStockCatalogue: every phrase in the docs' stock phrase catalogue is
// read as a stock phrase, and the economy constants are stated with their
// values.
func TestStockCatalogue(t *testing.T) {
	b, err := os.ReadFile("../../docs/scoring.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	at := strings.Index(doc, "### Stock phrase catalogue")
	if at < 0 {
		t.Fatal("docs/scoring.md has no stock phrase catalogue")
	}
	section := doc[at:]
	if end := strings.Index(section[4:], "\n## "); end >= 0 {
		section = section[:end+4]
	}
	n := 0
	for _, l := range strings.Split(section, "\n") {
		if !strings.HasPrefix(l, "- \"") {
			continue
		}
		phrase := strings.Trim(strings.TrimPrefix(l, "- "), "\"")
		n++
		if _, ok := reader.Analyze(phrase+".", reader.Context{Turn: 2}).Has(reader.StockPhrase); !ok {
			t.Errorf("catalogue phrase %q is not read as a stock phrase", phrase)
		}
	}
	if n < 25 {
		t.Errorf("only %d phrases in the catalogue", n)
	}
	for _, want := range []string{"| `MonologueTime` | 25 s", "| `ChatLongWords` | 40 words", "over `ChatLongRatio` (3) times",
		"earns at most **1 point**", "First 30 seconds −3,\n   Empathy −3, Difficult customers −2, up to −12 / −12 / −8"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/scoring.md does not say %q", want)
		}
	}
	c := stockCost.Get()
	if MonologueTime.Seconds() != 25 || ChatLongWords != 40 || ChatLongRatio != 3 || stockCredit != 1 ||
		c[LabelOpening] != [2]int{3, 12} || c[LabelEmpathy] != [2]int{3, 12} || c[LabelDifficult] != [2]int{2, 8} {
		t.Errorf("an economy constant changed: update docs/scoring.md and this test")
	}
}
