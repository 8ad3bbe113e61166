package analysis

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Discrimination thresholds.
const (
	// FlatSpread: a node whose offered choices all score within this many
	// points of each other does not discriminate (RP110).
	FlatSpread = 5
	// MinBest: the best path should reach the top band, "One of the good
	// ones" (RP111).
	MinBest = 85
	// MinGap: the best path should score at least this far above the worst,
	// so the scenario separates caring from careless (RP112).
	MinGap = 40
)

// The play screen at the smallest supported terminal, 80x24, as the TUI
// lays it out (internal/tui/play.go): one column of margin each side, and
// around the conversation a title row, a mood row, two rules and a help
// row, with at least 3 rows of transcript.
const (
	ScreenWidth  = 80
	ScreenHeight = 24
	// ChoiceColumn is the width of a choice's text: the screen less the
	// margins and the "› 1  " marker.
	ChoiceColumn = ScreenWidth - 2 - 5
	// MaxChoiceLines: the choices get at most ChoiceRows (16) rows at
	// 80x24; a choice of 7 rows or more (past about 440 characters, some 70
	// words, half a minute said aloud) takes over 40% of them and is hard to
	// compare with the others at a glance (RP120).
	MaxChoiceLines = 6
	// MaxCustomerLines: the customer's lines at one node, wrapped in the
	// transcript column; past this the start of what they said scrolls
	// away once four short choices are on screen (RP121).
	MaxCustomerLines = 6
	// ScreenRows is what the customer's lines and the choices share when
	// the persona and voice lines are hidden: 24 less title, mood, two
	// rules and help. Past ChoiceRows the TUI shortens every choice but the
	// selected one to a single line (RP122).
	ScreenRows = ScreenHeight - 5
	ChoiceRows = ScreenRows - 3
)

// stampWidth is the "00:00 " clock before every transcript line.
const stampWidth = 6

// CustomerColumn is the width the transcript gives the customer's words at
// 80 columns: the screen less margins, the clock and the speaker's name
// (padded to the longer of the name and "You", at most 14 columns).
func CustomerColumn(sc *scenario.Scenario) int {
	nameW := min(max(ansi.StringWidth(textsafe.Text(sc.Customer.Name)), len("You")), 14)
	return ScreenWidth - 2 - stampWidth - nameW - 2
}

// wrappedLines is how many rows text takes wrapped at width, the way the
// TUI wraps it (x/ansi word wrap, long words broken).
func wrappedLines(text string, width int) int {
	text = textsafe.Text(text)
	if strings.TrimSpace(text) == "" {
		return 1
	}
	if n, ok := asciiWrappedLines(text, width); ok {
		return n
	}
	return strings.Count(ansi.Wrap(text, width, ""), "\n") + 1
}

// asciiWrappedLines is strings.Count(ansi.Wrap(text, width, ""), "\n")+1
// for a text of printable ASCII, spaces, tabs and line breaks (ok is
// false for any other): it follows ansi.Wrap's steps counting widths
// instead of building the wrapped text. `check` measures every line of a
// scenario, and building them was a tenth of its time and garbage on a
// 5,000-node one (TestASCIIWrappedLinesMatchWrap).
func asciiWrappedLines(text string, width int) (int, bool) {
	if width < 1 {
		return 0, false
	}
	// As in ansi.Wrap: cur is the width written on the row, word the
	// width of the word being gathered, space that of the white space
	// before it. Every character here is one column wide.
	rows, cur, word, space := 1, 0, 0, 0
	addWord := func() {
		if word == 0 {
			return
		}
		cur += space + word
		space, word = 0, 0
	}
	newline := func() {
		rows++
		cur, space = 0, 0
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n':
			if word == 0 {
				if cur+space > width {
					cur = 0
				}
				space = 0
			}
			addWord()
			newline()
		case c == ' ' || c == '\t':
			addWord()
			space++
		case c == '-':
			cur += space
			space = 0
			if cur+word >= width {
				word++
			} else {
				addWord()
				cur++
			}
		case c > ' ' && c < 0x7f:
			if cur == width {
				newline()
			}
			word++
			if word == width {
				addWord()
			}
			if cur+word+space > width {
				newline()
			}
		default:
			return 0, false
		}
	}
	addWord()
	return rows, true
}

