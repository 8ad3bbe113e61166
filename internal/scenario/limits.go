package scenario

import (
	"fmt"
	"slices"
	"strings"
)

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

// Count limits, also checked before the TOML parser sees a file. Within
// MaxFileSize a file of nothing but [[node]] headers (1.9 million of them),
// or of small nested values repeated, made the parser, the position index
// and validation build millions of tables: 10 to 55 s of CPU and up to
// 5 GB, where the largest real scenario (10,000 nodes) takes about a
// second. A file past these counts cannot be a valid scenario, or is far
// beyond any written one, so it is refused at the header or value that
// crosses the count, before any table is built.
const (
	// MaxItems bounds the keys, tables and arrays of a file, each counted
	// once for every level it is nested (see itemWeight): the work of
	// parsing and indexing a value grows with its depth. 10,000 nodes of
	// three choices with effects (7.7 MB) weigh 0.48 million; 16 MiB of
	// nodes as full as the format allows (six choices, each with effects,
	// tags, flags, a condition and a reply variant, and a node variant)
	// about 1.6 million. Every shape measured, real or hostile (small
	// inline tables nested eight deep, unknown keys), costs 1 to 5 µs of
	// CPU per unit, so no file within the limit costs much more than the
	// largest real one (docs/authoring.md, Limits).
	MaxItems = 2_000_000
	// MaxChoiceTables is the most [[node.choice]] headers a scenario may
	// have: MaxNodes nodes of MaxChoices choices. Validation refuses any
	// file with more, so counting them first refuses nothing valid.
	MaxChoiceTables = MaxNodes * MaxChoices
	// MaxVariantTables is the most [[node.variant]] and
	// [[node.choice.variant]] headers together: as many as there may be
	// choices. The library has 192 in 225 nodes.
	MaxVariantTables = MaxChoiceTables
	// MaxTableKeys is the most keys written directly in one table (at the
	// top of the file or under one header): a choice has eleven keys, the
	// scenario's top fourteen. 1.6 million unknown keys at the top took
	// 12 s of CPU.
	MaxTableKeys = 1000
	// MaxTests is the most [[test]] headers: `check` plays every author
	// test. The library's scenarios have at most three.
	MaxTests = 1000
)

// TableLimit caps how many [[array]] headers with some names a file may
// have; the pre-scan counts them, so each is refused at the first header
// past the limit. A header is counted by its name with spaces and quotes
// taken off ([[ "node" . choice ]] is [[node.choice]]); one that names a
// key with escapes is not, but still counts towards MaxItems.
type TableLimit struct {
	// Names are the headers counted together: "node", "ending".
	Names []string
	Max   int
	Code  Code
	// What names the tables in the message: "nodes and endings".
	What, Hint string
}

// scenarioTables are the count limits of a scenario file.
func scenarioTables() []TableLimit {
	return []TableLimit{
		{Names: []string{"node", "ending"}, Max: MaxNodes, Code: CodeTooManyNodes, What: "[[node]] and [[ending]] tables",
			Hint: fmt.Sprintf("a scenario has at most %d nodes and endings: split the conversation into several scenarios", MaxNodes)},
		{Names: []string{"node.choice"}, Max: MaxChoiceTables, Code: CodeTooManyNodes, What: "[[node.choice]] tables",
			Hint: fmt.Sprintf("a scenario has at most %d nodes of at most %d choices each: split the conversation into several scenarios", MaxNodes, MaxChoices)},
		{Names: []string{"node.variant", "node.choice.variant"}, Max: MaxVariantTables, Code: CodeTooManyNodes, What: "[[node.variant]] and [[node.choice.variant]] tables",
			Hint: fmt.Sprintf("a scenario has at most as many variants as it may have choices (%d): split the conversation into several scenarios", MaxChoiceTables)},
		{Names: []string{"test"}, Max: MaxTests, Code: CodeTooManyNodes, What: "[[test]] tables",
			Hint: "check plays every author test: keep the paths that matter, or split the scenario"},
	}
}

// structureError is a file that breaks a structural or count limit.
type structureError struct {
	Pos       Pos
	Code      Code // CodeTooDeep unless a count limit says otherwise
	Msg, Hint string
}

// checkStructure scans src once, in linear time and constant memory, for
// nesting and dotted keys past the limits and for more keys, tables and
// arrays than MaxItems. It follows strings and comments so that brackets,
// braces and dots inside them are not counted; anything else it does not
// understand is left for the TOML parser to report.
func checkStructure(src []byte) *structureError { return scanStructure(src, nil, nil) }

