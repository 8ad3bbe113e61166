package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestClipFastPath holds clip's shortcut for a screen that already fits to
// what cutting line by line gives: the window is filled the same whether
// or not anything had to be cut.
func TestClipFastPath(t *testing.T) {
	cut := func(s string, w, h int) string {
		lines := strings.Split(s, "\n")
		if len(lines) > h {
			lines = lines[:h]
		}
		for i, l := range lines {
			lines[i] = ansi.Truncate(l, w, "")
		}
		return strings.Join(lines, "\n")
	}
	red := "\x1b[31m"
	for _, c := range []struct {
		s    string
		w, h int
	}{
		{"", 10, 3},
		{"one\ntwo\nthree", 10, 3},
		{"one\ntwo\nthree\n", 10, 3}, // the trailing newline is a fourth, empty line
		{"one\ntwo\nthree\nfour", 10, 3},
		{"exactly10!", 10, 1},
		{"eleven wide", 10, 1},
		{red + "ten cells!" + "\x1b[0m", 10, 1}, // longer in bytes, fits in cells
		{"日本語のテキスト", 10, 2},                     // wide runes: 16 cells
		{"a\n\n\nb", 5, 4},
		{"a\n\n\nb", 5, 3},
	} {
		if got, want := clip(c.s, c.w, c.h), cut(c.s, c.w, c.h); got != want {
			t.Errorf("clip(%q, %d, %d) = %q, want %q", c.s, c.w, c.h, got, want)
		}
	}
}

// TestMarginJoin holds the play screen's one-pass join to margin(join).
func TestMarginJoin(t *testing.T) {
	for _, parts := range [][]string{
		{"a"},
		{"a", "b\nc", ""},
		{"", ""},
		{"head\n", "\nbody", "help"},
	} {
		if got, want := marginJoin(parts...), margin(strings.Join(parts, "\n")); got != want {
			t.Errorf("marginJoin(%q) = %q, want %q", parts, got, want)
		}
	}
}
