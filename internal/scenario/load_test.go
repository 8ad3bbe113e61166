package scenario

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// want is one expected diagnostic: its line:col, code and a piece of the
// message a trainer would read.
type want struct {
	pos  string
	code Code
	text string
}

func TestLoadReportsEveryProblemWithPosition(t *testing.T) {
	tests := map[string][]want{
		"syntax.toml": {
			{"2:22", CodeSyntax, "strings cannot contain newlines"},
		},
		"unknown-key.toml": {
			{"5:1", CodeUnknownKey, `unknown key "colour"`},
			{"9:1", CodeUnknownKey, `unknown key "angr"`},
			{"17:3", CodeUnknownKey, `unknown key "nxt"`},
			{"23:26", CodeUnknownKey, `unknown key "trsut"`},
		},
		"references.toml": {
			{"8:9", CodeRange, "trust is 140, outside 0–100"},
			{"16:10", CodeDangling, `leads to "middel"`},
			{"21:10", CodeUnsetFlag, `flag "promised_callback", which no choice sets`},
			{"36:6", CodeUnreachable, `node "orphan" cannot be reached`},
			{"47:1", CodeChoiceCount, `node "loop" has 1 choices`},
			{"48:6", CodeDuplicateID, `node id "loop" is already used at line 24`},
			{"49:7", CodeEmptyText, `node "loop" say is empty`},
			{"56:6", CodeUnreachable, `ending "end" cannot be reached`},
			{"57:11", CodeBadValue, `outcome "won" is not one of`},
		},
		"control.toml": {
			{"11:7", CodeControl, "control character, terminal escape sequence or invisible format character"},
		},
		"types.toml": {
			{"2:9", CodeType, "title must be text, found a whole number"},
			{"3:11", CodeBadValue, `channel "fax" is not one of phone, chat, in-person`},
			{"5:8", CodeType, "tags must be an array of text"},
			{"9:9", CodeType, "anger must be a whole number, found a string"},
			{"10:12", CodeRange, "patience is 0, outside 1–100"},
			{"12:1", CodeChoiceCount, `node "start" has 7 choices`},
			{"18:18", CodeBadCond, `"> 5" is not a whole number`},
			{"22:11", CodeBadCond, `"mood" is not a customer scale`},
		},
		"trap.toml": {
			{"22:6", CodeNoEnding, `no ending can be reached from node "spin"`},
			{"34:6", CodeNoEnding, `no ending can be reached from node "spin-more"`},
			{"44:11", CodeUnusedFlag, `flag "stayed" is set but no condition reads it`},
		},
		"tests.toml": {
			{"38:8", CodeBadTest, `test name "caring" is already used at line 31`},
			{"39:15", CodeBadTest, `test "caring": step 2 comes after the conversation has ended`},
			{"40:10", CodeBadTest, `expects ending "hapy", which is not an ending id or an outcome`},
			{"44:12", CodeBadTest, `step 1 takes choice 3, but node "start" has 2 choices`},
			{"45:33", CodeRange, "empathy is 200, outside 0–100"},
			{"45:38", CodeUnknownKey, `unknown key "charm" in test max`},
			{"46:19", CodeBadTest, `wants overall at least 60 and at most 40`},
			{"48:1", CodeMissing, "test has no name"},
			{"49:11", CodeBadTest, `test "" has no choices`},
			{"53:11", CodeType, "choices must be an array of choice numbers"},
		},
		"format.toml": {
			{"1:6", CodeFileName, `scenario id "format-keys" does not match the file name format.toml`},
			{"6:1", CodeMissing, "[briefing] has no role"},
			{"6:1", CodeMissing, "[briefing] has no goal"},
			{"8:37", CodeEmptyText, "briefing may_offer entry is empty"},
			{"12:11", CodePlaceholder, "customer persona uses {agent}"},
			{"13:11", CodePlaceholder, "customer clarify has the placeholder {agnet}"},
			{"18:11", CodeEmptyText, `node "start" clarify is empty`},
			{"21:8", CodeBadID, `choice id "Warm Start" is not valid`},
			{"27:12", CodeUnsetFlag, `flag "calmed", which no choice sets`},
			{"30:5", CodeMissing, "reply variant has no when"},
			{"31:13", CodeType, "reply must be text, found a whole number"},
			{"39:8", CodeDuplicateID, `choice 3 of node "start" has the id "ok", like choice 2`},
			{"47:3", CodeDuplicateID, `choice 5 of node "start" has the id "ok-`},
			{"54:7", CodePlaceholder, `ending "end" say has the placeholder {Agent}`},
		},
		"locked.toml": {
			{"24:6", CodeCondTrap, `no ending can be reached from node "spin": its way out, choice 2 (line 34), needs "noted", which can never hold here: no choice on the way here sets "noted"`},
		},
		"minimal.toml": nil,
	}
	for file, wants := range tests {
		t.Run(file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			_, got := Parse(file, src)
			if len(got) != len(wants) {
				for _, d := range got {
					t.Logf("got %s", d)
				}
				t.Fatalf("got %d diagnostics, want %d", len(got), len(wants))
			}
			for i, w := range wants {
				d := got[i]
				if d.Pos.String() != w.pos || d.Code != w.code || !strings.Contains(d.Message, w.text) {
					t.Errorf("diagnostic %d:\n got  %s\n want %s: … %s … [%s]", i, d, w.pos, w.text, w.code)
				}
				if d.File != file {
					t.Errorf("diagnostic %d names file %q, want %q", i, d.File, file)
				}
				if d.Hint == "" {
					t.Errorf("diagnostic %d has no hint: %s", i, d)
				}
				if d.Severity != SeverityOf(d.Code) {
					t.Errorf("diagnostic %d severity %s, want the code's %s", i, d.Severity, SeverityOf(d.Code))
				}
			}
		})
	}
}

