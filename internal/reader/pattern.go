package reader

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rapport-sim/rapport/internal/lazy"
)

// Patterns are written in a small language over normalised words. This file
// compiles them (buildRules); `go generate` does that ahead of time and
// writes the result to tables_gen.go, which tables.go matches against:
//
//	word        the literal word (lower case, contractions written out:
//	            "i am", "do not", "you are")
//	a|b|c       any one of the words
//	@class      any word of a named lexicon class (see classes)
//	[a|b]       optional: zero or one of the words
//	(a b|c)     a group: one of several word sequences ("(thank you|thanks)");
//	            [a b|c] is the optional form
//	*           any one word
//	~N          a gap of 0 to N words
//	^           (prefix) the word starts its clause, ignoring interjections
//	            such as "oh" or "well"
//	$           the previous word ends a clause (punctuation follows) or
//	            the sentence
//	??          the sentence is a question (ends with "?")
//	=           (prefix on the whole pattern) skip the negation check
//	%           (prefix on a cap pattern) the cap covers its whole sentence
//
// A match never crosses a sentence boundary. Words are matched exactly: the
// tokenizer has already folded case and contractions, so word boundaries
// come for free.

type elemKind uint8

const (
	eWord elemKind = iota
	eAny
	eGap
	eEnd
	eQuestion
	eSeq
)

type elem struct {
	kind  elemKind
	words []string
	// seqs are the alternatives of a group, each a sequence of words.
	seqs [][]string
	// bits is the set of words by vocabulary number, and seqIDs the groups
	// by number: what matching uses once the vocabulary is fixed.
	bits   []uint64
	seqIDs [][]uint16
	// small holds the words of a set of at most four, compared in place:
	// most elements are one to three words, and this keeps them off the
	// bit arena.
	small  [4]uint16
	nsmall uint8
	opt    bool
	first  bool
	gap    int
}

// finalize turns the element's words into vocabulary numbers.
func (e *elem) finalize(ids map[string]uint16, arena *[]uint64) {
	if e.kind == eWord && len(dedupe(e.words)) <= len(e.small) {
		e.nsmall = 0
		for _, w := range dedupe(e.words) {
			e.small[e.nsmall] = ids[w]
			e.nsmall++
		}
	} else if e.kind == eWord {
		var top uint16
		for _, w := range e.words {
			top = max(top, ids[w])
		}
		// Bit sets come from one arena, so the sets a match reads one after
		// the other sit together in memory.
		n := int(top>>6) + 1
		start := len(*arena)
		for range n {
			*arena = append(*arena, 0)
		}
		e.bits = (*arena)[start : start+n : start+n]
		for _, w := range e.words {
			id := ids[w]
			e.bits[id>>6] |= 1 << (id & 63)
		}
	}
	e.seqIDs = e.seqIDs[:0] // elements shared by expanded patterns are finalised twice
	for _, seq := range e.seqs {
		ns := make([]uint16, len(seq))
		for k, w := range seq {
			ns[k] = ids[w]
		}
		e.seqIDs = append(e.seqIDs, ns)
	}
}

type pattern struct {
	src   string
	elems []elem
	noNeg bool
	// sentence widens a cap rule from the words it matched to the whole
	// sentence it is in.
	sentence bool
	// firstKnown is set when the first element is one required word with no
	// position condition: looking the rule up by that word matches it.
	firstKnown bool
}

