package reader

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

var updateTables = flag.Bool("update", false, "rewrite tables_gen.go from the rule sources")

const tablesFile = "tables_gen.go"

// TestTablesUpToDate compiles the rule sources (rules.go, the lexicons and
// the word lists the detectors use) and fails when tables_gen.go is not
// what they compile to: a rule edited without `go generate` is caught
// here. With -update it writes the file instead.
func TestTablesUpToDate(t *testing.T) {
	src, err := renderTables(compileSources())
	if err != nil {
		t.Fatal(err)
	}
	if *updateTables {
		if err := os.WriteFile(tablesFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(tablesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatalf("%s is stale: the rule sources compile to different tables; run `go generate ./internal/reader`", tablesFile)
	}
}

// compileSources compiles every rule as written.
func compileSources() *ruleSet {
	return buildRules(showRules, capRules, classes.Get(), append(slices.Clone(extraVocab), modeVocab()...))
}

// srcLexEntry is what the tokenizer knows about one written word, before
// encoding.
type srcLexEntry struct {
	id   uint16
	exp  []uint16
	turn bool
}

type srcLexSlot struct {
	hash  uint32
	word  string
	entry srcLexEntry
	used  bool
}

// compileLexicon builds the tokenizer's open-addressed table from written
// words to vocabulary numbers (FNV-1a, linear probing, at most half full),
// with every contraction mapped to the numbers of its expansion.
func compileLexicon(ids map[string]uint16) []srcLexSlot {
	lex := make(map[string]srcLexEntry, len(ids)+len(contractions.Get()))
	for w, id := range ids {
		switch w {
		case "but", "however", "although", "though":
			lex[w] = srcLexEntry{id: id, turn: true}
		default:
			lex[w] = srcLexEntry{id: id}
		}
	}
	for w, exp := range contractions.Get() {
		e := srcLexEntry{}
		for _, x := range exp {
			e.exp = append(e.exp, ids[x])
		}
		lex[w] = e
	}
	size := 1
	for size < 2*len(lex) {
		size <<= 1
	}
	slots := make([]srcLexSlot, size)
	mask := uint32(size - 1)
	words := make([]string, 0, len(lex))
	for w := range lex {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		h := fnv([]byte(w))
		i := h & mask
		for slots[i].used {
			i = (i + 1) & mask
		}
		slots[i] = srcLexSlot{hash: h, word: w, entry: lex[w], used: true}
	}
	return slots
}

// wordFlags is everything the detectors ask about a word by its number.
func wordFlags(rs *ruleSet) []uint16 {
	f := make([]uint16, len(rs.words))
	kind := func(k uint8, ws ...string) {
		for _, w := range ws {
			if id, ok := rs.ids[w]; ok {
				f[id] = f[id]&^wKindMask | uint16(k)
			}
		}
	}
	kind(kindNegator, "not", "never")
	kind(kindNo, "no")
	kind(kindStop, "if", "when", "unless", "because", "so", "and", "but", "then", "once", "until")
	kind(kindUnable, "unable")
	kind(kindAble, "able", "going", "be")
	for k, m := range modes {
		for w := range modeWords.Get()[m].words() {
			if id := rs.ids[w]; id != 0 {
				f[id] |= 1 << (wModeShift + k)
			}
		}
	}
	set := func(flag uint16, ws []string, zero bool) {
		for _, w := range ws {
			if id := rs.ids[w]; id != 0 || zero {
				f[id] |= flag
			}
		}
	}
	var inter []string
	for w := range interjections.Get() {
		inter = append(inter, w)
	}
	set(wInterjection, inter, false)
	set(wTitle, titleWords[:], false)
	// A name frame whose first word were not in the vocabulary would start
	// at every unknown word, as the detector read it before: keep that.
	var frames []string
	for _, fr := range nameFrameWords {
		frames = append(frames, strings.Fields(fr.words)[0])
	}
	set(wNameFrame, frames, true)
	set(wFeel, classes.Get()["feel"], false)
	set(wLoss, classes.Get()["loss"], false)
	set(wOrg, strings.Fields(orgNameWords), false)
	set(wStopword, slices.Sorted(maps.Keys(stopwords.words())), false)
	set(wVerb, slices.Sorted(maps.Keys(statementVerbs.words())), false)
	for id, b := range rs.byID {
		if b != nil {
			f[id] |= wStarts
		}
	}
	for _, k := range rs.pairs.keys {
		if k != 0 {
			f[k>>16] |= wPairs
		}
	}
	return f
}

// renderTables encodes a compiled rule set as the Go source of
// tables_gen.go.
func renderTables(rs *ruleSet) ([]byte, error) {
	// Lists of rules live in one array; a list that is already there (a
	// class of third words all lead to the same rules) is shared.
	var refs []uint16
	listAt := map[string]uint32{}
	list := func(rules []*rule) (uint32, uint16) {
		ns := make([]uint16, len(rules))
		for i, r := range rules {
			ns[i] = uint16(r.order)
		}
		key := fmt.Sprint(ns)
		off, ok := listAt[key]
		if !ok {
			off = uint32(len(refs))
			listAt[key] = off
			refs = append(refs, ns...)
		}
		return off, uint16(len(rules))
	}

	// Words and their flags, and the rules that start with each word and
	// go on with any word.
	var text strings.Builder
	vocabOff := make([]uint32, 0, len(rs.words)+1)
	for _, w := range rs.words {
		vocabOff = append(vocabOff, uint32(text.Len()))
		text.WriteString(w)
	}
	vocabOff = append(vocabOff, uint32(text.Len()))
	flags := wordFlags(rs)
	if len(rs.words) >= noWord {
		return nil, fmt.Errorf("%d words: the vocabulary must leave %d free", len(rs.words), noWord)
	}
	words := make([]wordInfo, len(rs.words))
	for id := range rs.words {
		words[id].flags = flags[id]
		if b := rs.byID[id]; b != nil {
			words[id].anyOff, words[id].anyN = list(b.any)
		}
	}

	// Rules and their elements.
	var ids []BehaviorID
	behIndex := map[BehaviorID]uint8{}
	var elems []celem
	var bits []uint64
	bitsAt := map[string]uint32{}
	var seqs []uint16
	rules := make([]crule, len(rs.all))
	for n := range rs.all {
		r := &rs.all[n]
		if r.order != n {
			return nil, fmt.Errorf("rule %d is numbered %d", n, r.order)
		}
		b, ok := behIndex[r.id]
		if !ok {
			b = uint8(len(ids))
			behIndex[r.id] = b
			ids = append(ids, r.id)
		}
		cr := crule{beh: b, strength: int8(r.strength), nelem: uint8(len(r.pat.elems)), elem: uint16(len(elems))}
		for _, f := range []struct {
			on   bool
			flag uint8
		}{{r.cap, fCap}, {r.cue, fCue}, {r.pat.noNeg, fNoNeg}, {r.pat.sentence, fSentence}, {r.pat.firstKnown, fFirstKnown}} {
			if f.on {
				cr.flags |= f.flag
			}
		}
		rules[n] = cr
		for _, e := range r.pat.elems {
			ce := celem{kind: e.kind, gap: uint8(e.gap), nsmall: e.nsmall, small: e.small}
			if e.opt {
				ce.flags |= elemOpt
			}
			if e.first {
				ce.flags |= elemFirst
			}
			if e.nsmall == 0 && len(e.bits) > 0 {
				lo, hi := 0, len(e.bits)
				for lo < hi && e.bits[lo] == 0 {
					lo++
				}
				for hi > lo && e.bits[hi-1] == 0 {
					hi--
				}
				set := e.bits[lo:hi]
				key := fmt.Sprint(set)
				at, ok := bitsAt[key]
				if !ok {
					at = uint32(len(bits))
					bitsAt[key] = at
					bits = append(bits, set...)
				}
				ce.bitsLo, ce.bitsN, ce.bits = uint16(lo), uint16(hi-lo), at
			}
			ce.seq, ce.nseq = uint32(len(seqs)), uint16(len(e.seqIDs))
			for _, s := range e.seqIDs {
				seqs = append(seqs, uint16(len(s)))
				seqs = append(seqs, s...)
			}
			elems = append(elems, ce)
		}
	}

	// The table of word pairs.
	pt := rs.pairs
	slots := make([]pairSlot, len(pt.keys))
	for h, k := range pt.keys {
		if k != 0 {
			slots[h] = pairSlot{key: k, pair: uint32(pt.entries[h])}
		}
	}
	var pairs []cpair
	var thirds []cthird
	for _, pe := range pt.pairs {
		var cp cpair
		cp.anyOff, cp.anyN = list(pe.any)
		cp.third, cp.thirdN = uint32(len(thirds)), uint16(len(pe.thirds))
		for k, t := range pe.thirds {
			off, n := list(pe.byThrd[k])
			thirds = append(thirds, cthird{id: t, n: n, list: off})
		}
		pairs = append(pairs, cp)
	}

	// The tokenizer's lexicon.
	var lexExp []uint16
	src := compileLexicon(rs.ids)
	lex := make([]lexSlot, len(src))
	lexHash := make([]uint32, len(src))
	for i, s := range src {
		if !s.used {
			continue
		}
		lexHash[i] = s.hash | 1
		ls := lexSlot{keyLen: uint8(len(s.word))}
		if id, ok := rs.ids[s.word]; ok {
			ls.key = uint16(vocabOff[id])
		} else {
			ls.key = uint16(text.Len())
			text.WriteString(s.word)
		}
		if text.Len() >= 1<<16 {
			return nil, fmt.Errorf("the words take %d bytes, more than a lexicon key can address", text.Len())
		}
		if s.entry.turn {
			ls.flags |= lexTurn
		}
		if s.entry.exp == nil {
			ls.id = s.entry.id
		} else {
			ls.id = rs.ids[s.word]
			ls.exp, ls.nexp = uint16(len(lexExp)), uint8(len(s.entry.exp))
			lexExp = append(lexExp, s.entry.exp...)
		}
		lex[i] = ls
	}

	var out bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&out, format, args...) }
	p("// Code generated by `go test -run ^TestTablesUpToDate$ -update` (go generate); DO NOT EDIT.\n\n")
	p("package reader\n\n")
	p("// The compiled rules: %d words, %d rules, %d elements, %d pairs of words.\n", len(rs.words)-1, len(rules), len(elems), len(pairs))
	p("const (\n\tidNum uint16 = %d\n\tidPct uint16 = %d\n\tidI uint16 = %d\n\tidWill uint16 = %d\n\tpairShift = %d\n)\n\n",
		rs.ids["#num"], rs.ids["#pct"], rs.ids["i"], rs.ids["will"], pt.shift)
	p("var ruleIDs = [...]BehaviorID{")
	for _, id := range ids {
		p("%q, ", id)
	}
	p("}\n\n")
	p("const wordText = %q\n\n", text.String())
	nums(&out, "vocabOff", "uint32", vocabOff)
	structs(&out, "wordTab", "wordInfo", words, func(w wordInfo) string {
		return fmt.Sprintf("{%d, %d, %d}", w.flags, w.anyN, w.anyOff)
	})
	structs(&out, "ruleTab", "crule", rules, func(r crule) string {
		return fmt.Sprintf("{%d, %d, %d, %d, %d}", r.beh, r.strength, r.flags, r.nelem, r.elem)
	})
	structs(&out, "elemTab", "celem", elems, func(e celem) string {
		return fmt.Sprintf("{%d, %d, %d, %d, [4]uint16{%d, %d, %d, %d}, %d, %d, %d, %d, %d}",
			e.kind, e.flags, e.gap, e.nsmall, e.small[0], e.small[1], e.small[2], e.small[3], e.bitsLo, e.bitsN, e.bits, e.seq, e.nseq)
	})
	nums(&out, "bitsTab", "uint64", bits)
	nums(&out, "seqTab", "uint16", seqs)
	nums(&out, "ruleRefs", "uint16", refs)
	structs(&out, "pairSlots", "pairSlot", slots, func(s pairSlot) string { return fmt.Sprintf("{%d, %d}", s.key, s.pair) })
	structs(&out, "pairTab", "cpair", pairs, func(c cpair) string {
		return fmt.Sprintf("{%d, %d, %d, %d}", c.anyOff, c.third, c.anyN, c.thirdN)
	})
	structs(&out, "thirdTab", "cthird", thirds, func(c cthird) string { return fmt.Sprintf("{%d, %d, %d}", c.id, c.n, c.list) })
	nums(&out, "lexHash", "uint32", lexHash)
	structs(&out, "lexSlots", "lexSlot", lex, func(s lexSlot) string {
		return fmt.Sprintf("{%d, %d, %d, %d, %d, %d}", s.key, s.id, s.exp, s.keyLen, s.nexp, s.flags)
	})
	nums(&out, "lexExp", "uint16", lexExp)
	return format.Source(out.Bytes())
}

func nums[T uint16 | uint32 | uint64](out *bytes.Buffer, name, typ string, xs []T) {
	fmt.Fprintf(out, "var %s = [...]%s{", name, typ)
	for i, x := range xs {
		if i%16 == 0 {
			out.WriteString("\n")
		}
		fmt.Fprintf(out, "%d, ", x)
	}
	out.WriteString("\n}\n\n")
}

func structs[T any](out *bytes.Buffer, name, typ string, xs []T, f func(T) string) {
	fmt.Fprintf(out, "var %s = [...]%s{\n", name, typ)
	for _, x := range xs {
		out.WriteString(f(x))
		out.WriteString(",\n")
	}
	out.WriteString("}\n\n")
}
