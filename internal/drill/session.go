package drill

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Errors a session returns.
var (
	// ErrDone means every opener of the session has been answered.
	ErrDone = errors.New("drill is over")
	// ErrNoResponse means a pick named no response of the opener.
	ErrNoResponse = errors.New("no such response")
	// ErrAbandoned means the trainee left before the last opener.
	ErrAbandoned = errors.New("drill abandoned")
)

// DeadAirFeedback is shown when the time runs out: silence is the first
// thing the customer hears, and it sounds like nobody is coming.
const DeadAirFeedback = "Dead air. While you searched for the words the customer heard nothing, and silence at the start reads as \"nobody here is going to help\". Say something warm at once: your name and that you are listening buy the seconds you need."

// Options configure a session.
type Options struct {
	// Seed fixes the order of the openers: the same seed gives the same
	// session, so a trainer can hand a class one order.
	Seed uint64
	// Count is how many openers the session holds; 0, or more than the
	// drill has, means all of them.
	Count int
	// Limit is the time allowed per opener; 0 means untimed. A pick that
	// arrives later counts as dead air.
	Limit time.Duration
}

// Session is one run through a drill: the openers in a seeded order and the
// results so far. It is pure: front ends feed it picks and time-outs.
type Session struct {
	drill   *Drill
	openers []*Opener
	limit   time.Duration
	seed    uint64
	results []Result
}

// NewSession shuffles the drill's openers with the seed and keeps the
// first opts.Count.
func NewSession(d *Drill, opts Options) *Session {
	order := slices.Clone(d.Openers)
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	if opts.Count > 0 && opts.Count < len(order) {
		order = order[:opts.Count]
	}
	return &Session{drill: d, openers: order, limit: max(opts.Limit, 0), seed: opts.Seed}
}

// Drill returns the drill the session runs.
func (s *Session) Drill() *Drill { return s.drill }

// Seed returns the seed the order came from.
func (s *Session) Seed() uint64 { return s.seed }

// Limit returns the time allowed per opener, 0 when untimed.
func (s *Session) Limit() time.Duration { return s.limit }

// Len returns the number of openers in the session.
func (s *Session) Len() int { return len(s.openers) }

// Index returns the 0-based position of the current opener.
func (s *Session) Index() int { return len(s.results) }

// Done reports whether every opener has been answered.
func (s *Session) Done() bool { return len(s.results) >= len(s.openers) }

// Current returns the opener waiting for an answer, or nil when done.
func (s *Session) Current() *Opener {
	if s.Done() {
		return nil
	}
	return s.openers[len(s.results)]
}

// Answer records the trainee's pick (a 1-based response number) for the
// current opener. took is how long the pick took, 0 if not measured; in a
// timed session a pick slower than the limit counts as dead air.
func (s *Session) Answer(n int, took time.Duration) (Result, error) {
	o := s.Current()
	if o == nil {
		return Result{}, ErrDone
	}
	if n < 1 || n > len(o.Responses) {
		return Result{}, fmt.Errorf("%w: %d (opener %s has %d)", ErrNoResponse, n, o.ID, len(o.Responses))
	}
	r := Result{Opener: o, Picked: o.Responses[n-1], Took: max(took, 0), Limit: s.limit}
	r.Rating = r.Picked.Rating
	if s.limit > 0 && took > s.limit {
		r.Rating, r.DeadAir = Poor, true
	}
	s.results = append(s.results, r)
	return r, nil
}

// TimeOut records that the time for the current opener ran out with no
// pick: dead air, rated poor.
func (s *Session) TimeOut() (Result, error) {
	o := s.Current()
	if o == nil {
		return Result{}, ErrDone
	}
	r := Result{Opener: o, Rating: Poor, DeadAir: true, Took: s.limit, Limit: s.limit}
	s.results = append(s.results, r)
	return r, nil
}

// Results returns the results so far, in the order answered.
func (s *Session) Results() []Result { return slices.Clone(s.results) }

