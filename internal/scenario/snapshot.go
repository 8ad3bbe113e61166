package scenario

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"maps"
	"math"
	"slices"
	"sync"
	"unsafe"
)

// A snapshot is a parsed file (its scenario and diagnostics) in a compact
// binary form, so a cache can hand a large file back without parsing it
// again: reading one is some twenty times cheaper than parsing the TOML.
// The form is private to one build of Rapport; the cache that keeps
// snapshots keys them by the program too. Decoding checks every length
// against what is left and a checksum over the whole, so a damaged
// snapshot is an error, never a panic or a wrong scenario.

// snapshotMagic starts every snapshot; its last byte is the form's version,
// raised whenever the form or the Scenario type changes.
const snapshotMagic = "RPSNAP\x00\x02"

// ErrBadSnapshot is returned for bytes that are not a whole snapshot.
var ErrBadSnapshot = errors.New("not a valid scenario snapshot")

// crcTable is made on first use: building it at start-up cost every run of
// rapport, most of which read no snapshot.
var crcTable = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// EncodeSnapshot returns the snapshot of a parsed file: sc (nil when the
// file did not parse) and its diagnostics.
func EncodeSnapshot(sc *Scenario, ds Diagnostics) []byte {
	w := &snapWriter{b: append(make([]byte, 0, 1<<16), snapshotMagic...)}
	w.bool(sc != nil)
	if sc != nil {
		w.scenario(sc)
	}
	w.len(len(ds), ds == nil)
	for _, d := range ds {
		w.str(d.File)
		w.pos(d.Pos)
		w.int(int(d.Severity))
		w.str(string(d.Code))
		w.str(d.Message)
		w.str(d.Hint)
		w.str(d.Excerpt)
		w.int(d.Hidden)
	}
	return binary.LittleEndian.AppendUint32(w.b, crc32.Checksum(w.b, crcTable()))
}

// DecodeSnapshot reads a snapshot written by EncodeSnapshot.
func DecodeSnapshot(b []byte) (*Scenario, Diagnostics, error) {
	return decodeSnapshot(b, false)
}

// DecodeSnapshotShared is DecodeSnapshot for a caller that hands b over:
// the scenario's texts are read in place rather than copied out of b first
// (for a 5,000-node file, 2.7 MB and some 10 ms less), so b must never be
// changed afterwards, whatever the result.
func DecodeSnapshotShared(b []byte) (*Scenario, Diagnostics, error) {
	return decodeSnapshot(b, true)
}

func decodeSnapshot(b []byte, shared bool) (*Scenario, Diagnostics, error) {
	n := len(b) - 4
	if n < len(snapshotMagic) || string(b[:len(snapshotMagic)]) != snapshotMagic ||
		crc32.Checksum(b[:n], crcTable()) != binary.LittleEndian.Uint32(b[n:]) {
		return nil, nil, ErrBadSnapshot
	}
	// One string holds every text: the scenario's strings share it rather
	// than each being copied out.
	body := b[len(snapshotMagic):n]
	r := &snapReader{}
	if shared && len(body) > 0 {
		r.s = unsafe.String(&body[0], len(body))
	} else {
		r.s = string(body)
	}
	var sc *Scenario
	if r.bool() {
		sc = r.scenario()
	}
	var ds Diagnostics
	if k, isNil := r.len(); !isNil {
		ds = make(Diagnostics, 0, k)
		for range k {
			ds = append(ds, Diagnostic{File: r.str(), Pos: r.pos(), Severity: Severity(r.int()), Code: Code(r.str()),
				Message: r.str(), Hint: r.str(), Excerpt: r.str(), Hidden: r.int()})
		}
	}
	if r.bad || r.i != len(r.s) {
		return nil, nil, ErrBadSnapshot
	}
	if sc != nil {
		sc.Index()
	}
	return sc, ds, nil
}

type snapWriter struct{ b []byte }