// compilePattern parses one pattern. Leading optional elements are expanded
// into separate patterns so every compiled pattern starts with a required
// element the index can key on.
func compilePattern(src string, classes map[string][]string) ([]*pattern, error) {
	s := strings.TrimSpace(src)
	noNeg, sentence := false, false
	for len(s) > 0 && (s[0] == '=' || s[0] == '%') {
		if s[0] == '=' {
			noNeg = true
		} else {
			sentence = true
		}
		s = strings.TrimSpace(s[1:])
	}
	var elems []elem
	fields, err := patternFields(s)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", src, err)
	}
	for _, f := range fields {
		var e elem
		switch {
		case f == "*":
			e.kind = eAny
		case f == "$":
			e.kind = eEnd
		case f == "??":
			e.kind = eQuestion
		case strings.HasPrefix(f, "~"):
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 12 {
				return nil, fmt.Errorf("pattern %q: bad gap %q", src, f)
			}
			e.kind, e.gap = eGap, n
		default:
			if strings.HasPrefix(f, "^") {
				e.first = true
				f = f[1:]
			}
			group := false
			if strings.HasPrefix(f, "[") && strings.HasSuffix(f, "]") {
				e.opt = true
				f = f[1 : len(f)-1]
				group = strings.Contains(f, " ")
			} else if strings.HasPrefix(f, "(") && strings.HasSuffix(f, ")") {
				f = f[1 : len(f)-1]
				group = true
			}
			if group {
				e.kind = eSeq
				for _, alt := range strings.Split(f, "|") {
					ws := strings.Fields(alt)
					if len(ws) == 0 {
						return nil, fmt.Errorf("pattern %q: empty alternative", src)
					}
					for _, w := range ws {
						if strings.ContainsAny(w, "'’[]()@") {
							return nil, fmt.Errorf("pattern %q: bad word %q", src, w)
						}
					}
					e.seqs = append(e.seqs, ws)
					e.words = append(e.words, ws[0])
				}
				elems = append(elems, e)
				continue
			}
			for _, alt := range strings.Split(f, "|") {
				if strings.HasPrefix(alt, "@") {
					ws, ok := classes[alt[1:]]
					if !ok {
						return nil, fmt.Errorf("pattern %q: unknown class %s", src, alt)
					}
					e.words = append(e.words, ws...)
					continue
				}
				if alt == "" || strings.ContainsAny(alt, "'’[]") {
					return nil, fmt.Errorf("pattern %q: bad word %q", src, alt)
				}
				e.words = append(e.words, alt)
			}
		}
		elems = append(elems, e)
	}
	if len(elems) == 0 {
		return nil, fmt.Errorf("pattern %q is empty", src)
	}
	var out []*pattern
	var expand func(es []elem)
	expand = func(es []elem) {
		if len(es) == 0 {
			return
		}
		if es[0].opt {
			expand(es[1:])
			req := append([]elem{es[0]}, es[1:]...)
			req[0].opt = false
			expand(req)
			return
		}
		if es[0].kind != eWord && es[0].kind != eSeq {
			out = append(out, &pattern{src: src, elems: es, noNeg: noNeg, sentence: sentence})
			return
		}
		out = append(out, &pattern{src: src, elems: es, noNeg: noNeg, sentence: sentence})
	}
	expand(elems)
	return out, nil
}

// interjections are skipped when deciding whether a word starts its clause.
var interjections = lazy.Value[map[string]bool]{New: func() map[string]bool {
	return map[string]bool{
		"oh": true, "well": true, "so": true, "um": true, "uh": true, "er": true, "ah": true,
		"okay": true, "right": true, "yes": true, "yeah": true, "and": true, "hi": true,
		"hello": true, "hey": true, "look": true, "now": true, "alright": true, "please": true,
	}
}}

func clauseFirst(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].clause != toks[i].clause {
			return true
		}
		if !wordIs(toks[j].id, wInterjection) {
			return false
		}
	}
	return true
}

// clauseEnd reports whether token i-1 (the last matched word) ends a clause.
func clauseEnd(toks []token, i int) bool {
	if i >= len(toks) || i == 0 {
		return true
	}
	return toks[i-1].after != 0 || toks[i].clause != toks[i-1].clause
}

// isQuestion reports whether the sentence holding token i ends with "?".
func isQuestion(toks []token, i int) bool {
	if i >= len(toks) {
		i = len(toks) - 1
	}
	if i < 0 {
		return false
	}
	s := toks[i].sent
	for j := i; j < len(toks) && toks[j].sent == s; j++ {
		if toks[j].after == '?' {
			return true
		}
	}
	return false
}

