package reader

import (
	"math/bits"

	"github.com/rapport-sim/rapport/internal/lazy"
)

//go:generate go test -run ^TestTablesUpToDate$ -update .

// The compiled rules, as matching reads them. rules.go holds the rules as
// written; pattern.go compiles them (buildRules), and `go generate` writes
// the result to tables_gen.go as flat arrays of numbers: every word of the
// vocabulary is a number, every word set a bit set or a few numbers, and
// every list an offset and a length into one shared array. The arrays hold
// no pointers, so they are static data in the binary: a program that reads
// a line pays nothing to build them and the garbage collector never scans
// them. TestTablesUpToDate fails when tables_gen.go is not what the rule
// sources compile to.

// crule is one compiled pattern that shows (or caps) a behaviour.
type crule struct {
	// beh indexes ruleIDs: the behaviour the rule shows or caps.
	beh      uint8
	strength int8
	flags    uint8
	nelem    uint8
	// elem is the first of the rule's elements in elemTab.
	elem uint16
}

// Rule flags.
const (
	// fCap: the rule does not show a behaviour; a detection of it
	// overlapping the match is limited to strength (0 removes it).
	fCap uint8 = 1 << iota
	// fCue: the rule reads a cue of an answer (answer.go), tried only
	// when the customer asked something.
	fCue
	// fNoNeg: the pattern skips the negation check (written "=").
	fNoNeg
	// fSentence: a cap that covers its whole sentence (written "%").
	fSentence
	// fFirstKnown: the first element is one required word with no
	// position condition, so finding the rule by that word matched it.
	fFirstKnown
)

// id is the number of the behaviour the rule shows or caps. Rules are
// matched only in detect, which has filled bixTab first.
func (r *crule) id() bix        { return bixTab.rule[r.beh] }
func (r *crule) str() int       { return int(r.strength) }
func (r *crule) sentence() bool { return r.flags&fSentence != 0 }

// celem is one element of a compiled pattern (pattern.go's elem).
type celem struct {
	kind elemKind
	// opt and first: elemOpt, elemFirst.
	flags uint8
	gap   uint8
	// nsmall words are held in small and compared in place; otherwise the
	// set is bitsN words of bitsTab from bits, covering vocabulary numbers
	// from bitsLo*64.
	nsmall uint8
	small  [4]uint16
	bitsLo uint16
	bitsN  uint16
	bits   uint32
	// A group's nseq alternatives start at seq in seqTab, each its length
	// and then its words.
	seq  uint32
	nseq uint16
}

// Element flags.
const (
	elemOpt uint8 = 1 << iota
	elemFirst
)

func (e *celem) has(id uint16) bool {
	if e.nsmall > 0 {
		for _, w := range e.small[:e.nsmall] {
			if w == id {
				return id != 0
			}
		}
		return false
	}
	k := int(id>>6) - int(e.bitsLo)
	return id != 0 && k >= 0 && k < int(e.bitsN) && bitsTab[int(e.bits)+k]&(1<<(id&63)) != 0
}

// wordInfo is what the model knows about one vocabulary word besides its
// spelling.
type wordInfo struct {
	flags uint16
	// The rules that start with the word and go on with any word are
	// ruleRefs[anyOff : anyOff+anyN].
	anyN   uint16
	anyOff uint32
}

// Word flags. The low three bits are the word's kind (kindNegator…), the
// next three its modes (modeMask).
const (
	wKindMask  uint16 = 7
	wModeShift        = 3
	wStarts    uint16 = 1 << (4 + iota) // some rule starts with the word (bit 6)
	wInterjection
	wTitle
	wNameFrame // the first word of a name frame ("my name is")
	wFeel      // in the "feel" class
	wLoss      // in the "loss" class
	wOrg       // a word of an organisation's name ("bank", "support")
	wPairs     // some rules start with the word and a fixed second word
	wStopword  // in stopwords
	wVerb      // in statementVerbs
)

func wordKind(id uint16) uint8    { return uint8(wordTab[id].flags & wKindMask) }
func modeMask(id uint16) uint8    { return uint8(wordTab[id].flags>>wModeShift) & 7 }
func wordIs(id, flag uint16) bool { return wordTab[id].flags&flag != 0 }

// vocabWord is the normalised word numbered id ("" for 0).
func vocabWord(id uint16) string { return wordText[vocabOff[id]:vocabOff[id+1]] }

// pairSlot is one slot of the open-addressed table of word pairs; pair
// indexes pairTab.
type pairSlot struct {
	key  uint32
	pair uint32
}

// cpair holds the rules that start with one pair of words: anyN rules at
// ruleRefs[anyOff:] that go on with any third word, and thirdN entries at
// thirdTab[third:] for those keyed by the third word (sorted by it).
type cpair struct {
	anyOff uint32
	third  uint32
	anyN   uint16
	thirdN uint16
}

