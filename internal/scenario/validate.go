package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Validate checks a scenario built in memory (by a generator or a test) with
// the same rules the loader applies to files, without file positions beyond
// those stored on the values.
func Validate(sc *Scenario) Diagnostics {
	sc.Index()
	ds := validate(sc, nil, nil)
	for i := range ds {
		ds[i].File = sc.File
	}
	ds.Sort()
	return ds
}

type checker struct {
	sc    *Scenario
	pos   *positions
	bad   map[string]bool
	diags Diagnostics
}

func (c *checker) add(p Pos, code Code, msg, hint string) {
	c.diags = append(c.diags, Diagnostic{Pos: p, Severity: SeverityOf(code), Code: code, Message: msg, Hint: hint})
}

// at finds the position of a key path, falling back to the given one when
// the scenario did not come from a file.
func (c *checker) at(path string, fallback Pos) Pos {
	if p := c.pos.at(path); p.IsValid() {
		return p
	}
	if fallback.IsValid() {
		return fallback
	}
	return Pos{1, 1}
}

// reported tells whether the decoder already reported the value at path,
// or a table holding it, as the wrong type or missing.
func (c *checker) reported(path string) bool {
	for ; path != ""; path = parentPath(path) {
		if c.bad[path] {
			return true
		}
	}
	return false
}

func validate(sc *Scenario, pos *positions, bad map[string]bool) Diagnostics {
	c := &checker{sc: sc, pos: pos, bad: bad}
	if n := len(sc.Nodes) + len(sc.Endings); n > MaxNodes {
		c.add(Pos{1, 1}, CodeTooManyNodes, fmt.Sprintf("the scenario has %d nodes and endings, more than the limit of %d", n, MaxNodes),
			"split it into several scenarios")
		return c.diags
	}
	c.texts()
	c.ids()
	c.references()
	c.flags()
	c.reachability()
	c.length()
	c.tests()
	return c.diags
}

// text checks a text that is shown as written: {agent} is not filled in it.
func (c *checker) text(path string, fallback Pos, what, s string, required bool) {
	c.checkText(path, fallback, what, s, required, false)
}

// line checks a text in which {agent} is filled with the trainee's name.
func (c *checker) line(path string, fallback Pos, what, s string, required bool) {
	c.checkText(path, fallback, what, s, required, true)
}

func (c *checker) checkText(path string, fallback Pos, what, s string, required, agent bool) {
	if c.reported(path) {
		return
	}
	if ph := unknownPlaceholder(s); ph != "" {
		c.add(c.at(path, fallback), CodePlaceholder, fmt.Sprintf("%s has the placeholder %s, which Rapport does not fill", what, ph),
			DidYouMean(strings.Trim(ph, "{}"), []string{"agent"}, "the only placeholder is {agent}, the trainee's first name; write other text without braces")+
				" (only {agent} is filled)")
	} else if !agent && strings.Contains(s, AgentPlaceholder) {
		c.add(c.at(path, fallback), CodePlaceholder, fmt.Sprintf("%s uses {agent}, which is not filled here", what),
			"{agent} is filled in what the customer and the trainee say, feedback, clarify lines and the briefing; write the text without it")
	}
	if required && strings.TrimSpace(s) == "" {
		c.add(c.at(path, fallback), CodeEmptyText, what+" is empty", "write the text, or remove the entry")
		return
	}
	if i := textsafe.Index(s); i >= 0 {
		p := c.at(path, fallback)
		c.add(p, CodeControl, fmt.Sprintf("%s contains a control character, terminal escape sequence or invisible format character such as a bidi override (byte %d)", what, i),
			`remove it: scenario text must be plain, printable text ("\n" and tabs are fine)`)
	}
}

func (c *checker) lines(path string, fallback Pos, what string, lines []string) {
	if c.reported(path) {
		return
	}
	if len(lines) == 0 {
		c.add(c.at(path, fallback), CodeEmptyText, what+" has no lines", "write at least one line")
	}
	for i, l := range lines {
		c.line(fmt.Sprintf("%s[%d]", path, i), c.at(path, fallback), what, l, true)
	}
}

