package plain

import (
	"context"
	"strings"
	"testing"
)

// After the debrief, a trainee at a terminal gets numbered options; 2 and
// a turn retries from that turn, and Run then says the earlier lines again
// and answers from there.
func TestAfterAndRetry(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	var out strings.Builder
	first, err := Run(context.Background(), strings.NewReader(ones), &out, sc, Options{})
	if err != nil || len(first.State.Steps) < 3 {
		t.Fatalf("first attempt: %v, %d turns", err, len(first.State.Steps))
	}
	if !strings.Contains(out.String(), "How the overall was built:\n  Weighted mean of the scores: (") {
		t.Errorf("the debrief does not explain the overall:\n%s", out.String())
	}
	out.Reset()
	next, err := After(context.Background(), strings.NewReader("7\n2\n99\n3\n"), &out, first, true)
	if err != nil || next.Do != RetryTurn || next.Turn != 3 {
		t.Fatalf("After = %+v, %v\n%s", next, err, out.String())
	}
	text := out.String()
	for _, want := range []string{"What next?", "1. Try again from the start.", "2. Retry from a turn you choose, 1 to ",
		"3. Back to the list of scenarios.", "4. Quit.", `"7" is not one of them: type a number from 1 to 4.`,
		"From which turn?", `"99" is not one of them`} {
		if !strings.Contains(text, want) {
			t.Errorf("After lacks %q:\n%s", want, text)
		}
	}

	out.Reset()
	st := first.State
	res, err := Run(context.Background(), strings.NewReader("2\n"+ones), &out, sc, Options{Retry: &st, RetryTurn: next.Turn})
	if err != nil {
		t.Fatalf("retry: %v\n%s", err, out.String())
	}
	if res.RetryFrom != 3 || !res.Finished() {
		t.Errorf("retry from %d, finished %v; want from 3, finished", res.RetryFrom, res.Finished())
	}
	for i := range 2 {
		if res.State.Steps[i].Choice != first.State.Steps[i].Choice {
			t.Errorf("turn %d was not said again as before", i+1)
		}
	}
	text = out.String()
	if !strings.Contains(text, "Retrying from turn 3: your first 2 lines are said again as before.") ||
		!strings.Contains(text, first.State.Transcript[1].Text[:20]) {
		t.Errorf("the retry does not replay the conversation to turn 3:\n%s", text)
	}

	// Without a list, no "back to the list"; input ending is quit.
	out.Reset()
	next, err = After(context.Background(), strings.NewReader(""), &out, first, false)
	if err != nil || next.Do != Quit || strings.Contains(out.String(), "Back to the list") {
		t.Errorf("After with no list and no input = %+v, %v\n%s", next, err, out.String())
	}
}

// A typed line over the limit says it was cut, in plain mode.
func TestTypedLineCutSaysSo(t *testing.T) {
	sc := load(t, "first-time-caller.toml")
	long := "t Good morning, thank you for calling, " + strings.Repeat("and I am here to help you with that letter ", 8) + "\n"
	var out strings.Builder
	_, _ = Run(context.Background(), strings.NewReader(long+ones), &out, sc, Options{})
	if !strings.Contains(out.String(), "A line can be at most 280 characters: the rest was left out.") {
		t.Errorf("no word about the cut line:\n%.2000s", out.String())
	}
}