// cthird lists the rules of a pair whose third word is id.
type cthird struct {
	id   uint16
	n    uint16
	list uint32
}

func pairGet(a, b uint16) *cpair {
	k := pairKey(a, b)
	mask := uint32(len(pairSlots) - 1)
	for h := (k * 2654435769) >> pairShift; ; h = (h + 1) & mask {
		switch s := &pairSlots[h]; s.key {
		case k:
			return &pairTab[s.pair]
		case 0:
			return nil
		}
	}
}

// thirdRules returns the rules of the pair whose third word is id.
func (pe *cpair) thirdRules(id uint16) []uint16 {
	ts := thirdTab[pe.third : pe.third+uint32(pe.thirdN)]
	lo, hi := 0, len(ts)
	for lo < hi {
		m := (lo + hi) / 2
		if ts[m].id < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ts) && ts[lo].id == id {
		return ruleRefs[ts[lo].list : ts[lo].list+uint32(ts[lo].n)]
	}
	return nil
}

// lexSlot is one slot of the tokenizer's open-addressed table from
// lower-case written words to vocabulary numbers. The slot's word is
// wordText[key:key+keyLen], and lexHash holds its FNV-1a hash with the low
// bit set (0 marks an empty slot): probing reads only lexHash, a quarter of
// the table's size, until a hash matches. A contraction expands to nexp
// numbers at lexExp[exp:]; id is then the word's own number if it is a
// vocabulary word too.
type lexSlot struct {
	key    uint16
	id     uint16
	exp    uint16
	keyLen uint8
	nexp   uint8
	flags  uint8
}

// Lexicon flags.
const (
	// lexTurn marks the words that start a new clause: "but", "however".
	lexTurn uint8 = 1 << iota
)

// lexGet finds a lower-case word in the lexicon, by its FNV-1a hash h.
func lexGet(w []byte, h uint32) (*lexSlot, bool) {
	mask := uint32(len(lexHash) - 1)
	for i := h & mask; lexHash[i] != 0; i = (i + 1) & mask {
		if lexHash[i] == h|1 {
			if s := &lexSlots[i]; int(s.keyLen) == len(w) && wordText[s.key:int(s.key)+int(s.keyLen)] == string(w) {
				return s, true
			}
		}
	}
	return nil, false
}

// knownID is vocabID for a word the detectors compare tokens with: a word
// outside the vocabulary gets a number no token has, so comparing numbers
// is comparing words.
func knownID(w string) uint16 {
	if id := vocabID(w); id != 0 {
		return id
	}
	return noWord
}

// noWord is a number no token has.
const noWord = 0xffff

// vocabID returns the vocabulary number of a normalised word, 0 when the
// rules never mention it.
func vocabID(w string) uint16 {
	s, ok := lexGet([]byte(w), fnv([]byte(w)))
	if !ok {
		return 0
	}
	return s.id
}

// matchAt tries the rule at token i and returns the end (exclusive) of the
// shortest match.
func (r *crule) matchAt(toks []token, i int) (int, bool) {
	el := elemTab[r.elem : int(r.elem)+int(r.nelem)]
	if r.flags&fFirstKnown != 0 {
		// The rule was found by this very word, so the first element has
		// matched already.
		return matchElems(el[1:], toks, i+1, toks[i].sent)
	}
	return matchElems(el, toks, i, toks[i].sent)
}

func matchElems(el []celem, toks []token, pos int, sent int32) (int, bool) {
	// Elements that can match only one way are walked in a loop; an
	// element with alternatives (optional, a group, a gap) tries them in
	// branch, which comes back here for the rest.
	for len(el) > 0 {
		e := &el[0]
		switch {
		case e.flags&elemOpt != 0:
			return branch(el, toks, pos, sent)
		case e.kind == eWord || e.kind == eAny:
			if pos < len(toks) && toks[pos].sent == sent &&
				(e.kind == eAny || e.has(toks[pos].id)) &&
				(e.flags&elemFirst == 0 || clauseFirst(toks, pos)) {
				el, pos = el[1:], pos+1
				continue
			}
			return 0, false
		case e.kind == eEnd:
			if !clauseEnd(toks, pos) {
				return 0, false
			}
			el = el[1:]
		case e.kind == eQuestion:
			if !isQuestion(toks, pos-1) {
				return 0, false
			}
			el = el[1:]
		default:
			return branch(el, toks, pos, sent)
		}
	}
	return pos, true
}

