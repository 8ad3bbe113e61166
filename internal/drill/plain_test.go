package drill

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// fileOrder runs the fixture in file order (a, b, c, d) so the expected
// text does not depend on the shuffle.
func fileOrder(t *testing.T, limit time.Duration) *Session {
	d := fixture(t)
	return &Session{drill: d, openers: d.Openers, limit: limit}
}

func TestPlainFromAPipe(t *testing.T) {
	in := strings.NewReader("1\nfive\n9\n4\n 2 \n3\n")
	var out bytes.Buffer
	heard := func(o *Opener, response string) []string {
		if strings.Contains(response, "Eve") {
			return []string{`customer name: "Eve"`}
		}
		return nil
	}
	if err := RunPlain(in, &out, fileOrder(t, 0), PlainOptions{Detect: heard}); err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"Warnings a trainer should see: 4 openers.",
		"Opener 1 of 4 · phone · anxious",
		`Eve: "I've had a letter about my pension and I don't understand it."`,
		"  2. Good morning. Can I take your reference number first?",
		"BEST (3 of 3 points). Relief.",
		`The scoring model heard: customer name: "Eve"`,
		"Type a number from 1 to 4, or q to stop.",
		"Opener 2 of 4 · chat · confused",
		"POOR (0 of 3 points). Invalidating.",
		`The best was 1: "Hi Fay, I'm Tom, thanks for messaging.`,
		"GOOD (2 of 3 points). Paperwork first.",
		"WEAK (1 of 3 points). Transfer first.",
		"Drill over: 1 of 4 best (6 of 12 points).",
		"Ratings: best 1 · good 1 · weak 1 · poor 1 · dead air 0",
		"By channel: phone 1/2 · chat 0/1 · in-person 0/1",
		"Principles missed most:\n  1× a customer, not an account number (no-account-number-first)\n  1× hear them before any hold or transfer (no-hold-first)\n  1× never correct or dismiss their feelings (no-invalidating)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(got, "Type a number"); n != 2 {
		t.Errorf("re-asked %d times, want 2 (for \"five\" and \"9\")", n)
	}
	if t.Failed() {
		t.Log(got)
	}
}

func TestPlainAbandoned(t *testing.T) {
	tests := map[string]string{
		"input ends": "1\n2\n",
		"q typed":    "1\nq\n3\n",
		"no input":   "",
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := RunPlain(strings.NewReader(input), &out, fileOrder(t, 0), PlainOptions{})
			if !errors.Is(err, ErrAbandoned) {
				t.Fatalf("err = %v, want ErrAbandoned", err)
			}
			if strings.Contains(out.String(), "Drill over") {
				t.Error("an abandoned drill printed a summary")
			}
		})
	}
}

// fakeClock advances by the given steps, one per reading.
func fakeClock(steps ...time.Duration) func() time.Time {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	i := 0
	return func() time.Time {
		if i < len(steps) {
			now = now.Add(steps[i])
		}
		i++
		return now
	}
}

func TestPlainTimed(t *testing.T) {
	// Readings: start, pick (3s later: in time), start, pick (12s later: late).
	clock := fakeClock(0, 3*time.Second, 0, 12*time.Second, 0, time.Second, 0, time.Second)
	var out bytes.Buffer
	s := fileOrder(t, 8*time.Second)
	if err := RunPlain(strings.NewReader("1\n1\n1\n1\n"), &out, s, PlainOptions{Now: clock}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Timed: answer within 8s or it counts as dead air.",
		"BEST (3 of 3 points). Relief.",
		"DEAD AIR, rated poor (0 of 3 points). Too slow: you answered after 12s and the limit is 8s",
		"Drill over: 3 of 4 best (9 of 12 points).",
		"dead air 1",
		"1× no dead air (no-dead-air)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestPlainWriteError(t *testing.T) {
	err := RunPlain(strings.NewReader("1\n"), failWriter{}, fileOrder(t, 0), PlainOptions{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the write error", err)
	}
}