// Result is the outcome of one opener.
type Result struct {
	Opener *Opener
	// Picked is the chosen response; nil when the time ran out first.
	Picked *Response
	// Rating is the picked response's rating, or Poor for dead air.
	Rating Rating
	// DeadAir is set when the time ran out, or the pick came after it.
	DeadAir bool
	// Took is how long the pick took, when measured.
	Took time.Duration
	// Limit is the session's time per opener, 0 when untimed.
	Limit time.Duration
}

// Best returns the opener's best response and its number.
func (r Result) Best() (*Response, int) { return r.Opener.Best() }

// Missed reports whether the trainee did not find the best response.
func (r Result) Missed() bool { return r.Rating != Best }

// Principle is the principle the result turns on: the one the picked
// response shows or breaks, or no-dead-air.
func (r Result) Principle() Principle {
	if r.DeadAir || r.Picked == nil {
		return NoDeadAir
	}
	return r.Picked.Principle
}

// Feedback is what the trainee reads after the pick: the author's words,
// or the dead-air lesson.
func (r Result) Feedback() string {
	switch {
	case r.Picked == nil:
		return DeadAirFeedback
	case r.DeadAir:
		return fmt.Sprintf("Too slow: you answered after %s and the limit is %s; past it, the customer hears dead air however good the words. Your pick on its own was rated %s: %s",
			r.Took.Round(100*time.Millisecond), r.Limit, r.Picked.Rating, r.Picked.Feedback)
	}
	return r.Picked.Feedback
}

// Summary is the end-of-session report.
type Summary struct {
	// Total is the number of openers answered; Best of them got the best
	// response. Best out of Total is the score.
	Total, Best int
	// Points counts best 3, good 2, weak 1, poor 0; MaxPoints is 3 × Total.
	Points, MaxPoints int
	// Ratings counts the answers by rating.
	Ratings map[Rating]int
	// DeadAir counts openers where the time ran out or the pick was late.
	DeadAir int
	// ByMood and ByChannel break the score down, in the documented order
	// of moods and channels, leaving out the ones the session did not have.
	ByMood, ByChannel []Tally
	// Missed lists the principles behind the answers that were not best,
	// the most frequent first.
	Missed []Miss
}

// Tally is the score for one mood or channel.
type Tally struct {
	Name        string
	Best, Total int
}

// Miss is a principle missed and how often.
type Miss struct {
	Principle Principle
	Count     int
}

// Summary adds up the results so far.
func (s *Session) Summary() Summary {
	sum := Summary{Ratings: map[Rating]int{}}
	moods := map[string]*Tally{}
	channels := map[string]*Tally{}
	missed := map[Principle]int{}
	for _, r := range s.results {
		sum.Total++
		sum.Ratings[r.Rating]++
		sum.Points += r.Rating.Points()
		if r.DeadAir {
			sum.DeadAir++
		}
		hit := 0
		if !r.Missed() {
			sum.Best++
			hit = 1
		} else if p := r.Principle(); p != "" {
			missed[p]++
		}
		for _, t := range []struct {
			m    map[string]*Tally
			name string
		}{{moods, string(r.Opener.Mood)}, {channels, string(r.Opener.Channel)}} {
			if t.m[t.name] == nil {
				t.m[t.name] = &Tally{Name: t.name}
			}
			t.m[t.name].Best += hit
			t.m[t.name].Total++
		}
	}
	sum.MaxPoints = 3 * sum.Total
	for _, m := range Moods {
		if t := moods[string(m)]; t != nil {
			sum.ByMood = append(sum.ByMood, *t)
		}
	}
	for _, c := range scenario.Channels {
		if t := channels[string(c)]; t != nil {
			sum.ByChannel = append(sum.ByChannel, *t)
		}
	}
	for _, p := range Principles {
		if n := missed[p]; n > 0 {
			sum.Missed = append(sum.Missed, Miss{p, n})
		}
	}
	slices.SortStableFunc(sum.Missed, func(a, b Miss) int { return b.Count - a.Count })
	return sum
}
