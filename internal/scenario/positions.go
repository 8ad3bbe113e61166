package scenario

import (
	"strconv"
	"strings"
)

// loc is where a key and its value stand in the file.
type loc struct {
	Key, Value Pos
}

// positions maps key paths such as "node[3].choice[1].next" or "tags[2]" to
// where they are written. BurntSushi/toml keeps key positions private and
// without array indices, so the loader indexes the source itself. The scanner
// only ever sees TOML that the real parser accepted, so it can be lenient: a
// construct it does not follow only costs a position, never correctness.
type positions map[string]loc

// at returns the best position for path: its value, else its key, else the
// nearest enclosing table that has one.
func (p positions) at(path string) Pos {
	// An array of tables is indexed by its elements: point at the first.
	if l, ok := p[path+"[0]"]; ok {
		if _, self := p[path]; !self {
			return l.Key
		}
	}
	for path != "" {
		if l, ok := p[path]; ok {
			if l.Value.IsValid() {
				return l.Value
			}
			return l.Key
		}
		path = parentPath(path)
	}
	return Pos{}
}

// key returns the position of the key itself (for unknown-key errors).
func (p positions) key(path string) Pos {
	if l, ok := p[path]; ok && l.Key.IsValid() {
		return l.Key
	}
	return p.at(path)
}

func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

type scanner struct {
	src       string
	i         int
	line, col int
	out       positions
	// arrays counts the elements seen so far of each array of tables, by
	// its resolved path ("node", "node[2].choice").
	arrays map[string]int
	prefix string
}

func indexPositions(src []byte) positions {
	s := &scanner{src: string(src), line: 1, col: 1, out: positions{}, arrays: map[string]int{}}
	s.run()
	return s.out
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }
func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}
func (s *scanner) pos() Pos { return Pos{s.line, s.col} }

func (s *scanner) adv() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col++
	}
	s.i++
}

func (s *scanner) skipSpace() {
	for !s.eof() && (s.peek() == ' ' || s.peek() == '\t' || s.peek() == '\r') {
		s.adv()
	}
}

// skipBlank skips white space, newlines and comments.
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.adv()
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.adv()
	}
}

func (s *scanner) run() {
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			s.header()
		} else {
			s.keyValue(s.prefix)
		}
		if s.i == start { // never loop on input we do not understand
			s.skipLine()
		}
	}
}

func (s *scanner) header() {
	at := s.pos()
	s.adv()
	array := s.peek() == '['
	if array {
		s.adv()
	}
	s.skipSpace()
	keys := s.keyPath()
	s.skipSpace()
	for !s.eof() && s.peek() != '\n' && s.peek() != '#' {
		s.adv()
	}
	// Resolve every segment but the last against the arrays seen so far,
	// so [[node.choice]] lands inside the newest [[node]].
	path := ""
	for i, k := range keys {
		path = join(path, k)
		if i < len(keys)-1 {
			if n, ok := s.arrays[path]; ok {
				path += "[" + strconv.Itoa(n-1) + "]"
			}
		}
	}
	if array {
		n := s.arrays[path]
		s.arrays[path] = n + 1
		path += "[" + strconv.Itoa(n) + "]"
	}
	s.out[path] = loc{Key: at}
	s.prefix = path
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// keyPath reads a possibly dotted, possibly quoted key.
func (s *scanner) keyPath() []string {
	var keys []string
	for !s.eof() {
		s.skipSpace()
		var k string
		switch s.peek() {
		case '"', '\'':
			q := s.peek()
			s.adv()
			var b strings.Builder
			for !s.eof() && s.peek() != q && s.peek() != '\n' {
				if q == '"' && s.peek() == '\\' {
					s.adv()
				}
				b.WriteByte(s.peek())
				s.adv()
			}
			s.adv()
			k = b.String()
		default:
			st := s.i
			for !s.eof() && isBareKeyByte(s.peek()) {
				s.adv()
			}
			k = s.src[st:s.i]
		}
		keys = append(keys, k)
		s.skipSpace()
		if s.peek() != '.' {
			return keys
		}
		s.adv()
	}
	return keys
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func (s *scanner) keyValue(prefix string) {
	at := s.pos()
	keys := s.keyPath()
	if len(keys) == 0 || (len(keys) == 1 && keys[0] == "") {
		return
	}
	path := prefix
	for _, k := range keys {
		path = join(path, k)
	}
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	s.adv()
	s.skipSpace()
	s.out[path] = loc{Key: at, Value: s.pos()}
	s.value(path)
}

func (s *scanner) value(path string) {
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '[':
		s.adv()
		for n := 0; ; n++ {
			s.skipBlank()
			if s.eof() || s.peek() == ']' {
				s.adv()
				return
			}
			el := path + "[" + strconv.Itoa(n) + "]"
			s.out[el] = loc{Value: s.pos()}
			before := s.i
			s.value(el)
			s.skipBlank()
			if s.peek() == ',' {
				s.adv()
			}
			if s.i == before {
				s.adv()
			}
		}
	case '{':
		s.adv()
		for {
			s.skipSpace()
			if s.eof() || s.peek() == '}' || s.peek() == '\n' {
				s.adv()
				return
			}
			before := s.i
			s.keyValue(path)
			s.skipSpace()
			if s.peek() == ',' {
				s.adv()
			}
			if s.i == before {
				s.adv()
			}
		}
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.peek())) {
			s.adv()
		}
	}
}

func (s *scanner) str() {
	q := s.peek()
	triple := strings.Repeat(string(q), 3)
	if strings.HasPrefix(s.src[s.i:], triple) {
		for range 3 {
			s.adv()
		}
		for !s.eof() && !strings.HasPrefix(s.src[s.i:], triple) {
			if q == '"' && s.peek() == '\\' {
				s.adv()
			}
			s.adv()
		}
		for range 3 {
			s.adv()
		}
		// A closing delimiter may be followed by up to two more quotes that
		// belong to the string.
		for !s.eof() && s.peek() == q {
			s.adv()
		}
		return
	}
	s.adv()
	for !s.eof() && s.peek() != q && s.peek() != '\n' {
		if q == '"' && s.peek() == '\\' {
			s.adv()
		}
		s.adv()
	}
	s.adv()
}
