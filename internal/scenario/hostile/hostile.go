// Package hostile generates the hostile scenario and drill files that the
// loader's limits are tested and measured against: small files built to
// exhaust a TOML parser, a position index or a graph analysis. Each is at
// most scenario.MaxFileSize bytes, the largest file Rapport reads, so
// whatever a command does with one is what a user could make it do.
package hostile

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Input is one generated file.
type Input struct {
	// Name says what the file is built to stress, and doubles as its file
	// name (with .toml).
	Name string
	Src  []byte
	// Rejected is set for files the structural limits must refuse
	// (scenario.CodeTooDeep) before parsing.
	Rejected bool
	// Counted is set for files the count limits must refuse
	// (scenario.CodeTooManyNodes) before parsing. Header, when set, is the
	// header the file repeats: the error is at its first copy past the
	// limit.
	Counted bool
	Header  string
	// TooLong is set for scenarios whose conversations are too long to
	// analyse (scenario.CodeTooLong).
	TooLong bool
	// Drill is set for drill files (drill-*.toml), which only drill
	// commands read.
	Drill bool
}

// size is the target size: just under the largest file accepted.
const size = scenario.MaxFileSize - 64

// fill repeats line(i) for i = 0, 1, … after head while it fits in size.
func fill(head string, line func(i int) string) []byte {
	var b strings.Builder
	b.WriteString(head)
	for i := 0; ; i++ {
		l := line(i)
		if b.Len()+len(l) > size {
			return []byte(b.String())
		}
		b.WriteString(l)
	}
}

// nest wraps value in n levels of open/close.
func nest(key, open, value, close string, n int) []byte {
	return []byte(key + " = " + strings.Repeat(open, n) + value + strings.Repeat(close, n) + "\n")
}

// header is a valid scenario's top: what a file must start with to get past
// the first checks.
const header = "id = \"hostile\"\ntitle = \"Hostile\"\nchannel = \"chat\"\ndifficulty = \"easy\"\nstart = \"n0\"\n\n[customer]\nname = \"Ana\"\n\n"

