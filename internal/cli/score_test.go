package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
)

func runScoreBuf(stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runScore(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestScoreExplain(t *testing.T) {
	tests := map[string]struct {
		args []string
		want []string // substrings of stdout
	}{
		"greeting and name": {
			args: []string{"Good morning, this is Sam. How can I help?"},
			want: []string{"+ greeting, strong: \"Good morning\"", "+ own_name, strong: \"this is Sam\"", "+ offer_help", "Empathy "},
		},
		"flags after text": {
			args: []string{"Hold please.", "--channel", "chat"},
			want: []string{"Channel: chat", "- hold_first, strong: \"Hold please\""},
		},
		"later turn": {
			args: []string{"--turn", "4", "Can I take your account number?"},
			want: []string{"No behaviours found"},
		},
		"customer name and mode": {
			args: []string{"--name", "Grace Okafor", "--customer", "I feel so silly, and it all feels so heavy.", "I can tell this feels heavy and worrying, Grace."},
			want: []string{"customer_name", "mode_match", "emotional reaction  2 of 2 (strong)"},
		},
		"points": {
			args: []string{"--turn", "2", "--anger", "70", "--customer", "When will my refund arrive?", "I understand your frustration."},
			want: []string{"- deflect", "- stock_phrase", "Points -", "First 30 seconds not judged after the opening", "Empathy: Stock phrase -3:"},
		},
		"joined words": {
			args: []string{"Calm", "down."},
			want: []string{"Response: \"Calm down.\"", "- invalidate, strong"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runScoreBuf("", tc.args...)
			if code != ExitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestScoreUsage(t *testing.T) {
	tests := map[string]struct {
		args     []string
		code     int
		stdout   string
		stderr   string
		emptyOut bool
	}{
		"help":          {args: []string{"-h"}, code: ExitOK, stdout: "Usage:"},
		"long help":     {args: []string{"--help"}, code: ExitOK, stdout: "rapport score --jsonl"},
		"no text":       {args: nil, code: ExitUsage, stderr: "nothing to score", emptyOut: true},
		"bad flag":      {args: []string{"--loud", "hi"}, code: ExitUsage, stderr: "flag provided but not defined", emptyOut: true},
		"bad channel":   {args: []string{"--channel", "fax", "hi"}, code: ExitUsage, stderr: "unknown channel \"fax\"", emptyOut: true},
		"bad mode":      {args: []string{"--mode", "smell", "hi"}, code: ExitUsage, stderr: "--mode must be", emptyOut: true},
		"bad turn":      {args: []string{"--turn", "-1", "hi"}, code: ExitUsage, stderr: "--turn must be", emptyOut: true},
		"text and json": {args: []string{"--jsonl", "hi"}, code: ExitUsage, stderr: "not both", emptyOut: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runScoreBuf("", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout %q lacks %q", out, tc.stdout)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.stderr)
			}
			if tc.emptyOut && out != "" {
				t.Errorf("stdout should be empty on a usage error, got %q", out)
			}
		})
	}
}

func TestScoreJSONL(t *testing.T) {
	in := strings.Join([]string{
		`{"response": "I'm so sorry we kept you waiting. Can you tell me what happened?", "customer": "I've been on hold for an hour!", "channel": "phone"}`,
		`not json`,
		``,
		`{"response": ""}`,
		`{"response": "Calm down.", "channel": "fax"}`,
		`{"response": "Hi! Thanks for your patience.", "channel": "chat"}`,
		`{"response": "Ok."} {"response": "two"}`,
		`{"response": "Hold please.", "turn": 3}`,
	}, "\n")
	code, out, errOut := runScoreBuf(in, "--jsonl")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 7 {
		t.Fatalf("got %d output lines, want 7 (blank input skipped):\n%s", len(lines), out)
	}
	type behavior struct {
		ID       string `json:"id"`
		Polarity string `json:"polarity"`
		Strength int    `json:"strength"`
		Evidence string `json:"evidence"`
	}
	type result struct {
		Behaviors *[]behavior `json:"behaviors"`
		Empathy   *struct {
			ER    int `json:"emotional_reaction"`
			In    int `json:"interpretation"`
			Ex    int `json:"exploration"`
			Score int `json:"score"`
		} `json:"empathy"`
		Points *struct {
			Opening, Empathy, Difficult, Total int
		} `json:"points"`
		Explained []struct {
			Score       string `json:"score"`
			Behavior    string `json:"behavior"`
			Delta       int    `json:"delta"`
			Explanation string `json:"explanation"`
		} `json:"explained"`
		Error string `json:"error"`
	}
	var rs []result
	for i, l := range lines {
		var r result
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output line %d %q: %v", i+1, l, err)
		}
		rs = append(rs, r)
	}
	// Line 1: an apology and an exploration, with evidence from the text.
	if rs[0].Behaviors == nil || rs[0].Empathy == nil {
		t.Fatalf("line 1 has no behaviours/empathy: %s", lines[0])
	}
	ids := map[string]behavior{}
	for _, b := range *rs[0].Behaviors {
		ids[b.ID] = b
		if !strings.Contains(`I'm so sorry we kept you waiting. Can you tell me what happened?`, b.Evidence) {
			t.Errorf("evidence %q is not from the response", b.Evidence)
		}
		if b.Polarity != "+" && b.Polarity != "-" || b.Strength < 1 || b.Strength > 2 {
			t.Errorf("bad behaviour %+v", b)
		}
	}
	if ids["apology"].Strength != 2 || ids["exploration"].Strength != 2 {
		t.Errorf("line 1 behaviours = %v, want strong apology and exploration", ids)
	}
	if rs[0].Empathy.ER != 1 || rs[0].Empathy.Ex != 2 || rs[0].Empathy.Score <= 0 {
		t.Errorf("line 1 empathy = %+v", *rs[0].Empathy)
	}
	// Points: every score's points explained, adding up to the total.
	p := rs[0].Points
	if p == nil || p.Total <= 0 || p.Opening+p.Empathy+p.Difficult != p.Total {
		t.Fatalf("line 1 points = %+v", p)
	}
	sum := 0
	for _, e := range rs[0].Explained {
		sum += e.Delta
		if !strings.Contains(e.Explanation, fmt.Sprintf("%+d", e.Delta)) {
			t.Errorf("explanation %q does not state its %+d", e.Explanation, e.Delta)
		}
	}
	if sum != p.Total {
		t.Errorf("explained points add up to %d, total is %d", sum, p.Total)
	}
	for i, want := range map[int]string{1: "line 2: not a JSON object", 2: "line 4: \"response\" is missing", 3: "line 5: unknown channel", 5: "line 7: more than one JSON value"} {
		if !strings.HasPrefix(rs[i].Error, want) {
			t.Errorf("output %d error = %q, want prefix %q", i+1, rs[i].Error, want)
		}
		if rs[i].Behaviors != nil {
			t.Errorf("output %d: an error line has behaviours", i+1)
		}
	}
	// An empty behaviour list is [], not null.
	if rs[6].Behaviors == nil || len(*rs[6].Behaviors) != 0 {
		t.Errorf("late hold: want no behaviours as [], got %s", lines[6])
	}
	if !strings.Contains(lines[6], `"behaviors":[]`) {
		t.Errorf("empty behaviours should encode as []: %s", lines[6])
	}
}

// TestScoreJSONLPoints: the customer's mood and question change the
// points, and a line of stock phrases earns nothing.
func TestScoreJSONLPoints(t *testing.T) {
	in := strings.Join([]string{
		`{"response": "I'm so sorry for any inconvenience. We value you as a customer.", "customer": "When will my refund arrive?", "turn": 2, "anger": 70}`,
		`{"response": "It'll be back in your account by Friday.", "customer": "When will my refund arrive?", "turn": 2, "anger": 70}`,
		`{"response": "It'll be back in your account by Friday.", "turn": 2, "anger": 101}`,
	}, "\n")
	code, out, _ := runScoreBuf(in, "--jsonl")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var rs [3]struct {
		Points struct{ Total, Difficult int } `json:"points"`
		Error  string                         `json:"error"`
	}
	for i := range rs {
		if err := json.Unmarshal([]byte(lines[i]), &rs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if rs[0].Points.Total >= 0 || rs[1].Points.Total <= rs[0].Points.Total || rs[1].Points.Difficult <= 0 {
		t.Errorf("stock deflection %+v vs answer %+v", rs[0].Points, rs[1].Points)
	}
	if !strings.Contains(rs[2].Error, `"anger" must be from 0 to 100`) {
		t.Errorf("anger 101: error %q", rs[2].Error)
	}
}

func TestScoreJSONLTooLong(t *testing.T) {
	long := `{"response": "` + strings.Repeat("a", maxScoreLine) + `"}`
	in := long + "\n" + `{"response": "Thank you for calling."}` + "\n"
	code, out, _ := runScoreBuf(in, "--jsonl")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"error":"line 1: longer than`) || !strings.Contains(lines[1], `"thanks"`) {
		t.Errorf("got %q", out)
	}
}

// RP103 sends an author with an unknown tag to `rapport score --help`:
// it lists every behaviour id a tag may name.
func TestScoreHelpListsBehaviourIDs(t *testing.T) {
	_, out, _ := runScoreBuf("", "--help")
	for _, b := range reader.Behaviors() {
		if !strings.Contains(out, " "+string(b.ID)+",") && !strings.Contains(out, " "+string(b.ID)+"\n") {
			t.Errorf("--help does not list %s", b.ID)
		}
	}
}

// jsonlInput builds n input lines: every seventh is broken JSON, the rest
// are responses that differ line by line, so output order is checkable.
func jsonlInput(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i%7 == 0 {
			fmt.Fprintf(&b, "{broken %d\n", i)
			continue
		}
		fmt.Fprintf(&b, `{"response": "I'm so sorry about order %d, I'll sort it out for you now.", "turn": 2}`+"\n", i)
	}
	return b.String()
}

// TestScoreJSONLOrderedPool checks that the pool of workers keeps output in
// input order across many batches and that errors don't stop the rest.
func TestScoreJSONLOrderedPool(t *testing.T) {
	const n = 5*scoreBatch + 17
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			code, out, errOut := runScoreBuf(jsonlInput(n), "--jsonl")
			if code != ExitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) != n {
				t.Fatalf("got %d output lines, want %d", len(lines), n)
			}
			for i, l := range lines {
				num := i + 1
				if num%7 == 0 {
					if want := fmt.Sprintf(`"error":"line %d: not a JSON object`, num); !strings.Contains(l, want) {
						t.Fatalf("output %d = %s, want the error for line %d", num, l, num)
					}
					continue
				}
				if want := fmt.Sprintf(`"sorry about order %d"`, num); !strings.Contains(l, want) {
					t.Fatalf("output %d = %s, want evidence from line %d", num, l, num)
				}
			}
		})
	}
}

