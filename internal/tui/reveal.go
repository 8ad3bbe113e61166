package tui

import (
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The typewriter's pace: revealStep runes every revealInterval, about 100
// characters a second, quick enough not to bore and slow enough to feel
// like someone speaking.
const (
	revealInterval = 30 * time.Millisecond
	revealStep     = 3
)

// lastRevealID hands each typewriter its own id, so ticks from a previous
// conversation (or another session's model) are never taken as ours.
var lastRevealID atomic.Int64

// revealTickMsg advances the typewriter that sent it.
type revealTickMsg struct {
	id  int64
	tag int
}

// reveal is the typewriter that shows the customer's newest line a few
// characters at a time. It counts runes; the play screen decides which
// text they belong to.
type reveal struct {
	id    int64
	tag   int
	total int
	shown int
}

func newReveal() reveal { return reveal{id: lastRevealID.Add(1)} }

// done reports whether everything is shown.
func (r reveal) done() bool { return r.shown >= r.total }

// start reveals total runes from nothing, or at once when not animating.
// The tag changes so ticks still in flight for the last line are dropped.
func (r *reveal) start(total int, animate bool) tea.Cmd {
	r.tag++
	r.total = total
	if !animate {
		r.shown = total
		return nil
	}
	r.shown = 0
	return r.tick()
}

// skip shows everything at once.
func (r *reveal) skip() {
	r.tag++
	r.shown = r.total
}

func (r reveal) tick() tea.Cmd {
	id, tag := r.id, r.tag
	return tea.Tick(revealInterval, func(time.Time) tea.Msg {
		return revealTickMsg{id: id, tag: tag}
	})
}

// update advances on one of its own ticks. changed says whether more text
// is now visible.
func (r reveal) update(msg revealTickMsg) (next reveal, cmd tea.Cmd, changed bool) {
	if msg.id != r.id || msg.tag != r.tag || r.done() {
		return r, nil, false
	}
	r.shown = min(r.total, r.shown+revealStep)
	if r.done() {
		return r, nil, true
	}
	return r, r.tick(), true
}
