package plain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/testio"
	"github.com/rapport-sim/rapport/scenarios"
)

// load reads a shipped scenario by file name, so the tests do not depend on
// the library's size or order.
func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return sc
}

// ones is enough "1" answers to finish any shipped scenario.
var ones = strings.Repeat("1\n", 100)

// unbuffered hides any ReadByte method, like os.Stdin.
type unbuffered struct{ r io.Reader }

func (u unbuffered) Read(p []byte) (int, error) { return u.r.Read(p) }

// firstChoicePath plays sc taking the first offered choice each time, the
// reference for what a pipe of "1"s must produce.
func firstChoicePath(t *testing.T, sc *scenario.Scenario) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for !e.Done() {
		if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number}); err != nil {
			t.Fatal(err)
		}
	}
	return e.State()
}

func TestRunPlaysToTheEnd(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	want := firstChoicePath(t, sc)
	tests := map[string]struct {
		in io.Reader
	}{
		"buffered":   {strings.NewReader(ones)},
		"unbuffered": {unbuffered{strings.NewReader(ones)}},
		"crlf":       {strings.NewReader(strings.ReplaceAll(ones, "\n", "\r\n"))},
		"junk first": {strings.NewReader("abc\n0\n99\n\n  \n" + ones)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			st, err := stateOf(Run(context.Background(), tc.in, &out, sc, Options{}))
			if err != nil {
				t.Fatalf("Run: %v\n%s", err, out.String())
			}
			if !st.Done() || st.Ending != want.Ending || len(st.Steps) != len(want.Steps) {
				t.Fatalf("ended at %q after %d steps, want %q after %d", st.Ending, len(st.Steps), want.Ending, len(want.Steps))
			}
			text := out.String()
			for _, s := range []string{
				"Rapport: " + sc.Title,
				"Customer: " + sc.Customer.Name,
				"Clock 00:",
				", inside the first 30 seconds.",
				"Apprehension: ",
				" of 100",
				"What do you say?",
				"  1. ",
				"The conversation is over.",
				"Outcome: " + string(want.Outcome) + ".",
				"The path you took, turn by turn:",
				"How you did:",
				"  First 30 seconds: ",
				"  Empathy: ",
				"  Difficult customers: ",
				"  Overall: ",
				"Key moments:",
				"  Turn 1, at ",
				"How Grace Okafor felt over time, from the start to the end:",
			} {
				if !strings.Contains(text, s) {
					t.Errorf("output lacks %q", s)
				}
			}
			if got := strings.Count(text, "\nYou say: "); got != len(want.Steps) {
				t.Errorf("echoed %d trainee lines, want %d", got, len(want.Steps))
			}
			if strings.Contains(text, "\x1b") {
				t.Error("output contains an escape sequence")
			}
		})
	}
}

func TestRunRepromptsOnJunk(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	var out strings.Builder
	_, err := Run(context.Background(), strings.NewReader("abc\n0\n99\n\n"+ones), &out, sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, s := range []string{
		`"abc" is not one of the choices.`,
		`"0" is not one of the choices.`,
		`"99" is not one of the choices.`,
		"Nothing was typed.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	// Each rejected answer asks again: four junk lines, four extra prompts.
	prompts := strings.Count(text, "Type a number from 1 to ")
	steps := strings.Count(text, "\nYou say: ")
	if prompts != steps+4 {
		t.Errorf("%d prompts for %d answers and 4 junk lines", prompts, steps)
	}
}

func TestRunAbandons(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	tests := map[string]struct {
		in      string
		steps   int
		message string
	}{
		"eof at once":      {"", 0, "Input ended before the conversation did. The attempt was abandoned."},
		"eof after a turn": {"1\n", 1, "Input ended before the conversation did. The attempt was abandoned."},
		"eof after junk":   {"1\nnope\n", 1, "Input ended before the conversation did. The attempt was abandoned."},
		"q":                {"1\nq\n", 1, "You left before the conversation ended. The attempt was abandoned."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			st, err := stateOf(Run(context.Background(), strings.NewReader(tc.in), &out, sc, Options{}))
			if !errors.Is(err, ErrAbandoned) {
				t.Fatalf("err = %v, want ErrAbandoned", err)
			}
			if st.Done() || len(st.Steps) != tc.steps {
				t.Errorf("state done=%v steps=%d, want unfinished after %d", st.Done(), len(st.Steps), tc.steps)
			}
			if !strings.Contains(out.String(), tc.message) {
				t.Errorf("output lacks %q:\n%s", tc.message, out.String())
			}
		})
	}
}

func TestRunStopsOnCancelledContext(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, strings.NewReader(ones), io.Discard, sc, Options{})
	if !errors.Is(err, ErrAbandoned) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrAbandoned and context.Canceled", err)
	}
}