// failWriter fails every write after the first limit bytes.
type failWriter struct{ limit int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.limit < len(p) {
		return 0, errors.New("disk full")
	}
	w.limit -= len(p)
	return len(p), nil
}

// TestScoreJSONLWriteError checks that a failed write ends the run with an
// error (and does not hang the reader or the workers).
func TestScoreJSONLWriteError(t *testing.T) {
	var errb bytes.Buffer
	code := runScore([]string{"--jsonl"}, strings.NewReader(jsonlInput(20*scoreBatch)), &failWriter{limit: 1 << 16}, &errb)
	if code != ExitFailure || !strings.Contains(errb.String(), "disk full") {
		t.Fatalf("exit %d, stderr %q; want a failure naming the write error", code, errb.String())
	}
}

// BenchmarkScoreJSONL scores 2,048 lines through `rapport score --jsonl`.
// Compare -cpu 1,2 to see the pool use both cores.
func BenchmarkScoreJSONL(b *testing.B) {
	in := jsonlInput(2048)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if code := runScore([]string{"--jsonl"}, strings.NewReader(in), io.Discard, io.Discard); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// failReader gives r, then fails.
type failReader struct{ r io.Reader }

func (f *failReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("device gone")
	}
	return n, err
}

// TestScoreJSONLReadError checks that a failed read ends the run with an
// error naming the line, after every line read before it is written, in
// order, however many workers there are.
func TestScoreJSONLReadError(t *testing.T) {
	const n = 3*scoreBatch + 5
	in := jsonlInput(n)
	want := scoreReference(in)
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			var out, errb bytes.Buffer
			code := runScore([]string{"--jsonl"}, &failReader{strings.NewReader(in)}, &out, &errb)
			if code != ExitFailure || !strings.Contains(errb.String(), fmt.Sprintf("read line %d: device gone", n+1)) {
				t.Fatalf("exit %d, stderr %q; want a failure naming line %d", code, errb.String(), n+1)
			}
			if out.String() != want {
				t.Fatalf("the %d lines read before the failure were not all written in order", n)
			}
		})
	}
}
