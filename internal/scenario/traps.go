package scenario

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// flagState is what may be true of the flags when the conversation
// arrives at a node, over every way of getting there: which flags may be
// set, and which may be unset.
type flagState struct {
	set, unset map[string]bool
}

// merge adds what o allows to f and reports whether f grew.
func (f flagState) merge(o flagState) bool {
	grew := false
	for k := range o.set {
		if !f.set[k] {
			f.set[k], grew = true, true
		}
	}
	for k := range o.unset {
		if !f.unset[k] {
			f.unset[k], grew = true, true
		}
	}
	return grew
}

// after is the flag state once ch is taken from f.
func (f flagState) after(ch *Choice) flagState {
	out := flagState{set: maps.Clone(f.set), unset: maps.Clone(f.unset)}
	for _, fl := range ch.Sets {
		out.set[fl] = true
		delete(out.unset, fl)
	}
	for _, fl := range ch.Clears {
		out.unset[fl] = true
		delete(out.set, fl)
	}
	return out
}

// whyNever explains why cond can never hold at a node arrived at with
// flags f, or returns "" when it may hold. Scales are taken as free within
// their ranges (patience is at least 1 at a node: at 0 the customer has
// walked out), so only a contradiction among a condition's own clauses
// rules a scale out; flags follow what choices on the way set and clear.
func whyNever(cond Cond, f flagState) string {
	lo := map[Stat]int{Apprehension: 0, Anger: 0, Trust: 0, Patience: 1}
	hi := map[Stat]int{Apprehension: 100, Anger: 100, Trust: 100, Patience: 100}
	ne := map[Stat][]int{}
	var touched []Stat
	for _, cl := range cond.Clauses {
		if cl.Flag != "" {
			if !cl.Negate && !f.set[cl.Flag] {
				return fmt.Sprintf("no choice on the way here sets %q", cl.Flag)
			}
			if cl.Negate && !f.unset[cl.Flag] {
				return fmt.Sprintf("%q is always set by the time the conversation gets here", cl.Flag)
			}
			continue
		}
		touched = append(touched, cl.Stat)
		switch cl.Op {
		case ">=":
			lo[cl.Stat] = max(lo[cl.Stat], cl.Value)
		case ">":
			lo[cl.Stat] = max(lo[cl.Stat], cl.Value+1)
		case "<=":
			hi[cl.Stat] = min(hi[cl.Stat], cl.Value)
		case "<":
			hi[cl.Stat] = min(hi[cl.Stat], cl.Value-1)
		case "==":
			lo[cl.Stat] = max(lo[cl.Stat], cl.Value)
			hi[cl.Stat] = min(hi[cl.Stat], cl.Value)
		case "!=":
			ne[cl.Stat] = append(ne[cl.Stat], cl.Value)
		}
	}
	for _, st := range touched {
		l, h := lo[st], hi[st]
		empty := l > h
		if !empty && l == h && slices.Contains(ne[st], l) {
			empty = true
		}
		if !empty {
			continue
		}
		if st == Patience && h < 1 {
			return "patience is never 0 while the customer is still there: at 0 they walk out"
		}
		var parts []string
		for _, cl := range cond.Clauses {
			if cl.Flag == "" && cl.Stat == st {
				parts = append(parts, fmt.Sprintf("%s %s %d", cl.Stat, cl.Op, cl.Value))
			}
		}
		if len(parts) == 1 {
			return fmt.Sprintf("%s is outside the scale's range", parts[0])
		}
		return strings.Join(parts, " and ") + " contradict each other"
	}
	return ""
}

// condTraps finds, without playing, a node from which every way to an
// ending passes a choice whose condition can never hold there: a loop
// whose only exit is locked. It runs once every node can reach an ending
// when conditions are ignored (RP031 covers the rest), and reports the
// node holding the locked exit, naming the choice and why it stays shut.
func (c *checker) condTraps() {
	sc := c.sc
	start, ok := sc.Node(sc.Start)
	if !ok {
		return
	}
	// Which flags may be set or unset on arriving at each node, following
	// only choices whose condition may hold: a forward dataflow to a fixed
	// point (the sets only grow, so it ends).
	all := map[string]bool{}
	for _, n := range sc.Nodes {
		for _, ch := range n.Choices {
			for _, fl := range append(slices.Clone(ch.Sets), ch.Clears...) {
				all[fl] = true
			}
			for _, fl := range ch.When.Flags() {
				all[fl] = true
			}
		}
	}
	at := map[string]flagState{start.ID: {set: map[string]bool{}, unset: maps.Clone(all)}}
	work := []*Node{start}
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		f := at[n.ID]
		for _, ch := range n.Choices {
			if whyNever(ch.When, f) != "" {
				continue
			}
			next, ok := sc.Node(ch.Next)
			if !ok {
				continue
			}
			out := f.after(ch)
			cur, seen := at[next.ID]
			if !seen {
				at[next.ID] = out
				work = append(work, next)
			} else if cur.merge(out) {
				work = append(work, next)
			}
		}
	}
	// Which of those nodes can still reach an ending through choices that
	// may be offered.
	into := map[string][]string{}
	for _, n := range sc.Nodes {
		f, live := at[n.ID]
		if !live {
			continue
		}
		for _, ch := range n.Choices {
			if whyNever(ch.When, f) == "" {
				into[ch.Next] = append(into[ch.Next], n.ID)
			}
		}
	}
	finishes := canFinish(sc, into)
	for i, n := range sc.Nodes {
		f, live := at[n.ID]
		if !live || finishes[n.ID] {
			continue
		}
		for j, ch := range n.Choices {
			why := whyNever(ch.When, f)
			if why == "" {
				continue
			}
			c.add(c.at(fmt.Sprintf("node[%d].id", i), n.Pos), CodeCondTrap,
				fmt.Sprintf("no ending can be reached from node %q: its way out, choice %d (line %d), needs %q, which can never hold here: %s",
					n.ID, ch.Number, c.at(fmt.Sprintf("node[%d].choice[%d].when", i, j), ch.Pos).Line, ch.When.Src, why),
				"set the flag on a choice before this node, change the condition, or give the conversation another way out of here")
			break
		}
	}
}