func TestRunSanitisesScenarioText(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	// Corrupt a copy in memory: the loader's validation would reject this
	// file, but the driver must still never pass an escape to the terminal.
	bad := *sc
	bad.Title = "\x1b]0;pwned\x07Title"
	bad.Customer.Name = "Grace\x1b[31mred\x1b[0m"
	start, _ := sc.Node(sc.Start)
	n := *start
	n.Say = []string{"\x1b[31mred\x1b[0m alert\x07"}
	n.Variants = nil
	bad.Nodes = append([]*scenario.Node{&n}, sc.Nodes[1:]...)
	bad.Index()
	var out strings.Builder
	if _, err := Run(context.Background(), strings.NewReader(ones), &out, &bad, Options{}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if strings.ContainsAny(text, "\x1b\x07") {
		t.Fatalf("escape or control character reached the output:\n%q", text)
	}
	for _, s := range []string{"Gracered says: red alert", "Rapport: Title"} {
		if !strings.Contains(text, s) {
			t.Errorf("output lacks %q", s)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunReportsWriteErrors(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	_, err := Run(context.Background(), strings.NewReader(ones), failingWriter{}, sc, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the write error", err)
	}
}

func TestPick(t *testing.T) {
	first := load(t, "first-time-caller.toml")
	second := *first
	second.ID, second.Title = "copy", "A second scenario"
	lib := []*scenario.Scenario{first, &second}
	tests := map[string]struct {
		in      string
		want    *scenario.Scenario
		err     error
		message string
	}{
		"first":    {"1\n", first, nil, ""},
		"second":   {"2\n", &second, nil, ""},
		"junk":     {"zero\n3\n2\n", &second, nil, `"zero" is not a scenario number: type a number from 1 to 2.`},
		"eof":      {"", nil, ErrAbandoned, "No scenario was chosen."},
		"quit":     {"q\n", nil, ErrAbandoned, ""},
		"no final": {"2", &second, nil, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			got, err := Pick(context.Background(), strings.NewReader(tc.in), &out, lib)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("picked %v, want %v", got, tc.want)
			}
			if !strings.Contains(out.String(), "  2. A second scenario (phone, easy).") {
				t.Errorf("list not printed:\n%s", out.String())
			}
			if !strings.Contains(out.String(), tc.message) {
				t.Errorf("output lacks %q", tc.message)
			}
		})
	}
	if _, err := Pick(context.Background(), strings.NewReader("1\n"), io.Discard, nil); err == nil {
		t.Error("Pick with an empty library succeeded")
	}
}

// Pick and Run share stdin in `rapport --plain`: Pick must not read past
// its own line.
func TestPickThenRunShareInput(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	in := unbuffered{strings.NewReader("1\n" + ones)}
	got, err := Pick(context.Background(), in, io.Discard, []*scenario.Scenario{sc})
	if err != nil || got != sc {
		t.Fatalf("Pick = %v, %v", got, err)
	}
	st, err := stateOf(Run(context.Background(), in, io.Discard, got, Options{}))
	if err != nil || !st.Done() {
		t.Fatalf("Run after Pick: done=%v err=%v", st.Done(), err)
	}
}

func TestRunFreeText(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	typed := "Good morning, this is Sam, thank you for calling. There's nothing silly about it; what does the letter say?"
	tests := map[string]struct {
		in      string
		message string
		typed   bool
	}{
		"own words":          {"t " + typed + "\n" + ones, "Your words were heard as choice ", true},
		"capital T":          {"T " + typed + "\n" + ones, "Your words were heard as choice ", true},
		"t alone re-prompts": {"t\n" + ones, "Type t, a space, then what you would say.", false},
		"escapes removed":    {"t Hello\x1b[31m there\x07\n" + ones, "did not follow that", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			st, err := stateOf(Run(context.Background(), strings.NewReader(tc.in), &out, sc, Options{}))
			if err != nil {
				t.Fatal(err)
			}
			text := out.String()
			if !strings.Contains(text, tc.message) {
				t.Errorf("output lacks %q", tc.message)
			}
			first := st.Transcript[1]
			if first.Typed != tc.typed {
				t.Fatalf("first trainee line typed=%v, want %v: %+v", first.Typed, tc.typed, first)
			}
			if tc.typed && !st.Steps[0].Unheard {
				if st.Steps[0].Match <= 0 || st.Steps[0].Match > 1 {
					t.Errorf("match score %v out of range", st.Steps[0].Match)
				}
				if strings.ContainsAny(first.Text, "\x1b\x07") {
					t.Errorf("typed text kept control characters: %q", first.Text)
				}
				if !strings.Contains(text, "You say (your own words): ") || !strings.Contains(text, "you typed your own words, taken as choice") {
					t.Errorf("typed turn not reported:\n%s", text)
				}
			}
		})
	}
}

// stateOf keeps the conversation of a Result, for tests about it alone.
func stateOf(r Result, err error) (engine.State, error) { return r.State, err }

// A signal cancels ctx while the trainee is thinking: untimed play used to
// block in a read that nothing could interrupt, so the process died with
// the attempt unsaved.
func TestRunUntimedStopsWhileWaitingForInput(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var res Result
	out := &testio.Buffer{}
	go func() {
		var err error
		res, err = Run(ctx, pr, out, sc, Options{})
		done <- err
	}()
	if _, err := io.WriteString(pw, "1\n"); err != nil {
		t.Fatal(err)
	}
	// Wait until the first answer is taken and Run waits for the second.
	for {
		if s := out.String(); strings.Count(s, "What do you say?") >= 2 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, ErrAbandoned) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want ErrAbandoned and context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after ctx was cancelled")
	}
	if len(res.State.Steps) != 1 {
		t.Errorf("steps = %d, want the 1 answered before the signal", len(res.State.Steps))
	}
}

