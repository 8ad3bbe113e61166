package analysis

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// LabelRunes is how much of a node's first customer line a graph label
// shows.
const LabelRunes = 40

// outcomeStyle is how each outcome is drawn. Colour is never the only
// cue: every ending's label also names its outcome.
var outcomeStyle = lazy.Value[map[scenario.Outcome]outcomeLook]{New: func() map[scenario.Outcome]outcomeLook {
	return map[scenario.Outcome]outcomeLook{
		scenario.Resolved:  {"#d8f3dc", "#2d6a4f", "doubleoctagon"},
		scenario.Kept:      {"#e0ecff", "#1d4e89", "octagon"},
		scenario.FollowUp:  {"#e6f4f1", "#207567", "house"},
		scenario.Escalated: {"#fff1d6", "#9c6500", "hexagon"},
		scenario.Lost:      {"#fde2e1", "#9b2226", "invtriangle"},
	}
}}

// outcomeLook is one outcome's colours and node shape.
type outcomeLook struct{ fill, stroke, shape string }

// EffectSummary describes a choice's effects, flags and condition briefly:
// "anger+10 trust-5 sets:promised if:anger >= 70".
func EffectSummary(c *scenario.Choice) string {
	var parts []string
	for _, st := range scenario.Stats {
		if v := c.Effects.Get(st); v != 0 {
			parts = append(parts, fmt.Sprintf("%s%+d", st, v))
		}
	}
	for _, f := range c.Sets {
		parts = append(parts, "sets:"+f)
	}
	for _, f := range c.Clears {
		parts = append(parts, "clears:"+f)
	}
	if !c.When.IsZero() {
		parts = append(parts, "if:"+strings.Join(strings.Fields(c.When.Src), " "))
	}
	return strings.Join(parts, " ")
}

func edgeLabel(c *scenario.Choice) string {
	if s := EffectSummary(c); s != "" {
		return fmt.Sprintf("%d: %s", c.Number, s)
	}
	return fmt.Sprintf("%d", c.Number)
}

// graphNodes numbers the nodes and endings with ids that are safe in any
// graph language (n0…, e0…): scenario ids such as "end" or "graph" are
// keywords in Mermaid or DOT.
func graphIDs(sc *scenario.Scenario) map[string]string {
	ids := map[string]string{}
	for i, n := range sc.Nodes {
		if _, dup := ids[n.ID]; !dup {
			ids[n.ID] = fmt.Sprintf("n%d", i)
		}
	}
	for i, e := range sc.Endings {
		if _, dup := ids[e.ID]; !dup {
			ids[e.ID] = fmt.Sprintf("e%d", i)
		}
	}
	return ids
}

func firstLine(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return shorten(strings.Join(lines, " "), LabelRunes)
}

func reachableIDs(sc *scenario.Scenario) map[string]bool {
	g := newGraph(sc, 1)
	out := map[string]bool{}
	for _, n := range g.nodes {
		out[n.ID] = true
		for _, c := range n.Choices {
			out[c.Next] = true
		}
	}
	if sc.Walkout != "" {
		out[sc.Walkout] = true
	}
	return out
}

