package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// The new keys decode into the values the engine and the front ends read.
func TestDecodeRepliesBriefingClarify(t *testing.T) {
	src, err := os.ReadFile("../analysis/testdata/everykey.toml")
	if err != nil {
		t.Fatal(err)
	}
	sc, ds := Parse("everykey.toml", src)
	if len(ds) > 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	b := sc.Briefing
	if b == nil || b.Role != "Adviser on the help desk, {agent}" || b.Company != "Reyes & Co" || b.Goal != "Help Ana." ||
		strings.Join(b.MayOffer, "|") != "a callback|a refund up to £20" {
		t.Errorf("briefing = %+v", b)
	}
	if sc.Customer.Clarify != "Sorry, what do you mean?" || sc.Nodes[0].Clarify != "Sorry?" {
		t.Errorf("clarify: customer %q, node %q", sc.Customer.Clarify, sc.Nodes[0].Clarify)
	}
	ch := sc.Nodes[0].Choices[0]
	if ch.ID != "warm-start" || !ch.IDWritten || ch.Reply != "Morning." || len(ch.Replies) != 1 {
		t.Fatalf("choice 1 = %+v", ch)
	}
	never := func(string) bool { return false }
	always := func(string) bool { return true }
	if got := ch.ReplyFor(Mood{}, never); got != "Morning." {
		t.Errorf("reply without the flag = %q", got)
	}
	if got := ch.ReplyFor(Mood{}, always); got != "Morning, {agent}." {
		t.Errorf("reply with the flag = %q", got)
	}
	second := sc.Nodes[0].Choices[1]
	if second.IDWritten || second.ID != DefaultChoiceID("Yes?") || second.ID != "yes-"+second.ID[4:] {
		t.Errorf("default id = %q", second.ID)
	}
	if c, ok := sc.Nodes[0].ChoiceByID("warm-start"); !ok || c != ch {
		t.Error("ChoiceByID does not find warm-start")
	}
}

// A default id is the same whatever the choice's place and however the
// line is wrapped, and differs when the line is reworded.
func TestDefaultChoiceIDIsStable(t *testing.T) {
	say := "Can I have your order number first, please?"
	id := DefaultChoiceID(say)
	if !IsChoiceID(id) || !strings.HasPrefix(id, "can-i-have-your-") || len(id) != len("can-i-have-your-")+4 {
		t.Fatalf("DefaultChoiceID = %q", id)
	}
	if got := DefaultChoiceID("Can I have your order\n  number first,   please?"); got != id {
		t.Errorf("rewrapped line changed the id: %q vs %q", got, id)
	}
	if got := DefaultChoiceID("Can I have your order number, please?"); got == id {
		t.Errorf("a reworded line kept the id %q", got)
	}
	if got := DefaultChoiceID("...!"); !strings.HasPrefix(got, "choice-") || !IsChoiceID(got) {
		t.Errorf("a line without words gets %q", got)
	}
	if got := DefaultChoiceID("I'm {agent}, héllo"); !strings.HasPrefix(got, "im-agent-hllo-") {
		t.Errorf("DefaultChoiceID keeps only a-z and 0-9: %q", got)
	}

	// Reordering the choices of a node keeps every choice's id.
	swap := func(src string) string {
		a := strings.Index(src, "  [[node.choice]]")
		b := strings.Index(src[a+1:], "  [[node.choice]]") + a + 1
		end := strings.Index(src[b:], "\n[[node]]") + b + 1
		return src[:a] + src[b:end] + src[a:b] + src[end:]
	}
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(src string) map[string]string {
		sc, ds := Parse("minimal.toml", []byte(src))
		if ds.HasErrors() {
			t.Fatalf("%v", ds)
		}
		out := map[string]string{}
		for _, ch := range sc.Nodes[0].Choices {
			out[ch.Say] = fmt.Sprintf("%s@%d", ch.ID, ch.Number)
		}
		return out
	}
	before, after := ids(string(src)), ids(swap(string(src)))
	for say, b := range before {
		a := after[say]
		bid, aid := b[:strings.IndexByte(b, '@')], a[:strings.IndexByte(a, '@')]
		if bid != aid {
			t.Errorf("%q: id %s before the swap, %s after", say, bid, aid)
		}
		if a == b {
			t.Errorf("%q: the swap did not move it (%s)", say, a)
		}
	}
}