// A wait given up (a timer, ctx) keeps the line being read for the next
// call: nothing typed is lost or read twice.
func TestLineReaderKeepsALineReadAfterAWaitEnds(t *testing.T) {
	pr, pw := io.Pipe()
	r := newLineReader(pr)
	up := make(chan time.Time, 1)
	up <- time.Time{}
	if _, err := r.readLine(context.Background(), up); !errors.Is(err, errTimeUp) {
		t.Fatalf("err = %v, want errTimeUp", err)
	}
	go io.WriteString(pw, "first\nsecond\n")
	for _, want := range []string{"first", "second"} {
		got, err := r.readLine(context.Background(), nil)
		if err != nil || got != want {
			t.Fatalf("readLine = %q, %v; want %q", got, err, want)
		}
	}
}

// TestAbandonedErrorsWrapErrAbandoned holds the two ways of abandoning to
// what fmt.Errorf with %w would have made: the same words, and
// errors.Is(err, ErrAbandoned).
func TestAbandonedErrorsWrapErrAbandoned(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{errInputEnded, fmt.Errorf("input ended before the conversation did: %w", ErrAbandoned)},
		{errLeft, fmt.Errorf("you left before the conversation ended: %w", ErrAbandoned)},
	} {
		if c.err.Error() != c.want.Error() {
			t.Errorf("%q, want %q", c.err, c.want)
		}
		if !errors.Is(c.err, ErrAbandoned) {
			t.Errorf("%q is not ErrAbandoned", c.err)
		}
	}
	if errors.Is(errLeft, errInputEnded) || errors.Is(errInputEnded, errLeft) {
		t.Error("the two ways of abandoning are the same error")
	}
}