func choiceLines(c *scenario.Choice) int {
	return wrappedLines(textsafe.Collapse(c.Say), ChoiceColumn)
}

func customerLines(lines []string, width int) int {
	n := 0
	for _, l := range lines {
		n += wrappedLines(l, width)
	}
	return n
}

func suggestTag(tag string) string {
	var all []string
	for _, b := range reader.Behaviors() {
		all = append(all, string(b.ID))
	}
	// Up to three edits, exact case, ties to the first in the model's order:
	// a behaviour id is longer than the keys the loader suggests for.
	if best := scenario.Nearest(tag, all, 3); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "behaviour ids are: " + strings.Join(all, ", ")
}

// shorten cuts s to about n runes at a word boundary, with an ellipsis.
func shorten(s string, n int) string {
	s = textsafe.Line(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > n/2 && r[cut] != ' ' {
		cut--
	}
	return strings.TrimRight(string(r[:cut]), " ,;:.") + "…"
}

// screenFindings measures every line as the play screen shows it at 80x24.
// A finding's words are put together only for a line that is too long:
// on a big scenario, saying what each of tens of thousands of lines is
// cost more than measuring them.
func screenFindings(sc *scenario.Scenario) scenario.Diagnostics {
	var out scenario.Diagnostics
	cw := CustomerColumn(sc)
	customer := func(p scenario.Pos, lines []string, what func() string) int {
		n := customerLines(lines, cw)
		if n > MaxCustomerLines {
			out = append(out, diag(sc, p, CodeLongCustomer,
				fmt.Sprintf("%s takes %d lines at 80 columns (the transcript column is %d wide); more than %d scroll out of view on an 80x24 screen", what(), n, cw, MaxCustomerLines),
				"cut it down, or split it across two nodes so the trainee answers in between"))
		}
		return n
	}
	reply := func(p scenario.Pos, text string, what func() string) {
		customer(p, []string{scenario.Fill(text, "")}, what)
	}
	for _, n := range sc.Nodes {
		longest := customer(n.Pos, n.Say, func() string { return fmt.Sprintf("the customer's line at node %q", n.ID) })
		for i, v := range n.Variants {
			longest = max(longest, customer(v.Pos, v.Say, func() string { return fmt.Sprintf("variant %d of node %q", i+1, n.ID) }))
		}
		rows := 0
		for _, c := range n.Choices {
			if c.Reply != "" {
				reply(c.Pos, c.Reply, func() string { return fmt.Sprintf("the reply to choice %d of node %q", c.Number, n.ID) })
			}
			for i, v := range c.Replies {
				reply(v.Pos, v.Reply, func() string {
					return fmt.Sprintf("reply variant %d of choice %d of node %q", i+1, c.Number, n.ID)
				})
			}
			k := choiceLines(c)
			rows += k
			if k > MaxChoiceLines {
				out = append(out, diag(sc, c.Pos, CodeLongChoice,
					fmt.Sprintf("choice %d of node %q takes %d lines at 80 columns (%d-column choice text); keep a choice to %d", c.Number, n.ID, k, ChoiceColumn, MaxChoiceLines),
					"say one thing per choice: a trainee compares the choices at a glance"))
			}
		}
		if longest+rows > ScreenRows {
			why := "the trainee has to scroll back to read what the customer said"
			if rows > ChoiceRows {
				why = fmt.Sprintf("past %d rows the choices are cut to one line each", ChoiceRows)
			}
			out = append(out, diag(sc, n.Pos, CodeCrowdedScreen,
				fmt.Sprintf("node %q needs %d rows at 80x24 (customer %d, choices %d) where %d fit: %s", n.ID, longest+rows, longest, rows, ScreenRows, why),
				"shorten the longest choices or the customer's line"))
		}
	}
	for _, e := range sc.Endings {
		customer(e.Pos, e.Say, func() string { return fmt.Sprintf("the closing line of ending %q", e.ID) })
	}
	return out
}

// arrivals plays the scenario breadth-first on the engine, trying offered
// choices in authored order, and keeps the first state that reaches each
// node: the fewest choices, lower choice numbers first. It also returns the
// states in which no choice is offered (the trainee would be stuck).
//
// The states keep only the transcript since the trainee last spoke: what
// the customer says at the node, all ChoiceScore reads. The engine plays
// on from mood, flags and clock and never reads the transcript or the
// steps back, so the walk carries neither: copying whole transcripts at
// every restore was a quarter of `check` on a 5,000-node scenario, and
// copying the steps most of what was left of this walk. The steps are
// kept once, as the choice that led to each state from the one before
// (way), and only a stuck state, whose report lists them, is given its
// steps; a node's first state has none.
func arrivals(sc *scenario.Scenario) (map[string]engine.State, []engine.State) {
	first, _, stuck := walk(sc)
	return first, stuck
}

// walk is arrivals, with the choices offered in each node's first state
// (as the step that reached it found them), which the grades need.
func walk(sc *scenario.Scenario) (first map[string]engine.State, offered map[string][]*scenario.Choice, stuck []engine.State) {
	opts := playOptions(sc)
	e, err := engine.New(sc, opts)
	if err != nil {
		return nil, nil, nil
	}
	// queue[i] is the node of the i-th state reached, which first holds
	// (and offered its choices); ways[i] is how it was reached: the state
	// before it (-1 for the start) and the step taken.
	type way struct {
		from int
		step engine.Step
	}
	first = make(map[string]engine.State, len(sc.Nodes))
	offered = make(map[string][]*scenario.Choice, len(sc.Nodes))
	start := e.State()
	queue := make([]string, 1, len(sc.Nodes))
	queue[0] = start.Node
	ways := make([]way, 1, len(sc.Nodes))
	ways[0] = way{from: -1}
	first[start.Node] = start
	offered[start.Node] = e.Choices()
	for i := 0; i < len(queue); i++ {
		st, offers := first[queue[i]], offered[queue[i]]
		if len(offers) == 0 {
			var steps []engine.Step
			for k := i; ways[k].from >= 0; k = ways[k].from {
				steps = append(steps, ways[k].step)
			}
			slices.Reverse(steps)
			st.Steps = steps
			stuck = append(stuck, st)
			continue
		}
		// A choice either ends the conversation, fails, or arrives at the
		// node it names: one that names an ending or a node already
		// reached leads to no new first state, and is not played. Each
		// step is played by engine.Next, which neither reads nor copies
		// the transcript and leaves no engine behind.
		for _, c := range offers {
			if _, seen := first[c.Next]; seen {
				continue
			}
			if _, ok := sc.Ending(c.Next); ok {
				continue
			}
			ns, err := engine.Next(sc, opts, st, step(c.Number))
			if err != nil || ns.Done() {
				continue
			}
			if _, seen := first[ns.Node]; seen {
				continue
			}
			ns.Transcript = sinceTrainee(ns.Transcript)
			taken := ns.Steps[len(ns.Steps)-1]
			ns.Steps = nil
			first[ns.Node] = ns
			offered[ns.Node] = engine.Offered(sc, ns)
			queue = append(queue, ns.Node)
			ways = append(ways, way{from: i, step: taken})
		}
	}
	return first, offered, stuck
}

// sinceTrainee is a copy of the entries after the trainee's last line:
// every node's first state is kept until `check` is done, so it holds no
// more than it needs.
func sinceTrainee(tr []engine.Entry) []engine.Entry {
	i := len(tr)
	for i > 0 && tr[i-1].Speaker != engine.Trainee {
		i--
	}
	return slices.Clone(tr[i:])
}

// ChoiceScore is how the scoring model grades one choice at a node: the
// overall score scoring.Evaluate gives the exchange on its own — the
// customer's line as said when a breadth-first playthrough first reaches
// the node (with that mood, flags and clock), then this choice with its
// effects and, if it ends the conversation, its ending — in a conversation
// that starts from the scenario's own starting mood, so the scores that are
// assessed (Difficult customers is only assessed for an angry or complaint
// scenario) are the ones the full conversation has. Judging the line on its
// own, rather than as a change to a whole conversation's totals, keeps a
// behaviour shown earlier in the path from hiding a difference here (the
// scores count each good move once).
func ChoiceScore(sc *scenario.Scenario, n *scenario.Node, at engine.State, c *scenario.Choice) int {
	e, err := engine.Restore(sc, playOptions(sc), at)
	var offered []*scenario.Choice
	if err == nil {
		offered = e.Choices()
	}
	return newChoiceScorer(sc).score(n, at, offered, c, nil, nil)
}

// choiceExchange plays the exchange ChoiceScore grades: a one-node
// scenario and the state after the choice. ok is false when it cannot be
// played. It is what ChoiceScore means; choiceScorer plays the same
// exchange on the scenario itself, and falls back to this for a choice it
// cannot play there.
func choiceExchange(sc *scenario.Scenario, n *scenario.Node, at engine.State, c *scenario.Choice) (*scenario.Scenario, engine.State, bool) {
	tail := slices.Clone(customerTail(n, at))
	said := make([]string, len(tail))
	for j, en := range tail {
		said[j] = en.Text
	}
	const after = "~after" // not a valid id, so it cannot clash
	cc := *c
	cc.When = scenario.Cond{}
	one := &scenario.Node{ID: n.ID, Say: said, Choices: []*scenario.Choice{&cc}, Pos: n.Pos}
	ex := &scenario.Scenario{
		ID: sc.ID, Title: sc.Title, Channel: sc.Channel, Difficulty: sc.Difficulty, Tags: sc.Tags,
		Customer: sc.Customer, Start: n.ID, Nodes: []*scenario.Node{one},
	}
	if en, ok := sc.Ending(c.Next); ok {
		ex.Endings = []*scenario.Ending{en}
	} else {
		cc.Next = after
		ex.Nodes = append(ex.Nodes, &scenario.Node{ID: after})
	}
	ex.Index()
	opts := playOptions(sc)
	e, err := engine.Restore(ex, opts, engine.State{Node: n.ID, Mood: at.Mood, Flags: at.Flags, Clock: at.Clock, Transcript: tail})
	if err != nil || e.Choose(step(c.Number)) != nil {
		return nil, engine.State{}, false
	}
	return ex, e.State(), true
}

// customerTail is the customer's lines at n that end at's transcript: what
// they said when the conversation reached n.
func customerTail(n *scenario.Node, at engine.State) []engine.Entry {
	i := len(at.Transcript)
	for i > 0 && at.Transcript[i-1].Speaker == engine.Customer && at.Transcript[i-1].Node == n.ID {
		i--
	}
	return at.Transcript[i:]
}

// choiceScorer grades choices as ChoiceScore does, without building a
// scenario and an engine for each: building them was most of `check` on a
// big scenario (15,000 choices on 5,000 nodes). It plays the choice on
// the scenario itself, from the state at the node with nothing said, and
// scores the customer's lines at the node and what the choice brought as
// one conversation, which is the exchange choiceExchange builds
// (TestChoiceScoreMatchesExchange):
//   - The engine reads mood, flags and clock and never the transcript, so
//     the step is the same with or without the customer's lines before it.
//   - The choice is recorded as the only one offered, as in the one-node
//     scenario, so the scorer sees no other choice it could have been.
//   - The scorer reads the scenario's customer, channel and tags, which
//     the one-node scenario copies, and its company rules, which it does
//     not: bare is the scenario without them.
//   - After the choice only its mood and outcome count, and those are the
//     same: whatever the customer says next (the next node's lines, the
//     scenario's walkout ending or the built-in one) is said in the mood
//     the choice left.
//
// A choice it cannot play on the scenario that way (one not offered in
// the state, one whose number another choice at the node shares, or one
// that leads nowhere) is played on the one-node scenario instead.
type choiceScorer struct {
	sc   *scenario.Scenario
	bare scenario.Scenario
	opts engine.Options
}

func newChoiceScorer(sc *scenario.Scenario) *choiceScorer {
	s := &choiceScorer{sc: sc, bare: *sc, opts: playOptions(sc)}
	s.bare.Scoring = scenario.ScoringRules{}
	return s
}

// score grades c at n in the state at, where offered are the choices the
// engine offers, reading the line through memo (nil: afresh); buf is as
// for play.
func (s *choiceScorer) score(n *scenario.Node, at engine.State, offered []*scenario.Choice, c *scenario.Choice, memo *scoring.Memo, buf *[]engine.Entry) int {
	st, ok := s.play(n, at, offered, c, buf)
	if !ok {
		ex, st, ok := choiceExchange(s.sc, n, at, c)
		if !ok {
			return 0
		}
		return memo.Totals(ex, st).Overall
	}
	return memo.Totals(&s.bare, st).Overall
}

// context is what the scorer reads a choice at n in, in the state at: the
// customer's lines at the node, as the first line of a conversation (the
// turn and the clock matter only as far as that goes).
func (s *choiceScorer) context(n *scenario.Node, at engine.State) reader.Context {
	tail := customerTail(n, at)
	said := make([]string, len(tail))
	for i, e := range tail {
		said[i] = e.Text
	}
	return reader.Context{
		Customer: strings.Join(said, " "), Channel: s.sc.Channel,
		CustomerName: s.sc.Customer.Name, Mode: s.sc.Customer.Mode,
	}
}

// play is the exchange's final state, played on the scenario itself; ok
// is false when it cannot be (see choiceScorer).
//
// buf, when not nil, is memory for the exchange's transcript that the
// caller lends: the grades at a node are worked out one after another, and
// the scorer keeps nothing of a transcript once it has scored it.
func (s *choiceScorer) play(n *scenario.Node, at engine.State, offered []*scenario.Choice, c *scenario.Choice, buf *[]engine.Entry) (engine.State, bool) {
	if own, ok := s.sc.Node(n.ID); !ok || own != n || !slices.Contains(offered, c) {
		return engine.State{}, false
	}
	for _, o := range n.Choices {
		if o != c && o.Number == c.Number {
			return engine.State{}, false
		}
	}
	if _, ok := s.sc.Node(c.Next); !ok {
		if _, ok := s.sc.Ending(c.Next); !ok {
			return engine.State{}, false
		}
	}
	// engine.Next plays the step as an engine restored from the state
	// would, and leaves neither an engine nor a copy of its state behind.
	st, err := engine.Next(s.sc, s.opts, exchangeStart(n, at), step(c.Number))
	if err != nil {
		return engine.State{}, false
	}
	tail := customerTail(n, at)
	var tr []engine.Entry
	if buf != nil {
		tr = (*buf)[:0]
	}
	tr = append(append(tr, tail...), st.Transcript...)
	tr[len(tail)].Offered = []int{c.Number}
	st.Transcript = tr
	if buf != nil {
		*buf = tr
	}
	return st, true
}

// exchangeStart is the state an exchange at n is played from: at's mood,
// flags and clock, with nothing said (see choiceScorer).
func exchangeStart(n *scenario.Node, at engine.State) engine.State {
	return engine.State{Node: n.ID, Mood: at.Mood, Flags: at.Flags, Clock: at.Clock}
}

// tagFindings compares every choice's author tags with what the scoring
// model reads in its text (reader.CheckTags), in the same context the
// scoring package's own tag check uses.
func tagFindings(sc *scenario.Scenario) scenario.Diagnostics {
	tags, _ := nodeFindings(sc, nil, nil)
	return tags
}

// nodeFindings runs the two checks that read every choice: the tag check
// (tagFindings) on every node, and, given the first arrivals, the grades
// of the offered choices at every node reached with two or more (the flat
// check: nodes whose choices all score alike, by ChoiceScore). The tag check reads a choice after the node's own line
// at the node's depth, the grade reads it as a conversation's first line:
// most lines read the same whenever they are said (reader.AnalyzeTimeless),
// so where the customer's line is the same too, each choice is read once
// for both. Reading was half of each check on a 5,000-node scenario.
func nodeFindings(sc *scenario.Scenario, first map[string]engine.State, offered map[string][]*scenario.Choice) (tags, flat scenario.Diagnostics) {
	return nodeFindingsIn(sc, reader.NodeContexts(sc), first, offered)
}

// nodeFindingsIn is nodeFindings given the nodes' contexts
// (reader.NodeContexts).
func nodeFindingsIn(sc *scenario.Scenario, ctxs map[string]reader.Context, first map[string]engine.State, offered map[string][]*scenario.Choice) (tags, flat scenario.Diagnostics) {
	nodes := readNodes(sc, ctxs, first, offered)
	n := 0
	for _, nd := range nodes {
		n += len(nd.tags)
	}
	if n > 0 {
		tags = make(scenario.Diagnostics, 0, n) // thousands, on a big scenario
	}
	for _, nd := range nodes {
		tags = append(tags, nd.tags...)
	}
	return tags, flatFindings(sc, nodes)
}

// flatFindings are the nodes whose offered choices all score alike.
func flatFindings(sc *scenario.Scenario, nodes []checkedNode) scenario.Diagnostics {
	var flat scenario.Diagnostics
	for _, nd := range nodes {
		if len(nd.offered) == 0 {
			continue
		}
		lo, hi := slices.Min(nd.scores), slices.Max(nd.scores)
		if hi-lo < FlatSpread {
			parts := make([]string, len(nd.offered))
			for k, c := range nd.offered {
				parts[k] = fmt.Sprintf("%d: %d", c.Number, nd.scores[k])
			}
			flat = append(flat, diag(sc, nd.n.Pos, CodeFlatChoices,
				fmt.Sprintf("the choices at node %q all score within %d points (%s): the scoring model cannot tell a good answer from a poor one here", nd.n.ID, FlatSpread, strings.Join(parts, ", ")),
				"make one answer clearly better (empathy, ownership, a concrete next step) and another clearly worse (blame, policy, passing the buck)"))
		}
	}
	return flat
}

// checkedNode is what nodeFindings learns about one node: the tag check's
// mismatches per choice, and the grades of the choices offered on the
// first arrival (none when it is not reached, or offers fewer than two).
type checkedNode struct {
	n       *scenario.Node
	tags    scenario.Diagnostics // the tag check's findings
	offered []*scenario.Choice
	scores  []int
}

// readNodes does nodeFindings' reading and grading, node by node on every
// core.
//
// first and offered are the walk's (see walk): the grades are of the
// choices offered in each node's first state.
func readNodes(sc *scenario.Scenario, ctxs map[string]reader.Context, first map[string]engine.State, offered map[string][]*scenario.Choice) []checkedNode {
	nodes := make([]checkedNode, len(sc.Nodes))
	s := newChoiceScorer(sc)
	// The exchanges' transcripts are lent from node to node (see play).
	bufs := sync.Pool{New: func() any { return new([]engine.Entry) }}
	parallel(len(nodes), func(i int) {
		nd := &nodes[i]
		nd.n = sc.Nodes[i]
		ctx := ctxs[nd.n.ID]
		at := first[nd.n.ID]
		if offers := offered[nd.n.ID]; len(offers) >= 2 {
			nd.offered = offers
		}
		var known *reader.Memo
		var gradeCtx reader.Context
		if len(nd.offered) > 0 {
			gradeCtx = s.context(nd.n, at)
			if sameButWhen(ctx, gradeCtx) {
				known = reader.NewMemo()
			}
		}
		// The mismatches are dropped once they are findings: on a big
		// scenario, keeping both until every node is read was megabytes
		// more for the collector to scan and the kernel to hand out.
		found := make([][]reader.TagMismatch, len(nd.n.Choices))
		for k, c := range nd.n.Choices {
			a, timeless := reader.AnalyzeTimeless(scenario.Fill(c.Say, ctx.Agent), ctx)
			found[k] = reader.CheckTagsRead(c, ctx, a)
			if known != nil && timeless && slices.Contains(nd.offered, c) {
				known.Know(c, gradeCtx, reader.WithTags(c, gradeCtx, a))
			}
		}
		nd.tags = tagDiagnostics(sc, nd.n, ctx, found)
		if len(nd.offered) == 0 {
			return
		}
		memo := (*scoring.Memo)(nil)
		if known != nil {
			memo = scoring.MemoOn(known)
		}
		nd.scores = make([]int, len(nd.offered))
		buf := bufs.Get().(*[]engine.Entry)
		for k, c := range nd.offered {
			nd.scores[k] = s.score(nd.n, at, nd.offered, c, memo, buf)
		}
		bufs.Put(buf)
	})
	return nodes
}

// sameButWhen reports whether two contexts differ at most in the turn and
// the clock: whether a timeless reading in one is the reading in the other.
func sameButWhen(a, b reader.Context) bool {
	a.Turn, a.Elapsed = b.Turn, b.Elapsed
	return a == b
}

// tagDiagnostics are the findings of the tag check at node n, read in ctx:
// found holds each choice's mismatches.
func tagDiagnostics(sc *scenario.Scenario, n *scenario.Node, ctx reader.Context, found [][]reader.TagMismatch) scenario.Diagnostics {
	var out scenario.Diagnostics
	for k, ms := range found {
		if len(ms) == 0 {
			continue
		}
		c := n.Choices[k]
		// fmt.Sprintf("choice %d of node %q: "), without fmt: a big
		// scenario has tens of thousands of these.
		where := "choice " + strconv.Itoa(c.Number) + " of node " + strconv.Quote(n.ID) + ": "
		for _, m := range ms {
			switch m.Kind {
			case reader.TaggedNotFound:
				ctx := ctx
				if m.Tag == reader.AccountFirst || m.Tag == reader.HoldFirst {
					ctx.Turn = 0 // checked as an opening move (see CheckTags)
				}
				out = append(out, diag(sc, c.Pos, CodeTagNotShown, where+m.Message,
					"see what the model reads, in the same context: "+ScoreCommand(scenario.Fill(c.Say, ""), ctx)))
			case reader.FoundNotTagged:
				out = append(out, diag(sc, c.Pos, CodeUntaggedNegative, where+m.Message, untaggedHint(m.Tag)))
			default:
				out = append(out, diag(sc, c.Pos, CodeUnknownTag, where+m.Message, suggestTag(string(m.Tag))))
			}
		}
	}
	return out
}

// untaggedHints are the hints of RP102 for the model's behaviours, made
// once: a big scenario can have thousands of these findings, and the same
// few hints.
var untaggedHints = lazy.Value[map[reader.BehaviorID]string]{New: func() map[reader.BehaviorID]string {
	hints := map[reader.BehaviorID]string{}
	for _, b := range reader.Behaviors() {
		hints[b.ID] = makeUntaggedHint(b.ID)
	}
	return hints
}}

// untaggedHint is the hint of RP102 for a behaviour found but not tagged.
func untaggedHint(tag reader.BehaviorID) string {
	if h, ok := untaggedHints.Get()[tag]; ok {
		return h
	}
	return makeUntaggedHint(tag)
}

func makeUntaggedHint(tag reader.BehaviorID) string {
	return fmt.Sprintf("if the line is meant as a poor answer, add %q to its tags; if not, reword it", tag)
}

// ScoreCommand is the `rapport score` command line that reads text in ctx
// exactly as the analyses do: the whole line and every context flag, each
// quoted for a POSIX shell, so pasting it scores the same text the same way.
func ScoreCommand(text string, ctx reader.Context) string {
	parts := []string{"rapport score", "--channel", string(ctx.Channel)}
	if ctx.Customer != "" {
		parts = append(parts, "--customer", shellQuote(ctx.Customer))
	}
	if ctx.CustomerName != "" {
		parts = append(parts, "--name", shellQuote(ctx.CustomerName))
	}
	if ctx.Mode != "" {
		parts = append(parts, "--mode", ctx.Mode)
	}
	parts = append(parts, "--turn", strconv.Itoa(ctx.Turn), shellQuote(text))
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell: single quotes, with each single
// quote inside written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(textsafe.Line(s), "'", `'\''`) + "'"
}
