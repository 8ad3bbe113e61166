package scenario

import "fmt"

// Structural limits, checked before the TOML parser sees a file. A small
// file can still be hostile: BurntSushi/toml takes time and memory
// quadratic in nesting depth (inline tables nested 5,000 deep, 20 KB, took
// 5 s and 1.1 GB; 10,000 deep ran out of memory; 100,000 dotted key parts
// likewise), and upstream's own nesting limit is in no release served
// here. Rapport's formats need three levels at most, so the limits are
// generous for an author and cheap for the parser.
const (
	// MaxNesting is the deepest arrays and inline tables may nest inside
	// one another.
	MaxNesting = 8
	// MaxKeyParts is the most parts a dotted key or a [table] header may
	// have.
	MaxKeyParts = 8
)

// structureError is a file that breaks a structural limit.
type structureError struct {
	Pos       Pos
	Msg, Hint string
}

// checkStructure scans src once, in linear time and constant memory, for
// nesting and dotted keys past the limits. It follows strings and comments
// so that brackets, braces and dots inside them are not counted; anything
// else it does not understand is left for the TOML parser to report.
func checkStructure(src []byte) *structureError { return scanStructure(src, nil) }

// scanStructure is checkStructure that also notes, when lay is not nil,
// the file's top-level [[array]] headers and the last construct after
// which the file cannot be decoded in pieces (see layout).
func scanStructure(src []byte, lay *layout) *structureError {
	line, lineStart := 1, 0
	at := func(i int) Pos { return Pos{line, i - lineStart + 1} }
	var stack [MaxNesting]byte // the open '[' and '{', innermost last
	depth := 0
	// expectKey is set where a key may start: at the start of a line
	// outside any value, and after '{' or ',' in an inline table. parts
	// counts the current key's parts; keyAt is where it starts.
	expectKey, parts, keyAt := true, 0, Pos{}
	countPart := func(i int) *structureError {
		if parts == 0 {
			keyAt = at(i)
		}
		parts++
		if parts > MaxKeyParts {
			return &structureError{Pos: keyAt,
				Msg:  fmt.Sprintf("a dotted key with more than %d parts", MaxKeyParts),
				Hint: "keys in Rapport files have at most three parts, such as customer.start.anger: look for stray dots in this key"}
		}
		return nil
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch c {
		case '\n':
			line++
			lineStart = i + 1
			if depth == 0 {
				expectKey, parts = true, 0
			}
			i++
		case ' ', '\t', '\r':
			i++
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case '"', '\'':
			if expectKey && parts == 0 {
				if err := countPart(i); err != nil {
					return err
				}
				lay.hazard(i) // a quoted key
			}
			var nl, last int
			i, nl, last = skipString(src, i)
			if nl > 0 {
				line += nl
				lineStart = last + 1
			}
		case '.':
			if expectKey {
				if parts == 0 { // ".a = 1": an empty first part
					parts = 1
					keyAt = at(i)
				}
				if err := countPart(i); err != nil {
					return err
				}
				lay.hazard(i) // a dotted key
			}
			i++
		case '[':
			if depth == 0 && expectKey && parts == 0 {
				// A [table] or [[array]] header: count its key's parts.
				start := i
				i++
				array := i < len(src) && src[i] == '['
				if array {
					i++
				}
				parts = 1
				keyAt = at(i)
				nameAt := i
				for i < len(src) && src[i] != ']' && src[i] != '\n' {
					switch src[i] {
					case '"', '\'':
						var nl int
						if i, nl, _ = skipString(src, i); nl > 0 {
							return nil // a header cannot span lines: the parser says so
						}
						continue
					case '.':
						if err := countPart(i); err != nil {
							return err
						}
					}
					i++
				}
				lay.header(src, start, array, nameAt, i)
				expectKey = false
				continue
			}
			fallthrough
		case '{':
			if depth == MaxNesting {
				return &structureError{Pos: at(i),
					Msg: fmt.Sprintf("arrays and inline tables nested more than %d deep", MaxNesting),
					Hint: "Rapport files need three levels at most: close the brackets and braces left open before this one, " +
						"or write the inner tables as [[table]] sections"}
			}
			stack[depth] = c
			depth++
			expectKey, parts = c == '{', 0
			i++
		case ']', '}':
			if depth > 0 {
				depth--
			}
			expectKey = false
			i++
		case ',':
			if depth > 0 && stack[depth-1] == '{' {
				expectKey, parts = true, 0
			}
			i++
		case '=':
			expectKey, parts = false, 0
			i++
		default:
			if expectKey && parts == 0 {
				if err := countPart(i); err != nil {
					return err
				}
			}
			i++
		}
	}
	return nil
}

// skipString skips the string starting at src[i] (basic or literal, single
// or multi-line) and returns the index just past it, the newlines it held
// and the index of the last of them. An unclosed string runs to the end of
// its line (or, multi-line, of the file): the parser reports it.
func skipString(src []byte, i int) (end, newlines, last int) {
	q := src[i]
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		for i += 3; i < len(src); i++ {
			switch {
			case src[i] == '\n':
				newlines++
				last = i
			case src[i] == '\\' && q == '"' && i+1 < len(src) && src[i+1] != '\n':
				i++
			case src[i] == q && i+2 < len(src) && src[i+1] == q && src[i+2] == q:
				i += 3
				for i < len(src) && src[i] == q { // up to two quotes belong to the string
					i++
				}
				return i, newlines, last
			}
		}
		return i, newlines, last
	}
	for i++; i < len(src) && src[i] != '\n'; i++ {
		switch {
		case src[i] == '\\' && q == '"' && i+1 < len(src) && src[i+1] != '\n':
			i++
		case src[i] == q:
			return i + 1, 0, 0
		}
	}
	return i, 0, 0
}
