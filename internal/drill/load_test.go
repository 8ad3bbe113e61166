package drill

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// want is one expected diagnostic: line:col, code and words of the message.
type want struct {
	pos  string
	code scenario.Code
	text string
}

func TestParseReportsEveryProblemWithPosition(t *testing.T) {
	tests := map[string][]want{
		"syntax.toml": {
			{"2:27", scenario.CodeSyntax, "strings cannot contain newlines"},
		},
		"unknown-key.toml": {
			{"1:1", scenario.CodeMissing, "the drill has no title"},
			{"2:1", scenario.CodeUnknownKey, `unknown key "titel" in the drill`},
			{"4:1", CodeFewOpeners, "the drill has 1 opener;"},
			{"6:1", scenario.CodeUnknownKey, `unknown key "chanel" in [[opener]]`},
			{"14:3", scenario.CodeUnknownKey, `unknown key "ratng"`},
			{"24:3", scenario.CodeUnknownKey, `unknown key "tag"`},
		},
		"values.toml": {
			{"4:1", CodeFewOpeners, "1 opener"},
			{"6:11", scenario.CodeBadValue, `channel "fax" is not one of phone, chat, in-person`},
			{"7:8", scenario.CodeBadValue, `mood "grumpy"`},
			{"8:12", scenario.CodeType, "customer must be text, found a whole number"},
			{"13:12", scenario.CodeBadValue, `rating "great" is not one of best, good, weak, poor`},
			{"16:10", scenario.CodeType, "tags must be an array of text"},
			{"19:9", scenario.CodeType, "say must be text"},
			{"21:15", scenario.CodeBadValue, `principle "polite"`},
			{"28:14", scenario.CodeControl, "control character"},
		},
		"structure.toml": {
			{"1:6", scenario.CodeBadID, `drill id "Bad Id" is not kebab-case`},
			{"4:1", CodeFewOpeners, "4 openers"},
			{"4:1", CodeResponseCount, `opener "three" has 3 responses, want exactly 4`},
			{"29:1", CodeNoBest, `opener "three" has no best response`},
			{"30:6", scenario.CodeDuplicateID, `opener id "three" is already used at line 5`},
			{"34:7", CodeDuplicateLine, "repeats the customer's line from line 9"},
			{"49:9", CodeSameResponse, "response 3 says the same as response 2"},
			{"56:12", CodeRatingsRepeats, `more than one "weak" response`},
			{"65:7", scenario.CodeEmptyText, `opener "two-best" say is empty`},
			{"75:12", CodeTwoBest, `opener "two-best" has 2 best responses`},
			{"79:3", scenario.CodeMissing, "response has no say"},
			{"79:3", scenario.CodeMissing, "response has no feedback"},
			{"89:1", scenario.CodeMissing, "opener (no id) has no id"},
			{"89:1", scenario.CodeMissing, "has no mood"},
			{"89:1", scenario.CodeMissing, "has no customer"},
			{"89:1", scenario.CodeMissing, "has no say"},
			{"89:1", CodeResponseCount, "has 0 responses"},
		},
		"advice.toml": {
			{"4:1", CodeFewOpeners, "4 openers"},
			{"13:12", CodeBestSameSlot, "the best response is number 1 in 4 of 4 openers"},
			{"16:45", CodeUnknownTag, `tag "acknowlege" is not a behaviour id`},
			{"16:59", CodeBestNegative, `tagged "hold_first"`},
			{"31:9", CodeLongResponse, "response is 61 words"},
			{"44:9", CodeBestLongest, "the best response is the longest of its opener's responses in 3 of 4 openers (more than 50%)"},
		},
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
					t.Errorf("diagnostic %d names file %q", i, d.File)
				}
				if d.Hint == "" {
					t.Errorf("diagnostic %d has no hint: %s", i, d)
				}
				if d.Severity != SeverityOf(d.Code) {
					t.Errorf("diagnostic %d: severity %s, want %s", i, d.Severity, SeverityOf(d.Code))
				}
			}
		})
	}
}