// itemWeight is what a key part, table or array counts towards MaxItems:
// one, and one more for each array or inline table around it and each
// dotted part before it, since the parser and the position index handle
// its whole path.
func itemWeight(depth, parts int) int { return 1 + depth + parts }

// scanStructure is checkStructure that also counts the [[array]] headers
// that limits name, and notes, when lay is not nil, the file's top-level
// [[array]] headers and the last construct after which the file cannot be
// decoded in pieces (see layout).
func scanStructure(src []byte, lay *layout, limits []TableLimit) *structureError {
	line, lineStart := 1, 0
	at := func(i int) Pos { return Pos{line, i - lineStart + 1} }
	items, counts, tableKeys := 0, make([]int, len(limits)), 0
	count := func(i, w int) *structureError {
		items += w
		if items > MaxItems {
			return &structureError{Pos: at(i), Code: CodeTooManyNodes,
				Msg: fmt.Sprintf("the file has more keys, tables and arrays than the %d a file may hold (each counted once per level of nesting)", MaxItems),
				Hint: "16 MiB of the fullest nodes a scenario can have count about 1.6 million: " +
					"split the conversation into several scenarios, or look for a value repeated by mistake"}
		}
		return nil
	}
	var stack [MaxNesting]byte // the open '[' and '{', innermost last
	depth := 0
	// expectKey is set where a key may start: at the start of a line
	// outside any value, and after '{' or ',' in an inline table. parts
	// counts the current key's parts; keyAt is where it starts.
	expectKey, parts, keyAt := true, 0, Pos{}
	countPart := func(i int) *structureError {
		if parts == 0 {
			keyAt = at(i)
			if depth == 0 {
				if tableKeys++; tableKeys > MaxTableKeys {
					return &structureError{Pos: keyAt, Code: CodeTooManyNodes,
						Msg:  fmt.Sprintf("more than %d keys in one table", MaxTableKeys),
						Hint: "a table in a Rapport file has at most a few dozen keys: look for a missing [[node]] or [[node.choice]] header, or a key repeated by mistake"}
				}
			}
		}
		parts++
		if err := count(i, itemWeight(depth, parts-1)); err != nil {
			return err
		}
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
				parts, tableKeys = 1, 0
				keyAt = at(i)
				nameAt := i
				if err := count(i, itemWeight(0, 0)); err != nil {
					return err
				}
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
				if array && len(limits) > 0 {
					if err := countHeader(limits, counts, headerName(src[nameAt:i]), at(start)); err != nil {
						return err
					}
				}
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
			if err := count(i, itemWeight(depth, 0)); err != nil {
				return err
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
			} else if depth > 0 { // the next element of an array
				if err := count(i, itemWeight(depth, 0)); err != nil {
					return err
				}
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

// countHeader counts the [[array]] header named name, written at p,
// against the limit that names it, if any.
func countHeader(limits []TableLimit, counts []int, name string, p Pos) *structureError {
	for k, l := range limits {
		if !slices.Contains(l.Names, name) {
			continue
		}
		counts[k]++
		if counts[k] > l.Max {
			return &structureError{Pos: p, Code: l.Code,
				Msg:  fmt.Sprintf("more than %d %s in one file", l.Max, l.What),
				Hint: l.Hint}
		}
		return nil
	}
	return nil
}

// headerName is the name of a header written as b (between the brackets)
// with the spaces around its parts and the quotes of quoted parts taken
// off: ` "node" . choice ` is "node.choice". A part with an escape keeps
// its quotes, so it matches no limit.
func headerName(b []byte) string {
	var parts []string
	for len(b) > 0 {
		b = trimSpace(b)
		var part []byte
		switch {
		case len(b) > 0 && (b[0] == '"' || b[0] == '\''):
			end, _, _ := skipString(b, 0)
			part = b[:end]
			if q := part[0]; len(part) >= 2 && part[len(part)-1] == q && (q == '\'' || !slices.Contains(part, '\\')) {
				part = part[1 : len(part)-1]
			}
			b = trimSpace(b[end:])
		default:
			end := 0
			for end < len(b) && b[end] != '.' {
				end++
			}
			part = trimSpace(b[:end])
			b = b[end:]
		}
		parts = append(parts, string(part))
		if len(b) == 0 || b[0] != '.' {
			break
		}
		b = b[1:]
	}
	return strings.Join(parts, ".")
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
