package scenario

import (
	"strconv"
	"strings"

	"github.com/rapport-sim/rapport/internal/lazy"
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
//
// The index is a tree of path segments, each node holding its segment and
// its parent, and found by a hash of its whole path computed from the
// parent's: so it costs memory and time linear in the file, however deep
// the nesting. (Keeping every full path as a string was quadratic in
// depth: arrays nested 40,000 deep took 2.4 GB.) A nil index is a scenario
// that did not come from a file; it knows no positions.
type positions struct {
	// nodes are held in fixed-size chunks, so growing the index never
	// copies it (a flat slice spent most of a large file's indexing time
	// in append's copies).
	chunks [][]pathNode
	len    int32
	// byHash finds a node by the FNV-1a hash of its full path; nodes with
	// the same hash are chained through pathNode.next.
	byHash map[uint64]int32
}

// pathNode is one segment of a key path: a key, or an array index.
type pathNode struct {
	parent int32  // -1 for the root
	seg    string // "key" or "[3]", exactly as a path spells it
	index  bool   // seg is an array index, appended without a '.'
	hash   uint64 // of the whole path, as a string
	next   int32  // next node with the same hash, or -1
	loc    loc
	// written is set when the path is written in the file (as a key, a
	// header or an array element); implicit is set for a table that a
	// header or dotted key only names on the way to a deeper one.
	written, implicit bool
	// arrays counts the elements seen so far when the node is an array of
	// tables.
	arrays int
	// first and last are the node's first and last children, sibling the
	// next child of its parent, in the order they were met (-1 for none):
	// the decoder walks a table's keys this way instead of looking each
	// one up by its path.
	first, last, sibling int32
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

func hashMore(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime64
	}
	return h
}

const chunkSize = 1024

func newPositions() *positions {
	p := &positions{byHash: map[uint64]int32{}}
	p.push(pathNode{parent: -1, hash: fnvOffset64, next: -1, first: -1, last: -1, sibling: -1})
	return p
}

// node returns node n.
func (p *positions) node(n int32) *pathNode { return &p.chunks[n/chunkSize][n%chunkSize] }

// push appends a node and returns its number.
func (p *positions) push(nd pathNode) int32 {
	if p.len%chunkSize == 0 {
		p.chunks = append(p.chunks, make([]pathNode, 0, chunkSize))
	}
	c := &p.chunks[len(p.chunks)-1]
	*c = append(*c, nd)
	p.len++
	return p.len - 1
}

// child returns the node for segment seg under parent, creating it. Keys
// are joined with '.', indices are appended as they are, as in the
// decoder's paths.
func (p *positions) child(parent int32, seg string) int32 {
	return p.add(parent, seg, false)
}

// index returns the child for an array element.
func (p *positions) index(parent int32, i int) int32 {
	return p.add(parent, indexSeg(i), true)
}

// indexSegs are the segments of the first array elements, spelled once
// when the first file is parsed.
var indexSegs = lazy.Value[*[64]string]{New: func() *[64]string {
	var segs [64]string
	for i := range segs {
		segs[i] = "[" + strconv.Itoa(i) + "]"
	}
	return &segs
}}

// indexSeg spells the path segment of array element i: "[3]".
func indexSeg(i int) string {
	if segs := indexSegs.Get(); i < len(segs) {
		return segs[i]
	}
	return "[" + strconv.Itoa(i) + "]"
}

func (p *positions) add(parent int32, seg string, index bool) int32 {
	h := p.node(parent).hash
	if parent != 0 && !index {
		h = hashMore(h, ".")
	}
	h = hashMore(h, seg)
	first, ok := p.byHash[h]
	if ok {
		for n := first; n >= 0; n = p.node(n).next {
			if nd := p.node(n); nd.parent == parent && nd.seg == seg && nd.index == index {
				return n
			}
		}
	} else {
		first = -1
	}
	n := p.push(pathNode{parent: parent, seg: seg, index: index, hash: h, next: first, first: -1, last: -1, sibling: -1})
	p.byHash[h] = n
	if par := p.node(parent); par.last < 0 {
		par.first, par.last = n, n
	} else {
		p.node(par.last).sibling = n
		par.last = n
	}
	return n
}

// table returns the node of the table at path ("" for the top level).
func (p *positions) table(path string) (int32, bool) {
	if p == nil {
		return 0, false
	}
	if path == "" {
		return 0, true
	}
	for n, ok := p.byHash[hashMore(fnvOffset64, path)]; ok && n >= 0; n = p.node(n).next {
		if p.spells(n, path) {
			return n, true
		}
	}
	return 0, false
}

// keyOf is key for the child c of a node, found without a lookup.
func (p *positions) keyOf(c int32, path string) Pos {
	if nd := p.node(c); (nd.written || nd.implicit) && nd.loc.Key.IsValid() {
		return nd.loc.Key
	}
	return p.at(path)
}

// find returns the node whose full path is path.
func (p *positions) find(path string) (*pathNode, bool) {
	if path == "" {
		return nil, false
	}
	if n, ok := p.table(path); ok {
		return p.node(n), true
	}
	return nil, false
}

// spells reports whether node n's full path is path, walking up from the
// last segment: a lookup costs the length of the path it asks for.
func (p *positions) spells(n int32, path string) bool {
	for ; n > 0; n = p.node(n).parent {
		nd := p.node(n)
		if !strings.HasSuffix(path, nd.seg) {
			return false
		}
		path = path[:len(path)-len(nd.seg)]
		if nd.parent > 0 && !nd.index {
			if !strings.HasSuffix(path, ".") {
				return false
			}
			path = path[:len(path)-1]
		}
	}
	return path == ""
}

// lookup returns where path is written, if it is, as a header, a key or an
// array element, or as a table named on the way to one.
func (p *positions) lookup(path string) (loc, bool) {
	nd, ok := p.find(path)
	if !ok || !nd.written && !nd.implicit {
		return loc{}, false
	}
	return nd.loc, true
}

// has tells whether path itself is written in the file.
func (p *positions) has(path string) bool {
	nd, ok := p.find(path)
	return ok && nd.written
}

// at returns the best position for path: its value, else its key, else the
// nearest enclosing table that has one.
func (p *positions) at(path string) Pos {
	// An array of tables is indexed by its elements: point at the first.
	if l, ok := p.lookup(path + "[0]"); ok {
		if !p.has(path) {
			return l.Key
		}
	}
	for path != "" {
		if l, ok := p.lookup(path); ok {
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
func (p *positions) key(path string) Pos {
	if l, ok := p.lookup(path); ok && l.Key.IsValid() {
		return l.Key
	}
	return p.at(path)
}

// set records where node n is written.
func (p *positions) set(n int32, l loc) {
	p.node(n).loc = l
	p.node(n).written = true
}

// name records a table that is only named on the way to a deeper key, at
// the first place it is named, unless it is written itself.
func (p *positions) name(n int32, at Pos) {
	if nd := p.node(n); !nd.written && !nd.implicit {
		nd.loc = loc{Key: at}
		nd.implicit = true
	}
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
	out       *positions
	prefix    int32 // the node of the table the current header opened
	// keys is keyPath's result, reused: each caller is done with it before
	// the next call.
	keys []string
}

func indexPositions(src []byte) *positions {
	s := &scanner{src: string(src), line: 1, col: 1, out: newPositions()}
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
	// so [[node.choice]] lands inside the newest [[node]]. A table named
	// only on the way ([[nodes.choice]] names "nodes") is placed at this
	// header, so a problem with it points here rather than at 1:1.
	n := int32(0)
	for i, k := range keys {
		n = s.out.child(n, k)
		if i < len(keys)-1 {
			if c := s.out.node(n).arrays; c > 0 {
				n = s.out.index(n, c-1)
			} else {
				s.out.name(n, at)
			}
		}
	}
	if array {
		c := s.out.node(n).arrays
		s.out.node(n).arrays = c + 1
		n = s.out.index(n, c)
	}
	s.out.set(n, loc{Key: at})
	s.prefix = n
}

// keyPath reads a possibly dotted, possibly quoted key.
func (s *scanner) keyPath() []string {
	keys := s.keys[:0]
	defer func() { s.keys = keys[:0] }()
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

func (s *scanner) keyValue(prefix int32) {
	at := s.pos()
	keys := s.keyPath()
	if len(keys) == 0 || (len(keys) == 1 && keys[0] == "") {
		return
	}
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	n := prefix
	for i, k := range keys {
		n = s.out.child(n, k)
		if i < len(keys)-1 {
			s.out.name(n, at)
		}
	}
	s.adv()
	s.skipSpace()
	s.out.set(n, loc{Key: at, Value: s.pos()})
	s.value(n)
}

func (s *scanner) value(n int32) {
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '[':
		s.adv()
		for i := 0; ; i++ {
			s.skipBlank()
			if s.eof() || s.peek() == ']' {
				s.adv()
				return
			}
			el := s.out.index(n, i)
			s.out.set(el, loc{Value: s.pos()})
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
			s.keyValue(n)
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

// join is how paths are spelled: keys joined with '.'.
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
