package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// scoreReference is `rapport score --jsonl` as it was written first: one
// line at a time, each decoded with a json.Decoder, read twice (Analyze,
// then LinePoints) and encoded on its own. The pool, its buffers and its
// shortcuts must write exactly what this writes.
func scoreReference(in string) string {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	br := bufio.NewReaderSize(strings.NewReader(in), 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, maxScoreLine)
		if strings.TrimSpace(line) != "" || tooLong {
			var v any
			if tooLong {
				v = scoreError{fmt.Sprintf("line %d: longer than %d bytes", n, maxScoreLine)}
			} else {
				v = scoreReferenceLine(n, line)
			}
			if err := enc.Encode(v); err != nil {
				panic(err)
			}
		}
		if err != nil {
			return out.String()
		}
	}
}

// readLine reads one line (without its newline), as the first --jsonl
// did. A line longer than max is consumed and reported with tooLong.
func readLine(br *bufio.Reader, max int) (line string, tooLong bool, err error) {
	var b strings.Builder
	for {
		chunk, isPrefix, err := br.ReadLine()
		if b.Len()+len(chunk) > max {
			tooLong = true
		} else {
			b.Write(chunk)
		}
		if err != nil {
			return b.String(), tooLong, err
		}
		if !isPrefix {
			return b.String(), tooLong, nil
		}
	}
}

func scoreReferenceLine(n int, line string) any {
	var in scoreInput
	dec := json.NewDecoder(strings.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return scoreError{fmt.Sprintf("line %d: not a JSON object: %v", n, err)}
	}
	if dec.More() {
		return scoreError{fmt.Sprintf("line %d: more than one JSON value on the line", n)}
	}
	if in.Response == nil || strings.TrimSpace(*in.Response) == "" {
		return scoreError{fmt.Sprintf("line %d: \"response\" is missing or empty", n)}
	}
	ctx := reader.Context{Channel: scenario.Phone, Customer: in.Customer, CustomerName: in.Name}
	if in.Channel != "" {
		ch, err := parseChannel(in.Channel)
		if err != nil {
			return scoreError{fmt.Sprintf("line %d: %v", n, err)}
		}
		ctx.Channel = ch
	}
	switch in.Mode {
	case "", "see", "hear", "feel":
		ctx.Mode = in.Mode
	default:
		return scoreError{fmt.Sprintf("line %d: \"mode\" must be see, hear or feel, not %s", n, strconv.Quote(in.Mode))}
	}
	if in.Turn != nil {
		if *in.Turn < 0 {
			return scoreError{fmt.Sprintf("line %d: \"turn\" must be 0 or more", n)}
		}
		ctx.Turn = *in.Turn
	}
	mood := scoring.LineMood{}
	if in.Anger != nil {
		if *in.Anger < 0 || *in.Anger > 100 {
			return scoreError{fmt.Sprintf("line %d: \"anger\" must be from 0 to 100", n)}
		}
		mood = scoring.LineMood{Anger: *in.Anger, Known: true}
	}
	a := reader.Analyze(*in.Response, ctx)
	pts := scoring.LinePoints(*in.Response, ctx, mood, scoring.CompanyRules{})
	return refOutput(a, pts)
}

// refOutput is what --jsonl wrote for a reading and its points, through
// encoding/json, before it wrote its lines directly.
func refOutput(a reader.Analysis, pts scoring.Points) scoreOutput {
	out := scoreOutput{
		Behaviors: make([]scoreBehavior, 0, len(a.Behaviors)), Empathy: a.Empathy,
		Points:    scorePoints{Opening: pts.Opening, Empathy: pts.Empathy, Difficult: pts.Difficult, Total: pts.Total},
		Explained: make([]scoreExplained, 0, len(pts.Why)),
	}
	for _, b := range a.Behaviors {
		out.Behaviors = append(out.Behaviors, scoreBehavior{ID: b.ID, Polarity: b.Polarity, Strength: b.Strength, Evidence: b.Evidence})
	}
	for _, p := range pts.Why {
		out.Explained = append(out.Explained, scoreExplained{Score: p.Score, Behavior: p.Behavior, Delta: p.Delta, Explanation: p.Explanation})
	}
	return out
}

