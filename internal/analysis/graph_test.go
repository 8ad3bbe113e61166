package analysis

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// hostile is a scenario whose text holds everything a graph language could
// misread: quotes, brackets, pipes, HTML, backslashes, newlines and an
// escape sequence, and ids that are keywords in Mermaid and DOT.
func hostile(t *testing.T) *scenario.Scenario {
	sc := load(t, "kettle.toml")
	n, _ := sc.Node("opening")
	n.Say = []string{"\"no\" <b>x</b> | [ok] #1 & `t` \\ a\nb \x1b[31mred"}
	n.Choices[0].When, _ = scenario.ParseCond("anger >= 70 and not sorry")
	sc.Title = `The "quoted" <title>`
	for _, e := range sc.Endings {
		if e.ID == "kept" {
			e.ID = "end" // a Mermaid keyword
		}
	}
	for _, nn := range sc.Nodes {
		for _, c := range nn.Choices {
			if c.Next == "kept" {
				c.Next = "end"
			}
		}
	}
	sc.Index()
	return sc
}

var (
	mermaidNode  = regexp.MustCompile(`^  [ne]\d+(\["[^"]*"\]|\(\["[^"]*"\]\))$`)
	mermaidEdge  = regexp.MustCompile(`^  n\d+ -->\|"[^"|]*"\| [ne]\d+$`)
	mermaidStyle = regexp.MustCompile(`^  (classDef [a-z_]+ [^ ]+( [^ ]+)*|class [ne]\d+(,[ne]\d+)* [a-z_]+)$`)
)

// TestMermaidStructure checks every line against the subset of Mermaid's
// flowchart grammar the exporter writes, with hostile text.
func TestMermaidStructure(t *testing.T) {
	sc := hostile(t)
	out := Mermaid(sc)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "---" || !strings.HasPrefix(lines[1], "title: ") || lines[2] != "---" || lines[3] != "flowchart TD" {
		t.Fatalf("header:\n%s", strings.Join(lines[:4], "\n"))
	}
	if strings.ContainsAny(lines[1][len("title: "):], `"<>`) {
		t.Errorf("title not escaped: %s", lines[1])
	}
	nodes, edges := 0, 0
	for _, l := range lines[4:] {
		switch {
		case mermaidNode.MatchString(l):
			nodes++
		case mermaidEdge.MatchString(l):
			edges++
		case mermaidStyle.MatchString(l):
		default:
			t.Errorf("line outside the grammar: %q", l)
		}
		if strings.ContainsAny(strings.NewReplacer("-->", "", "<br/>", "").Replace(l), "\x1b<>") {
			t.Errorf("raw markup or escape in %q", l)
		}
	}
	if nodes != len(sc.Nodes)+len(sc.Endings) || edges != 8 {
		t.Errorf("%d nodes and %d edges", nodes, edges)
	}
	for _, want := range []string{
		`#quot;no#quot; #lt;b#gt;x#lt;/b#gt; #124; [ok] #35;1 #amp; #96;t#96; \ a b red`,
		`-->|"1: apprehension-25 anger-20 trust+20 if:anger #gt;= 70 and not sorry"|`,
		"class e0 outcome_resolved", "class e1 outcome_kept", "class e2 outcome_lost",
		`e1(["end: kept<br/>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("mermaid lacks %q:\n%s", want, out)
		}
	}
}

func TestDOT(t *testing.T) {
	sc := hostile(t)
	out := DOT(sc)
	for _, want := range []string{
		`digraph "kettle" {`, `label="The \"quoted\" <title>";`,
		`\"no\" <b>x</b> | [ok] #1 & ` + "`t`" + ` \\ a b red`,
		`n0 -> n1 [label="1: apprehension-25 anger-20 trust+20 if:anger >= 70 and not sorry"];`,
		`shape=doubleoctagon`, `shape=invtriangle`, "e1 [label=\"end: kept\\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dot lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Error("escape sequence in DOT output")
	}
	// Structure: balanced braces and every statement line ends with ';'.
	if strings.Count(out, "{") != strings.Count(out, "}") {
		t.Error("unbalanced braces")
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if l != "}" && !strings.HasSuffix(l, ";") {
			t.Errorf("statement without ';': %q", l)
		}
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Log("graphviz not installed: the structural checks above stand in for it")
		return
	}
	for _, s := range append([]*scenario.Scenario{sc}, shipped(t)...) {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(DOT(s))
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: dot rejects the graph: %v\n%.400s", s.ID, err, msg)
		}
	}
}

func TestEffectSummary(t *testing.T) {
	c := &scenario.Choice{Effects: scenario.Mood{Anger: 10, Trust: -5}, Sets: []string{"a"}, Clears: []string{"b"}}
	if got := EffectSummary(c); got != "anger+10 trust-5 sets:a clears:b" {
		t.Errorf("summary %q", got)
	}
	if got := edgeLabel(&scenario.Choice{Number: 3}); got != "3" {
		t.Errorf("bare label %q", got)
	}
}