func (w *snapWriter) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }
func (w *snapWriter) int(n int)     { w.b = binary.AppendVarint(w.b, int64(n)) }
func (w *snapWriter) bool(v bool) {
	if v {
		w.uint(1)
	} else {
		w.uint(0)
	}
}
func (w *snapWriter) str(s string) { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *snapWriter) pos(p Pos)    { w.int(p.Line); w.int(p.Col) }

// len writes a slice or map's length, keeping nil apart from empty.
func (w *snapWriter) len(n int, isNil bool) {
	if isNil {
		w.uint(0)
		return
	}
	w.uint(uint64(n) + 1)
}

func (w *snapWriter) strs(ss []string) {
	w.len(len(ss), ss == nil)
	for _, s := range ss {
		w.str(s)
	}
}

func (w *snapWriter) mood(m Mood) {
	w.int(m.Apprehension)
	w.int(m.Anger)
	w.int(m.Trust)
	w.int(m.Patience)
}

func (w *snapWriter) cond(c Cond) {
	w.str(c.Src)
	w.len(len(c.Clauses), c.Clauses == nil)
	for _, cl := range c.Clauses {
		w.str(cl.Flag)
		w.bool(cl.Negate)
		w.int(int(cl.Stat))
		w.str(cl.Op)
		w.int(cl.Value)
	}
}

func (w *snapWriter) scenario(sc *Scenario) {
	for _, s := range []string{sc.File, sc.Hash, sc.ID, sc.Title, sc.Summary, string(sc.Channel), string(sc.Difficulty)} {
		w.str(s)
	}
	w.strs(sc.Tags)
	for _, s := range []string{sc.Author, sc.Version, sc.Start, sc.Walkout} {
		w.str(s)
	}
	w.pos(sc.IDPos)
	w.bool(sc.Briefing != nil)
	if b := sc.Briefing; b != nil {
		w.str(b.Role)
		w.str(b.Company)
		w.str(b.Goal)
		w.strs(b.MayOffer)
		w.pos(b.Pos)
	}
	c := sc.Customer
	w.str(c.Name)
	w.str(c.Persona)
	w.str(c.Voice)
	w.str(c.Mode)
	w.mood(c.Start)
	w.str(c.Clarify)
	w.pos(c.Pos)
	w.len(len(sc.Nodes), sc.Nodes == nil)
	for _, n := range sc.Nodes {
		w.node(n)
	}
	w.len(len(sc.Endings), sc.Endings == nil)
	for _, e := range sc.Endings {
		w.str(e.ID)
		w.str(string(e.Outcome))
		w.strs(e.Say)
		w.pos(e.Pos)
	}
	w.len(len(sc.Tests), sc.Tests == nil)
	for _, t := range sc.Tests {
		w.test(t)
	}
	r := sc.Scoring
	w.pos(r.Pos)
	w.strs(r.Allow)
	w.poss(r.AllowPos)
	w.len(len(r.Weight), r.Weight == nil)
	for _, k := range slices.Sorted(maps.Keys(r.Weight)) {
		w.str(k)
		w.uint(math.Float64bits(r.Weight[k]))
	}
	w.len(len(r.WeightPos), r.WeightPos == nil)
	for _, k := range slices.Sorted(maps.Keys(r.WeightPos)) {
		w.str(k)
		w.pos(r.WeightPos[k])
	}
	w.str(r.Note)
}

func (w *snapWriter) poss(ps []Pos) {
	w.len(len(ps), ps == nil)
	for _, p := range ps {
		w.pos(p)
	}
}