// awkwardLines are input lines that JSON decoding, the error messages and
// the output's escaping can each treat in more than one way.
var awkwardLines = []string{
	`{"response": "Ok."} }`,                   // a value then a stray brace: accepted
	`{"response": "Ok."} {"response": "two"}`, // two values
	`{"response": "Ok."}   `,
	"\t{\"response\": \"Tabs around.\"}\t\r",
	`{"Response": "Field names match in any case.", "TURN": 3}`,
	`{"response": "first", "response": "Second wins, I'm sorry."}`,
	`{"response": "Turn as text", "turn": "2"}`,
	`{"response": "Turn too big", "turn": 99999999999999999999}`,
	`{"response": "Negative turn", "turn": -1}`,
	`{"response": "Anger 101", "anger": 101}`,
	`{"response": "Bad mode", "mode": "smell"}`,
	`{"response": "Bad channel", "channel": "fax"}`,
	`{"response": null}`,
	`{"response": "   "}`,
	`{}`,
	`[]`,
	`"just a string"`,
	`42`,
	`null`,
	`{"response": "unterminated`,
	`{"response": "<b>Sorry</b> & thanks \u2028 \u0007 \"quoted\" \\ back"}`,
	"{\"response\": \"Invalid UTF-8 \xff\xfe here, sorry about that.\"}",
	`{"response": "Escaped \ud83d\ude00 and lone \ud83d surrogate, so sorry."}`,
	`{"response": "I'm so sorry, Grace. I can see why you're upset — let me fix it now.", "customer": "My name's Grace Okafor and I've been charged twice!", "name": "Grace Okafor", "mode": "feel", "turn": 1, "anger": 80, "channel": "chat"}`,
	`{"response": "Can I take your account number first?", "customer": "When will my refund arrive?", "turn": 0}`,
	`{"response": "Unknown fields are ignored.", "extra": {"nested": [1, 2, {"x": null}]}}`,
	`{"response": "x", "turn": 1.5}`,
	"\u00a0",
	"   ",
	"",
}

// TestScoreJSONLMatchesReference: the pool writes, byte for byte, what
// scoring one line at a time writes, on awkward lines and on thousands of
// lines in random order (so batches end in different places), with
// blank lines and lines too long to read among them.
func TestScoreJSONLMatchesReference(t *testing.T) {
	corpus := strings.Split(jsonlInput(300), "\n")
	r := rand.New(rand.NewPCG(3, 5))
	lines := append([]string(nil), awkwardLines...)
	for range 3000 {
		switch k := r.IntN(40); {
		case k == 0:
			lines = append(lines, awkwardLines[r.IntN(len(awkwardLines))])
		case k == 1:
			lines = append(lines, `{"response": "`+strings.Repeat("sorry ", maxScoreLine/6+1)+`"}`)
		default:
			lines = append(lines, corpus[r.IntN(len(corpus))])
		}
	}
	for name, in := range map[string]string{
		"awkward":                          strings.Join(awkwardLines, "\n"),
		"many":                             strings.Join(lines, "\n"),
		"crlf, final line without newline": strings.Join(lines[:700], "\r\n"),
	} {
		t.Run(name, func(t *testing.T) {
			code, got, errOut := runScoreBuf(in, "--jsonl")
			if code != ExitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			want := scoreReference(in)
			if got != want {
				g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
				for i := range min(len(g), len(w)) {
					if g[i] != w[i] {
						t.Fatalf("output line %d differs:\n got %s\nwant %s", i+1, g[i], w[i])
					}
				}
				t.Fatalf("got %d output lines, want %d", len(g), len(w))
			}
		})
	}
}