func TestAgentName(t *testing.T) {
	for in, want := range map[string]string{
		"":                            DefaultAgent,
		"  ":                          DefaultAgent,
		"Priya Shah":                  "Priya",
		"o'brien":                     "o'brien",
		"Jean-Luc Picard":             "Jean-Luc",
		"\x1b[31mEve\x1b[0m":          "31mEve0m",
		"{agent}":                     "agent",
		"Maximilianus-Alexander-Long": "Maximilianus-Alexander-L",
	} {
		if got := AgentName(in); got != want {
			t.Errorf("AgentName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Fill("I'm {agent}. {agent}!", "Ana"); got != "I'm Ana. Ana!" {
		t.Errorf("Fill = %q", got)
	}
	if got := Fill("Hi {agent}", ""); got != "Hi "+DefaultAgent {
		t.Errorf("Fill with no name = %q", got)
	}
	lines := []string{"a", "b {agent}"}
	if got := FillAll(lines, "Bo"); got[1] != "b Bo" || lines[1] != "b {agent}" {
		t.Errorf("FillAll = %q, and the input became %q", got, lines)
	}
}

// Two files with one id: the later is an error and is left out of the
// library; an id unlike its file name is a warning.
func TestLibraryDuplicateIDs(t *testing.T) {
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"minimal.toml": {Data: src},
		"zz-copy.toml": {Data: src},
	}
	scs, ds, err := LoadDir(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 1 || scs[0].File != "minimal.toml" {
		t.Fatalf("want only minimal.toml loaded, got %d", len(scs))
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
		if d.Hint == "" {
			t.Errorf("no hint: %s", d)
		}
	}
	want := []string{
		`zz-copy.toml:1:6: warning: scenario id "minimal" does not match the file name zz-copy.toml [RP027]`,
		`zz-copy.toml:1:6: error: scenario id "minimal" is already used by minimal.toml [RP026]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWhyNever(t *testing.T) {
	f := flagState{set: map[string]bool{"a": true}, unset: map[string]bool{"b": true}}
	for src, want := range map[string]string{
		"a and not b":                 "",
		"anger >= 70":                 "",
		"b":                           `no choice on the way here sets "b"`,
		"not a":                       `"a" is always set by the time the conversation gets here`,
		"patience == 0":               "patience is never 0 while the customer is still there: at 0 they walk out",
		"anger > 60 and anger < 40":   "anger > 60 and anger < 40 contradict each other",
		"trust == 50 and trust != 50": "trust == 50 and trust != 50 contradict each other",
		"trust != 50":                 "",
	} {
		c, err := ParseCond(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := whyNever(c, f); got != want {
			t.Errorf("whyNever(%q) = %q, want %q", src, got, want)
		}
	}
}

// RP031 does not say "loop forever" when the way out is a broken link: it
// points at the link.
func TestNoEndingBecauseOfABrokenLink(t *testing.T) {
	src, err := os.ReadFile("testdata/broken-exit.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, ds := Parse("broken-exit.toml", src)
	var got []string
	for _, d := range ds {
		got = append(got, d.String()+" / "+d.Hint)
	}
	want := []string{
		`broken-exit.toml:10:6: error: no ending can be reached from node "start" [RP031] / its way out leads to "the-end", which does not exist (reported there): fix that next, and this goes too`,
		`broken-exit.toml:19:10: error: choice 2 of node "start" leads to "the-end", which is not a node or ending [RP021] / point it at the id of a [[node]] or an [[ending]] in this file`,
		`broken-exit.toml:22:6: warning: ending "end" cannot be reached from the start [RP030] / point a choice's next at it, or remove it`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An author test can name its steps by choice id, so moving a choice does
// not break it; the id is resolved to the choice's number along the path.
func TestAuthorTestsByChoiceID(t *testing.T) {
	src, err := os.ReadFile("testdata/test-ids.toml")
	if err != nil {
		t.Fatal(err)
	}
	sc, ds := Parse("test-ids.toml", src)
	var got []string
	for _, d := range ds {
		got = append(got, d.String()+" / "+d.Hint)
	}
	want := []string{
		`test-ids.toml:45:12: error: test "a typo": step 1 takes choice "wram", which node "start" does not have [RP025] / did you mean "warm"?`,
		`test-ids.toml:49:12: error: step 1 of the test is "Warm!", which is not a choice id [RP025] / write a choice number (1 = the node's first choice) or a choice's id: lower-case letters, digits and hyphens`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := sc.Tests[0].Choices; len(c) != 2 || c[0] != 1 || c[1] != 1 {
		t.Errorf("by id resolved to %v", c)
	}
}

// defaultChoiceIDReference is DefaultChoiceID as first written, lowering
// and splitting the whole line: the faster one must agree with it.
func defaultChoiceIDReference(say string) string {
	norm := strings.Join(strings.Fields(say), " ")
	sum := sha256.Sum256([]byte(norm))
	var words []string
	for _, w := range strings.Fields(strings.ToLower(norm)) {
		w = strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, w)
		if w == "" {
			continue
		}
		if len(w) > 12 {
			w = w[:12]
		}
		words = append(words, w)
		if len(words) == defaultIDWords {
			break
		}
	}
	if len(words) == 0 {
		words = []string{"choice"}
	}
	return strings.Join(words, "-") + "-" + hex.EncodeToString(sum[:2])
}

func FuzzDefaultChoiceID(f *testing.F) {
	for _, s := range []string{"", " ", "Hello there, Robin!", "  two  spaces ", "tab\there", "ÉCOLE Straße İstanbul", "a\u00a0b", "x \xff y", "Don't — ever — stop", "1 2 3 4 5 6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := DefaultChoiceID(s), defaultChoiceIDReference(s); got != want {
			t.Fatalf("DefaultChoiceID(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestDefaultChoiceIDMatchesReference(t *testing.T) {
	for name, src := range testFiles(t) {
		sc, _ := Parse(name, src)
		if sc == nil {
			continue
		}
		for _, n := range sc.Nodes {
			for _, c := range n.Choices {
				if got, want := DefaultChoiceID(c.Say), defaultChoiceIDReference(c.Say); got != want {
					t.Errorf("%s: DefaultChoiceID(%q) = %q, want %q", name, c.Say, got, want)
				}
			}
		}
	}
}
