package reader

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/lazy"
)

// A token is one normalised word of a response. Contractions expand into
// several tokens that share the span of the original word ("don't" becomes
// "do" + "not", both pointing at "don't"), so a rule can be written once in
// full words and the evidence it reports is still the exact original text.
type token struct {
	// id is the word's number in the rules' vocabulary, 0 for a word the
	// rules never mention: unknown words still hold a place (gaps and
	// wildcards can span them) without costing an allocation. word()
	// gives the normalised word.
	id uint16
	// start and end are the byte span of the original word.
	start, end int32
	// sent and clause number the sentence and clause the word is in. A
	// clause ends at a comma, semicolon, colon, dash or bracket, and a new one
	// starts at "but"/"however"/"although".
	sent, clause int32
	// first is true for the first token of a sentence.
	first bool
	// upper is true when the original word starts with an upper-case letter;
	// allCaps when it has two or more letters, all upper case.
	upper, allCaps bool
	// after is the punctuation right after the word (0 when another word
	// follows directly): one of , . ? ! ; : and '-' for a dash.
	after byte
}

// word returns the token's normalised word, or "" for a word the rules
// never mention.
func (t *token) word() string { return vocabWord(t.id) }

// maxTokens bounds the work done on one response. A spoken turn of more than
// a few hundred words is not a turn; the rest is ignored rather than letting
// untrusted input cost unbounded time.
const maxTokens = 400

// contractions maps contracted words (apostrophes normalised to ') to their
// expansion. Forms typed without the apostrophe in chat ("dont", "im") are
// included where they are not also ordinary words.
var contractions = lazy.Value[map[string][]string]{New: func() map[string][]string {
	return map[string][]string{
		"can't": {"can", "not"}, "cannot": {"can", "not"}, "cant": {"can", "not"},
		"won't": {"will", "not"}, "wont": {"will", "not"}, "shan't": {"shall", "not"},
		"ain't": {"is", "not"}, "dont": {"do", "not"}, "didnt": {"did", "not"},
		"doesnt": {"does", "not"}, "isnt": {"is", "not"}, "wasnt": {"was", "not"},
		"arent": {"are", "not"}, "couldnt": {"could", "not"}, "wouldnt": {"would", "not"},
		"shouldnt": {"should", "not"}, "havent": {"have", "not"}, "hasnt": {"has", "not"},
		"im": {"i", "am"}, "ive": {"i", "have"}, "youre": {"you", "are"},
		"youve": {"you", "have"}, "youll": {"you", "will"}, "thats": {"that", "is"},
		"theres": {"there", "is"}, "whats": {"what", "is"}, "let's": {"let", "us"},
		"lets": {"let", "us"}, "gonna": {"going", "to"}, "wanna": {"want", "to"},
		"gotta": {"got", "to"}, "ok": {"okay"}, "y'all": {"you"}, "ya": {"you"},
		"u": {"you"}, "ur": {"your"}, "pls": {"please"}, "plz": {"please"},
		"thx": {"thanks"}, "ty": {"thank", "you"}, "tysm": {"thank", "you", "so", "much"},
		"apologize": {"apologise"}, "apologizes": {"apologises"}, "apologized": {"apologised"},
		"apologizing": {"apologising"}, "apologies": {"apologies"},
		"realize": {"realise"}, "realized": {"realised"}, "recognize": {"recognise"},
		"prioritize": {"prioritise"}, "organize": {"organise"}, "authorize": {"authorise"},
		"authorized": {"authorised"}, "emphasize": {"emphasise"}, "sympathize": {"sympathise"},
		"summarize": {"summarise"}, "customize": {"customise"},
		"mum": {"mom"}, "mam": {"maam"}, "ma'am": {"maam"},
	}
}}

