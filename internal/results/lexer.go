package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// errFallback means the fast decoder met something it does not handle
// itself (an escape it leaves to encoding/json, an unknown key, a type it
// would have to convert); the caller then decodes with encoding/json,
// which is the reference. The fast decoder only ever answers for input it
// reads exactly as encoding/json would.
var errFallback = errors.New("fall back to encoding/json")

// lexer reads the JSON of a record's head (everything before the
// explanations) straight into a Record, without reflection. Reports read
// ten thousand records; this is several times faster than encoding/json.
// FuzzFastHead checks it against encoding/json.
type lexer struct {
	b   []byte
	i   int
	err error
	in  *interner
}

// interner keeps one copy of each short string a reader has seen: node
// ids, behaviour ids, polarities, modes and statuses repeat in every
// record, so sharing them saves many small allocations in a large report.
// Long texts are not worth the hashing. Each reader has its own interner,
// so it needs no lock.
type interner struct {
	m map[string]string
}

// Bounds on what is interned, so a folder of unusual records cannot make
// the table grow without limit.
const (
	internMaxLen     = 64
	internMaxEntries = 1 << 14
)

func (in *interner) string(b []byte) string {
	if in == nil || len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < internMaxEntries {
		in.m[s] = s
	}
	return s
}

func (l *lexer) fail() {
	if l.err == nil {
		l.err = errFallback
	}
}

func (l *lexer) ws() {
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case ' ', '\t', '\n', '\r':
			l.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, 0 at the end.
func (l *lexer) peek() byte {
	l.ws()
	if l.i >= len(l.b) {
		return 0
	}
	return l.b[l.i]
}

func (l *lexer) expect(c byte) {
	if l.peek() != c {
		l.fail()
		return
	}
	l.i++
}

// null consumes a null if one comes next.
func (l *lexer) null() bool {
	if l.peek() == 'n' && bytes.HasPrefix(l.b[l.i:], []byte("null")) {
		l.i += 4
		return true
	}
	return false
}

// object calls field for every key of an object; field must consume the
// value. It stops at the first error.
func (l *lexer) object(field func(key []byte)) {
	l.expect('{')
	if l.err != nil {
		return
	}
	if l.peek() == '}' {
		l.i++
		return
	}
	// encoding/json merges a repeated key into what the first one built;
	// rather than copy that, leave such objects to it.
	var seen [16][]byte
	n := 0
	for l.err == nil {
		key := l.rawString()
		l.expect(':')
		if l.err != nil {
			return
		}
		for _, k := range seen[:n] {
			if bytes.Equal(k, key) {
				l.fail()
				return
			}
		}
		if n == len(seen) {
			l.fail()
			return
		}
		seen[n] = key
		n++
		field(key)
		switch l.peek() {
		case ',':
			l.i++
		case '}':
			l.i++
			return
		default:
			l.fail()
		}
	}
}

// array calls elem for every element; elem must consume it.
func (l *lexer) array(elem func()) {
	l.expect('[')
	if l.err != nil {
		return
	}
	if l.peek() == ']' {
		l.i++
		return
	}
	for l.err == nil {
		elem()
		switch l.peek() {
		case ',':
			l.i++
		case ']':
			l.i++
			return
		default:
			l.fail()
		}
	}
}

// rawString returns a string's bytes without quotes, for keys and for
// strings with nothing to decode. plain is false when the string has
// escapes or bytes that need decoding (invalid UTF-8): str decodes those.
// A control character, which JSON does not allow in strings, fails.
func (l *lexer) scanString() (s []byte, plain bool) {
	if l.peek() != '"' {
		l.fail()
		return nil, false
	}
	start := l.i + 1
	plain = true
	ascii := true
	for j := start; j < len(l.b); j++ {
		c := l.b[j]
		switch {
		case c == '"':
			l.i = j + 1
			s := l.b[start:j]
			if !ascii && plain && !utf8.Valid(s) {
				plain = false
			}
			return s, plain
		case c == '\\':
			plain = false
			j++ // the escaped byte cannot end the string
		case c < 0x20:
			l.fail()
			return nil, false
		case c >= 0x80:
			ascii = false
		}
	}
	l.fail()
	return nil, false
}

// rawString returns a key: keys with escapes are left to encoding/json.
func (l *lexer) rawString() []byte {
	s, plain := l.scanString()
	if !plain {
		l.fail()
	}
	return s
}

// str reads a string value. Escapes (quotes in dialogue, \u sequences)
// and invalid UTF-8 are decoded by encoding/json itself, so the result is
// its result.
func (l *lexer) str() string {
	l.ws()
	start := l.i
	s, plain := l.scanString()
	if l.err != nil {
		return ""
	}
	if plain {
		return l.in.string(s)
	}
	var out string
	if err := json.Unmarshal(l.b[start:l.i], &out); err != nil {
		l.fail()
	}
	return out
}

// token returns the bytes of a number or literal.
func (l *lexer) token() []byte {
	l.ws()
	start := l.i
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return l.b[start:l.i]
		}
		l.i++
	}
	return l.b[start:l.i]
}

