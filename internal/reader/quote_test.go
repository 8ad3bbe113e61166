package reader

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// quoteReference is Quote as first written: fields joined again, always.
func quoteReference(s string) string {
	const maxQuote = 90
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	r := []rune(s)
	cut := maxQuote
	for cut > maxQuote/2 && r[cut] != ' ' {
		cut--
	}
	return string(r[:cut]) + "…"
}

// TestQuoteSkipsOnlySingleSpacedText: Quote leaves single-spaced text as
// it is and folds any other spacing (tabs, runs, Unicode spaces, leading
// and trailing) as joining its fields does.
func TestQuoteSkipsOnlySingleSpacedText(t *testing.T) {
	pieces := []string{"sorry", "I'm", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u0085", "é", "—", "\xff", "a", "long words here"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := Quote(s), quoteReference(s); got != want {
			t.Fatalf("Quote(%q) = %q, want %q", s, got, want)
		}
	}
}
