package scenario

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestProblemPositionsAndHints: the mistakes authors make most are reported
// at the exact line and column, with a hint for that mistake rather than
// the generic one.
func TestProblemPositionsAndHints(t *testing.T) {
	tests := []struct {
		file string
		crlf bool
		want string // line:col
		code Code
		msg  string
		hint string
	}{
		{"unclosed.toml", false, "2:16", CodeSyntax, "strings cannot contain newlines", "close the string with a quote"},
		// With CRLF endings the parser counts one line too few.
		{"unclosed.toml", true, "2:16", CodeSyntax, "strings cannot contain newlines", "close the string with a quote"},
		{"curly.toml", false, "2:9", CodeSyntax, "found '“'", "use straight quotes"},
		{"curly.toml", true, "2:9", CodeSyntax, "found '“'", "use straight quotes"},
		{"unclosed-eof.toml", false, "3:11", CodeSyntax, "unexpected EOF", `never closed: end it with """`},
		{"after-subtable.toml", false, "19:3", CodeSyntax, "has already been defined", "move it above that header"},
		{"reopen.toml", false, "13:2", CodeSyntax, "'customer' has already been defined", "can be written only once"},
		// A typo'd header names a table that is not in the format: at its
		// line, not at 1:1.
		{"header-typo.toml", false, "18:3", CodeUnknownKey, `unknown key "nodes"`, `did you mean "node"?`},
		{"header-typo.toml", true, "18:3", CodeUnknownKey, `unknown key "nodes"`, `did you mean "node"?`},
		{"cond-or.toml", false, "15:23", CodeBadCond, `"&&" is not an operator`, `write "and"`},
		{"cond-or.toml", false, "36:19", CodeBadCond, `conditions have no "or"`, "its own choice (or [[node.variant]])"},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.crlf {
			name += " (CRLF)"
		}
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if tt.crlf {
				src = bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
			}
			_, ds := Parse(tt.file, src)
			for _, d := range ds {
				if d.Code == tt.code && strings.Contains(d.Message, tt.msg) {
					if d.Pos.String() != tt.want {
						t.Errorf("at %s, want %s: %s", d.Pos, tt.want, d)
					}
					if !strings.Contains(d.Hint, tt.hint) {
						t.Errorf("hint %q, want one saying %q", d.Hint, tt.hint)
					}
					return
				}
			}
			t.Fatalf("no %s diagnostic saying %q; got %v", tt.code, tt.msg, ds)
		})
	}
}

// TestStructureLimits: nesting and dotted keys past the limits are refused
// before parsing, at the bracket or key that crosses the limit, and
// brackets, dots and quotes inside strings and comments do not count.
func TestStructureLimits(t *testing.T) {
	deep := strings.Repeat("[", MaxNesting)
	tests := map[string]struct {
		src  string
		want string // line:col of the RP013 error, "" for none
	}{
		"arrays at the limit":        {"a = " + deep + strings.Repeat("]", MaxNesting) + "\n", ""},
		"arrays past the limit":      {"# c\na = " + deep + "[]" + strings.Repeat("]", MaxNesting) + "\n", "2:13"},
		"inline tables past":         {"a = " + strings.Repeat("{b = ", MaxNesting+1) + "1" + strings.Repeat("}", MaxNesting+1), "1:" + strconv.Itoa(5+5*MaxNesting)},
		"brackets in a string":       {"a = \"" + strings.Repeat("[{", 50) + "\"\n", ""},
		"brackets in a literal":      {"a = '" + strings.Repeat("[", 50) + "'\n", ""},
		"brackets in a multi-line":   {"a = \"\"\"\n" + strings.Repeat("[", 50) + "\n\"\"\"\nb = " + deep + "[]" + strings.Repeat("]", MaxNesting), "4:13"},
		"escaped quote in a string":  {"a = \"\\\"[[[[[[[[[[[\"\n", ""},
		"brackets in a comment":      {"a = 1 # " + strings.Repeat("[", 50) + "\n", ""},
		"dots in values":             {"a = 1.5\nb = \"" + strings.Repeat(".", 50) + "\"\n", ""},
		"dotted key at the limit":    {strings.Repeat("a.", MaxKeyParts-1) + "a = 1\n", ""},
		"dotted key past the limit":  {"x = 1\n  " + strings.Repeat("a.", MaxKeyParts) + "a = 1\n", "2:3"},
		"quoted dotted key":          {"\"a.b.c.d.e.f.g.h.i.j\" = 1\n", ""},
		"header past the limit":      {"[[" + strings.Repeat("a.", MaxKeyParts) + "a]]\n", "1:3"},
		"inline dotted key past":     {"t = {x = 1, " + strings.Repeat("a.", MaxKeyParts) + "a = 1}\n", "1:13"},
		"array of inline tables":     {"a = [{b = 1}, {c = [1, 2]}]\n", ""},
		"multi-line array at top":    {"a = [\n  [1],\n  [2],\n]\n", ""},
		"table header after a value": {"a = [1]\n[t]\nb = 1\n", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, ds := Parse("limits.toml", []byte(tt.src))
			var got string
			for _, d := range ds {
				if d.Code == CodeTooDeep {
					got = d.Pos.String()
					if d.Hint == "" || d.Excerpt == "" {
						t.Errorf("no hint or excerpt: %s", d)
					}
				}
			}
			if got != tt.want {
				t.Errorf("RP013 at %q, want %q; diagnostics %v", got, tt.want, ds)
			}
		})
	}
}
