package reader

import (
	"strings"
	"testing"
)

// splitReference is splitContraction as first written, suffix by suffix.
func splitReference(w []byte) (base []byte, suf string, ok bool) {
	if strings.LastIndexByte(string(w), '\'') < 0 {
		return nil, "", false
	}
	for _, s := range suffixes {
		if strings.HasSuffix(string(w), s.suf) {
			return w[:len(w)-len(s.suf)], s.word, true
		}
	}
	if strings.HasSuffix(string(w), "'s") {
		base := w[:len(w)-2]
		switch string(base) {
		case "it", "that", "there", "here", "what", "who", "he", "she", "this", "where", "how", "when",
			"everything", "nothing", "something", "everyone", "everybody", "someone", "somebody", "nobody", "name":
			return base, "is", true
		}
		return base, "", true
	}
	return w, "", true
}

// TestSplitContraction: splitting by the text after the last apostrophe
// splits every word as checking each suffix in turn did, for the words
// plainWords (free-text matching, condolences) and tokenize meet.
func TestSplitContraction(t *testing.T) {
	var words []string
	for _, base := range []string{"", "it", "that", "what", "name", "sam", "do", "does", "need", "i", "you", "we", "o", "rock", "n", "ca", "won"} {
		for _, end := range []string{"", "'", "'s", "'t", "n't", "'m", "'re", "'ve", "'ll", "'d", "'clock", "'neill", "'n'roll", "''s", "'s's", "n'"} {
			words = append(words, base+end)
		}
	}
	for _, w := range words {
		gb, gs, gok := splitContraction([]byte(w))
		wb, ws, wok := splitReference([]byte(w))
		if string(gb) != string(wb) || gs != ws || gok != wok {
			t.Errorf("splitContraction(%q) = %q, %q, %v; want %q, %q, %v", w, gb, gs, gok, wb, ws, wok)
		}
		base, k, ok := splitAt([]byte(w))
		id := uint16(0)
		if k >= 0 {
			id = suffixIDs.Get()[k]
		}
		if want := vocabID(ws); ok != wok || string(base) != string(wb) || (ws != "") != (k >= 0) || id != want {
			t.Errorf("splitAt(%q) = %q, %d (word %d), %v; want %q, %q (word %d), %v", w, base, k, id, ok, wb, ws, want, wok)
		}
	}
}