// Inputs returns every hostile file, in a fixed order.
func Inputs() []Input {
	deepest := scenario.MaxNesting
	parts := func(n int, prefix string) string {
		p := make([]string, n)
		for i := range p {
			p[i] = fmt.Sprintf("%s%d", prefix, i)
		}
		return strings.Join(p, ".")
	}
	in := []Input{
		// The figures in issue 14, then the same shapes grown to 1 MiB.
		{Name: "inline-tables-5000-deep", Src: nest("a", "{b = ", "1", "}", 5000), Rejected: true},
		{Name: "inline-tables-10000-deep", Src: nest("a", "{b = ", "1", "}", 10000), Rejected: true},
		{Name: "inline-tables-1mib-deep", Src: nest("a", "{b=", "1", "}", size/4), Rejected: true},
		{Name: "arrays-40000-deep", Src: nest("a", "[", "1", "]", 40000), Rejected: true},
		{Name: "arrays-1mib-deep", Src: nest("a", "[", "1", "]", size/2-8), Rejected: true},
		{Name: "dotted-key-100000-parts", Src: []byte(strings.Repeat("a.", 100000) + "a = 1\n"), Rejected: true},
		{Name: "dotted-key-1mib", Src: []byte(strings.Repeat("a.", size/2-8) + "a = 1\n"), Rejected: true},
		{Name: "header-1mib-parts", Src: []byte("[" + strings.Repeat("a.", size/2-8) + "a]\n"), Rejected: true},
		{Name: "array-table-header-1mib-parts", Src: []byte("[[" + strings.Repeat("a.", size/2-8) + "a]]\n"), Rejected: true},
		{Name: "mixed-1mib-deep", Src: nest("a", "[{b=", "1", "}]", size/6), Rejected: true},
		{Name: "inline-dotted-1mib", Src: []byte("a = {" + strings.Repeat("b.", size/2-8) + "c = 1}\n"), Rejected: true},

		// Shapes the limits allow, repeated to fill the file.
		{Name: "inline-tables-at-limit", Src: fill(header, func(i int) string {
			return string(nest(fmt.Sprintf("k%d", i), "{a = ", "1", "}", deepest))
		}), Counted: true},
		{Name: "arrays-at-limit", Src: fill(header, func(i int) string {
			return string(nest(fmt.Sprintf("k%d", i), "[", "1", "]", deepest))
		}), Counted: true},
		{Name: "dotted-keys-at-limit", Src: fill(header, func(i int) string {
			return parts(scenario.MaxKeyParts, fmt.Sprintf("k%d_", i)) + " = 1\n"
		}), Counted: true},
		{Name: "nested-keys-at-limit", Src: fill(header, func(i int) string {
			return fmt.Sprintf("k%d = {%s = {%s = 1}}\n", i, parts(scenario.MaxKeyParts, "a"), parts(scenario.MaxKeyParts, "b"))
		}), Counted: true},
		{Name: "headers-at-limit", Src: fill(header, func(i int) string {
			return "[" + parts(scenario.MaxKeyParts, fmt.Sprintf("t%d_", i)) + "]\n"
		}), Counted: true},
		{Name: "array-tables-at-limit", Src: fill(header, func(i int) string {
			return "[[" + parts(scenario.MaxKeyParts, "t") + "]]\n"
		}), Counted: true},
		{Name: "node-headers", Src: fill(header, func(int) string { return "[[node]]\n" }), Counted: true, Header: "[[node]]"},
		{Name: "ending-headers", Src: fill(header, func(int) string { return "[[ending]]\n" }), Counted: true, Header: "[[ending]]"},
		{Name: "quoted-node-headers", Src: fill(header, func(int) string { return "[[ \"node\" ]]\n" }), Counted: true, Header: `[[ "node" ]]`},
		{Name: "choice-headers", Src: fill(header+"[[node]]\nid = \"n0\"\nsay = \"Hi.\"\n", func(int) string { return "[[node.choice]]\n" }), Counted: true, Header: "[[node.choice]]"},
		{Name: "variant-headers", Src: fill(header+"[[node]]\nid = \"n0\"\nsay = \"Hi.\"\n", func(int) string { return "[[node.variant]]\n" }), Counted: true, Header: "[[node.variant]]"},
		{Name: "reply-variant-headers", Src: fill(header+"[[node]]\nid = \"n0\"\nsay = \"Hi.\"\n[[node.choice]]\n", func(int) string { return "[[node . choice . variant]]\n" }), Counted: true, Header: "[[node . choice . variant]]"},
		{Name: "test-headers", Src: fill(header, func(int) string { return "[[test]]\n" }), Counted: true, Header: "[[test]]"},
		{Name: "unknown-keys", Src: fill(header, func(i int) string { return fmt.Sprintf("k%d = 1\n", i) }), Counted: true},
		{Name: "unknown-key-1mib-name", Src: []byte(strings.Repeat("k", size-8) + " = 1\n")},
		{Name: "long-string", Src: []byte("title = \"" + strings.Repeat("x", size-16) + "\"\n")},
		{Name: "escapes", Src: fill("title = \"", func(i int) string { return `\u00e9` })},
		{Name: "wide-array", Src: fill("tags = [", func(int) string { return `"a",` }), Counted: true},
		{Name: "wide-inline-table", Src: fill("customer = {", func(i int) string { return fmt.Sprintf("k%d = 1, ", i) }), Counted: true},
		{Name: "control-characters", Src: fill(header+"[[node]]\nid = \"n0\"\nsay = \"", func(int) string { return `\u001b]52;c;` })},
		{Name: "chain-of-nodes", Src: chain(scenario.MaxNodes), TooLong: true},
		{Name: "chain-at-limit", Src: chain(scenario.MaxTurns)},
		{Name: "dense-graph", Src: dense(1600, false), TooLong: true},
		{Name: "dense-graph-at-limit", Src: dense(scenario.MaxTurns, false)},
		{Name: "dense-cyclic-graph", Src: dense(5*scenario.MaxTurns-10, true)},
		{Name: "many-tests", Src: manyTests(), Counted: true, Header: "[[test]]"},
		{Name: "drill-many-openers", Src: drillOpeners(), Drill: true},
		{Name: "drill-deep", Src: append([]byte("id = \"d\"\n"), nest("opener", "[", "1", "]", size/2-16)...), Drill: true, Rejected: true},
	}
	return in
}

