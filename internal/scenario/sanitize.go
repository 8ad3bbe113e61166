package scenario

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// controlIndex returns the byte offset of the first control character in s
// (other than newline and tab), or -1. ESC, the start of every terminal
// escape sequence, is a control character, so this also finds sequences.
func controlIndex(s string) int {
	for i, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return i
		}
	}
	return -1
}

// Sanitize makes untrusted text safe to draw in a terminal: escape sequences
// are removed whole, other control characters are dropped and tabs become
// spaces. Newlines are kept. Everything drawn from a scenario file, and every
// line a trainee types, passes through it.
func Sanitize(s string) string {
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
