package cli

import (
	"strconv"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// encoding/json decoded and encoded by reflection, and that was two fifths
// of what `rapport score --jsonl` did per line. The input lines scripts
// write are nearly all one plain shape, and the output always is, so both
// have a direct path here. The input path takes only what it can read
// exactly as encoding/json would and leaves everything else (escapes,
// keys in other cases, repeated or unknown keys, nulls, other types,
// invalid UTF-8, anything after the object) to encoding/json; the output
// path writes what json.Encoder with SetEscapeHTML(false) writes of the
// scoreOutput and scoreError types. FuzzScoreInput and
// TestScoreOutputEncoding hold both to encoding/json.

// plainScoreInput decodes a line that is one JSON object of the input's
// own keys, in lower case and each at most once, with strings free of
// escapes and control characters and whole numbers. ok is false for any
// other line: it is then for encoding/json to decode, or to refuse.
func plainScoreInput(line []byte) (in scoreInput, ok bool) {
	p := jsonScan{b: line}
	p.space()
	if !p.take('{') {
		return in, false
	}
	p.space()
	if p.take('}') {
		p.space()
		return in, p.i == len(p.b)
	}
	var seen uint8
	for {
		key, ok := p.plainString()
		if !ok {
			return in, false
		}
		p.space()
		if !p.take(':') {
			return in, false
		}
		p.space()
		var bit uint8
		switch string(key) {
		case "response":
			s, ok := p.text()
			if !ok {
				return in, false
			}
			in.Response, bit = &s, 1
		case "customer":
			in.Customer, bit = p.textOr(&ok), 2
		case "channel":
			in.Channel, bit = p.textOr(&ok), 4
		case "name":
			in.Name, bit = p.textOr(&ok), 8
		case "mode":
			in.Mode, bit = p.textOr(&ok), 16
		case "turn":
			n, ok := p.integer()
			if !ok {
				return in, false
			}
			in.Turn, bit = &n, 32
		case "anger":
			n, ok := p.integer()
			if !ok {
				return in, false
			}
			in.Anger, bit = &n, 64
		default:
			return in, false
		}
		if !ok || seen&bit != 0 {
			return in, false
		}
		seen |= bit
		p.space()
		if p.take(',') {
			p.space()
			continue
		}
		if !p.take('}') {
			return in, false
		}
		p.space()
		return in, p.i == len(p.b)
	}
}

// jsonScan reads b from i.
type jsonScan struct {
	b []byte
	i int
}

// space skips JSON's whitespace.
func (p *jsonScan) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// take consumes c if it comes next.
func (p *jsonScan) take(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// plainString reads a string of printable ASCII without escapes.
func (p *jsonScan) plainString() ([]byte, bool) {
	if !p.take('"') {
		return nil, false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c < 0x20 || c == '\\' || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// text reads a string without escapes or control characters, in valid
// UTF-8 (which encoding/json keeps as it is).
func (p *jsonScan) text() (string, bool) {
	if !p.take('"') {
		return "", false
	}
	start, ascii := p.i, true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c < 0x20 || c == '\\':
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// textOr is text for a string field, clearing *ok when it cannot read one.
func (p *jsonScan) textOr(ok *bool) string {
	s, k := p.text()
	*ok = *ok && k
	return s
}

// integer reads a JSON number that is a whole number of at most 18
// digits (so it fits an int): no fraction, no exponent. What follows it
// is checked by the caller, so "1.5" or "01" are left to encoding/json.
func (p *jsonScan) integer() (int, bool) {
	neg := p.take('-')
	start := p.i
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 18 {
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
		if n == 0 {
			break // a leading zero is the whole number
		}
	}
	if p.i == start || p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// appendScoreError appends an error line: {"error":msg} (scoreError).
func appendScoreError(dst []byte, msg string) []byte {
	dst = append(dst, `{"error":`...)
	dst = appendJSONString(dst, msg)
	return append(dst, "}\n"...)
}

// appendScored appends one scored line as json.Encoder writes its
// scoreOutput: the fields in scoreOutput's order, named by its tags.
func appendScored(dst []byte, a *reader.Analysis, pts *scoring.Points) []byte {
	dst = append(dst, `{"behaviors":[`...)
	for i := range a.Behaviors {
		b := &a.Behaviors[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = appendJSONString(dst, string(b.ID))
		dst = append(dst, `,"polarity":`...)
		dst = appendJSONString(dst, b.Polarity)
		dst = append(dst, `,"strength":`...)
		dst = strconv.AppendInt(dst, int64(b.Strength), 10)
		dst = append(dst, `,"evidence":`...)
		dst = appendJSONString(dst, b.Evidence)
		dst = append(dst, '}')
	}
	e := &a.Empathy
	dst = append(dst, `],"empathy":{"emotional_reaction":`...)
	dst = strconv.AppendInt(dst, int64(e.EmotionalReaction), 10)
	dst = append(dst, `,"interpretation":`...)
	dst = strconv.AppendInt(dst, int64(e.Interpretation), 10)
	dst = append(dst, `,"exploration":`...)
	dst = strconv.AppendInt(dst, int64(e.Exploration), 10)
	dst = append(dst, `,"score":`...)
	dst = strconv.AppendInt(dst, int64(e.Score), 10)
	dst = append(dst, `},"points":{"opening":`...)
	dst = strconv.AppendInt(dst, int64(pts.Opening), 10)
	dst = append(dst, `,"empathy":`...)
	dst = strconv.AppendInt(dst, int64(pts.Empathy), 10)
	dst = append(dst, `,"difficult":`...)
	dst = strconv.AppendInt(dst, int64(pts.Difficult), 10)
	dst = append(dst, `,"total":`...)
	dst = strconv.AppendInt(dst, int64(pts.Total), 10)
	dst = append(dst, `},"explained":[`...)
	for i := range pts.Why {
		p := &pts.Why[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"score":`...)
		dst = appendJSONString(dst, p.Score)
		dst = append(dst, `,"behavior":`...)
		dst = appendJSONString(dst, string(p.Behavior))
		dst = append(dst, `,"delta":`...)
		dst = strconv.AppendInt(dst, int64(p.Delta), 10)
		dst = append(dst, `,"explanation":`...)
		dst = appendJSONString(dst, p.Explanation)
		dst = append(dst, '}')
	}
	return append(dst, "]}\n"...)
}

// appendJSONString appends s quoted as encoding/json quotes a string with
// HTML escaping off: quotes, backslashes and control characters escaped
// (\b \f \n \r \t by name, the rest as \u00XX), invalid UTF-8 as \ufffd,
// and U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
