package cli

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// scoreInputSeeds are lines plainScoreInput reads and lines it must leave
// to encoding/json.
var scoreInputSeeds = []string{
	`{"response": "I'm so sorry about that.", "customer": "Where is it?", "channel": "chat", "name": "Grace Okafor", "mode": "feel", "turn": 2, "anger": 70}`,
	`{"response":"x","turn":0,"anger":100}`,
	` {"response": "Déjà vu — sorry!"} `,
	"\t{\"response\": \"tab\"}\r\n",
	`{}`,
	`{"response": "x", "turn": -0}`,
	`{"response": "x", "turn": 01}`,
	`{"response": "x", "turn": 1.5}`,
	`{"response": "x", "turn": 1e2}`,
	`{"response": "x", "turn": 123456789012345678}`,
	`{"response": "x", "turn": 1234567890123456789}`,
	`{"response": "x", "turn": 99999999999999999999}`,
	`{"response": "x", "turn": "2"}`,
	`{"response": "x", "turn": null}`,
	`{"response": null}`,
	`{"response": 5}`,
	`{"Response": "case"}`,
	`{"response": "a", "response": "b"}`,
	`{"response": "a", "extra": 1}`,
	`{"response": "esc \" \\ \n \u00e9"}`,
	"{\"response\": \"raw\x01control\"}",
	"{\"response\": \"bad \xff utf8\"}",
	"{\"response\": \"del \x7f\"}",
	`{"response": "x"} }`,
	`{"response": "x"} {"response": "y"}`,
	`{"response": "x",}`,
	`{"response": "x"`,
	`{"response" "x"}`,
	`{"turn": 3, "response": "order"}`,
	`[]`,
	`"x"`,
	``,
}

// checkPlainScoreInput fails when plainScoreInput reads a line that
// json.Unmarshal refuses or reads differently.
func checkPlainScoreInput(t *testing.T, line []byte) {
	got, ok := plainScoreInput(line)
	if !ok {
		return
	}
	var want scoreInput
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("plainScoreInput read %q, which encoding/json refuses: %v", line, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plainScoreInput(%q) = %s, encoding/json reads %s", line, describeInput(got), describeInput(want))
	}
}

func describeInput(in scoreInput) string {
	b, _ := json.Marshal(in)
	return string(b)
}

// TestPlainScoreInput: the direct path reads every plain line as
// encoding/json does, and takes none it would read differently, on the
// seeds and on thousands of random mutations of them.
func TestPlainScoreInput(t *testing.T) {
	read := 0
	for _, s := range scoreInputSeeds {
		checkPlainScoreInput(t, []byte(s))
		if _, ok := plainScoreInput([]byte(s)); ok {
			read++
		}
	}
	// The plain shapes must take the direct path, or it saves nothing.
	if read < 6 {
		t.Errorf("plainScoreInput read %d of the seeds, want at least 6", read)
	}
	r := rand.New(rand.NewPCG(11, 17))
	alphabet := []byte("{}[]\":,-.0123456789eE \t\r\nabcnrtu\\\x01\x1f\x7f\xc3\xa9\xff")
	for range 200000 {
		b := []byte(scoreInputSeeds[r.IntN(len(scoreInputSeeds))])
		for range 1 + r.IntN(3) {
			i := r.IntN(len(b) + 1)
			switch r.IntN(3) {
			case 0: // insert
				b = append(b[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, b[i:]...)...)
			case 1: // delete
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			case 2: // replace
				if i < len(b) {
					b[i] = alphabet[r.IntN(len(alphabet))]
				}
			}
		}
		checkPlainScoreInput(t, b)
	}
}

func FuzzScoreInput(f *testing.F) {
	for _, s := range scoreInputSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkPlainScoreInput)
}

// TestScoreOutputEncoding: the direct encoder writes what json.Encoder
// with SetEscapeHTML(false) writes, for every byte in a string and for
// random outputs and errors with awkward text.
func TestScoreOutputEncoding(t *testing.T) {
	encode := func(v any) []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	checkError := func(msg string) {
		if got, want := appendScoreError(nil, msg), encode(scoreError{msg}); !bytes.Equal(got, want) {
			t.Fatalf("appendScoreError(%q)\n got %s\nwant %s", msg, got, want)
		}
	}
	check := func(a reader.Analysis, pts scoring.Points) {
		if got, want := appendScored(nil, &a, &pts), encode(refOutput(a, pts)); !bytes.Equal(got, want) {
			t.Fatalf("appendScored(%#v, %#v)\n got %s\nwant %s", a, pts, got, want)
		}
	}
	for c := range 256 {
		checkError("byte " + string([]byte{byte(c)}) + " end")
	}
	pieces := []string{"sorry", " ", "\"", "\\", "\n", "\t", "\b", "\f", "\r", "\x00", "\x1f", "\x7f", "<b>", "&amp;",
		"é", "—", "\u2028", "\u2029", "\ufffd", "\xff", "\xe2\x80", "😀", "\xed\xa0\x80", "'"}
	r := rand.New(rand.NewPCG(5, 7))
	text := func() string {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 3000 {
		a := reader.Analysis{Empathy: reader.Empathy{EmotionalReaction: r.IntN(3), Interpretation: r.IntN(3), Exploration: r.IntN(3), Score: r.IntN(101)}}
		pts := scoring.Points{Opening: r.IntN(41) - 20, Empathy: r.IntN(100) - 50, Difficult: -r.IntN(30), Total: r.IntN(200) - 100}
		for range r.IntN(4) {
			a.Behaviors = append(a.Behaviors, reader.Behavior{ID: reader.BehaviorID(text()), Polarity: text(), Strength: r.IntN(3), Evidence: text(), Offset: r.IntN(9)})
		}
		for range r.IntN(4) {
			pts.Why = append(pts.Why, scoring.Point{Score: text(), Behavior: reader.BehaviorID(text()), Delta: r.IntN(41) - 20, Explanation: text(), Evidence: text()})
		}
		check(a, pts)
		checkError(text())
	}
}
