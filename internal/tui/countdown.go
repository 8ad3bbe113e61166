package tui

import (
	"fmt"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// lastCountdownID hands each countdown its own id, so ticks from another
// conversation (or another session's model) are never taken as ours.
var lastCountdownID atomic.Int64

// countdownTickMsg redraws the countdown that sent it and checks whether
// its time has run out. Like the typewriter's ticks (and bubbles' spinner),
// it carries the countdown's id and the decision's tag: a tick still in
// flight for a decision already answered is dropped.
type countdownTickMsg struct {
	id  int64
	tag int
}

// countdown times one decision in timed play. It starts when the
// customer's line has been shown in full and measures, with the injected
// clock, how long the trainee takes to answer. Ticks only redraw it and
// notice the limit passing; the time itself always comes from the clock,
// so a late tick never makes an answer look quicker than it was.
type countdown struct {
	id    int64
	tag   int
	limit time.Duration
	now   func() time.Time

	// running says the current decision is being timed, since start.
	running bool
	start   time.Time
	// elapsed is the time taken so far, as of the last tick or answer.
	elapsed time.Duration
	// expired says the limit ran out: the customer heard dead air.
	expired bool
}

// newCountdown makes a countdown of limit per decision. A zero limit is
// untimed play: the countdown never runs.
func newCountdown(limit time.Duration, now func() time.Time) countdown {
	return countdown{id: lastCountdownID.Add(1), limit: limit, now: now}
}

// on reports whether play is timed.
func (c countdown) on() bool { return c.limit > 0 && c.now != nil }

// reset readies the countdown for the next decision. It does not run until
// arm; ticks in flight for the last decision become stale.
func (c *countdown) reset() {
	c.tag++
	c.running, c.expired, c.elapsed = false, false, 0
}

// arm starts timing the decision now and returns the first tick. It does
// nothing when play is untimed or the decision is already being timed.
func (c *countdown) arm() tea.Cmd {
	if !c.on() || c.running {
		return nil
	}
	c.running, c.start, c.elapsed = true, c.now(), 0
	return c.tick()
}

// measure reads the clock and returns the time taken on this decision.
func (c *countdown) measure() time.Duration {
	if c.running {
		c.elapsed = max(0, c.now().Sub(c.start))
	}
	return c.elapsed
}

// left is the time remaining, as of the last measurement.
func (c countdown) left() time.Duration { return max(0, c.limit-c.elapsed) }

// tick schedules the next redraw: when the shown second changes, and
// exactly at the limit, so dead air starts on time.
func (c countdown) tick() tea.Cmd {
	var d time.Duration
	if c.elapsed < c.limit {
		d = c.left() % time.Second
	} else {
		d = time.Second - (c.elapsed-c.limit)%time.Second
	}
	if d <= 0 {
		d = time.Second
	}
	id, tag := c.id, c.tag
	return tea.Tick(d, func(time.Time) tea.Msg { return countdownTickMsg{id: id, tag: tag} })
}

// update handles one of its own ticks. expiredNow says this tick found the
// limit passed: the caller shows the customer's reaction to the silence.
func (c countdown) update(msg countdownTickMsg) (next countdown, cmd tea.Cmd, expiredNow bool) {
	if msg.id != c.id || msg.tag != c.tag || !c.running {
		return c, nil, false
	}
	c.measure()
	if !c.expired && c.elapsed >= c.limit {
		c.expired, expiredNow = true, true
	}
	return c, c.tick(), expiredNow
}

// label says the countdown in words (the glyph only decorates): the time
// allowed before it starts, the time left while it runs, and how long the
// silence has lasted once it has run out.
func (c countdown) label() string {
	switch {
	case !c.running:
		return fmt.Sprintf("%s to answer", wholeSeconds(c.limit))
	case c.expired:
		return fmt.Sprintf("⏱ time's up · %s of silence", wholeSeconds(c.elapsed))
	}
	return fmt.Sprintf("⏱ %s left", wholeSeconds(c.left()+time.Second-1))
}

// wholeSeconds says a duration in whole seconds, rounded down: "15s".
func wholeSeconds(d time.Duration) string {
	return fmt.Sprintf("%ds", int(max(d, 0)/time.Second))
}