// Mermaid renders the scenario as a Mermaid flowchart (GitHub renders it in
// a ```mermaid block): nodes labelled with their id and the start of the
// customer's line, edges with the choice number and its effects, endings
// styled by outcome, nodes the start cannot reach dashed.
func Mermaid(sc *scenario.Scenario) string {
	var b strings.Builder
	ids := graphIDs(sc)
	reach := reachableIDs(sc)
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", mermaidText(sc.Title+" ("+sc.ID+")"))
	b.WriteString("flowchart TD\n")
	for _, n := range sc.Nodes {
		label := n.ID
		if n.ID == sc.Start {
			label = "▶ " + label
		}
		fmt.Fprintf(&b, "  %s[\"%s<br/>%s\"]\n", ids[n.ID], mermaidText(label), mermaidText(firstLine(n.Say)))
	}
	for _, e := range sc.Endings {
		label := fmt.Sprintf("%s: %s", e.ID, e.Outcome)
		if e.ID == sc.Walkout {
			label += " (walk-out)"
		}
		fmt.Fprintf(&b, "  %s([\"%s<br/>%s\"])\n", ids[e.ID], mermaidText(label), mermaidText(firstLine(e.Say)))
	}
	for _, n := range sc.Nodes {
		for _, c := range n.Choices {
			to, ok := ids[c.Next]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", ids[n.ID], mermaidText(edgeLabel(c)), to)
		}
	}
	for _, o := range scenario.Outcomes {
		st := outcomeStyle.Get()[o]
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,stroke-width:2px\n", mermaidClass(o), st.fill, st.stroke)
	}
	b.WriteString("  classDef unreachable stroke-dasharray:5 5,color:#777\n")
	for _, e := range sc.Endings {
		if _, ok := outcomeStyle.Get()[e.Outcome]; ok {
			fmt.Fprintf(&b, "  class %s %s\n", ids[e.ID], mermaidClass(e.Outcome))
		}
	}
	var lost []string
	for _, n := range sc.Nodes {
		if !reach[n.ID] {
			lost = append(lost, ids[n.ID])
		}
	}
	for _, e := range sc.Endings {
		if !reach[e.ID] {
			lost = append(lost, ids[e.ID])
		}
	}
	if len(lost) > 0 {
		fmt.Fprintf(&b, "  class %s unreachable\n", strings.Join(lost, ","))
	}
	return b.String()
}

func mermaidClass(o scenario.Outcome) string {
	return "outcome_" + strings.ReplaceAll(string(o), "-", "_")
}

// mermaidText makes scenario text safe inside a quoted Mermaid label: it is
// sanitised and folded onto one line, and the characters Mermaid would read
// as syntax or HTML become entity codes.
func mermaidText(s string) string {
	s = textsafe.Line(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case '`':
			b.WriteString("#96;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOT renders the scenario as a Graphviz digraph: the same content as
// Mermaid, endings shaped and coloured by outcome.
func DOT(sc *scenario.Scenario) string {
	var b strings.Builder
	ids := graphIDs(sc)
	reach := reachableIDs(sc)
	fmt.Fprintf(&b, "digraph %s {\n", dotString(sc.ID))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n  rankdir=TB;\n", dotString(sc.Title))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f6f6f6\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range sc.Nodes {
		label := n.ID
		if n.ID == sc.Start {
			label = "▶ " + label
		}
		attrs := fmt.Sprintf("label=%s", dotString(label+"\n"+firstLine(n.Say)))
		if n.ID == sc.Start {
			attrs += ", penwidth=2"
		}
		if !reach[n.ID] {
			attrs += ", style=\"rounded,dashed\""
		}
		fmt.Fprintf(&b, "  %s [%s];\n", ids[n.ID], attrs)
	}
	for _, e := range sc.Endings {
		label := fmt.Sprintf("%s: %s", e.ID, e.Outcome)
		if e.ID == sc.Walkout {
			label += " (walk-out)"
		}
		st, ok := outcomeStyle.Get()[e.Outcome]
		attrs := fmt.Sprintf("label=%s", dotString(label+"\n"+firstLine(e.Say)))
		if ok {
			attrs += fmt.Sprintf(", shape=%s, style=filled, fillcolor=%s, color=%s", st.shape, dotString(st.fill), dotString(st.stroke))
		}
		if !reach[e.ID] {
			attrs += ", style=\"filled,dashed\""
		}
		fmt.Fprintf(&b, "  %s [%s];\n", ids[e.ID], attrs)
	}
	for _, n := range sc.Nodes {
		for _, c := range n.Choices {
			to, ok := ids[c.Next]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", ids[n.ID], to, dotString(edgeLabel(c)))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotString quotes s as a DOT string: sanitised, with quotes and
// backslashes escaped and line breaks as \n (a centred line in a label).
func dotString(s string) string {
	s = textsafe.Text(s)
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