func (c *checker) texts() {
	sc := c.sc
	// A missing title is reported by the decoder; an empty one here.
	titled := c.pos.has("title")
	c.text("title", Pos{}, "title", sc.Title, titled || c.pos == nil)
	c.text("summary", Pos{}, "summary", sc.Summary, false)
	c.text("author", Pos{}, "author", sc.Author, false)
	for i, t := range sc.Tags {
		c.text(fmt.Sprintf("tags[%d]", i), Pos{}, "tag", t, true)
	}
	cu := sc.Customer
	c.text("customer.name", cu.Pos, "customer name", cu.Name, true)
	c.text("customer.persona", cu.Pos, "customer persona", cu.Persona, false)
	c.text("customer.voice", cu.Pos, "customer voice", cu.Voice, false)
	c.line("customer.clarify", cu.Pos, "customer clarify", cu.Clarify, c.written("customer.clarify"))
	if b := sc.Briefing; b != nil {
		c.line("briefing.role", b.Pos, "briefing role", b.Role, c.written("briefing.role"))
		c.line("briefing.company", b.Pos, "briefing company", b.Company, c.written("briefing.company"))
		c.line("briefing.goal", b.Pos, "briefing goal", b.Goal, c.written("briefing.goal"))
		for i, o := range b.MayOffer {
			c.line(fmt.Sprintf("briefing.may_offer[%d]", i), b.Pos, "briefing may_offer entry", o, true)
		}
	}
	for i, n := range sc.Nodes {
		np := fmt.Sprintf("node[%d]", i)
		c.lines(np+".say", n.Pos, fmt.Sprintf("node %q say", n.ID), n.Say)
		c.line(np+".clarify", n.Pos, fmt.Sprintf("node %q clarify", n.ID), n.Clarify, c.written(np+".clarify"))
		for j, v := range n.Variants {
			c.lines(fmt.Sprintf("%s.variant[%d].say", np, j), v.Pos, fmt.Sprintf("node %q variant say", n.ID), v.Say)
		}
		if k := len(n.Choices); k < MinChoices || k > MaxChoices {
			c.add(n.Pos, CodeChoiceCount, fmt.Sprintf("node %q has %d choices; a node needs %d to %d", n.ID, k, MinChoices, MaxChoices),
				"a decision needs real alternatives, and more than six is too many to read under pressure")
		}
		for j, ch := range n.Choices {
			cp := fmt.Sprintf("%s.choice[%d]", np, j)
			what := fmt.Sprintf("choice %d of node %q", ch.Number, n.ID)
			c.line(cp+".say", ch.Pos, what, ch.Say, true)
			c.line(cp+".reply", ch.Pos, what+" reply", ch.Reply, c.written(cp+".reply"))
			for k, v := range ch.Replies {
				c.line(fmt.Sprintf("%s.variant[%d].reply", cp, k), v.Pos, what+" reply variant", v.Reply, true)
			}
			c.line(cp+".feedback", ch.Pos, what+" feedback", ch.Feedback, false)
			for k, t := range ch.Tags {
				c.text(fmt.Sprintf("%s.tags[%d]", cp, k), ch.Pos, what+" tag", t, true)
			}
		}
	}
	for i, e := range sc.Endings {
		c.lines(fmt.Sprintf("ending[%d].say", i), e.Pos, fmt.Sprintf("ending %q say", e.ID), e.Say)
	}
}

// written tells whether a key is written in the file. A scenario built in
// memory has no positions: its non-empty values count as written.
func (c *checker) written(path string) bool {
	return c.pos.has(path)
}

