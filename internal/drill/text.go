package drill

import (
	"fmt"
	"io"
	"strings"

	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Detector reports the behaviours a scoring model hears in a response to an
// opener, each as a short phrase ready to show, such as
// `+ own name: "I'm Ravi"`. Front ends take it as an option, so tests can
// use a fixed one; Heard is the real one.
type Detector func(o *Opener, response string) []string

// Label is the rating as a word in capitals: the rating is always said in
// words, so colour is never the only cue.
func (r Rating) Label() string {
	if r == "" {
		return "UNRATED"
	}
	return strings.ToUpper(string(r))
}

// Verdict is the one-line result of a pick, such as
// "GOOD (2 of 3 points)" or "DEAD AIR, rated poor (0 of 3 points)".
func (r Result) Verdict() string {
	if r.DeadAir {
		return fmt.Sprintf("DEAD AIR, rated %s (%d of 3 points)", r.Rating, r.Rating.Points())
	}
	return fmt.Sprintf("%s (%d of 3 points)", r.Rating.Label(), r.Rating.Points())
}

// Header is the line that introduces an opener: number, channel, mood and
// where the trainee works.
func Header(s *Session, o *Opener) string {
	h := fmt.Sprintf("Opener %d of %d · %s · %s", s.Index()+1, s.Len(), o.Channel, o.Mood)
	if o.Business != "" {
		h += " · " + textsafe.Text(o.Business)
	}
	return h
}

// Score is the summary's headline, such as "7 of 10 best (22 of 30 points)".
func (s Summary) Score() string {
	return fmt.Sprintf("%d of %d best (%d of %d points)", s.Best, s.Total, s.Points, s.MaxPoints)
}

// RatingsLine counts the answers by rating, such as
// "best 7 · good 2 · weak 1 · poor 0 · dead air 0".
func (s Summary) RatingsLine() string {
	parts := make([]string, 0, len(Ratings)+1)
	for _, r := range Ratings {
		parts = append(parts, fmt.Sprintf("%s %d", r, s.Ratings[r]))
	}
	parts = append(parts, fmt.Sprintf("dead air %d", s.DeadAir))
	return strings.Join(parts, " · ")
}

// TallyLine writes a breakdown such as "phone 3/4 · chat 2/3".
func TallyLine(ts []Tally) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s %d/%d", t.Name, t.Best, t.Total)
	}
	return strings.Join(parts, " · ")
}

// MissLine describes one principle missed, such as
// "2× a customer, not an account number (no-account-number-first)".
func MissLine(m Miss) string {
	return fmt.Sprintf("%d× %s (%s)", m.Count, m.Principle.Name(), m.Principle)
}

// MaxMisses is how many principles the summary lists.
const MaxMisses = 3

// errWriter remembers the first write error so a long report can be
// written without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// WriteFeedback writes what the trainee sees after a pick, as plain text:
// the verdict, the author's feedback, the best response when it was
// missed, and what the detector heard in the pick.
func WriteFeedback(w io.Writer, r Result, detect Detector) error {
	ew := &errWriter{w: w}
	ew.printf("%s. %s\n", r.Verdict(), textsafe.Text(r.Feedback()))
	if best, n := r.Best(); r.Missed() && best != nil && r.Picked != best {
		ew.printf("The best was %d: %q\n", n, textsafe.Text(best.Say))
	}
	if detect != nil && r.Picked != nil {
		if heard := detect(r.Opener, r.Picked.Say); len(heard) > 0 {
			ew.printf("The scoring model heard: %s\n", textsafe.Text(strings.Join(heard, "; ")))
		}
	}
	return ew.err
}

// WriteSummary writes the end-of-session report as plain text.
func WriteSummary(w io.Writer, s Summary) error {
	ew := &errWriter{w: w}
	ew.printf("Drill over: %s.\n", s.Score())
	ew.printf("Ratings: %s\n", s.RatingsLine())
	ew.printf("By mood: %s\n", TallyLine(s.ByMood))
	ew.printf("By channel: %s\n", TallyLine(s.ByChannel))
	if len(s.Missed) == 0 {
		ew.printf("Principles missed: none. One of the good ones.\n")
		return ew.err
	}
	ew.printf("Principles missed most:\n")
	for _, m := range s.Missed[:min(len(s.Missed), MaxMisses)] {
		ew.printf("  %s\n", MissLine(m))
	}
	return ew.err
}
