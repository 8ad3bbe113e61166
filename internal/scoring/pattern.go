package scoring

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Patterns are written in a small language over normalised words, compiled
// once at package init:
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
	seqs  [][]string
	set   map[string]struct{}
	opt   bool
	first bool
	gap   int
}

func (e *elem) has(w string) bool {
	if w == "" {
		return false
	}
	if e.set != nil {
		_, ok := e.set[w]
		return ok
	}
	for _, x := range e.words {
		if x == w {
			return true
		}
	}
	return false
}

type pattern struct {
	src   string
	elems []elem
	noNeg bool
	// sentence widens a cap rule from the words it matched to the whole
	// sentence it is in.
	sentence bool
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
			if len(e.words) > 8 {
				e.set = make(map[string]struct{}, len(e.words))
				for _, w := range e.words {
					e.set[w] = struct{}{}
				}
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
var interjections = map[string]bool{
	"oh": true, "well": true, "so": true, "um": true, "uh": true, "er": true, "ah": true,
	"okay": true, "right": true, "yes": true, "yeah": true, "and": true, "hi": true,
	"hello": true, "hey": true, "look": true, "now": true, "alright": true, "please": true,
}

func isNegator(w string) bool { return w == "not" || w == "never" }

func clauseFirst(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if toks[j].clause != toks[i].clause {
			return true
		}
		if !interjections[toks[j].w] {
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

// matchAt tries the pattern at token i and returns the end (exclusive) of
// the shortest match.
func (p *pattern) matchAt(toks []token, i int) (int, bool) {
	return matchElems(p.elems, toks, i, toks[i].sent)
}

func matchElems(el []elem, toks []token, pos, sent int) (int, bool) {
	if len(el) == 0 {
		return pos, true
	}
	e := &el[0]
	switch e.kind {
	case eWord, eAny:
		if pos < len(toks) && toks[pos].sent == sent &&
			(e.kind == eAny || e.has(toks[pos].w)) &&
			(!e.first || clauseFirst(toks, pos)) {
			if end, ok := matchElems(el[1:], toks, pos+1, sent); ok {
				return end, true
			}
		}
		if e.opt {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	case eSeq:
		if pos < len(toks) && (!e.first || clauseFirst(toks, pos)) {
		alts:
			for _, seq := range e.seqs {
				if pos+len(seq) > len(toks) {
					continue
				}
				for k, w := range seq {
					if toks[pos+k].w != w || toks[pos+k].sent != sent {
						continue alts
					}
				}
				if end, ok := matchElems(el[1:], toks, pos+len(seq), sent); ok {
					return end, true
				}
			}
		}
		if e.opt {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	case eGap:
		for k := 0; k <= e.gap; k++ {
			// A gap never skips a negation: "I can ~4 manager" must not
			// match "I can not get a manager".
			if k > 0 && (pos+k > len(toks) || toks[pos+k-1].sent != sent || isNegator(toks[pos+k-1].w)) {
				break
			}
			if end, ok := matchElems(el[1:], toks, pos+k, sent); ok {
				return end, true
			}
		}
		return 0, false
	case eEnd:
		if clauseEnd(toks, pos) {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	case eQuestion:
		if isQuestion(toks, pos-1) {
			return matchElems(el[1:], toks, pos, sent)
		}
		return 0, false
	}
	return 0, false
}

// rule is one compiled pattern that shows (or caps) a behaviour.
type rule struct {
	id       BehaviorID
	strength int
	pat      *pattern
	// cap rules do not show a behaviour: a detection of id overlapping a
	// cap match is limited to strength (0 removes it).
	cap bool
}

// ruleSet indexes rules by their first word.
type ruleSet struct {
	byWord map[string][]*rule
	wild   []*rule
	vocab  map[string]string
}

func (rs *ruleSet) add(r *rule) {
	e := &r.pat.elems[0]
	if e.kind != eWord && e.kind != eSeq {
		rs.wild = append(rs.wild, r)
		return
	}
	seen := map[string]bool{}
	for _, w := range e.words {
		if !seen[w] {
			seen[w] = true
			rs.byWord[w] = append(rs.byWord[w], r)
		}
	}
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
	rs := &ruleSet{byWord: map[string][]*rule{}, vocab: map[string]string{}}
	addVocab := func(w string) {
		if _, ok := rs.vocab[w]; !ok {
			rs.vocab[w] = w
		}
	}
	compile := func(defs []ruleDef, isCap bool) {
		for _, d := range defs {
			pats, err := compilePattern(d.src, classes)
			if err != nil {
				panic(err)
			}
			for _, p := range pats {
				rs.add(&rule{id: d.id, strength: d.strength, pat: p, cap: isCap})
				for _, e := range p.elems {
					for _, w := range e.words {
						addVocab(w)
					}
					for _, seq := range e.seqs {
						for _, w := range seq {
							addVocab(w)
						}
					}
				}
			}
		}
	}
	compile(shows, false)
	compile(caps, true)
	// Class words are vocabulary even when only custom detectors use them.
	names := make([]string, 0, len(classes))
	for n := range classes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, w := range classes[n] {
			addVocab(w)
		}
	}
	for _, w := range extraVocab {
		addVocab(w)
	}
	for _, exp := range contractions {
		for _, w := range exp {
			addVocab(w)
		}
	}
	for _, s := range suffixes {
		addVocab(s.word)
	}
	addVocab("is")
	return rs
}