// sSubject reports whether w is a word whose "'s" means "is" (or "has")
// rather than a possessive: "it's", "that's", "there's".
func sSubject(w []byte) bool {
	switch string(w) {
	case "it", "that", "there", "here", "what", "who",
		"he", "she", "this", "where", "how", "when",
		"everything", "nothing", "something", "everyone",
		"everybody", "someone", "somebody", "nobody", "name":
		return true
	}
	return false
}

// suffixes are the contracted endings after a pronoun or noun.
var suffixes = [...]struct{ suf, word string }{
	{"n't", "not"}, {"'m", "am"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"}, {"'d", "would"},
}

// suffixIDs are the vocabulary numbers of the suffixes' words, and of
// "is", in the order of suffixes: a contraction is split in every other
// line, and looking them up each time cost more than the split.
var suffixIDs = lazy.Value[*[len(suffixes) + 1]uint16]{New: func() *[len(suffixes) + 1]uint16 {
	var ids [len(suffixes) + 1]uint16
	for k, s := range suffixes {
		ids[k] = vocabID(s.word)
	}
	ids[len(suffixes)] = vocabID("is")
	return &ids
}}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnv(b []byte) uint32 {
	h := uint32(fnvOffset)
	for _, c := range b {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

// IsWordRune reports whether r is part of a word.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// normApostrophe maps the typographic apostrophes and quotes to '.
func normApostrophe(r rune) rune {
	switch r {
	case '’', '‘', 'ʼ', '`', '´', '′':
		return '\''
	}
	return r
}

// tokenize splits s into tokens, appending to dst (which it may reuse).
// Case, curly quotes and contractions are normalised here; everything else
// in the model works on full lower-case words.
func tokenize(dst []token, s string) []token {
	var buf [64]byte
	var sent, clause int32
	newSent := true
	i := 0
	for i < len(s) && len(dst) < maxTokens {
		if s[i] == ' ' {
			i++ // the commonest character, and never anything but a gap
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		// A word starts at a letter or digit. An apostrophe-like letter
		// ('ʼ', U+02BC) is normalised to ' first, as inside a word: on its
		// own it starts nothing, and would otherwise make an empty word.
		if !IsWordRune(normApostrophe(r)) {
			// Punctuation: mark the previous token and advance boundaries.
			p := punct(s, i, r)
			if p != 0 && len(dst) > 0 {
				last := &dst[len(dst)-1]
				if last.after == 0 || p == '.' || p == '?' || p == '!' {
					last.after = p
				}
				switch p {
				case '.', '?', '!':
					if !abbreviation(s, last) {
						sent++
						clause++
						newSent = true
					}
				case ',', ';', ':', '-':
					clause++
				}
			}
			if r == '\n' && len(dst) > 0 && !newSent {
				sent++
				clause++
				newSent = true
			}
			i += size
			continue
		}
		// A word: letters and digits joined by apostrophes, '&' ("T&Cs"), a
		// digit separator ("3.5", "10:30") or a trailing '%'.
		start := i
		j := i
		// An ASCII word is lower-cased and hashed as it is scanned, as
		// lowerHash would; a word with other letters is done again below.
		lw, h := buf[:0], uint32(fnvOffset)
		ascii := true
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				// ASCII fast path; the general loop below handles the rest.
				if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
					lw = append(lw, c)
					h = (h ^ uint32(c)) * fnvPrime
					j++
					continue
				}
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
					lw = append(lw, c)
					h = (h ^ uint32(c)) * fnvPrime
					j++
					continue
				}
				if c != '\'' && c != '&' && c != '.' && c != ':' && c != ',' && c != '%' {
					break
				}
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			r = normApostrophe(r)
			if IsWordRune(r) {
				ascii = false // ASCII letters and digits took the fast path
				j += size
				continue
			}
			if (r == '\'' || r == '&') && j+size < len(s) {
				nr, _ := utf8.DecodeRuneInString(s[j+size:])
				if unicode.IsLetter(nr) {
					if size == 1 {
						lw = append(lw, s[j])
						h = (h ^ uint32(s[j])) * fnvPrime
					} else {
						ascii = false
					}
					j += size
					continue
				}
			}
			if (r == '.' || r == ':' || r == ',') && j > start && j+1 < len(s) && isDigit(s[j-1]) && isDigit(s[j+1]) {
				lw = append(lw, s[j])
				h = (h ^ uint32(s[j])) * fnvPrime
				j++
				continue
			}
			if r == '%' && j > start && isDigit(s[j-1]) {
				lw = append(lw, s[j])
				h = (h ^ uint32(s[j])) * fnvPrime
				j++
			}
			break
		}
		word := s[start:j]
		if !ascii {
			lw, h = lowerHash(buf[:0], word)
		}
		upper := 'A' <= word[0] && word[0] <= 'Z'
		if word[0] >= utf8.RuneSelf {
			first, _ := utf8.DecodeRuneInString(word)
			upper = unicode.IsUpper(first)
		}
		allCaps := upper && isAllCaps(word)
		entry, known := lexGet(lw, h)
		if known && entry.flags&lexTurn != 0 && !newSent && len(dst) > 0 && dst[len(dst)-1].clause == clause {
			clause++ // "but", "however": a new clause
		}
		// The word's numbers: one, or several for a contraction.
		var idBuf [4]uint16
		ids := idBuf[:0]
		switch {
		case len(lw) > 0 && isDigit(lw[0]):
			if lw[len(lw)-1] == '%' {
				ids = append(ids, idPct)
			} else {
				ids = append(ids, idNum)
			}
		case known && entry.nexp == 0:
			ids = append(ids, entry.id)
		case known:
			ids = append(ids, lexExp[entry.exp:entry.exp+uint16(entry.nexp)]...)
		case string(lw) == "ill" && (len(dst) == 0 || newSent || dst[len(dst)-1].clause != clause):
			// "ill get it sorted": chat shorthand for "I'll" at the start of
			// a clause, where "ill" (unwell) cannot stand.
			ids = append(ids, idI, idWill)
		default:
			if base, k, ok := splitAt(lw); ok {
				if len(base) > 0 {
					ids = append(ids, lexWord(base))
				}
				if k >= 0 {
					ids = append(ids, suffixIDs.Get()[k])
				}
			} else {
				ids = append(ids, 0)
			}
		}
		for _, id := range ids {
			dst = append(dst, token{
				id: id, start: int32(start), end: int32(j), sent: sent, clause: clause,
				first: newSent, upper: upper, allCaps: allCaps,
			})
			newSent = false
		}
		i = j
	}
	return dst
}

// splitContraction splits "you're" into "you" + "are", "it's" into "it" +
// "is" and a possessive "Sam's" into "sam". ok is false for a word without an
// apostrophe.
func splitContraction(w []byte) (base []byte, suf string, ok bool) {
	base, k, ok := splitAt(w)
	switch {
	case !ok:
		return nil, "", false
	case k == isSuffix:
		return base, "is", true
	case k >= 0:
		return base, suffixes[k].word, true
	}
	return base, "", true
}

// isSuffix is splitAt's k for an "'s" that means "is".
const isSuffix = len(suffixes)

// splitAt is splitContraction by number: k is the index in suffixes of the
// ending split off, isSuffix for an "'s" that means "is", or -1 when nothing
// but a possessive "'s" (or nothing at all) follows base.
func splitAt(w []byte) (base []byte, k int, ok bool) {
	a := bytes.LastIndexByte(w, '\'')
	if a < 0 {
		return nil, -1, false
	}
	// The endings all start at the last apostrophe ("n't" one letter
	// before it), so the text after it says which one it is.
	switch string(w[a:]) {
	case "'t":
		if a > 0 && w[a-1] == 'n' {
			// "doesn't" → "does" "not"; "needn't" → "need" "not".
			return w[:a-1], 0, true
		}
	case "'m":
		return w[:a], 1, true
	case "'re":
		return w[:a], 2, true
	case "'ve":
		return w[:a], 3, true
	case "'ll":
		return w[:a], 4, true
	case "'d":
		return w[:a], 5, true
	case "'s":
		if sSubject(w[:a]) {
			return w[:a], isSuffix, true
		}
		return w[:a], -1, true
	}
	// Any other apostrophe ("o'clock", "O'Neill") is part of the word.
	return w, -1, true
}

// word returns the vocabulary number of lw, or 0 when the rules never
// mention it.
func lexWord(lw []byte) uint16 {
	e, ok := lexGet(lw, fnv(lw))
	if !ok {
		return 0
	}
	return e.id
}

// lowerHash is lowerInto that also returns the FNV-1a hash of the result.
func lowerHash(buf []byte, word string) ([]byte, uint32) {
	h := uint32(fnvOffset)
	for k := 0; k < len(word); k++ {
		c := word[k]
		if c >= utf8.RuneSelf {
			buf = lowerInto(buf[:0], word)
			return buf, fnv(buf)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		} else if c == '`' {
			c = '\''
		}
		buf = append(buf, c)
		h = (h ^ uint32(c)) * fnvPrime
	}
	return buf, h
}

// lowerInto writes the lower-case form of word into buf, with typographic
// apostrophes replaced by '.
func lowerInto(buf []byte, word string) []byte {
	for _, r := range word {
		r = normApostrophe(r)
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			buf = append(buf, byte(r))
			continue
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
	}
	return buf
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isAllCaps(word string) bool {
	letters := 0
	for _, r := range word {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// punct classifies the punctuation rune at s[i]. A hyphen counts as a dash
// only with space around it ("late - again"), so "follow-up" stays one
// clause.
func punct(s string, i int, r rune) byte {
	switch r {
	case ',', ';', ':', '.', '?', '!':
		return byte(r)
	case '…':
		return ','
	case '—', '–', '(', ')':
		return '-'
	case '-':
		if i > 0 && s[i-1] == ' ' {
			return '-'
		}
	}
	return 0
}

// isAbbreviation reports whether a lower-case word's full stop does not
// end a sentence ("Mrs.", "etc.").
func isAbbreviation(w []byte) bool {
	switch string(w) {
	case "mr", "mrs", "ms", "dr", "mx", "st", "e.g", "i.e", "etc", "vs":
		return true
	}
	return false
}

// abbreviation reports whether the full stop after the last token belongs to
// an abbreviation such as "Mrs." or is part of an ellipsis.
func abbreviation(s string, last *token) bool {
	end := int(last.end)
	if end < len(s) && end+1 < len(s) && s[end] == '.' && s[end+1] == '.' {
		return true // an ellipsis is a pause, not a full stop
	}
	if end >= 2 && end < len(s) && s[end] == '.' && s[end-1] == '.' {
		return true
	}
	var buf [8]byte
	word := s[last.start:last.end]
	if len(word) > 3 {
		return false // every abbreviation is short
	}
	return isAbbreviation(lowerInto(buf[:0], word))
}

// plainWords returns the lower-case words of s, contractions expanded, for
// wording similarity (free-text matching). Unlike tokenize it keeps every
// word.
func plainWords(s string) []string {
	var out []string
	var buf []byte
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsWordRune(normApostrophe(r)) { // as in tokenize: 'ʼ' starts no word
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			r = normApostrophe(r)
			if IsWordRune(r) || (r == '\'' && j+size < len(s)) {
				j += size
				continue
			}
			break
		}
		buf = lowerInto(buf[:0], s[i:j])
		if exp, ok := contractions.Get()[string(buf)]; ok {
			out = append(out, exp...)
		} else if base, suf, ok := splitContraction(buf); ok {
			if len(base) > 0 {
				out = append(out, string(base))
			}
			if suf != "" {
				out = append(out, suf)
			}
		} else {
			out = append(out, string(buf))
		}
		i = j
	}
	return out
}
