package textsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"plain":                 {"Hello, Ann.", "Hello, Ann."},
		"accents and CJK":       {"Zoë à 東京 — ok", "Zoë à 東京 — ok"},
		"newline kept":          {"one\ntwo", "one\ntwo"},
		"tab to space":          {"a\tb", "a b"},
		"CRLF":                  {"a\r\nb", "a\nb"},
		"carriage return":       {"Good\rEvil", "GoodEvil"},
		"SGR whole":             {"\x1b[31mred\x1b[0m", "red"},
		"CSI with intermediate": {"a\x1b[1 qb", "ab"},
		"OSC 52 BEL":            {"resolved\x1b]52;c;ZXZpbA==\x07!", "resolved!"},
		"OSC 52 ST":             {"x\x1b]52;c;ZXZpbA==\x1b\\y", "xy"},
		"OSC C1 ST":             {"x\x1b]0;title\u009cy", "xy"},
		"OSC unterminated":      {"Ann\x1b]52;c;ZXZpbA==", "Ann"},
		"C1 OSC":                {"a\u009d8;;http://x\u009cb", "ab"},
		"C1 CSI":                {"a\u009b31mb", "ab"},
		"C1 CSI 2J":             {"a\u009b2Jb", "ab"},
		"DCS":                   {"a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		"APC":                   {"a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		"charset":               {"a\x1b(Bb", "ab"},
		"reset":                 {"a\x1bcb", "ab"},
		"lone ESC at end":       {"a\x1b", "a"},
		"string aborted by ESC": {"a\x1b]0;t\x1b[31mb", "ab"},
		"C0 and DEL":            {"a\x00\x07\x08\x7fb", "ab"},
		"NEL":                   {"a\u0085b", "ab"},
		"RLO":                   {"user\u202Egnp.exe", "usergnp.exe"},
		"isolates":              {"\u2066a\u2067b\u2068c\u2069", "abc"},
		"marks":                 {"a\u200Eb\u200Fc\u061Cd", "abcd"},
		"zero width":            {"a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf", "abcdef"},
		"soft hyphen":           {"in\u00ADvisible", "invisible"},
		"tags":                  {"a\U000E0041\U000E007Fb", "ab"},
		"line separator":        {"a\u2028b\u2029c", "a\nb\nc"},
		"invalid UTF-8":         {"a\x9b31mb\xff", "a\uFFFD31mb\uFFFD"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if Safe(tc.in) != (tc.in == tc.want) {
				t.Errorf("Safe(%q) = %v", tc.in, Safe(tc.in))
			}
		})
	}
}

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"Ann":                         "Ann",
		"  Ann   Lee \n":              "Ann Lee",
		"a\tb\nc":                     "a b c",
		"\x1b]52;c;ZXZpbA==\x07Bo":    "Bo",
		"Bo\u202E \u2066x":            "Bo x",
		"a\u00A0b":                    "a b",
		"":                            "",
		"\u200B":                      "",
		"a\u2028b":                    "a b",
		"\x1b[2J\x1b[HEVIL\x1b[0m ok": "EVIL ok",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNoCopy checks that clean text is returned as it is: Text and Line
// run on every record field a report reads.
func TestNoCopy(t *testing.T) {
	s := strings.Repeat("I understand, let me check that for you. ", 10)
	s = strings.TrimSpace(s)
	if n := testing.AllocsPerRun(100, func() { Text(s); Line(s) }); n != 0 {
		t.Errorf("%v allocations for clean text, want 0", n)
	}
}

// unsafeRune reports whether r must never reach a terminal.
func unsafeRune(r rune) bool {
	return r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) || r == '\u2028' || r == '\u2029'
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[31mred", "\x1b]52;c;eA==\x07", "\u009b2J", "\u202Eabc", "a\xffb", "\x1b", "\x1b]", "\u009d\x1b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if unsafeRune(r) || r == '\t' {
				t.Fatalf("Text(%q) = %q keeps %U", s, out, r)
			}
		}
		if Text(out) != out || !Safe(out) {
			t.Fatalf("Text not idempotent on %q: %q", s, out)
		}
		line := Line(s)
		if strings.ContainsAny(line, "\n\t") || line != strings.TrimSpace(line) || strings.Contains(line, "  ") {
			t.Fatalf("Line(%q) = %q is not one tidy line", s, line)
		}
		if Line(line) != line {
			t.Fatalf("Line not idempotent on %q: %q", s, line)
		}
		// Nothing printable outside a sequence is lost.
		if !strings.ContainsAny(s, "\x1b\u009b\u009d\u0090\u0098\u009e\u009f") {
			var want strings.Builder
			for _, r := range s { // an invalid byte reads as U+FFFD
				if !unsafeRune(r) || strings.ContainsRune("\n\t\u2028\u2029", r) {
					want.WriteRune(r)
				}
			}
			if w := strings.NewReplacer("\t", " ", "\u2028", "\n", "\u2029", "\n").Replace(want.String()); out != w {
				t.Fatalf("Text(%q) = %q, want %q", s, out, w)
			}
		}
	})
}

func BenchmarkLine(b *testing.B) {
	clean := "I'm so sorry about the delay, Ann. Let me check the order for you right now."
	dirty := "I'm so \x1b[31msorry\x1b[0m about the delay,\u202E Ann."
	b.Run("clean", func(b *testing.B) {
		for b.Loop() {
			Line(clean)
		}
	})
	b.Run("dirty", func(b *testing.B) {
		for b.Loop() {
			Line(dirty)
		}
	})
}

func TestIndex(t *testing.T) {
	for in, want := range map[string]int{
		"plain":          -1,
		"a\tb\nc":        -1,
		"a\u2028b":       -1,
		"ab\x1b[31m":     2,
		"é\u202Ex":       2,
		"a\tb\u200Bc":    3,
		"\u2029\u0085":   3,
		"\xff":           0,
		"ok\u009b2J":     2,
		"\u2028\u2028\a": 6,
	} {
		if got := Index(in); got != want {
			t.Errorf("Index(%q) = %d, want %d", in, got, want)
		}
	}
}

// Collapse is strings.Join(strings.Fields(s), " ") on every kind of white
// space, tidy or not.
func TestCollapse(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a b", "a b ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u2003b", "a\u0085b", "  lots   of\tspace \n", "héllo wörld", "x\u3000y"} {
		if got, want := Collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("Collapse(%q) = %q, want %q", s, got, want)
		}
	}
}