// rule is one compiled pattern that shows (or caps) a behaviour.
type rule struct {
	id       BehaviorID
	strength int
	pat      *pattern
	// order is the rule's position in the tables, so lookups that gather
	// rules from several places still try them in a fixed order.
	order int
	// cap rules do not show a behaviour: a detection of id overlapping a
	// cap match is limited to strength (0 removes it).
	cap bool
	// cue rules read the cues of an answer (answer.go); they are tried
	// only when the customer asked something.
	cue bool
}

// ruleSet indexes rules by their first two words, so a word like "i",
// which starts a hundred rules, only tries the few whose second word
// follows it.
type ruleSet struct {
	// byID holds, for each vocabulary number, the rules starting with
	// that word.
	byID  []*bucket
	pairs *pairTable
	// ids and words are the vocabulary, numbered from 1 in sorted order.
	ids   map[string]uint16
	words []string
	// all holds every rule, by order.
	all []rule
}

// bucket holds the rules starting with one word: those keyed by the word
// that must come next, and those that can continue with any word.
type bucket struct {
	next map[uint16][]*rule
	any  []*rule
}

// pairTable finds the rules for a pair of words (by vocabulary number)
// with one multiplication and a short probe, in a table small enough to stay
// in cache: the hottest lookup in the model.
type pairTable struct {
	keys    []uint32
	entries []int32 // index into pairs, by slot
	pairs   []pairEntry
	shift   uint
}

// pairEntry holds the rules that start with one pair of words: those that
// can go on with any third word, and those keyed by the third word (sorted
// by it, for a binary search).
type pairEntry struct {
	any    []*rule
	thirds []uint16
	byThrd [][]*rule
}

// pairKey packs two word numbers; the first is never zero, so 0 marks an
// empty slot.
func pairKey(a, b uint16) uint32 { return uint32(a)<<16 | uint32(b) }

func (pt *pairTable) slot(k uint32) int { return int((k * 2654435769) >> pt.shift) }

// buildTables files every two-word rule under its pair of words, and,
// when the third word is pinned down too, under that word within the pair.
func (rs *ruleSet) buildTables(thirds map[*rule][]uint16) {
	type acc struct {
		any    []*rule
		byThrd map[uint16][]*rule
	}
	accs := map[uint32]*acc{}
	for id, b := range rs.byID {
		if b == nil {
			continue
		}
		for next, list := range b.next {
			k := pairKey(uint16(id), next)
			a := accs[k]
			if a == nil {
				a = &acc{byThrd: map[uint16][]*rule{}}
				accs[k] = a
			}
			for _, r := range list {
				ts, ok := thirds[r]
				if !ok {
					a.any = append(a.any, r)
					continue
				}
				for _, t := range ts {
					if !containsRule(a.byThrd[t], r) {
						a.byThrd[t] = append(a.byThrd[t], r)
					}
				}
			}
		}
	}
	keys := make([]uint32, 0, len(accs))
	for k := range accs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	size, shift := 1, uint(32)
	for size < 2*len(keys)+1 {
		size <<= 1
		shift--
	}
	pt := &pairTable{keys: make([]uint32, size), entries: make([]int32, size), shift: shift}
	byOrder := func(list []*rule) []*rule {
		sort.SliceStable(list, func(i, j int) bool { return list[i].order < list[j].order })
		return list
	}
	for _, k := range keys {
		a := accs[k]
		pe := pairEntry{any: byOrder(a.any)}
		for t := range a.byThrd {
			pe.thirds = append(pe.thirds, t)
		}
		slices.Sort(pe.thirds)
		for _, t := range pe.thirds {
			pe.byThrd = append(pe.byThrd, byOrder(a.byThrd[t]))
		}
		h := pt.slot(k)
		for pt.keys[h] != 0 {
			h = (h + 1) & (len(pt.keys) - 1)
		}
		pt.keys[h], pt.entries[h] = k, int32(len(pt.pairs))
		pt.pairs = append(pt.pairs, pe)
	}
	rs.pairs = pt
}