func (c *checker) ids() {
	sc := c.sc
	if sc.ID != "" && !isIdent(sc.ID) {
		c.add(c.at("id", Pos{}), CodeBadID, fmt.Sprintf("scenario id %q is not kebab-case", sc.ID),
			"use lower-case letters, digits and hyphens, starting with a letter: late-parcel")
	}
	// Positions are looked up only for an id with a problem: a long
	// file has thousands of ids and few problems.
	type idAt struct {
		path string
		p    Pos
	}
	seen := map[string]idAt{}
	check := func(path string, p Pos, kind, id string) {
		if id == "" {
			return
		}
		if !isIdent(id) {
			c.add(c.at(path, p), CodeBadID, fmt.Sprintf("%s id %q is not kebab-case", kind, id),
				"use lower-case letters, digits, - and _, starting with a letter")
		}
		if first, dup := seen[id]; dup {
			c.add(c.at(path, p), CodeDuplicateID, fmt.Sprintf("%s id %q is already used at line %d", kind, id, c.at(first.path, first.p).Line),
				"nodes and endings share one set of ids: rename one of them")
			return
		}
		seen[id] = idAt{path, p}
	}
	for i, n := range sc.Nodes {
		check("node["+strconv.Itoa(i)+"].id", n.Pos, "node", n.ID)
	}
	for i, e := range sc.Endings {
		check("ending["+strconv.Itoa(i)+"].id", e.Pos, "ending", e.ID)
	}
	for i, n := range sc.Nodes {
		byID := map[string]*Choice{}
		for j, ch := range n.Choices {
			path := "node[" + strconv.Itoa(i) + "].choice[" + strconv.Itoa(j) + "].id"
			if c.reported(path) {
				continue
			}
			if ch.IDWritten && !IsChoiceID(ch.ID) {
				c.add(c.at(path, ch.Pos), CodeBadID, fmt.Sprintf("choice id %q is not valid", ch.ID),
					"use lower-case letters, digits and hyphens: id = \"ask-order-number\"")
				continue
			}
			first, dup := byID[ch.ID]
			if !dup {
				byID[ch.ID] = ch
				continue
			}
			hint := "give each choice at a node its own id"
			if !ch.IDWritten && !first.IDWritten {
				hint = "the two choices say the same thing, so their default ids are the same: reword one, or give one an id = \"…\""
			}
			c.add(c.at(path, ch.Pos), CodeDuplicateID, fmt.Sprintf("choice %d of node %q has the id %q, like choice %d", ch.Number, n.ID, ch.ID, first.Number), hint)
		}
	}
}

func (c *checker) exists(id string) bool {
	_, n := c.sc.Node(id)
	_, e := c.sc.Ending(id)
	return n || e
}

func (c *checker) nearest(id string) string {
	var ids []string
	for _, n := range c.sc.Nodes {
		ids = append(ids, n.ID)
	}
	for _, e := range c.sc.Endings {
		ids = append(ids, e.ID)
	}
	if near := Suggest(id, ids); near != "" {
		return fmt.Sprintf("did you mean %q?", near)
	}
	return "point it at the id of a [[node]] or an [[ending]] in this file"
}

func (c *checker) references() {
	sc := c.sc
	if sc.Start != "" {
		if _, ok := sc.Node(sc.Start); !ok {
			c.add(c.at("start", Pos{}), CodeDangling, fmt.Sprintf("start %q is not a node", sc.Start), c.nearest(sc.Start))
		}
	}
	if sc.Walkout != "" {
		e, ok := sc.Ending(sc.Walkout)
		switch {
		case !ok:
			c.add(c.at("walkout", Pos{}), CodeDangling, fmt.Sprintf("walkout %q is not an ending", sc.Walkout), c.nearest(sc.Walkout))
		case e.Outcome != Lost && e.Outcome != "":
			c.add(c.at("walkout", Pos{}), CodeWalkout, fmt.Sprintf("walkout ending %q has outcome %q", e.ID, e.Outcome),
				`the customer walking out is a loss: give that ending outcome = "lost"`)
		}
	}
	for i, n := range sc.Nodes {
		for j, ch := range n.Choices {
			if ch.Next == "" {
				continue
			}
			if !c.exists(ch.Next) {
				p := c.at(fmt.Sprintf("node[%d].choice[%d].next", i, j), ch.Pos)
				c.add(p, CodeDangling, fmt.Sprintf("choice %d of node %q leads to %q, which is not a node or ending", ch.Number, n.ID, ch.Next), c.nearest(ch.Next))
			}
		}
	}
}

