package drill

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/textsafe"
)

// PlainOptions configure the line-mode driver.
type PlainOptions struct {
	// Detect, when set, reports the behaviours heard in each pick.
	Detect Detector
	// Now reads the clock, to time picks in a timed session. Nil means
	// picks are not timed (and never count as dead air).
	Now func() time.Time
}

// RunPlain runs a session line by line: each opener is printed with its
// numbered responses, the trainee types a number and Enter, the feedback
// follows at once, and the summary ends the session. It draws nothing but
// lines of text, for screen readers, pipes and dumb terminals.
//
// When the input ends (or the trainee types q) before the last opener, it
// returns ErrAbandoned; the caller says so and fails.
func RunPlain(in io.Reader, out io.Writer, s *Session, o PlainOptions) error {
	ew := &errWriter{w: out}
	d := s.Drill()
	ew.printf("%s: %d openers. Answer each with its number and Enter; q stops.\n",
		textsafe.Text(d.Title), s.Len())
	if s.Limit() > 0 {
		ew.printf("Timed: answer within %s or it counts as dead air.\n", s.Limit())
	}
	lines := bufio.NewScanner(in)
	for !s.Done() {
		op := s.Current()
		ew.printf("\n%s\n", Header(s, op))
		ew.printf("%s: %q\n", textsafe.Text(op.Customer), textsafe.Text(op.Say))
		for i, r := range op.Responses {
			ew.printf("  %d. %s\n", i+1, textsafe.Text(r.Say))
		}
		var start time.Time
		if o.Now != nil {
			start = o.Now()
		}
		for {
			ew.printf("Your pick (1-%d): ", len(op.Responses))
			if ew.err != nil {
				return fmt.Errorf("write drill: %w", ew.err)
			}
			if !lines.Scan() {
				if err := lines.Err(); err != nil {
					return fmt.Errorf("read pick: %w", err)
				}
				ew.printf("\n")
				return ErrAbandoned
			}
			answer := strings.TrimSpace(lines.Text())
			if answer == "q" || answer == "quit" {
				return ErrAbandoned
			}
			n, err := strconv.Atoi(answer)
			if err != nil || n < 1 || n > len(op.Responses) {
				ew.printf("Type a number from 1 to %d, or q to stop.\n", len(op.Responses))
				continue
			}
			var took time.Duration
			if o.Now != nil {
				took = o.Now().Sub(start)
			}
			res, err := s.Answer(n, took)
			if err != nil {
				return fmt.Errorf("answer opener %s: %w", op.ID, err)
			}
			if err := WriteFeedback(out, res, o.Detect); err != nil {
				return fmt.Errorf("write drill: %w", err)
			}
			break
		}
	}
	ew.printf("\n")
	if ew.err != nil {
		return fmt.Errorf("write drill: %w", ew.err)
	}
	if err := WriteSummary(out, s.Summary()); err != nil {
		return fmt.Errorf("write drill: %w", err)
	}
	return nil
}
