package drill

import (
	"strconv"
	"strings"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// spot is where a key and its value are written. Array elements have only a
// value; table headers have only a key (the header's opening bracket).
type spot struct {
	key, val scenario.Pos
}

// where returns the value's position, else the key's.
func (s spot) where() scenario.Pos {
	if s.val.IsValid() {
		return s.val
	}
	return s.key
}

// spots maps key paths ("title", "opener[2].response[0].say",
// "opener[2].response[0].tags[1]") to where they are written.
//
// BurntSushi/toml does not expose key positions, so the loader walks the
// source once more. It runs only on text the real parser accepted, which
// lets it skip anything it does not follow: a missed construct costs a
// position, never a wrong answer. The drill format only needs table
// headers, key = value lines, strings and arrays; inline tables are skipped
// as one value.
type spots map[string]spot

// lookup returns the best position for path: its own, else the closest
// enclosing path that was written down.
func (sp spots) lookup(path string) scenario.Pos {
	for path != "" {
		if s, ok := sp[path]; ok {
			return s.where()
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return scenario.Pos{}
}

// keyAt returns where the key of path is written, for unknown-key errors.
func (sp spots) keyAt(path string) scenario.Pos {
	if s, ok := sp[path]; ok && s.key.IsValid() {
		return s.key
	}
	return sp.lookup(path)
}

// walker is a cursor over the source that counts lines and byte columns.
type walker struct {
	src       string
	off       int
	line, col int
	out       spots
	table     string         // path of the current [table] or [[array]] element
	counts    map[string]int // elements seen of each array of tables
}

func locate(src []byte) spots {
	w := &walker{src: string(src), line: 1, col: 1, out: spots{}, counts: map[string]int{}}
	for {
		w.blank(true)
		if w.off >= len(w.src) {
			return w.out
		}
		before := w.off
		if w.at() == '[' {
			w.header()
		} else {
			w.pair(w.table)
		}
		if w.off == before { // nothing understood: move on rather than spin
			w.toEOL()
		}
	}
}

func (w *walker) pos() scenario.Pos { return scenario.Pos{Line: w.line, Col: w.col} }

func (w *walker) at() byte {
	if w.off >= len(w.src) {
		return 0
	}
	return w.src[w.off]
}

func (w *walker) next() {
	if w.off >= len(w.src) {
		return
	}
	if w.src[w.off] == '\n' {
		w.line, w.col = w.line+1, 1
	} else {
		w.col++
	}
	w.off++
}

func (w *walker) skip(n int) {
	for range n {
		w.next()
	}
}

func (w *walker) toEOL() {
	for w.off < len(w.src) && w.at() != '\n' {
		w.next()
	}
}

// blank skips spaces and tabs, and with lines also newlines and comments.
func (w *walker) blank(lines bool) {
	for w.off < len(w.src) {
		switch c := w.at(); {
		case c == ' ' || c == '\t' || c == '\r':
			w.next()
		case lines && c == '\n':
			w.next()
		case lines && c == '#':
			w.toEOL()
		default:
			return
		}
	}
}

// header reads [a.b] or [[a.b]] and makes it the current table.
func (w *walker) header() {
	start := w.pos()
	w.next()
	array := w.at() == '['
	if array {
		w.next()
	}
	parts := w.dotted()
	w.toEOL()
	path := ""
	for i, p := range parts {
		if path != "" {
			path += "."
		}
		path += p
		last := i == len(parts)-1
		if n, ok := w.counts[path]; ok && !last {
			path += "[" + strconv.Itoa(n-1) + "]" // inside the newest element
		}
		if last && array {
			n := w.counts[path]
			w.counts[path] = n + 1
			path += "[" + strconv.Itoa(n) + "]"
		}
	}
	w.out[path] = spot{key: start}
	w.table = path
}

// dotted reads a key such as name, "quoted name" or a.b.c.
func (w *walker) dotted() []string {
	var parts []string
	for {
		w.blank(false)
		var part string
		if q := w.at(); q == '"' || q == '\'' {
			w.next()
			var b strings.Builder
			for w.off < len(w.src) && w.at() != q && w.at() != '\n' {
				if q == '"' && w.at() == '\\' {
					w.next()
				}
				b.WriteByte(w.at())
				w.next()
			}
			w.next()
			part = b.String()
		} else {
			from := w.off
			for w.off < len(w.src) && bareKeyByte(w.at()) {
				w.next()
			}
			part = w.src[from:w.off]
		}
		parts = append(parts, part)
		w.blank(false)
		if w.at() != '.' {
			return parts
		}
		w.next()
	}
}

func bareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// pair reads key = value under the table at prefix.
func (w *walker) pair(prefix string) {
	start := w.pos()
	parts := w.dotted()
	if len(parts) == 1 && parts[0] == "" {
		return
	}
	path := prefix
	for _, p := range parts {
		if path != "" {
			path += "."
		}
		path += p
	}
	w.blank(false)
	if w.at() != '=' {
		return
	}
	w.next()
	w.blank(false)
	w.out[path] = spot{key: start, val: w.pos()}
	w.value(path)
}

// value skips one value, noting where each array element starts.
func (w *walker) value(path string) {
	switch w.at() {
	case '"', '\'':
		w.str()
	case '[':
		w.next()
		for i := 0; ; i++ {
			w.blank(true)
			if w.off >= len(w.src) || w.at() == ']' {
				w.next()
				return
			}
			el := path + "[" + strconv.Itoa(i) + "]"
			w.out[el] = spot{val: w.pos()}
			before := w.off
			w.value(el)
			w.blank(true)
			if w.at() == ',' {
				w.next()
			}
			if w.off == before {
				w.next()
			}
		}
	case '{':
		depth := 0
		for w.off < len(w.src) {
			switch w.at() {
			case '"', '\'':
				w.str()
				continue
			case '{':
				depth++
			case '}':
				depth--
			}
			w.next()
			if depth == 0 {
				return
			}
		}
	default:
		for w.off < len(w.src) && !strings.ContainsRune(",]}\n#", rune(w.at())) {
			w.next()
		}
	}
}

// str skips a basic, literal or multi-line string.
func (w *walker) str() {
	q := w.at()
	fence := strings.Repeat(string(q), 3)
	if strings.HasPrefix(w.src[w.off:], fence) {
		w.skip(3)
		for w.off < len(w.src) && !strings.HasPrefix(w.src[w.off:], fence) {
			if q == '"' && w.at() == '\\' {
				w.next()
			}
			w.next()
		}
		w.skip(3)
		for w.at() == q { // up to two quotes may end the content itself
			w.next()
		}
		return
	}
	w.next()
	for w.off < len(w.src) && w.at() != q && w.at() != '\n' {
		if q == '"' && w.at() == '\\' {
			w.next()
		}
		w.next()
	}
	w.next()
}