// integer reads a JSON integer into an int field, as encoding/json would
// (a fraction or exponent is a type error there: fall back).
func (l *lexer) integer() int {
	t := l.token()
	if !isInt(t) {
		l.fail()
		return 0
	}
	n, err := strconv.ParseInt(string(t), 10, strconv.IntSize)
	if err != nil {
		l.fail()
	}
	return int(n)
}

func isInt(t []byte) bool {
	if len(t) > 0 && t[0] == '-' {
		t = t[1:]
	}
	if len(t) == 0 || t[0] == '0' && len(t) > 1 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// float reads a JSON number.
func (l *lexer) float() float64 {
	t := l.token()
	if !isNumber(t) {
		l.fail()
		return 0
	}
	f, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		l.fail()
	}
	return f
}

// isNumber checks JSON's number grammar, which is stricter than
// strconv's (no "+1", ".5", "1.", hex, Inf or NaN).
func isNumber(t []byte) bool {
	i := 0
	if i < len(t) && t[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(t) && t[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(t) && t[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(t)
}

func (l *lexer) boolean() bool {
	switch t := string(l.token()); t {
	case "true":
		return true
	case "false":
		return false
	}
	l.fail()
	return false
}

// quoted returns a string value with its quotes, for types that decode
// themselves (time.Time, Duration), as encoding/json passes them.
func (l *lexer) quoted() []byte {
	l.ws()
	start := l.i
	l.scanString()
	if l.err != nil {
		return nil
	}
	return l.b[start:l.i]
}

func (l *lexer) time() time.Time {
	var t time.Time
	if q := l.quoted(); l.err == nil {
		if err := t.UnmarshalJSON(q); err != nil {
			l.fail()
		}
	}
	return t
}

func (l *lexer) duration() Duration {
	var d Duration
	if q := l.quoted(); l.err == nil {
		if err := d.UnmarshalJSON(q); err != nil {
			l.fail()
		}
	}
	return d
}

// fastHead decodes a record's head: a JSON object of the record's fields
// without "explanations". It returns errFallback for anything it does not
// read exactly as encoding/json would.
func fastHead(b []byte, in *interner) (*Record, error) {
	l := &lexer{b: b, in: in}
	r := new(Record)
	l.object(func(k []byte) {
		switch string(k) {
		case "schema":
			r.Schema = l.integer()
		case "id":
			r.ID = l.str()
		case "kind":
			r.Kind = Kind(l.str())
		case "trainee":
			r.Trainee = l.str()
		case "agent":
			r.Agent = l.str()
		case "scenario":
			l.scenarioRef(&r.Scenario)
		case "mode":
			r.Mode = Mode(l.str())
		case "limit":
			r.Limit = l.duration()
		case "rewinds":
			r.Rewinds = l.integer()
		case "retry_from":
			r.RetryFrom = l.integer()
		case "status":
			r.Status = Status(l.str())
		case "started":
			r.Started = l.time()
		case "ended":
			r.Ended = l.time()
		case "version":
			r.Version = l.str()
		case "clock":
			r.Clock = l.duration()
		case "turns":
			if l.null() {
				r.Turns = nil
				return
			}
			r.Turns = []Turn{}
			l.array(func() {
				var t Turn
				l.turn(&t)
				r.Turns = append(r.Turns, t)
			})
		case "ending":
			if l.null() {
				r.Ending = nil
				return
			}
			r.Ending = new(Ending)
			l.object(func(k []byte) {
				switch string(k) {
				case "id":
					r.Ending.ID = l.str()
				case "outcome":
					r.Ending.Outcome = scenario.Outcome(l.str())
				case "walked_out":
					r.Ending.WalkedOut = l.boolean()
				default:
					l.fail()
				}
			})
		case "scores":
			if l.null() {
				r.Scores = nil
				return
			}
			r.Scores = new(Scores)
			l.object(func(k []byte) {
				switch string(k) {
				case "opening":
					l.score(&r.Scores.Opening)
				case "empathy":
					l.score(&r.Scores.Empathy)
				case "difficult":
					l.score(&r.Scores.Difficult)
				case "overall":
					r.Scores.Overall = l.integer()
				case "band":
					r.Scores.Band = l.str()
				default:
					l.fail()
				}
			})
		default:
			l.fail()
		}
	})
	if l.ws(); l.err == nil && l.i < len(l.b) {
		l.fail() // something after the object (a NUL byte too: peek's 0 means the end)
	}
	if l.err != nil {
		return nil, l.err
	}
	return r, nil
}

func (l *lexer) scenarioRef(s *ScenarioRef) {
	l.object(func(k []byte) {
		switch string(k) {
		case "id":
			s.ID = l.str()
		case "title":
			s.Title = l.str()
		case "hash":
			s.Hash = l.str()
		case "channel":
			s.Channel = l.str()
		case "difficulty":
			s.Difficulty = l.str()
		case "version":
			s.Version = l.str()
		default:
			l.fail()
		}
	})
}

func (l *lexer) score(s *Score) {
	l.object(func(k []byte) {
		switch string(k) {
		case "label":
			s.Label = l.str()
		case "value":
			s.Value = l.integer()
		case "assessed":
			s.Assessed = l.boolean()
		case "reason":
			s.Reason = l.str()
		default:
			l.fail()
		}
	})
}

func (l *lexer) turn(t *Turn) {
	l.object(func(k []byte) {
		switch string(k) {
		case "index":
			t.Index = l.integer()
		case "node":
			t.Node = l.str()
		case "choice":
			t.Choice = l.integer()
		case "choice_id":
			t.ChoiceID = l.str()
		case "unheard":
			t.Unheard = l.boolean()
		case "heard":
			if l.null() {
				t.Heard = nil
				return
			}
			t.Heard = []string{}
			l.array(func() { t.Heard = append(t.Heard, l.str()) })
		case "say":
			t.Say = l.str()
		case "typed":
			t.Typed = l.str()
		case "match":
			t.Match = l.float()
		case "hesitation":
			t.Hesitation = l.duration()
		case "at":
			t.At = l.duration()
		case "dead_air":
			t.DeadAir = l.duration()
		case "mood":
			l.mood(&t.Mood)
		case "behaviors":
			if l.null() {
				t.Behaviors = nil
				return
			}
			t.Behaviors = []Behavior{}
			l.array(func() {
				var b Behavior
				l.object(func(k []byte) {
					switch string(k) {
					case "id":
						b.ID = l.str()
					case "polarity":
						b.Polarity = l.str()
					case "strength":
						b.Strength = l.integer()
					case "tagged":
						b.Tagged = l.boolean()
					default:
						l.fail()
					}
				})
				t.Behaviors = append(t.Behaviors, b)
			})
		case "empathy":
			if l.null() {
				t.Empathy = nil
				return
			}
			t.Empathy = new(Empathy)
			l.object(func(k []byte) {
				switch string(k) {
				case "emotional_reaction":
					t.Empathy.EmotionalReaction = l.integer()
				case "interpretation":
					t.Empathy.Interpretation = l.integer()
				case "exploration":
					t.Empathy.Exploration = l.integer()
				case "score":
					t.Empathy.Score = l.integer()
				default:
					l.fail()
				}
			})
		case "best":
			if l.null() {
				t.Best = nil
				return
			}
			t.Best = new(Alternative)
			l.object(func(k []byte) {
				switch string(k) {
				case "choice":
					t.Best.Choice = l.integer()
				case "id":
					t.Best.ID = l.str()
				case "say":
					t.Best.Say = l.str()
				default:
					l.fail()
				}
			})
		default:
			l.fail()
		}
	})
}

func (l *lexer) mood(m *scenario.Mood) {
	l.object(func(k []byte) {
		switch string(k) {
		case "apprehension":
			m.Apprehension = l.integer()
		case "anger":
			m.Anger = l.integer()
		case "trust":
			m.Trust = l.integer()
		case "patience":
			m.Patience = l.integer()
		default:
			l.fail()
		}
	})
}
