package analysis

import (
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// playNode is one step of conversations that share their start: the path
// analysis plays hundreds of sampled paths and beam candidates that begin
// alike, and a tree of steps plays and scores each shared start once. A
// node holds only what its step added (st.Steps and st.Transcript), the
// way the engine gives it when restored from the parent's state without
// its transcript: the engine reads only the node, mood, flags and clock
// to go on, and scoring.Tally.Continue reads only the new lines. The
// whole conversation is put together only when asked for (whole).
type playNode struct {
	parent *playNode
	// st is the conversation after the step: its Steps and Transcript are
	// the step's alone (the root's: the customer's opening lines).
	st engine.State
	// offered are the choices offered after the step (none once done).
	offered []*scenario.Choice
	// kids are the steps played from here by play, in order of first play;
	// a nil node is a choice the engine refused.
	kids []playKid

	// need marks the nodes on the way to a finished conversation to score
	// (scoreTree); path is its score, set on the finished ones.
	need bool
	path *Path
}

type playKid struct {
	choice int
	node   *playNode
}

// playRoot starts a conversation of sc as a tree of steps.
func playRoot(sc *scenario.Scenario, opts engine.Options) (*playNode, error) {
	e, err := engine.New(sc, opts)
	if err != nil {
		return nil, err
	}
	return &playNode{st: e.State(), offered: e.Choices()}, nil
}

// stuck reports a conversation not over with no choice offered.
func (n *playNode) stuck() bool { return !n.st.Done() && len(n.offered) == 0 }

// step plays a choice from n on a fresh engine: the new node, or nil when
// the engine does not play it.
func (n *playNode) step(sc *scenario.Scenario, opts engine.Options, choice int) *playNode {
	st, offered, err := engine.NextOffered(sc, opts, n.st, step(choice))
	if err != nil {
		return nil
	}
	return &playNode{parent: n, st: st, offered: offered}
}

// play is step, remembered: a choice played from n again gives the node it
// gave the first time.
func (n *playNode) play(sc *scenario.Scenario, opts engine.Options, choice int) *playNode {
	for _, k := range n.kids {
		if k.choice == choice {
			return k.node
		}
	}
	next := n.step(sc, opts, choice)
	n.kids = append(n.kids, playKid{choice, next})
	return next
}

// chain is n and its ancestors, n first.
func (n *playNode) chain() []*playNode {
	var out []*playNode
	for p := n; p != nil; p = p.parent {
		out = append(out, p)
	}
	return out
}

// whole is the conversation up to n as the engine would hold it, played
// from the start without a break.
func (n *playNode) whole() engine.State {
	st := n.st
	st.Transcript, st.Steps = nil, nil
	chain := n.chain()
	for i := len(chain) - 1; i >= 0; i-- {
		st.Transcript = append(st.Transcript, chain[i].st.Transcript...)
		st.Steps = append(st.Steps, chain[i].st.Steps...)
	}
	return st
}

// choices are the choice numbers taken from the start to n.
func (n *playNode) choices() []int {
	chain := n.chain()
	out := make([]int, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		for _, s := range chain[i].st.Steps {
			out = append(out, s.Choice)
		}
	}
	return out
}

// continued is the tally before n's step carried through it.
func continued(before scoring.Tally, n *playNode) scoring.Tally {
	if t, ok := before.Continue(n.st); ok {
		return t
	}
	// A line with no record of what was offered: the tally needs the
	// whole conversation (it is replayed).
	return before.Extend(n.whole())
}

// scoreTree scores the finished conversations at leaves (a leaf may come
// more than once), in order, the way pathOf scores each whole: every step
// of the tree under root is read once however many leaves share it, and
// the subtrees are scored on every core.
func scoreTree(sc *scenario.Scenario, m *scoring.Memo, root *playNode, leaves []*playNode) []Path {
	for _, l := range leaves {
		for p := l; p != nil && !p.need; p = p.parent {
			p.need = true
		}
	}
	type job struct {
		n      *playNode
		before scoring.Tally
	}
	visit := func(j job) scoring.Tally {
		t := continued(j.before, j.n)
		if j.n.st.Done() {
			p := pathWith(j.n.choices(), j.n.st, t.Totals())
			j.n.path = &p
		}
		return t
	}
	var walk func(j job)
	walk = func(j job) {
		t := visit(j)
		for _, k := range j.n.kids {
			if k.node != nil && k.node.need {
				walk(job{k.node, t})
			}
		}
	}
	// Go down from the root, level by level, until there are subtrees
	// enough to share among the workers; then score each whole.
	jobs := []job{{root, m.Tally(sc)}}
	if !root.need {
		jobs = nil
	}
	for len(jobs) > 0 && len(jobs) < 16 {
		var next []job
		for _, j := range jobs {
			t := visit(j)
			for _, k := range j.n.kids {
				if k.node != nil && k.node.need {
					next = append(next, job{k.node, t})
				}
			}
		}
		jobs = next
	}
	parallel(len(jobs), func(i int) { walk(jobs[i]) })
	out := make([]Path, len(leaves))
	for i, l := range leaves {
		out[i] = *l.path
	}
	return out
}

// wholes are the whole conversations up to nodes.
func wholes(nodes []*playNode) []engine.State {
	out := make([]engine.State, len(nodes))
	for i, n := range nodes {
		out[i] = n.whole()
	}
	return out
}