func TestSyntaxErrorKeepsThePicture(t *testing.T) {
	src, err := os.ReadFile("testdata/syntax.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, ds := Parse("syntax.toml", src)
	if len(ds) != 1 || !strings.Contains(ds[0].Excerpt, "A quote left open") {
		t.Fatalf("want one syntax error with an excerpt of line 2, got %+v", ds)
	}
}

func TestWarningsOnlyDrillStillLoads(t *testing.T) {
	src, err := os.ReadFile("testdata/advice.toml")
	if err != nil {
		t.Fatal(err)
	}
	d, ds := Parse("advice.toml", src)
	if ds.HasErrors() {
		t.Fatalf("advice.toml has errors: %v", ds)
	}
	if len(d.Openers) != 4 {
		t.Fatalf("got %d openers, want 4", len(d.Openers))
	}
	o := d.Openers[1]
	if o.ID != "b" || o.Channel != scenario.Chat || o.Mood != "confused" || o.Customer != "Fay" {
		t.Errorf("opener b decoded as %+v", o)
	}
	if best, n := o.Best(); n != 1 || best.Principle != Relief {
		t.Errorf("best of b = %d %+v", n, best)
	}
	for i, r := range o.Responses {
		if r.Number != i+1 {
			t.Errorf("response %d numbered %d", i+1, r.Number)
		}
	}
}

func TestLargeFileIsRefused(t *testing.T) {
	src := []byte("id = \"x\"\n# " + strings.Repeat("a", scenario.MaxFileSize))
	d, ds := Parse("big.toml", src)
	if d != nil || len(ds) != 1 || ds[0].Code != scenario.CodeTooLarge {
		t.Fatalf("got %v, %v", d, ds)
	}
}

// The shared position index must follow the TOML the drill format uses,
// including multi-line strings that contain text looking like keys and
// headers.
func TestPositions(t *testing.T) {
	src := `id = "x" # comment
summary = """
[[opener]]
say = "not a key"
"""
[[opener]]
say = 'literal "quoted"'
  [[opener.response]]
  tags = [
    "greeting",
    "own_name", # why
  ]
"dotted".key = { a = 1, b = "}" }
[[opener]]
  [[opener.response]]
  [[opener.response]]
  say = "third"
`
	_, at, ok := scenario.Decode("positions.toml", []byte(src), drillStyle)
	if !ok {
		t.Fatalf("the example does not parse: %v", at.Diagnostics())
	}
	for path, want := range map[string]string{
		"id":                               "1:6",
		"summary":                          "2:11",
		"opener[0]":                        "6:1",
		"opener[0].say":                    "7:7",
		"opener[0].response[0]":            "8:3",
		"opener[0].response[0].tags":       "9:10",
		"opener[0].response[0].tags[1]":    "11:5",
		"opener[0].response[0].dotted.key": "13:16",
		"opener[1].response[1].say":        "17:9",
	} {
		if got := at.At(path).String(); got != want {
			t.Errorf("%s at %s, want %s", path, got, want)
		}
	}
	if at.Written("opener[2]") {
		t.Error("the header inside the multi-line string was taken for a table")
	}
}

func TestFind(t *testing.T) {
	good, err := os.ReadFile("testdata/advice.toml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"drill-advice.toml": {Data: good},
		"drill-broken.toml": {Data: []byte("id = \"broken\"\ntitle = 3\n")},
		"drill-noid.toml":   {Data: []byte("id = 5\n")},
		"scenario.toml":     {Data: []byte("not a drill")},
	}
	tests := map[string]struct {
		id      string
		wantErr error
		diags   bool
	}{
		"found":                       {"advice", nil, true},
		"found with errors":           {"broken", ErrInvalid, true},
		"found by file name":          {"noid", ErrInvalid, true},
		"unknown id lists every file": {"nope", ErrNotFound, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, ds, err := Find(fsys, tc.id)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if (len(ds) > 0) != tc.diags {
				t.Errorf("diagnostics %v", ds)
			}
			if tc.wantErr == nil && (d == nil || d.ID != tc.id) {
				t.Errorf("drill %v", d)
			}
		})
	}
}

func TestTooManyOpeners(t *testing.T) {
	src := "id = \"many\"\ntitle = \"Many\"\n" + strings.Repeat("[[opener]]\n", MaxOpeners+5)
	d, ds := Parse("many.toml", []byte(src))
	if len(d.Openers) != MaxOpeners {
		t.Errorf("decoded %d openers, want the first %d", len(d.Openers), MaxOpeners)
	}
	var found bool
	for _, diag := range ds {
		if diag.Code == CodeTooManyOpeners {
			found = true
			if want := MaxOpeners + 3; diag.Pos.Line != want {
				t.Errorf("too-many diagnostic at line %d, want %d", diag.Pos.Line, want)
			}
		}
	}
	if !found {
		t.Error("no diagnostic for too many openers")
	}
}

// Syntax errors where the TOML parser loses the line still get a position
// and a picture (the parser's own picture panics on them).
func TestSyntaxErrorWithoutALine(t *testing.T) {
	src := []byte("0.\"0000000000000000000000000000000000000000000000000000\\")
	_, ds := Parse("lost.toml", src)
	if len(ds) != 1 || ds[0].Code != scenario.CodeSyntax {
		t.Fatalf("got %v", ds)
	}
	if got := ds[0].Pos.String(); got != "1:56" {
		t.Errorf("position %s, want 1:56", got)
	}
	if !strings.HasSuffix(ds[0].Excerpt, "^") {
		t.Errorf("excerpt %q", ds[0].Excerpt)
	}
}

// An opener with more than four responses whose only best comes after the
// fourth used to index past the slot counts and panic.
func TestBestAfterTheFourthResponse(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"late\"\ntitle = \"Late best\"\n[[opener]]\nid = \"a\"\nchannel = \"phone\"\nmood = \"neutral\"\ncustomer = \"Ana\"\nsay = \"Hello?\"\n")
	for i, rating := range []string{"good", "weak", "poor", "good", "best"} {
		fmt.Fprintf(&b, "[[opener.response]]\nsay = \"Answer %d\"\nrating = %q\nprinciple = \"relief\"\nfeedback = \"Why.\"\n", i+1, rating)
	}
	_, ds := Parse("late.toml", []byte(b.String()))
	var counted bool
	for _, d := range ds {
		counted = counted || d.Code == CodeResponseCount
	}
	if !counted {
		t.Errorf("no diagnostic for five responses: %v", ds)
	}
}