func TestSyntaxErrorKeepsExcerpt(t *testing.T) {
	src, _ := os.ReadFile("testdata/syntax.toml")
	_, ds := Parse("syntax.toml", src)
	if len(ds) != 1 || !strings.Contains(ds[0].Excerpt, `title = "Broken quote`) || !strings.Contains(ds[0].Excerpt, "^") {
		t.Fatalf("excerpt should show the line with a caret, got %q", ds)
	}
}

func TestLoadMinimal(t *testing.T) {
	src, _ := os.ReadFile("testdata/minimal.toml")
	sc, ds := Parse("minimal.toml", src)
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	if sc.Start != "start" || len(sc.Nodes) != 2 || len(sc.Endings) != 2 {
		t.Fatalf("wrong shape: start=%q nodes=%d endings=%d", sc.Start, len(sc.Nodes), len(sc.Endings))
	}
	// Unset scales take documented defaults; set ones are kept.
	if want := (Mood{Apprehension: 50, Anger: 50, Trust: 50, Patience: 100}); sc.Customer.Start != want {
		t.Errorf("customer start = %+v, want %+v", sc.Customer.Start, want)
	}
	start, _ := sc.Node("start")
	if got := start.Choices[0].Effects; got != (Mood{Anger: -10, Trust: 10}) {
		t.Errorf("effects = %+v", got)
	}
	if start.Choices[1].Number != 2 {
		t.Errorf("choice numbers are 1-based in file order, got %d", start.Choices[1].Number)
	}
	mid, _ := sc.Node("middle")
	if len(mid.Say) != 2 || mid.Choices[0].When.Src != "greeted" {
		t.Errorf("middle = %+v", mid)
	}
	if len(sc.Hash) != 64 {
		t.Errorf("hash = %q, want sha256 hex", sc.Hash)
	}
}

