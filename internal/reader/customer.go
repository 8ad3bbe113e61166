package reader

import "strings"

// SoundsUpset reports whether a customer's line says something went wrong
// or how they feel about it: a feeling word, a problem word or an
// exclamation mark.
func SoundsUpset(customer string) bool {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.ctoks = tokenize(sc.ctoks[:0], customer)
	sc.lastCustomer = "" // ctoks no longer hold the mode's line
	for _, t := range sc.ctoks {
		switch w := t.word(); {
		case wordIs(t.id, wFeel) && w != "let" && w != "fed" && w != "lost":
			return true
		case problemWords.has(w):
			return true
		}
	}
	return strings.Contains(customer, "!")
}

// problemWords in a customer's line say something went wrong.
var problemWords = lazySet("wrong broken still again never late missing refund charged twice complaint " +
	"damaged faulty cancelled lost overcharged mistake error ridiculous useless joke")

// SentenceEnds returns the byte offset where each sentence of text ends.
func SentenceEnds(text string) []int {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.toks = tokenize(sc.toks[:0], text)
	var ends []int
	for i, t := range sc.toks {
		if i+1 == len(sc.toks) || sc.toks[i+1].sent != t.sent {
			ends = append(ends, int(t.end))
		}
	}
	return ends
}