func (c *checker) flags() {
	set := map[string]bool{}
	read := map[string]bool{}
	for _, n := range c.sc.Nodes {
		for _, ch := range n.Choices {
			for _, f := range ch.Sets {
				set[f] = true
			}
		}
	}
	report := func(path string, p Pos, cond Cond) {
		for _, f := range cond.Flags() {
			read[f] = true
			if !set[f] {
				var known []string
				for k := range set {
					known = append(known, k)
				}
				hint := fmt.Sprintf("no choice has sets = [%q]; add it to the choice that should turn it on", f)
				if near := Suggest(f, known); near != "" {
					hint = fmt.Sprintf("did you mean %q?", near)
				}
				c.add(c.at(path, p), CodeUnsetFlag, fmt.Sprintf("condition reads flag %q, which no choice sets", f), hint)
			}
		}
	}
	for i, n := range c.sc.Nodes {
		for j, v := range n.Variants {
			report(fmt.Sprintf("node[%d].variant[%d].when", i, j), v.Pos, v.When)
		}
		for j, ch := range n.Choices {
			report(fmt.Sprintf("node[%d].choice[%d].when", i, j), ch.Pos, ch.When)
			for k, v := range ch.Replies {
				report(fmt.Sprintf("node[%d].choice[%d].variant[%d].when", i, j, k), v.Pos, v.When)
			}
		}
	}
	for i, n := range c.sc.Nodes {
		for j, ch := range n.Choices {
			for k, f := range ch.Sets {
				if !isIdent(f) {
					c.add(c.at(fmt.Sprintf("node[%d].choice[%d].sets[%d]", i, j, k), ch.Pos), CodeBadID,
						fmt.Sprintf("flag %q is not a valid name", f), "use lower-case letters, digits, - and _, starting with a letter")
					continue
				}
				if !read[f] {
					c.add(c.at(fmt.Sprintf("node[%d].choice[%d].sets[%d]", i, j, k), ch.Pos), CodeUnusedFlag,
						fmt.Sprintf("flag %q is set but no condition reads it", f),
						"read it in a when = \"…\" condition, or remove it")
					read[f] = true // report once
				}
			}
		}
	}
}

// reachability walks the graph ignoring conditions: a condition may hide a
// choice in one playthrough, but the author still needs every node to be
// reachable by some choice and every node to lead to some ending.
func (c *checker) reachability() {
	sc := c.sc
	start, ok := sc.Node(sc.Start)
	if !ok {
		return
	}
	reached := map[string]bool{start.ID: true}
	queue := []*Node{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, ch := range n.Choices {
			if reached[ch.Next] {
				continue
			}
			reached[ch.Next] = true
			if next, ok := sc.Node(ch.Next); ok {
				queue = append(queue, next)
			}
		}
	}
	if sc.Walkout != "" {
		reached[sc.Walkout] = true
	}
	for i, n := range sc.Nodes {
		if !reached[n.ID] && n.ID != "" {
			c.add(c.at(fmt.Sprintf("node[%d].id", i), n.Pos), CodeUnreachable, fmt.Sprintf("node %q cannot be reached from the start", n.ID),
				"point a choice's next at it, or remove it")
		}
	}
	for i, e := range sc.Endings {
		if !reached[e.ID] && e.ID != "" {
			c.add(c.at(fmt.Sprintf("ending[%d].id", i), e.Pos), CodeUnreachable, fmt.Sprintf("ending %q cannot be reached from the start", e.ID),
				"point a choice's next at it, or remove it")
		}
	}
	// Reverse walk from the endings: a reachable node from which no ending
	// can be reached traps the trainee in a loop.
	into := map[string][]string{}
	for _, n := range sc.Nodes {
		for _, ch := range n.Choices {
			into[ch.Next] = append(into[ch.Next], n.ID)
		}
	}
	finishes := canFinish(sc, into)
	// A trapped node that can reach a broken next is trapped because of it:
	// saying it would loop forever would send the author looking for a loop.
	broken := map[string]string{}
	var pending []string
	for _, n := range sc.Nodes {
		for _, ch := range n.Choices {
			if ch.Next != "" && !c.exists(ch.Next) && broken[n.ID] == "" {
				broken[n.ID] = ch.Next
				pending = append(pending, n.ID)
			}
		}
	}
	for len(pending) > 0 {
		id := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		for _, from := range into[id] {
			if broken[from] == "" {
				broken[from] = broken[id]
				pending = append(pending, from)
			}
		}
	}
	trapped := false
	for i, n := range sc.Nodes {
		if reached[n.ID] && !finishes[n.ID] && slices.ContainsFunc(n.Choices, func(ch *Choice) bool { return c.exists(ch.Next) }) {
			trapped = true
			hint := "the conversation would loop forever: give one of its paths a next that leads to an [[ending]]"
			if to := broken[n.ID]; to != "" {
				hint = fmt.Sprintf("its way out leads to %q, which does not exist (reported there): fix that next, and this goes too", to)
			}
			c.add(c.at(fmt.Sprintf("node[%d].id", i), n.Pos), CodeNoEnding, fmt.Sprintf("no ending can be reached from node %q", n.ID), hint)
		}
	}
	// Locked exits are looked for once nothing simpler is wrong: a broken
	// next or a flag no choice sets would be reported twice otherwise.
	if !trapped && !c.diags.HasErrors() {
		c.condTraps()
	}
}