func (rs *ruleSet) bucket(w string) *bucket {
	id := rs.ids[w]
	b := rs.byID[id]
	if b == nil {
		b = &bucket{next: map[uint16][]*rule{}}
		rs.byID[id] = b
	}
	return b
}

func (rs *ruleSet) add(r *rule) {
	e := &r.pat.elems[0]
	switch e.kind {
	case eWord:
		seconds, any := nextWords(r.pat.elems[1:])
		for _, w := range dedupe(e.words) {
			rs.file(rs.bucket(w), r, seconds, any)
		}
	case eSeq:
		for _, seq := range e.seqs {
			var seconds []string
			var any bool
			if len(seq) > 1 {
				seconds = []string{seq[1]}
			} else {
				seconds, any = nextWords(r.pat.elems[1:])
			}
			rs.file(rs.bucket(seq[0]), r, seconds, any)
		}
	default:
		// compilePattern expands leading optional elements, so this is a
		// pattern that starts with a gap or a wildcard: it could match
		// anywhere, and the rules are written so that none does.
		panic(fmt.Sprintf("scoring: pattern %q does not start with a word", r.pat.src))
	}
}

func (rs *ruleSet) file(b *bucket, r *rule, seconds []string, any bool) {
	if any {
		if !containsRule(b.any, r) {
			b.any = append(b.any, r)
		}
		return
	}
	for _, w := range dedupe(seconds) {
		id := rs.ids[w]
		if !containsRule(b.next[id], r) {
			b.next[id] = append(b.next[id], r)
		}
	}
}

