package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/textwrap"
)

// TestColumnsMatchLipgloss holds the report's tables to lipgloss's: the
// same bytes, with colour and without, for cells of every kind the
// report draws (names cut with an ellipsis, indented, empty, scores,
// sparklines) and for cells plainColumns leaves to lipgloss (wide
// characters, combining marks, emoji).
func TestColumnsMatchLipgloss(t *testing.T) {
	plain := []string{"a", "Z", "0", "7", " ", "-", "(", ")", "±", "→", "…", "▁", "▄", "█", "é", "ß", "Ø", "ÿ", "\u00a0", "ő", "ǅ"}
	other := []string{"界", "😀", "e\u0301", "\u200b", "Ａ", "✓", "\u00ad"}
	cell := func(rng *rand.Rand, special bool) string {
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteString("  ")
		}
		for range rng.IntN(24) {
			if special && rng.IntN(12) == 0 {
				b.WriteString(other[rng.IntN(len(other))])
				continue
			}
			b.WriteString(plain[rng.IntN(len(plain))])
		}
		return b.String()
	}
	renderers := map[string]*lipgloss.Renderer{}
	for name, p := range map[string]termenv.Profile{"no colour": termenv.Ascii, "ANSI": termenv.ANSI, "true colour": termenv.TrueColor} {
		r := lipgloss.NewRenderer(&bytes.Buffer{})
		r.SetColorProfile(p)
		renderers[name] = r
	}
	rng := rand.New(rand.NewPCG(1, 2))
	plainSeen := 0
	for i := range 400 {
		special := i%4 == 3
		cols := 2 + rng.IntN(6)
		headers := make([]string, cols)
		for c := range headers {
			headers[c] = []string{"Trainee / scenario", "Tries", "Opening", "Trend", "A", "Dead air"}[rng.IntN(6)]
		}
		rows := make([][]string, rng.IntN(8))
		for r := range rows {
			rows[r] = make([]string, cols)
			if rng.IntN(3) == 0 {
				rows[r][0] = cell(rng, special)
				continue // a heading row: empty cells
			}
			for c := range rows[r] {
				rows[r][c] = cell(rng, special)
			}
		}
		for name, r := range renderers {
			st := newTableStyles(r)
			got, want := columns(r, st, headers, rows), lipglossColumns(r, st, headers, rows)
			if got != want {
				t.Fatalf("%s, headers %q, rows %q:\ngot\n%s\nwant\n%s", name, headers, rows, got, want)
			}
		}
		if !special {
			plainSeen++
		}
	}
	if plainSeen == 0 {
		t.Fatal("no table was laid out by plainColumns")
	}
}

// A report's tables are laid out by plainColumns when their cells are
// plain, so that the test above covers what reports print.
func TestReportCellsArePlain(t *testing.T) {
	rep := Build(fixture())
	for _, g := range rep.Trainees {
		for _, sg := range g.Scenarios {
			for _, c := range []string{"  " + oneLine(sg.Name, nameWidth-2), tries(sg), meanSD(sg.Scores[0]), shortTrend(sg.Scores[3])} {
				if !plainCell(c) {
					t.Errorf("cell %q is not plain", c)
				}
			}
		}
	}
}

// hang's shortcut for lines that fit gives what wrapping gives.
func TestHangShortcut(t *testing.T) {
	words := []string{"a", "bb", "ccc", "\"quoted\"", "(best)", "±", "→", "é", "x-y", "…", "█", "supercalifragilistic"}
	odd := []string{"界", "  ", " ", "e\u0301"}
	rng := rand.New(rand.NewPCG(5, 6))
	short := 0
	for i := range 5000 {
		var ws []string
		for range rng.IntN(16) {
			if i%5 == 0 && rng.IntN(4) == 0 {
				ws = append(ws, odd[rng.IntN(len(odd))])
				continue
			}
			ws = append(ws, words[rng.IntN(len(words))])
		}
		text := strings.Join(ws, " ")
		prefix := strings.Repeat(" ", rng.IntN(12))
		if rng.IntN(3) == 0 {
			prefix += "\x1b[32m✓\x1b[0m "
		}
		width := 20 + rng.IntN(70)
		pw := ansi.StringWidth(prefix)
		want := textwrap.Hang(prefix, pw, text, max(width, pw+10))
		if got := hang(prefix, text, width); got != want {
			t.Fatalf("hang(%q, %q, %d) = %q, want %q", prefix, text, width, got, want)
		}
		if !strings.Contains(want, "\n") {
			short++
		}
	}
	if short < 1000 {
		t.Errorf("only %d lines fitted: the shortcut was hardly tried", short)
	}
}
