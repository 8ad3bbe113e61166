package scoring

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
)

// spokenWordsRunes is spokenWords as a plain rune loop: the reference the
// table-driven one is held to.
func spokenWordsRunes(text string) int {
	n, depth, inWord := 0, 0, false
	for _, r := range text {
		switch {
		case r == '[':
			depth++
			inWord = false
		case r == ']':
			if depth > 0 {
				depth--
			}
			inWord = false
		case depth > 0:
		case reader.IsWordRune(r) || r == '\'' || r == '’':
			if !inWord {
				n++
				inWord = true
			}
		default:
			inWord = false
		}
	}
	return n
}

// TestSpokenWordsASCII holds the byte-at-a-time word count that times
// every line to the rune loop.
func TestSpokenWordsASCII(t *testing.T) {
	lines := []string{"", "I'm so sorry, Robin — ticket 1004.", "[sighs] Right [pause] then", "don’t [x]y z", "caf\u00e9 na\u00efve", "bad \xff bytes", "a]b[c", "it's 5 o'clock",
		"  Plain  words, 'quoted' and 3.5%!  ", "'", "a", " a", "a ", "I'll call you by 4 pm today."}
	// Lines of the bytes where the two ways part: word bytes, gaps,
	// apostrophes, brackets and bytes outside ASCII.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "7", "'", " ", ",", ".", "-", "[", "]", "’", "é", "\xff", "\n"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		lines = append(lines, b.String())
	}
	for _, s := range lines {
		if got, want := spokenWords(s), spokenWordsRunes(s); got != want {
			t.Errorf("spokenWords(%q) = %d, want %d", s, got, want)
		}
		if got, want := spokenWordsMixed(s), spokenWordsRunes(s); got != want {
			t.Errorf("spokenWordsMixed(%q) = %d, want %d", s, got, want)
		}
	}
}

// stripDirections removes [stage directions], which take no time: the
// reference spokenFields counts over without building it.
func stripDirections(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestSpokenFieldsMatchesFields holds the allocation-free word counts of
// the monologue rule to what strings.Fields counts, stage directions
// removed, on lines with odd spacing, nested and stray brackets and
// invalid UTF-8.
func TestSpokenFieldsMatchesFields(t *testing.T) {
	lines := []string{
		"", " ", "one", " two  words ", "tab\tand\nnewline\u00a0nbsp\u2003em",
		"[sighs] Right then.", "a[x]b", "a [x] b", "[[nested] still] out", "stray ] bracket [open",
		"]]", "[", "caf\u00e9 na\u00efve \u201cquoted\u201d", "bad \xff\xfe bytes [\xff] end",
		"\x85next-line\u0085sep", "words\u3000ideographic space",
	}
	for _, s := range lines {
		if got, want := spokenFields(s), len(strings.Fields(stripDirections(s))); got != want {
			t.Errorf("spokenFields(%q) = %d, want %d", s, got, want)
		}
		if got, want := fieldCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("fieldCount(%q) = %d, want %d", s, got, want)
		}
	}
}

// FuzzSpokenFields holds the word counts of the clock and the monologue
// rule to their references.
func FuzzSpokenFields(f *testing.F) {
	f.Add("[sighs] Right then, a[x]b ] [")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := spokenFields(s), len(strings.Fields(stripDirections(s))); got != want {
			t.Errorf("spokenFields(%q) = %d, want %d", s, got, want)
		}
		if got, want := fieldCount(s), len(strings.Fields(s)); got != want {
			t.Errorf("fieldCount(%q) = %d, want %d", s, got, want)
		}
		if got, want := spokenWords(s), spokenWordsRunes(s); got != want {
			t.Errorf("spokenWords(%q) = %d, want %d", s, got, want)
		}
	})
}

// TestAsksSeniorLowersLikeToLower holds the stack-lowered ASCII check to
// strings.ToLower's, including the one non-ASCII letter that lowers to
// ASCII (the Kelvin sign) and lines longer than the buffer.
func TestAsksSeniorLowersLikeToLower(t *testing.T) {
	ref := func(s string) bool {
		low := strings.ToLower(s)
		for _, w := range seniorAsk {
			if strings.Contains(low, w) {
				return true
			}
		}
		return false
	}
	lines := []string{"", "Get me your MANAGER now.", "I want someone SENIOR", "Fine.", "Escalate this!",
		"Put me through to your BOSS, \u212aelvin", "I'd like to spea\u212a to the team leader", "Team Leader?",
		strings.Repeat("x", 600) + " supervisor", strings.Repeat("y", 600), "caf\u00e9 complaints department"}
	for _, s := range lines {
		if got, want := asksSenior(s), ref(s); got != want {
			t.Errorf("asksSenior(%.40q) = %v, want %v", s, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { asksSenior("Can I speak to your Manager, please?") }); n != 0 {
		t.Errorf("asksSenior allocates %v times per ASCII line", n)
	}
}