func (w *snapWriter) node(n *Node) {
	w.str(n.ID)
	w.strs(n.Say)
	w.len(len(n.Variants), n.Variants == nil)
	for _, v := range n.Variants {
		w.cond(v.When)
		w.strs(v.Say)
		w.pos(v.Pos)
	}
	w.len(len(n.Choices), n.Choices == nil)
	for _, c := range n.Choices {
		w.str(c.ID)
		w.bool(c.IDWritten)
		w.int(c.Number)
		w.str(c.Say)
		w.str(c.Reply)
		w.len(len(c.Replies), c.Replies == nil)
		for _, v := range c.Replies {
			w.cond(v.When)
			w.str(v.Reply)
			w.pos(v.Pos)
		}
		w.str(c.Next)
		w.mood(c.Effects)
		w.strs(c.Sets)
		w.strs(c.Clears)
		w.cond(c.When)
		w.str(c.Feedback)
		w.strs(c.Tags)
		w.pos(c.Pos)
	}
	w.str(n.Clarify)
	w.pos(n.Pos)
}

func (w *snapWriter) test(t *Test) {
	w.str(t.Name)
	w.len(len(t.Choices), t.Choices == nil)
	for _, c := range t.Choices {
		w.int(c)
	}
	w.strs(t.ChoiceIDs)
	w.str(t.Ending)
	for _, m := range []map[string]int{t.Min, t.Max} {
		w.len(len(m), m == nil)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			w.str(k)
			w.int(m[k])
		}
	}
	w.pos(t.Pos)
	w.poss(t.ChoicePos)
}

// snapReader reads a snapshot's body; bad is set, and zero values read,
// once anything is out of range.
type snapReader struct {
	s   string
	i   int
	bad bool
}

func (r *snapReader) uint() uint64 {
	if r.bad {
		return 0
	}
	n := 0
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if r.i+n >= len(r.s) || shift > 63 {
			r.bad = true
			return 0
		}
		c := r.s[r.i+n]
		n++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	r.i += n
	return v
}

