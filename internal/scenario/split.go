package scenario

import (
	"runtime"
	"slices"
	"sync"

	"github.com/BurntSushi/toml"
)

// A long scenario file is a head (id, title, [customer], …) and then
// thousands of [[node]] tables. BurntSushi/toml decodes on one core at
// about 20 MB/s, so a 4 MB file spends some 200 ms in the parser. The
// pieces between [[node]] headers are independent TOML: decoding them on
// every core and joining the arrays gives the same document in a fraction
// of the time.
//
// The split is only made where it cannot change the result. The
// structural pre-scan (scanStructure), which already follows strings,
// comments and brackets, notes the top-level [[array]] headers and the
// last "hazard": a [table] header, a dotted or quoted key, or an array
// header whose name is not plain dotted words. The parser keeps state
// keyed by paths without array indices (which tables were only implied,
// which keys hold arrays), and only those constructs can make that state
// from one piece matter in a later one; so every piece after the first
// must be free of them, start at a [[node]] header, and name under each
// of its headers an array of tables it opened itself. Pieces are joined
// by appending each top-level array of tables to the same-named one
// before it, which must itself come from [[name]] headers. Anything else
// (a piece that fails to parse, a key the pieces share in any other way)
// makes decodeTOML decode the whole file as one, so every error, and
// every message and position in it, is the whole file's.

// layout is what scanStructure notes for splitting a file.
type layout struct {
	heads []arrayHeader
	// names interns header names: a file has few, written many times.
	names map[string]string
	// after is the offset just past the last hazard: no piece but the
	// first may start before it.
	after int
}

// arrayHeader is a top-level [[name]] header.
type arrayHeader struct {
	at   int    // offset of its first '['
	name string // the name between the brackets, "node.choice"
	// first is the name's first key, "node".
	first string
}

// hazard notes a construct at offset i that a later piece may not hold.
func (l *layout) hazard(i int) {
	if l != nil {
		l.after = i + 1
	}
}

// header notes the header starting at src[start], its name running from
// src[from] to src[to] (the first ']' or the end of the line).
func (l *layout) header(src []byte, start int, array bool, from, to int) {
	if l == nil {
		return
	}
	name := trimSpace(src[from:to])
	first, ok := plainName(name)
	if !array || !ok || to >= len(src) || src[to] != ']' || to+1 >= len(src) || src[to+1] != ']' {
		l.hazard(start)
		return
	}
	l.heads = append(l.heads, arrayHeader{at: start, name: l.intern(name), first: l.intern(first)})
}

func (l *layout) intern(b []byte) string {
	if s, ok := l.names[string(b)]; ok {
		return s
	}
	if l.names == nil {
		l.names = map[string]string{}
	}
	s := string(b)
	l.names[s] = s
	return s
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// plainName reports whether name is bare keys joined by single dots, and
// returns its first key.
func plainName(name []byte) (first []byte, ok bool) {
	end := -1
	prev := byte('.')
	for i, c := range name {
		switch {
		case c == '.':
			if prev == '.' {
				return nil, false
			}
			if end < 0 {
				end = i
			}
		case isBareKeyByte(c):
		default:
			return nil, false
		}
		prev = c
	}
	if prev == '.' {
		return nil, false
	}
	if end < 0 {
		end = len(name)
	}
	return name[:end], true
}

// split says how a file is decoded in pieces: at most n pieces (0 means
// one per core) of at least min bytes; a file under 2*min is decoded whole.
// Tests cut small files into many pieces to compare with the whole.
type split struct{ n, min int }

// defaultSplit: below 256 KiB a piece costs more in goroutines and joins
// than it saves.
var defaultSplit = split{min: 256 << 10}

// whole decodes every file in one piece: the plain path.
var whole = split{min: MaxFileSize + 1}

// pieces returns where src may be cut for decoding in n pieces of at least
// min bytes: offsets of [[node]] headers that are allowed to start a piece,
// each near an equal share of the file. It returns nil when the file
// cannot be split.
func (l *layout) pieces(size, n, min int) []int {
	if n < 2 || size < 2*min {
		return nil
	}
	var cuts []int
	h := 0
	for k := 1; k < n; k++ {
		target := max(size*k/n, l.after)
		for h < len(l.heads) && (l.heads[h].at < target || l.heads[h].name != "node") {
			h++
		}
		if h == len(l.heads) {
			break
		}
		at := l.heads[h].at
		prev := 0
		if len(cuts) > 0 {
			prev = cuts[len(cuts)-1]
		}
		if at-prev < min || size-at < min {
			break
		}
		cuts = append(cuts, at)
	}
	if len(cuts) == 0 {
		return nil
	}
	// Every header of a later piece must name an array it opened itself.
	for k, cut := range cuts {
		end := size
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		opened := map[string]bool{}
		for _, hd := range l.heads {
			if hd.at < cut || hd.at >= end {
				continue
			}
			if hd.name == hd.first {
				opened[hd.first] = true
			} else if !opened[hd.first] {
				return nil
			}
		}
	}
	return cuts
}

// cutsFor returns where to cut src, as lay and sp allow, or nil to
// decode it whole.
func cutsFor(src []byte, lay *layout, sp split) []int {
	if lay == nil {
		return nil
	}
	n := sp.n
	if n == 0 {
		n = min(runtime.GOMAXPROCS(0), 8)
	}
	return lay.pieces(len(src), n, sp.min)
}

// decodeTOML decodes src as toml.Decode does into a map, in pieces cut at
// cuts when there are any (see above). The error, if any, is always the
// whole file's.
func decodeTOML(src []byte, lay *layout, cuts []int) (map[string]any, error) {
	if cuts != nil {
		if raw, ok := decodePieces(src, cuts, lay); ok {
			return raw, nil
		}
	}
	var raw map[string]any
	_, err := toml.Decode(string(src), &raw)
	return raw, err
}

// decodePieces decodes src cut at cuts, each piece on its own goroutine,
// and joins them. ok is false when any piece fails or the pieces do not
// join.
func decodePieces(src []byte, cuts []int, lay *layout) (map[string]any, bool) {
	bounds := append(append([]int{0}, cuts...), len(src))
	maps := make([]map[string]any, len(bounds)-1)
	errs := make([]bool, len(maps))
	var wg sync.WaitGroup
	for k := range maps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A panic in the parser on a piece is the whole file's
				// business: decode it whole, as without pieces.
				if recover() != nil {
					errs[k] = true
				}
			}()
			if _, err := toml.Decode(string(src[bounds[k]:bounds[k+1]]), &maps[k]); err != nil {
				errs[k] = true
			}
		}()
	}
	wg.Wait()
	if slices.Contains(errs, true) {
		return nil, false
	}
	// arrays holds the names the pieces so far opened as [[name]] at the
	// top level: only those may be continued by a later piece.
	arrays := map[string]bool{}
	noteArrays := func(from, to int) {
		for _, hd := range lay.heads {
			if hd.at >= from && hd.at < to && hd.name == hd.first {
				arrays[hd.name] = true
			}
		}
	}
	raw := maps[0]
	noteArrays(0, bounds[1])
	for k := 1; k < len(maps); k++ {
		for key, v := range maps[k] {
			add, ok := v.([]map[string]any)
			if !ok {
				return nil, false
			}
			old, exists := raw[key]
			if !exists {
				raw[key] = add
				continue
			}
			have, ok := old.([]map[string]any)
			if !ok || !arrays[key] {
				return nil, false
			}
			raw[key] = append(slices.Clip(have), add...)
		}
		noteArrays(bounds[k], bounds[k+1])
	}
	return raw, true
}