// chain is a valid scenario that is one long line of up to n nodes (as many
// as fit in the file).
func chain(n int) []byte {
	var b strings.Builder
	b.WriteString(header)
	for i := 0; ; i++ {
		node := fmt.Sprintf("[[node]]\nid = \"n%d\"\nsay = \"Go on.\"\n[[node.choice]]\nsay = \"Next.\"\nnext = \"n%d\"\n[[node.choice]]\nsay = \"Stop.\"\nnext = \"end\"\n", i, i+1)
		if b.Len()+len(node)+200 > size || i+2 >= n {
			fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = \"Last.\"\n[[node.choice]]\nsay = \"Bye.\"\nnext = \"end\"\n[[node.choice]]\nsay = \"Bye!\"\nnext = \"end\"\n", i)
			break
		}
		b.WriteString(node)
	}
	b.WriteString("[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Thanks.\"\n")
	return []byte(b.String())
}

// dense is a valid scenario of n nodes where every node offers six choices
// to later nodes (or, when cyclic, five and one back to the start): the
// number of paths through it is astronomical.
func dense(n int, cyclic bool) []byte {
	var b strings.Builder
	b.WriteString(header)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = \"Go on.\"\n", i)
		for c := 1; c <= scenario.MaxChoices; c++ {
			next := "end"
			if i+c < n {
				next = fmt.Sprintf("n%d", i+c)
			}
			if cyclic && c == scenario.MaxChoices {
				next = "n0"
			}
			fmt.Fprintf(&b, "[[node.choice]]\nsay = \"Choice %d.\"\nnext = %q\nsets = [\"f%d\"]\nwhen = \"anger <= 90 and not f%d\"\n", c, next, c, (c+1)%scenario.MaxChoices+1)
		}
	}
	b.WriteString("[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Thanks.\"\n")
	return []byte(b.String())
}

// manyTests is a valid scenario with as many author tests as fit, each
// walking a long chain: `check` plays every one.
func manyTests() []byte {
	var b strings.Builder
	b.WriteString(header)
	const n = scenario.MaxTurns
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("n%d", i+1)
		if i == n-1 {
			next = "end"
		}
		fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = \"Go on.\"\n[[node.choice]]\nsay = \"Next.\"\nnext = %q\n[[node.choice]]\nsay = \"Stop.\"\nnext = \"end\"\n", i, next)
	}
	b.WriteString("[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Thanks.\"\n")
	choices := strings.TrimSuffix(strings.Repeat("1, ", n), ", ")
	return fill(b.String(), func(i int) string {
		return fmt.Sprintf("[[test]]\nname = \"t%d\"\nchoices = [%s]\nending = \"end\"\n", i, choices)
	})
}

// drillOpeners is a drill with as many openers as fit.
func drillOpeners() []byte {
	return fill("id = \"many\"\ntitle = \"Many\"\n", func(i int) string {
		s := fmt.Sprintf("[[opener]]\nid = \"o%d\"\nchannel = \"phone\"\nmood = \"anxious\"\ncustomer = \"Ana\"\nsay = \"Hello.\"\n", i)
		for r, rating := range []string{"best", "flawed", "weak", "poor"} {
			s += fmt.Sprintf("[[opener.response]]\nsay = \"Response %d.\"\nrating = %q\nfeedback = \"Because.\"\n", r, rating)
		}
		return s
	})
}
