package scenario

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/rapport-sim/rapport/scenarios"
)

// splits are the ways the tests cut files: two pieces, and many small
// ones, so that even the library's short files are cut between nodes.
var splits = []split{{n: 2, min: 1}, {n: 7, min: 1}, {n: 3, min: 512}}

// sameBothWays parses src whole and in pieces every way in splits and
// fails unless the scenarios and diagnostics (text, line, column) are
// identical.
func sameBothWays(t *testing.T, name string, src []byte) {
	t.Helper()
	wantSc, wantDs := parse(name, src, whole)
	for _, sp := range splits {
		gotSc, gotDs := parse(name, src, sp)
		if !reflect.DeepEqual(gotSc, wantSc) {
			t.Errorf("%s cut %+v: the scenario differs from the whole file's", name, sp)
		}
		if !reflect.DeepEqual(gotDs, wantDs) {
			t.Errorf("%s cut %+v: diagnostics differ\n got: %v\nwant: %v", name, sp, gotDs, wantDs)
		}
	}
}

// testFiles are every scenario file the repository has: the library and
// the problem fixtures.
func testFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	lib, _ := fs.Glob(scenarios.FS, "*.toml")
	for _, n := range lib {
		if IsDrillFile(n) {
			continue
		}
		b, err := fs.ReadFile(scenarios.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		files["scenarios/"+n] = b
	}
	fixtures, _ := filepath.Glob("testdata/*.toml")
	for _, n := range fixtures {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	if len(files) < 30 {
		t.Fatalf("only %d files found", len(files))
	}
	return files
}

func TestPiecesMatchWholeFile(t *testing.T) {
	for name, src := range testFiles(t) {
		sameBothWays(t, name, src)
		sameBothWays(t, name+" (CRLF)", bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")))
	}
	big := bigTOML(600)
	sameBothWays(t, "big.toml", big)
	sameBothWays(t, "big-crlf.toml", bytes.ReplaceAll(big, []byte("\n"), []byte("\r\n")))
}

// TestPiecesAreUsed makes sure the comparisons above compare something:
// the library and a generated file really are decoded in pieces, and the
// joined document is the whole file's.
func TestPiecesAreUsed(t *testing.T) {
	files := testFiles(t)
	files["big.toml"] = bigTOML(2000)
	cut := 0
	for name, src := range files {
		lay := &layout{}
		if e := scanStructure(src, lay, nil); e != nil {
			continue
		}
		sp := split{n: 2, min: 1}
		if name == "big.toml" {
			sp = split{n: 2, min: defaultSplit.min}
		}
		cuts := lay.pieces(len(src), sp.n, sp.min)
		if cuts == nil {
			if strings.HasPrefix(name, "scenarios/") || name == "big.toml" {
				t.Errorf("%s is not cut", name)
			}
			continue
		}
		joined, ok := decodePieces(src, cuts, lay)
		var want map[string]any
		_, err := toml.Decode(string(src), &want)
		if err != nil {
			if ok {
				t.Errorf("%s: pieces decoded a file that is not TOML: %v", name, err)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: cut at %v but not joined", name, cuts)
			continue
		}
		if !reflect.DeepEqual(joined, want) {
			t.Errorf("%s: the pieces join into a different document", name)
		}
		cut++
	}
	if cut < 25 {
		t.Errorf("only %d files were decoded in pieces", cut)
	}
}

// TestPiecesRefused covers files whose later part holds what the parser
// carries from one piece to the next, or that continue a table the first
// piece holds: they must be decoded whole, with the whole file's result
// (or error, at its line and column).
func TestPiecesRefused(t *testing.T) {
	head := "id = \"x\"\ntitle = \"X\"\nchannel = \"phone\"\ndifficulty = \"easy\"\n[customer]\nname = \"Al\"\n"
	node := func(id, next string) string {
		return "[[node]]\nid = \"" + id + "\"\nsay = \"Hi.\"\n[[node.choice]]\nsay = \"One.\"\nnext = \"" + next +
			"\"\n[[node.choice]]\nsay = \"Two.\"\nnext = \"" + next + "\"\n"
	}
	end := "[[ending]]\nid = \"end\"\noutcome = \"resolved\"\nsay = \"Bye.\"\n"
	cases := map[string]struct {
		src string
		cut bool // whether the file is cut (the decode of a piece may still fail)
	}{
		"plain":             {head + node("a", "b") + node("b", "c") + node("c", "end") + end, true},
		"table after nodes": {head + node("a", "b") + node("b", "end") + "[briefing]\nrole = \"r\"\ngoal = \"g\"\n" + end, false},
		"customer twice":    {head + node("a", "b") + node("b", "end") + "[customer]\nname = \"B\"\n" + end, false},
		"dotted key in a node": {head + node("a", "b") + node("b", "end") + "[[node]]\nid = \"c\"\nsay.x = \"Hi.\"\n" +
			node("d", "e") + node("e", "end") + end, false},
		// The parser remembers that node.choice.effects held an array in
		// the first node, and so drops anger from the last one's effects
		// when the file is read whole (a quirk of BurntSushi/toml v1.6.0):
		// decoded alone, that node would keep it.
		"dotted keys after an array": {head + "[[node]]\nid = \"a\"\nsay = \"Hi.\"\n[[node.choice]]\nsay = \"One.\"\nnext = \"b\"\neffects = [1]\n" +
			node("b", "c") + node("c", "d") + node("d", "e") +
			"[[node]]\nid = \"e\"\nsay = \"Hi.\"\n[[node.choice]]\nsay = \"One.\"\nnext = \"end\"\neffects.anger = 5\neffects.trust = 3\n" +
			node("f", "end") + node("g", "end") + end, false},
		"quoted header": {head + node("a", "b") + node("b", "end") + "[[\"node\"]]\nid = \"c\"\n" + end, false},
		"static array then [[node]]": {
			head + "node = [{ id = \"a\", say = \"Hi.\" }]\n" + node("b", "end") + node("c", "end") + end, true},
		"sub-table of an earlier piece": {head + node("a", "b") + node("b", "end") + "[[ending]]\nid = \"end\"\n" + node("c", "end") + "[[ending.x]]\ny = 1\n", false},
		"ending value then [[ending]]":  {head + "ending = 3\n" + node("a", "end") + node("b", "end") + end, true},
		"syntax error late":             {head + node("a", "b") + node("b", "end") + "[[node]]\nid = \"c\nsay = 1\n" + end, true},
		"duplicate key late":            {head + node("a", "b") + node("b", "end") + "[[node]]\nid = \"c\"\nid = \"d\"\n" + end, true},
		"say as a table late": {head + "[[node]]\nid = \"z\"\nsay = [\"a\"]\n" + node("a", "b") +
			"[[node]]\nid = \"c\"\n[[node.say.x]]\nq = 1\n" + end, true},
		"[[node]] in a multi-line string": {head + "[briefing]\nrole = \"\"\"\n[[node]]\n\"\"\"\ngoal = \"g\"\n" + node("a", "end") + end, true},
		"[[node]] in a multi-line array":  {head + "tags = [\n[[\"node\"]]\n]\n" + node("a", "end") + end, true},
	}
	for name, c := range cases {
		src := []byte(c.src)
		sameBothWays(t, name, src)
		lay := &layout{}
		if e := scanStructure(src, lay, nil); e != nil {
			t.Fatalf("%s: %v", name, e.Msg)
		}
		cuts := lay.pieces(len(src), 4, 1)
		// The construct at fault stays in the first piece.
		for _, at := range cuts {
			if at < lay.after {
				t.Errorf("%s: cut at %d, before the construct at %d", name, at, lay.after-1)
			}
		}
		if c.cut && cuts == nil {
			t.Errorf("%s: not cut", name)
		}
	}
}

// FuzzParseInPieces: whatever the bytes, decoding in pieces never panics
// and gives exactly the whole file's scenario and diagnostics.
func FuzzParseInPieces(f *testing.F) {
	// Small seeds: the fuzzer mutates them faster. The problem fixtures,
	// and a generated file with every construct.
	fixtures, _ := filepath.Glob("testdata/*.toml")
	for _, n := range fixtures {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Add(bigTOML(4))
	f.Add([]byte("[[node]]\n[[node.choice]]\n[[node]]\nid = 1\n[[node.say.x]]\n[[node]]\nsay = []\n"))
	f.Add([]byte("node = []\n[[node]]\n[[ending]]\n[[node]]\n[[ending.a]]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		wantSc, wantDs := parse("fuzz.toml", src, whole)
		for _, sp := range []split{{n: 2, min: 1}, {n: 5, min: 1}} {
			gotSc, gotDs := parse("fuzz.toml", src, sp)
			if !reflect.DeepEqual(gotSc, wantSc) || !reflect.DeepEqual(gotDs, wantDs) {
				t.Fatalf("cut %+v: differs from the whole file\n got: %v\nwant: %v", sp, gotDs, wantDs)
			}
		}
	})
}