func TestLimits(t *testing.T) {
	big := []byte(strings.Repeat("# padding\n", MaxFileSize/10+1))
	if _, ds := Parse("big.toml", big); len(ds) != 1 || ds[0].Code != CodeTooLarge {
		t.Fatalf("oversized file: got %v", ds)
	}

	var b strings.Builder
	b.WriteString("id = \"huge\"\ntitle = \"Huge\"\nchannel = \"chat\"\ndifficulty = \"easy\"\n[customer]\nname = \"X\"\n")
	for i := 0; i <= MaxNodes; i++ {
		b.WriteString("[[node]]\nid = \"n\"\nsay = \"x\"\n")
	}
	b.WriteString("[[ending]]\nid = \"e\"\noutcome = \"lost\"\nsay = \"x\"\n")
	if _, ds := Parse("huge.toml", []byte(b.String())); len(ds) != 1 || ds[0].Code != CodeTooManyNodes {
		t.Fatalf("oversized graph: got %d diagnostics, first %v", len(ds), ds[:min(len(ds), 1)])
	}
}

func TestParseCond(t *testing.T) {
	m := Mood{Apprehension: 20, Anger: 75, Trust: 40, Patience: 10}
	flags := func(f string) bool { return f == "promised_callback" }
	tests := map[string]struct {
		src   string
		holds bool
		err   string
	}{
		"comparison":    {src: "anger >= 70", holds: true},
		"false":         {src: "trust > 40", holds: false},
		"and":           {src: "anger >= 70 and promised_callback", holds: true},
		"not flag":      {src: "not promised_callback", holds: false},
		"all ops":       {src: "patience < 11 and patience <= 10 and apprehension == 20 and trust != 41", holds: true},
		"case of AND":   {src: "anger >= 70 AND trust >= 40", holds: true},
		"bad scale":     {src: "mood >= 5", err: "not a customer scale"},
		"bad number":    {src: "anger >= lots", err: "not a whole number"},
		"out of range":  {src: "anger >= 150", err: "outside 0–100"},
		"dangling and":  {src: "anger >= 5 and", err: `"and" with nothing`},
		"scale as flag": {src: "trust", err: "is a scale, not a flag"},
		"bad flag":      {src: "Promised Callback", err: "not a flag name"},
		"empty":         {src: "  ", err: "empty condition"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := ParseCond(tt.src)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseCond(%q) error = %v, want %q", tt.src, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Holds(m, flags); got != tt.holds {
				t.Errorf("%q holds = %v, want %v", tt.src, got, tt.holds)
			}
		})
	}
}

// TestLimitsAgree: a scenario at the node limit, written as authors
// write them (a line and three choices with feedback and tags a node),
// is within the file size limit, so the error a trainer sees for a
// scenario that is too big is about its nodes, not its bytes.
func TestLimitsAgree(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"big\"\ntitle = \"Big\"\nchannel = \"phone\"\ndifficulty = \"hard\"\n[customer]\nname = \"Robin Hale\"\n")
	for i := range MaxNodes - 1 {
		fmt.Fprintf(&b, "\n[[node]]\nid = \"n%d\"\nsay = \"This is the third time I've called about the parcel, ticket %d, and nothing has happened.\"\n", i, 1000+i)
		for c := range 3 {
			fmt.Fprintf(&b, "  [[node.choice]]\n  say = \"I'm so sorry about the parcel, Robin, that must be exhausting after ticket %d. I'll sort it out myself and call you by %d pm today.\"\n  next = \"n%d\"\n  effects = { apprehension = -10, anger = -15, trust = 10, patience = 0 }\n  feedback = \"An apology, her name and ownership with a time: she knows a person has taken this on.\"\n  tags = [\"apology\", \"customer_name\", \"ownership\"]\n", 1000+i, 2+c, i+1)
		}
	}
	b.WriteString("\n[[ending]]\nid = \"done\"\noutcome = \"resolved\"\nsay = \"Thank you.\"\n")
	if b.Len() > MaxFileSize {
		t.Fatalf("a scenario of %d nodes is %d bytes, over the file limit of %d", MaxNodes, b.Len(), MaxFileSize)
	}
	t.Logf("%d nodes and endings: %d bytes of %d", MaxNodes, b.Len(), MaxFileSize)
}

