// Package textsafe makes text from outside the program safe to draw in a
// terminal. Scenario files, results records, presence files, trainee names
// and typed lines are all untrusted: a results folder shared by a class is
// writable by every trainee, and a terminal obeys what it is sent. A record
// whose outcome holds an OSC 52 sequence writes the trainer's clipboard
// when printed; a name holding U+202E prints the rest of the line
// backwards.
//
// Every path that turns such text into output calls Text or Line. They
// remove:
//
//   - terminal escape sequences, whole: CSI (ESC [ or U+009B) through its
//     final byte; OSC, DCS, SOS, PM and APC strings (ESC ] P X ^ _ or their
//     C1 forms) through BEL or ST, or to the end of the text when never
//     terminated; any other ESC with its intermediates and final byte, so
//     that no printable tail of a sequence ("[31m") is left behind;
//   - every other C0 and C1 control character and DEL; a newline is kept
//     (Text) and a tab becomes a space, because a tab's width depends on
//     the terminal and would break the layout;
//   - format characters (Unicode category Cf), which draw nothing but can
//     reorder or hide text: bidi embeddings, overrides and isolates
//     (U+202A–202E, U+2066–2069), marks (U+200E, U+200F, U+061C),
//     zero-width spaces and joiners (U+200B–200D, U+2060, U+FEFF), the
//     soft hyphen, interlinear annotations and tag characters.
//
// Invalid UTF-8 becomes U+FFFD: a lone byte 0x9B is CSI to a terminal in
// 8-bit mode. The line and paragraph separators U+2028 and U+2029 become
// newlines.
//
// The package is a leaf (it imports only the standard library), so the
// pure packages and the config package can use it.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns s safe to draw, keeping its line breaks: escape sequences,
// control characters and format characters removed, tabs as spaces. Text
// that needs no change is returned as it is, without copying.
func Text(s string) string {
	i := unsafeIndex(s, true)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	clean(&b, s[i:], true)
	return b.String()
}

// Line returns s safe to draw on one line: Text, with every run of white
// space (line breaks included) made one space and the ends trimmed.
func Line(s string) string {
	if unsafeIndex(s, false) < 0 && tidy(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	clean(&b, s, false)
	return collapse(b.String())
}

// Safe reports whether s is drawn as it is: Text(s) == s.
func Safe(s string) bool { return unsafeIndex(s, true) < 0 }

// Index returns the byte offset of the first character in s that Text
// would remove (a control or format character, the start of an escape
// sequence, invalid UTF-8), or -1. Newlines and tabs do not count: they
// are layout, which authors may use. Checkers use it to point at the
// character.
func Index(s string) int {
	for i := 0; ; {
		j := unsafeIndex(s[i:], true)
		if j < 0 {
			return -1
		}
		r, size := utf8.DecodeRuneInString(s[i+j:])
		if r != '\t' && r != '\u2028' && r != '\u2029' || size == 1 && r == utf8.RuneError {
			return i + j
		}
		i += j + size
	}
}

// unsafeIndex returns the byte offset of the first rune in s that Text (or
// Line, when keepNewline is false) would change, or -1.
func unsafeIndex(s string, keepNewline bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if c == '\n' && keepNewline {
					i++
					continue
				}
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || drop(r) || r == '\u2028' || r == '\u2029' {
			return i
		}
		i += size
	}
	return -1
}

// drop reports whether r is a control or format character.
func drop(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// tidy reports whether s has no leading, trailing or repeated white space
// and no white space other than ' ' (what Line leaves).
func tidy(s string) bool {
	prev := true // a leading space is untidy
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prev || r != ' ') {
			return false
		}
		prev = sp
	}
	return !prev || s == ""
}

// Collapse makes every run of white space in s one space and trims it:
// strings.Join(strings.Fields(s), " "), without building anything when s
// is already so (as most lines are).
func Collapse(s string) string { return collapse(s) }

// collapse makes every run of white space in s one space and trims it.
func collapse(s string) string {
	if tidy(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Escape-sequence introducers after ESC (or as C1 characters).
const (
	esc = 0x1b
	bel = 0x07
	st  = 0x9c // string terminator, C1 form
)

// isString reports whether r, following ESC, opens a control string
// (OSC, DCS, SOS, PM, APC), ended by BEL or ST.
func isString(r rune) bool { return r == ']' || r == 'P' || r == 'X' || r == '^' || r == '_' }

// isC1String reports whether r is the C1 form of a control string opener.
func isC1String(r rune) bool { return r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f }

// clean writes s to b with everything unsafe removed (see the package
// comment). Line breaks are kept when keepNewline is set and become
// spaces otherwise.
func clean(b *strings.Builder, s string, keepNewline bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == esc:
			i = skipEscape(s, i+1)
		case r == 0x9b: // CSI
			i = skipCSI(s, i+size)
		case isC1String(r):
			i = skipString(s, i+size)
		case r == '\n', r == '\u2028', r == '\u2029':
			if keepNewline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
			i += size
		case r == '\t':
			b.WriteByte(' ')
			i += size
		case drop(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
}

// skipEscape returns the offset just past the escape sequence whose ESC
// ended just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	c := s[i]
	switch {
	case c == '[':
		return skipCSI(s, i+1)
	case isString(rune(c)):
		return skipString(s, i+1)
	}
	// nF sequences (ESC, intermediates 0x20–0x2F, a final byte) and the
	// two-byte Fp, Fe and Fs ones (ESC 7, ESC c, ESC M ...).
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI returns the offset past a control sequence whose introducer ends
// just before i: parameter and intermediate bytes (0x20–0x3F), then one
// final byte (0x40–0x7E). Anything else ends the sequence early, as it
// does in a terminal, and is then read as text.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the offset past a control string whose opener ends
// just before i: up to and including BEL, ESC \ or ST (U+009C), or the end
// of s when it is never terminated (a terminal would swallow the rest).
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == bel, r == st:
			return i + size
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// A new sequence aborts the string; it is removed in turn.
			return i
		}
		i += size
	}
	return i
}
