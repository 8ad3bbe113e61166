package analysis

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// wrapRows is how many rows ansi.Wrap, which the play screen uses, makes
// of text at width.
func wrapRows(text string, width int) int {
	return strings.Count(ansi.Wrap(text, width, ""), "\n") + 1
}

// TestASCIIWrappedLinesMatchWrap: counting rows without building the
// wrapped text gives ansi.Wrap's count on every string of up to seven
// characters from words, hyphens, spaces, tabs and line breaks, at every
// width that matters for them, and on random longer lines at the widths
// of the play screen; anything else is left to ansi.Wrap.
func TestASCIIWrappedLinesMatchWrap(t *testing.T) {
	const alphabet = "a- \n\t"
	check := func(s string, width int) {
		t.Helper()
		got, ok := asciiWrappedLines(s, width)
		if !ok {
			t.Fatalf("%q at %d: not counted", s, width)
		}
		if want := wrapRows(s, width); got != want {
			t.Fatalf("%q at %d: %d rows, ansi.Wrap makes %d", s, width, got, want)
		}
	}
	var all func(prefix []byte, n int)
	all = func(prefix []byte, n int) {
		for width := 1; width <= 8; width++ {
			check(string(prefix), width)
		}
		if n == 0 {
			return
		}
		for i := range len(alphabet) {
			all(append(prefix, alphabet[i]), n-1)
		}
	}
	all(nil, 7)

	rng := rand.New(rand.NewPCG(13, 5000))
	words := []string{"I'm", "so", "sorry", "about", "the", "parcel,", "Robin", "-", "--", "self-service", "ticket", "1000.",
		"antidisestablishmentarianism-and-then-some-more-words-without-a-single-space-between-them", " ", "  ", "\t", "\n", "\n\n", "a"}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		for _, width := range []int{1, 2, 7, ChoiceColumn, ScreenWidth - 2 - stampWidth - 10 - 2, rng.IntN(90) + 1} {
			check(b.String(), width)
		}
	}

	for _, s := range []string{"café au lait", "日本語のテキスト", "\x1b[1mbold\x1b[0m", "a\rb", "nbsp\u00a0here", "del\x7f"} {
		if _, ok := asciiWrappedLines(s, 10); ok {
			t.Errorf("%q is counted, but has characters the count does not know the width of", s)
		}
	}
}

// FuzzASCIIWrappedLines: whatever the text, a count is ansi.Wrap's.
func FuzzASCIIWrappedLines(f *testing.F) {
	f.Add("I'm so sorry about the parcel, Robin - that must be exhausting.", 20)
	f.Add("a\n\n-- b\t\tc", 3)
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = 1 + (width%100+100)%100
		if got, ok := asciiWrappedLines(s, width); ok {
			if want := wrapRows(s, width); got != want {
				t.Fatalf("%q at %d: %d rows, ansi.Wrap makes %d", s, width, got, want)
			}
		}
	})
}

// TestParallelCallsEveryIndexOnce: however many cores and indices, each
// index is worked on exactly once and every result is in place when
// parallel returns.
func TestParallelCallsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 3, 8} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 7, 5000} {
			calls := make([]int32, n)
			parallel(n, func(i int) { atomic.AddInt32(&calls[i], 1) })
			for i, c := range calls {
				if c != 1 {
					t.Fatalf("GOMAXPROCS %d, n %d: index %d worked on %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}