func (r *snapReader) int() int {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

func (r *snapReader) bool() bool { return r.uint() == 1 }

func (r *snapReader) str() string {
	n := r.uint()
	if r.bad || n > uint64(len(r.s)-r.i) {
		r.bad = true
		return ""
	}
	s := r.s[r.i : r.i+int(n)]
	r.i += int(n)
	return s
}

func (r *snapReader) pos() Pos { return Pos{r.int(), r.int()} }

// len reads a length written by snapWriter.len. Every element takes at
// least a byte, so a length past the bytes left is damage, caught before
// anything is allocated for it.
func (r *snapReader) len() (n int, isNil bool) {
	v := r.uint()
	if v == 0 || r.bad {
		return 0, true
	}
	if v-1 > uint64(len(r.s)-r.i) {
		r.bad = true
		return 0, true
	}
	return int(v - 1), false
}

func (r *snapReader) strs() []string {
	n, isNil := r.len()
	if isNil {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.str()
	}
	return ss
}

func (r *snapReader) poss() []Pos {
	n, isNil := r.len()
	if isNil {
		return nil
	}
	ps := make([]Pos, n)
	for i := range ps {
		ps[i] = r.pos()
	}
	return ps
}

func (r *snapReader) mood() Mood {
	return Mood{Apprehension: r.int(), Anger: r.int(), Trust: r.int(), Patience: r.int()}
}

func (r *snapReader) cond() Cond {
	c := Cond{Src: r.str()}
	if n, isNil := r.len(); !isNil {
		c.Clauses = make([]Clause, n)
		for i := range c.Clauses {
			c.Clauses[i] = Clause{Flag: r.str(), Negate: r.bool(), Stat: Stat(r.int()), Op: r.str(), Value: r.int()}
		}
	}
	return c
}

func (r *snapReader) scenario() *Scenario {
	sc := &Scenario{File: r.str(), Hash: r.str(), ID: r.str(), Title: r.str(), Summary: r.str(),
		Channel: Channel(r.str()), Difficulty: Difficulty(r.str())}
	sc.Tags = r.strs()
	sc.Author, sc.Version, sc.Start, sc.Walkout = r.str(), r.str(), r.str(), r.str()
	sc.IDPos = r.pos()
	if r.bool() {
		sc.Briefing = &Briefing{Role: r.str(), Company: r.str(), Goal: r.str(), MayOffer: r.strs(), Pos: r.pos()}
	}
	sc.Customer = Customer{Name: r.str(), Persona: r.str(), Voice: r.str(), Mode: r.str(), Start: r.mood(),
		Clarify: r.str(), Pos: r.pos()}
	if n, isNil := r.len(); !isNil {
		sc.Nodes = make([]*Node, n)
		for i := range sc.Nodes {
			sc.Nodes[i] = r.node()
		}
	}
	if n, isNil := r.len(); !isNil {
		sc.Endings = make([]*Ending, n)
		for i := range sc.Endings {
			sc.Endings[i] = &Ending{ID: r.str(), Outcome: Outcome(r.str()), Say: r.strs(), Pos: r.pos()}
		}
	}
	if n, isNil := r.len(); !isNil {
		sc.Tests = make([]*Test, n)
		for i := range sc.Tests {
			sc.Tests[i] = r.test()
		}
	}
	sc.Scoring.Pos = r.pos()
	sc.Scoring.Allow = r.strs()
	sc.Scoring.AllowPos = r.poss()
	if n, isNil := r.len(); !isNil {
		sc.Scoring.Weight = make(map[string]float64, n)
		for range n {
			k := r.str()
			sc.Scoring.Weight[k] = math.Float64frombits(r.uint())
		}
	}
	if n, isNil := r.len(); !isNil {
		sc.Scoring.WeightPos = make(map[string]Pos, n)
		for range n {
			k := r.str()
			sc.Scoring.WeightPos[k] = r.pos()
		}
	}
	sc.Scoring.Note = r.str()
	return sc
}

// maxChoiceSlab is the most choices of one node decoded into one slab.
const maxChoiceSlab = 64

func (r *snapReader) node() *Node {
	n := &Node{ID: r.str(), Say: r.strs()}
	if k, isNil := r.len(); !isNil {
		n.Variants = make([]*Variant, k)
		for i := range n.Variants {
			n.Variants[i] = &Variant{When: r.cond(), Say: r.strs(), Pos: r.pos()}
		}
	}
	if k, isNil := r.len(); !isNil {
		n.Choices = make([]*Choice, k)
		// A node's choices are allocated together, a third as many
		// allocations for a 5,000-node file; a count no real node has (a
		// damaged snapshot) gets one each, as its bytes run out.
		var slab []Choice
		if k <= maxChoiceSlab {
			slab = make([]Choice, k)
		}
		for i := range n.Choices {
			var c *Choice
			if slab != nil {
				c = &slab[i]
			} else {
				c = new(Choice)
			}
			*c = Choice{ID: r.str(), IDWritten: r.bool(), Number: r.int(), Say: r.str(), Reply: r.str()}
			if m, isNil := r.len(); !isNil {
				c.Replies = make([]*ReplyVariant, m)
				for j := range c.Replies {
					c.Replies[j] = &ReplyVariant{When: r.cond(), Reply: r.str(), Pos: r.pos()}
				}
			}
			c.Next = r.str()
			c.Effects = r.mood()
			c.Sets = r.strs()
			c.Clears = r.strs()
			c.When = r.cond()
			c.Feedback = r.str()
			c.Tags = r.strs()
			c.Pos = r.pos()
			n.Choices[i] = c
		}
	}
	n.Clarify = r.str()
	n.Pos = r.pos()
	return n
}

func (r *snapReader) test() *Test {
	t := &Test{Name: r.str()}
	if n, isNil := r.len(); !isNil {
		t.Choices = make([]int, n)
		for i := range t.Choices {
			t.Choices[i] = r.int()
		}
	}
	t.ChoiceIDs = r.strs()
	t.Ending = r.str()
	for _, dst := range []*map[string]int{&t.Min, &t.Max} {
		if n, isNil := r.len(); !isNil {
			m := make(map[string]int, n)
			for range n {
				k := r.str()
				m[k] = r.int()
			}
			*dst = m
		}
	}
	t.Pos = r.pos()
	t.ChoicePos = r.poss()
	return t
}