// TestCapKeepsSeverity: past MaxDiagnostics, the count of the problems not
// shown is an error only when one of them is. A long file whose only
// problems are 1,100 unreachable nodes (warnings) can still be played and
// analysed; one with an error past the first thousand problems cannot.
func TestCapKeepsSeverity(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"many\"\ntitle = \"Many\"\nchannel = \"phone\"\ndifficulty = \"easy\"\n[customer]\nname = \"Al\"\n")
	for i := range 1100 {
		fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = \"Hi.\"\n[[node.choice]]\nsay = \"One.\"\nnext = \"end\"\n[[node.choice]]\nsay = \"Two.\"\nnext = \"end\"\n", i)
	}
	b.WriteString("[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Bye.\"\n")
	for _, c := range []struct {
		name, extra string
		sev         Severity
	}{
		{"warnings only", "", Warning},
		{"an error past the cap", "[[ending]]\nid = \"gone\"\noutcome = \"won\"\nsay = \"Bye.\"\n", Error},
	} {
		_, ds := Parse("many.toml", []byte(b.String()+c.extra))
		if len(ds) != MaxDiagnostics+1 {
			t.Fatalf("%s: %d diagnostics, want %d", c.name, len(ds), MaxDiagnostics+1)
		}
		last := ds[len(ds)-1]
		if last.Code != CodeTooMany || last.Severity != c.sev || ds.HasErrors() != (c.sev == Error) {
			t.Errorf("%s: last diagnostic %s, has errors %v; want RP015 as a %s", c.name, last, ds.HasErrors(), c.sev)
		}
	}
}

// refCap is Cap as it was before it stopped copying every file's
// diagnostics: each file's, sorted, without counts, then capped.
func refCap(ds Diagnostics) Diagnostics {
	ds = slices.Clone(ds)
	ds.Sort()
	var out Diagnostics
	for len(ds) > 0 {
		n := 1
		for n < len(ds) && ds[n].File == ds[0].File {
			n++
		}
		file, hidden, hiddenError := ds[0].File, 0, false
		kept := slices.DeleteFunc(slices.Clone(ds[:n]), func(d Diagnostic) bool {
			if d.Code != CodeTooMany {
				return false
			}
			hidden += d.Hidden
			hiddenError = hiddenError || d.Severity == Error
			return true
		})
		out = append(out, capped(file, kept, hidden, hiddenError)...)
		ds = ds[n:]
	}
	return out
}

// TestCapPerFile: several files checked together, in any order, each over
// or under the limit, with or without a count of their own, errors before
// or past the cap: each file keeps its first MaxDiagnostics and one count
// of the rest, exactly as copying each file's problems did.
func TestCapPerFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	var ds Diagnostics
	add := func(file string, n int, errAt int, count *Diagnostic) {
		for i := range n {
			sev := Warning
			if i == errAt {
				sev = Error
			}
			ds = append(ds, Diagnostic{File: file, Pos: Pos{Line: 1 + rng.IntN(n), Col: 1 + rng.IntN(3)}, Severity: sev, Code: CodeUnreachable,
				Message: fmt.Sprintf("problem %d of %s", i, file), Hint: "fix it"})
		}
		if count != nil {
			c := *count
			c.File = file
			ds = append(ds, c)
		}
	}
	add("a.toml", 1500, -1, nil)
	add("b.toml", 10, -1, &Diagnostic{Pos: Pos{Line: 9, Col: 1}, Severity: Warning, Code: CodeTooMany, Hidden: 5})
	add("c.toml", 1200, 1100, nil)
	add("d.toml", MaxDiagnostics, 3, nil)
	add("e.toml", 1300, -1, &Diagnostic{Pos: Pos{Line: 2, Col: 1}, Severity: Error, Code: CodeTooMany, Hidden: 7})
	rng.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
	want := refCap(ds)
	got := Cap(slices.Clone(ds))
	if !slices.Equal(got, want) {
		t.Fatalf("Cap keeps %d diagnostics, the copying way %d; first difference at %d", len(got), len(want),
			func() int {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						return i
					}
				}
				return min(len(got), len(want))
			}())
	}
	counts := 0
	for _, d := range got {
		if d.Code == CodeTooMany {
			counts++
		}
	}
	if counts != 4 {
		t.Errorf("%d counts, want one for each of a, b, c and e", counts)
	}
}
