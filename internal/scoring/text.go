package scoring

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A token is one normalised word of a response. Contractions expand into
// several tokens that share the span of the original word ("don't" becomes
// "do" + "not", both pointing at "don't"), so a rule can be written once in
// full words and the evidence it reports is still the exact original text.
type token struct {
	// w is the lower-case, normalised word when it belongs to the rules'
	// vocabulary, and "" otherwise: unknown words still hold a place (gaps
	// and wildcards can span them) without costing an allocation.
	w string
	// start and end are the byte span of the original word.
	start, end int
	// sent and clause number the sentence and clause the word is in. A
	// clause ends at a comma, semicolon, colon, dash or bracket, and a new one
	// starts at "but"/"however"/"although".
	sent, clause int
	// first is true for the first token of a sentence.
	first bool
	// upper is true when the original word starts with an upper-case letter;
	// allCaps when it has two or more letters, all upper case.
	upper, allCaps bool
	// after is the punctuation right after the word (0 when another word
	// follows directly): one of , . ? ! ; : and '-' for a dash.
	after byte
}

// maxTokens bounds the work done on one response. A spoken turn of more than
// a few hundred words is not a turn; the rest is ignored rather than letting
// untrusted input cost unbounded time.
const maxTokens = 400

// contractions maps contracted words (apostrophes normalised to ') to their
// expansion. Forms typed without the apostrophe in chat ("dont", "im") are
// included where they are not also ordinary words.
var contractions = map[string][]string{
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

// sSubjects are the words whose "'s" means "is" (or "has") rather than a
// possessive: "it's", "that's", "there's".
var sSubjects = map[string]bool{
	"it": true, "that": true, "there": true, "here": true, "what": true, "who": true,
	"he": true, "she": true, "this": true, "where": true, "how": true, "when": true,
	"everything": true, "nothing": true, "something": true, "everyone": true,
	"everybody": true, "someone": true, "somebody": true, "nobody": true, "name": true,
}

// suffixes are the contracted endings after a pronoun or noun.
var suffixes = []struct{ suf, word string }{
	{"n't", "not"}, {"'m", "am"}, {"'re", "are"}, {"'ve", "have"}, {"'ll", "will"}, {"'d", "would"},
}

// tokenizer turns a response into tokens. vocab holds every word the rules
// mention; words outside it are kept as placeholders.
type tokenizer struct {
	vocab map[string]string
}

// isWordRune reports whether r is part of a word.
func isWordRune(r rune) bool {
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
func (tz *tokenizer) tokenize(dst []token, s string) []token {
	var buf [64]byte
	sent, clause := 0, 0
	newSent := true
	i := 0
	for i < len(s) && len(dst) < maxTokens {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
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
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			r = normApostrophe(r)
			if isWordRune(r) {
				j += size
				continue
			}
			if (r == '\'' || r == '&') && j+size < len(s) {
				nr, _ := utf8.DecodeRuneInString(s[j+size:])
				if unicode.IsLetter(nr) {
					j += size
					continue
				}
			}
			if (r == '.' || r == ':' || r == ',') && j > start && j+1 < len(s) && isDigit(s[j-1]) && isDigit(s[j+1]) {
				j++
				continue
			}
			if r == '%' && j > start && isDigit(s[j-1]) {
				j++
			}
			break
		}
		word := s[start:j]
		lw := lowerInto(buf[:0], word)
		first, _ := utf8.DecodeRuneInString(word)
		upper := unicode.IsUpper(first)
		allCaps := upper && isAllCaps(word)
		if string(lw) == "but" || string(lw) == "however" || string(lw) == "although" || string(lw) == "though" {
			if !newSent && len(dst) > 0 && dst[len(dst)-1].clause == clause {
				clause++
			}
		}
		add := func(w string) {
			dst = append(dst, token{
				w: w, start: start, end: j, sent: sent, clause: clause,
				first: newSent, upper: upper, allCaps: allCaps,
			})
			newSent = false
		}
		if len(lw) > 0 && isDigit(lw[0]) {
			if lw[len(lw)-1] == '%' {
				add("#pct")
			} else {
				add("#num")
			}
		} else if string(lw) == "ill" && (len(dst) == 0 || newSent || dst[len(dst)-1].clause != clause) {
			// "ill get it sorted": chat shorthand for "I'll" at the start of
			// a clause, where "ill" (unwell) cannot stand.
			add(tz.vocab["i"])
			add(tz.vocab["will"])
		} else if exp, ok := contractions[string(lw)]; ok {
			for _, w := range exp {
				add(tz.vocab[w])
			}
		} else if base, suf, ok := splitContraction(lw); ok {
			if string(base) != "" {
				add(tz.word(base))
			}
			if suf != "" {
				add(tz.word([]byte(suf)))
			}
		} else {
			add(tz.word(lw))
		}
		i = j
	}
	return dst
}

// splitContraction splits "you're" into "you" + "are", "it's" into "it" +
// "is" and a possessive "Sam's" into "sam". ok is false for a word without an
// apostrophe.
func splitContraction(w []byte) (base []byte, suf string, ok bool) {
	k := strings.LastIndexByte(string(w), '\'')
	if k < 0 {
		return nil, "", false
	}
	for _, s := range suffixes {
		if strings.HasSuffix(string(w), s.suf) {
			base := w[:len(w)-len(s.suf)]
			if s.suf == "n't" {
				// "doesn't" → "does" "not"; "needn't" → "need" "not".
				return base, s.word, true
			}
			return base, s.word, true
		}
	}
	if strings.HasSuffix(string(w), "'s") {
		base := w[:len(w)-2]
		if sSubjects[string(base)] {
			return base, "is", true
		}
		return base, "", true
	}
	// Any other apostrophe ("o'clock", "O'Neill") is part of the word.
	return w, "", true
}

// word returns the interned vocabulary word for lw, or "" when the rules
// never mention it. Looking up with string(lw) does not allocate.
func (tz *tokenizer) word(lw []byte) string {
	if w, ok := tz.vocab[string(lw)]; ok {
		return w
	}
	return ""
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

// abbreviations whose full stop does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "mx": true, "st": true,
	"e.g": true, "i.e": true, "etc": true, "vs": true,
}

// abbreviation reports whether the full stop after the last token belongs to
// an abbreviation such as "Mrs." or is part of an ellipsis.
func abbreviation(s string, last *token) bool {
	if last.end < len(s) && last.end+1 < len(s) && s[last.end] == '.' && s[last.end+1] == '.' {
		return true // an ellipsis is a pause, not a full stop
	}
	if last.end >= 1 && last.end < len(s) && s[last.end] == '.' && last.end >= 2 && s[last.end-1] == '.' {
		return true
	}
	var buf [8]byte
	word := s[last.start:last.end]
	if len(word) > len(buf) {
		return false
	}
	return abbreviations[string(lowerInto(buf[:0], word))]
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
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			r = normApostrophe(r)
			if isWordRune(r) || (r == '\'' && j+size < len(s)) {
				j += size
				continue
			}
			break
		}
		buf = lowerInto(buf[:0], s[i:j])
		if exp, ok := contractions[string(buf)]; ok {
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