// branch matches elements from one with alternatives: the shortest match
// wins, trying the element before skipping it, and a gap's shorter spans
// first.
func branch(el []celem, toks []token, pos int, sent int32) (int, bool) {
	e := &el[0]
	opt := e.flags&elemOpt != 0
	first := e.flags&elemFirst != 0
	switch e.kind {
	case eWord, eAny:
		if pos < len(toks) && toks[pos].sent == sent &&
			(e.kind == eAny || e.has(toks[pos].id)) &&
			(!first || clauseFirst(toks, pos)) {
			if end, ok := matchElems(el[1:], toks, pos+1, sent); ok {
				return end, true
			}
		}
		if opt {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	case eSeq:
		if pos < len(toks) && (!first || clauseFirst(toks, pos)) {
			at := e.seq
		alts:
			for range e.nseq {
				n := uint32(seqTab[at])
				seq := seqTab[at+1 : at+1+n]
				at += 1 + n
				if pos+len(seq) > len(toks) {
					continue
				}
				for k, id := range seq {
					if toks[pos+k].id != id || toks[pos+k].sent != sent {
						continue alts
					}
				}
				if end, ok := matchElems(el[1:], toks, pos+len(seq), sent); ok {
					return end, true
				}
			}
		}
		if opt {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	case eGap:
		for k := 0; k <= int(e.gap); k++ {
			// A gap never skips a negation: "I can ~4 manager" must not
			// match "I can not get a manager".
			if k > 0 && (pos+k > len(toks) || toks[pos+k-1].sent != sent || wordKind(toks[pos+k-1].id) == kindNegator) {
				break
			}
			if end, ok := matchElems(el[1:], toks, pos+k, sent); ok {
				return end, true
			}
		}
		return 0, false
	}
	return 0, false
}

// A rule matches inside one sentence, so a word it cannot do without must
// be in that sentence. Before a rule is tried, two of its required
// elements are checked against a 64-bit summary of the sentence's words
// (one bit per word, by a hash of its number): when neither word of an
// element can be in the sentence, the rule cannot match, and its elements
// are never read. Half the rules tried fail this way, and reading their
// elements from memory was most of the cost of trying them. The check can
// let through a rule that will not match, never stop one that would.

// ruleNeed holds, for one rule, the summaries of two required elements'
// words (all bits set when the rule has fewer such elements).
type ruleNeed struct{ a, b uint64 }

// wordBit is the bit of word id in a sentence's summary.
func wordBit(id uint16) uint64 { return 1 << ((uint32(id) * 2654435769) >> 26) }

// ruleNeeds is derived from the generated tables on first use: 16 bytes a
// rule, made in well under a millisecond.
var ruleNeeds = lazy.Value[[]ruleNeed]{New: func() []ruleNeed {
	needs := make([]ruleNeed, len(ruleTab))
	for n := range ruleTab {
		r := &ruleTab[n]
		el := elemTab[r.elem : int(r.elem)+int(r.nelem)]
		// The first element matched already when the rule is looked up
		// by its first word, and the second too when by a pair; among the
		// rest, the elements with the fewest words say the most.
		type cand struct {
			mask     uint64
			words, k int
		}
		var best [2]cand
		nb := 0
		for k := 1; k < len(el); k++ {
			mask, words, ok := elemSummary(&el[k])
			if !ok {
				continue
			}
			c := cand{mask, words, k}
			better := func(x, y cand) bool {
				if (x.k >= 2) != (y.k >= 2) {
					return x.k >= 2
				}
				return x.words < y.words
			}
			switch {
			case nb < 2:
				best[nb] = c
				nb++
				if nb == 2 && better(best[1], best[0]) {
					best[0], best[1] = best[1], best[0]
				}
			case better(c, best[0]):
				best[0], best[1] = c, best[0]
			case better(c, best[1]):
				best[1] = c
			}
		}
		needs[n] = ruleNeed{^uint64(0), ^uint64(0)}
		if nb > 0 {
			needs[n].a = best[0].mask
		}
		if nb > 1 {
			needs[n].b = best[1].mask
		}
	}
	return needs
}}

// elemSummary is the summary of the words one of which a required element
// must match (a group's first words); ok is false for an element that is
// optional or matches no particular word.
func elemSummary(e *celem) (mask uint64, words int, ok bool) {
	if e.flags&elemOpt != 0 {
		return 0, 0, false
	}
	switch e.kind {
	case eWord:
		if e.nsmall > 0 {
			for _, w := range e.small[:e.nsmall] {
				mask |= wordBit(w)
			}
			return mask, int(e.nsmall), true
		}
		for k := range int(e.bitsN) {
			for b := bitsTab[int(e.bits)+k]; b != 0; b &= b - 1 {
				mask |= wordBit(uint16((int(e.bitsLo)+k)*64 + bits.TrailingZeros64(b)))
				words++
			}
		}
		return mask, words, true
	case eSeq:
		at := e.seq
		for range e.nseq {
			mask |= wordBit(seqTab[at+1])
			at += 1 + uint32(seqTab[at])
		}
		return mask, int(e.nseq), true
	}
	return 0, 0, false
}
