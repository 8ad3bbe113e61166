package textwrap

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapNeverOverruns(t *testing.T) {
	tests := map[string]struct {
		text  string
		width int
		want  string
	}{
		"spaces":         {"the quick brown fox", 9, "the quick\nbrown fox"},
		"long word":      {"a supercalifragilistic word", 8, "a\nsupercal\nifragili\nstic\nword"},
		"lone hyphen":    {"one - two - three", 5, "one -\ntwo -\nthree"},
		"zero width":     {"ab", 0, "a\nb"},
		"wide runes":     {"日本語のテキスト", 6, "日本語\nのテキ\nスト"},
		"already fits":   {"short", 80, "short"},
		"empty":          {"", 10, ""},
		"many spaces in": {"a  b", 10, "a  b"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Wrap(tc.text, tc.width)
			if got != tc.want {
				t.Errorf("Wrap(%q, %d) = %q, want %q", tc.text, tc.width, got, tc.want)
			}
			for _, l := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(l); w > max(tc.width, 1) {
					t.Errorf("line %q is %d cells, over %d", l, w, tc.width)
				}
			}
		})
	}
}

func TestHangIndentsUnderTheText(t *testing.T) {
	styled := "\x1b[1m1.\x1b[0m "
	got := Hang(styled, 3, "one two three four", 10)
	want := styled + "one two\n   three\n   four"
	if got != want {
		t.Errorf("Hang = %q, want %q", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(l); w > 10 {
			t.Errorf("line %q is %d cells, over 10", l, w)
		}
	}
}