func containsRule(rs []*rule, r *rule) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func dedupe(ws []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// nextWords returns the words the next token must be one of for elems to
// match, or any=true when it can be anything (a gap, a wildcard, the end of
// the pattern).
func nextWords(elems []elem) (words []string, any bool) {
	if len(elems) == 0 {
		return nil, true
	}
	e := &elems[0]
	switch e.kind {
	case eEnd, eQuestion:
		return nextWords(elems[1:])
	case eWord, eSeq:
		var ws []string
		if e.kind == eWord {
			ws = append(ws, e.words...)
		} else {
			for _, seq := range e.seqs {
				ws = append(ws, seq[0])
			}
		}
		if e.opt {
			more, any := nextWords(elems[1:])
			if any {
				return nil, true
			}
			ws = append(ws, more...)
		}
		return ws, false
	}
	return nil, true
}

// patternFields splits a pattern at spaces, keeping bracketed and
// parenthesised groups whole.
func patternFields(s string) ([]string, error) {
	var out []string
	depth, start := 0, -1
	for i, r := range s {
		switch {
		case r == '[' || r == '(':
			if depth == 0 && start < 0 {
				start = i
			}
			depth++
		case r == ']' || r == ')':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("unbalanced %q", r)
			}
		case r == ' ' || r == '\t':
			if depth == 0 && start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced brackets")
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out, nil
}

// ruleDef is a rule as written in rules.go.
type ruleDef struct {
	id       BehaviorID
	strength int
	src      string
}

// buildRules compiles the rule tables. It panics on a malformed pattern:
// patterns are part of the program, and TestRulesCompile plus package init
// in every test run catch a mistake before it ships.
func buildRules(shows, caps []ruleDef, classes map[string][]string, extraVocab []string) *ruleSet {
	var all []*rule
	vocab := map[string]bool{}
	compile := func(defs []ruleDef, isCap bool) {
		for _, d := range defs {
			pats, err := compilePattern(d.src, classes)
			if err != nil {
				panic(err)
			}
			for _, p := range pats {
				all = append(all, &rule{id: d.id, strength: d.strength, pat: p, cap: isCap, cue: isCue(d.id)})
				for _, e := range p.elems {
					for _, w := range e.words {
						vocab[w] = true
					}
					for _, seq := range e.seqs {
						for _, w := range seq {
							vocab[w] = true
						}
					}
				}
			}
		}
	}
	compile(shows, false)
	compile(caps, true)
	// Class words, custom detectors' words and contraction parts are
	// vocabulary too, so every token that matters has a number.
	for _, ws := range classes {
		for _, w := range ws {
			vocab[w] = true
		}
	}
	for _, w := range extraVocab {
		vocab[w] = true
	}
	for _, exp := range contractions.Get() {
		for _, w := range exp {
			vocab[w] = true
		}
	}
	for _, s := range suffixes {
		vocab[s.word] = true
	}
	for _, w := range []string{"is", "#num", "#pct", "i", "will"} {
		vocab[w] = true
	}
	words := make([]string, 0, len(vocab))
	for w := range vocab {
		words = append(words, w)
	}
	sort.Strings(words)
	if len(words) >= 1<<16-1 {
		panic("scoring: vocabulary too large")
	}
	rs := &ruleSet{ids: make(map[string]uint16, len(words)), words: append([]string{""}, words...)}
	for i, w := range words {
		rs.ids[w] = uint16(i + 1)
	}
	rs.byID = make([]*bucket, len(rs.words))
	// Rules, their elements and their bit sets each live in one contiguous
	// block: matching walks them constantly, and locality is speed.
	nElems, nBits := 0, 0
	for _, r := range all {
		nElems += len(r.pat.elems)
		for _, e := range r.pat.elems {
			nBits += len(e.words)/64 + len(rs.words)/64 + 1
		}
	}
	ruleArena := make([]rule, len(all))
	elemArena := make([]elem, 0, nElems)
	bitArena := make([]uint64, 0, nBits)
	thirds := map[*rule][]uint16{}
	for n, old := range all {
		r := &ruleArena[n]
		*r = *old
		pat := *old.pat
		r.pat = &pat
		start := len(elemArena)
		elemArena = append(elemArena, pat.elems...)
		pat.elems = elemArena[start:len(elemArena):len(elemArena)]
		r.order = n
		e0 := &r.pat.elems[0]
		r.pat.firstKnown = e0.kind == eWord && !e0.opt && !e0.first
		for k := range r.pat.elems {
			r.pat.elems[k].finalize(rs.ids, &bitArena)
		}
		if ws, ok := thirdWords(r.pat.elems); ok {
			for _, w := range dedupe(ws) {
				thirds[r] = append(thirds[r], rs.ids[w])
			}
		}
		rs.add(r)
	}
	rs.buildTables(thirds)
	rs.all = ruleArena
	return rs
}

// thirdWords returns the words the third token of a match must be one of,
// when the pattern pins it down (ok is false when it can be anything).
func thirdWords(elems []elem) ([]string, bool) {
	var out []string
	// after returns the words that must follow once n tokens of the
	// elements have been used.
	var walk func(es []elem, used int) bool
	walk = func(es []elem, used int) bool {
		for len(es) > 0 && (es[0].kind == eEnd || es[0].kind == eQuestion) {
			es = es[1:]
		}
		if used == 2 {
			ws, any := nextWords(es)
			if any {
				return false
			}
			out = append(out, ws...)
			return true
		}
		if len(es) == 0 || es[0].opt {
			return false
		}
		switch es[0].kind {
		case eWord:
			return walk(es[1:], used+1)
		case eSeq:
			for _, seq := range es[0].seqs {
				if used+len(seq) > 2 {
					out = append(out, seq[2-used])
					continue
				}
				if !walk(es[1:], used+len(seq)) {
					return false
				}
			}
			return true
		}
		return false
	}
	if !walk(elems, 0) {
		return nil, false
	}
	return out, true
}