// tests checks what can be known about an author test without playing it:
// it has steps, each step names a choice its node has, the path does not
// run past an ending, the expected ending exists and the bounds make sense.
// Whether the path is offered (conditions) and what it scores is for the
// test run in `rapport check`.
func (c *checker) tests() {
	sc := c.sc
	names := map[string]Pos{}
	endingWords := Words(Outcomes)
	for _, e := range sc.Endings {
		endingWords = append(endingWords, e.ID)
	}
	if sc.Walkout == "" {
		endingWords = append(endingWords, "walkout")
	}
	for i, t := range sc.Tests {
		tp := fmt.Sprintf("test[%d]", i)
		at := c.at(tp, t.Pos)
		if c.reported(tp) {
			continue
		}
		if t.Name != "" {
			if first, dup := names[t.Name]; dup {
				c.add(c.at(tp+".name", t.Pos), CodeBadTest, fmt.Sprintf("test name %q is already used at line %d", t.Name, first.Line),
					"give each test its own name so a failure says which one")
			} else {
				names[t.Name] = at
			}
		}
		if t.Ending != "" && !slices.Contains(endingWords, t.Ending) {
			c.add(c.at(tp+".ending", t.Pos), CodeBadTest, fmt.Sprintf("test %q expects ending %q, which is not an ending id or an outcome", t.Name, t.Ending),
				DidYouMean(t.Ending, endingWords, "use one of"))
		}
		for _, k := range TestScores {
			lo, hasLo := t.Min[k]
			hi, hasHi := t.Max[k]
			if hasLo && hasHi && lo > hi {
				c.add(c.at(tp+".min."+k, t.Pos), CodeBadTest, fmt.Sprintf("test %q wants %s at least %d and at most %d", t.Name, k, lo, hi),
					"no score can meet both bounds: lower min or raise max")
			}
		}
		if !c.reported(tp+".choices") && len(t.Choices) == 0 {
			c.add(c.at(tp+".choices", t.Pos), CodeBadTest, fmt.Sprintf("test %q has no choices", t.Name),
				"list the choice taken at each node: choices = [2, 1, 3]")
		}
		c.testPath(tp, t)
	}
}

// testPath walks a test's choices through the graph, ignoring conditions
// and patience, and reports the first step that cannot be taken.
func (c *checker) testPath(tp string, t *Test) {
	n, ok := c.sc.Node(c.sc.Start)
	if !ok {
		return
	}
	for j, k := range t.Choices {
		at := c.at(fmt.Sprintf("%s.choices[%d]", tp, j), t.Pos)
		id := ""
		if j < len(t.ChoiceIDs) {
			id = t.ChoiceIDs[j]
		}
		if k < 1 && id == "" {
			return // reported by the decoder
		}
		if n == nil {
			c.add(at, CodeBadTest, fmt.Sprintf("test %q: step %d comes after the conversation has ended", t.Name, j+1),
				fmt.Sprintf("the first %d choices already reach an ending: remove the rest", j))
			return
		}
		if id != "" {
			ch, ok := n.ChoiceByID(id)
			if !ok {
				var ids []string
				for _, ch := range n.Choices {
					ids = append(ids, ch.ID)
				}
				c.add(at, CodeBadTest, fmt.Sprintf("test %q: step %d takes choice %q, which node %q does not have", t.Name, j+1, id, n.ID),
					DidYouMean(id, ids, "its choices' ids are"))
				return
			}
			k = ch.Number
			t.Choices[j] = k
		}
		if k > len(n.Choices) {
			c.add(at, CodeBadTest, fmt.Sprintf("test %q: step %d takes choice %d, but node %q has %d choices", t.Name, j+1, k, n.ID, len(n.Choices)),
				"choices are numbered from 1 in file order at each node")
			return
		}
		next := n.Choices[k-1].Next
		if nn, ok := c.sc.Node(next); ok {
			n = nn
			continue
		}
		if _, ok := c.sc.Ending(next); !ok {
			return // a dangling next, reported already
		}
		n = nil
	}
}

// canFinish walks back from the endings along into (for each node or
// ending, the nodes with a choice leading to it) and reports every node and
// ending from which an ending can be reached.
func canFinish(sc *Scenario, into map[string][]string) map[string]bool {
	finishes := map[string]bool{}
	var back []string
	for _, e := range sc.Endings {
		finishes[e.ID] = true
		back = append(back, e.ID)
	}
	for len(back) > 0 {
		id := back[len(back)-1]
		back = back[:len(back)-1]
		for _, from := range into[id] {
			if !finishes[from] {
				finishes[from] = true
				back = append(back, from)
			}
		}
	}
	return finishes
}

// length reports a conversation that can run past MaxTurns choices. The
// analyses behind check, paths and play's debrief replay conversations
// from the start, so their cost grows with the square of its length: a
// chain of 8,400 nodes (1 MiB) ran check out of memory and paths for ten
// minutes. When the graph has no cycle the longest route counts (the
// analyses follow every route to its end); with cycles they stop at a
// fixed depth, and the shortest route to each node counts.
func (c *checker) length() {
	sc := c.sc
	start, ok := sc.Node(sc.Start)
	if !ok {
		return
	}
	// Breadth first from the start: the shortest route to each node.
	dist := map[string]int{start.ID: 0}
	order := []*Node{start}
	for i := 0; i < len(order); i++ {
		n := order[i]
		for _, ch := range n.Choices {
			next, ok := sc.Node(ch.Next)
			if _, seen := dist[ch.Next]; ok && !seen {
				dist[ch.Next] = dist[n.ID] + 1
				order = append(order, next)
			}
		}
	}
	// Longest routes, in topological order (Kahn); a cycle leaves nodes
	// unplaced, and then the shortest routes stand.
	indeg := make(map[string]int, len(order))
	for _, n := range order {
		for _, ch := range n.Choices {
			if _, ok := dist[ch.Next]; ok {
				indeg[ch.Next]++
			}
		}
	}
	longest := make(map[string]int, len(order))
	queue := []*Node{start}
	placed := 0
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		placed++
		for _, ch := range n.Choices {
			next, ok := sc.Node(ch.Next)
			if !ok {
				continue
			}
			longest[next.ID] = max(longest[next.ID], longest[n.ID]+1)
			if indeg[next.ID]--; indeg[next.ID] == 0 {
				queue = append(queue, next)
			}
		}
	}
	depth, how := dist, "can only be reached after"
	if placed == len(order) && indeg[start.ID] == 0 {
		depth, how = longest, "can be reached after"
	}
	for i, n := range sc.Nodes {
		if d, ok := depth[n.ID]; ok && d > MaxTurns {
			c.add(c.at(fmt.Sprintf("node[%d].id", i), n.Pos), CodeTooLong,
				fmt.Sprintf("node %q %s %d choices, more than the limit of %d", n.ID, how, d, MaxTurns),
				"a real conversation is far shorter: split it into several scenarios, or let choices skip ahead")
			return
		}
	}
}
