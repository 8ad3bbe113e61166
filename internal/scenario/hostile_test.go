package scenario_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scenario/hostile"
)

// TestHostileInputs: files built to exhaust the parser are refused before
// parsing, with one error that points at the construct and says what to
// do, and conversations too long to analyse are refused by validation.
// How long each file takes, these and the ones the limits let through, is
// measured by BenchmarkHostile, not asserted here (and fuzzing covers
// panics), so the suite stays quick on a busy machine.
func TestHostileInputs(t *testing.T) {
	for _, in := range hostile.Inputs() {
		t.Run(in.Name, func(t *testing.T) {
			if len(in.Src) > scenario.MaxFileSize {
				t.Fatalf("generated %d bytes, more than the %d a file may have", len(in.Src), scenario.MaxFileSize)
			}
			if in.Counted {
				countRefused(t, in)
				return
			}
			if in.Drill || !in.Rejected && !in.TooLong {
				return // internal/drill reads drills; BenchmarkHostile the rest
			}
			_, ds := scenario.Parse(in.Name+".toml", in.Src)
			if in.TooLong != has(ds, scenario.CodeTooLong) {
				t.Errorf("too long: want %v, got diagnostics %v", in.TooLong, ds[:min(3, len(ds))])
			}
			if !in.Rejected {
				if has(ds, scenario.CodeTooDeep) {
					t.Errorf("within the limits but refused: %v", ds[:min(3, len(ds))])
				}
				return
			}
			if len(ds) != 1 || ds[0].Code != scenario.CodeTooDeep {
				t.Fatalf("want one %s error, got %d diagnostics, first %v", scenario.CodeTooDeep, len(ds), ds[:min(1, len(ds))])
			}
			if d := ds[0]; !d.Pos.IsValid() || d.Hint == "" || d.Excerpt == "" {
				t.Errorf("error without a position, hint or excerpt: %s (hint %q)", d, d.Hint)
			}
		})
	}
}

// countRefused checks that a file past a count limit is refused before it
// is parsed, with one RP012 error at the first header (or value) past the
// limit that says what the limit is and how to split the file.
func countRefused(t *testing.T, in hostile.Input) {
	t.Helper()
	_, ds := scenario.Parse(in.Name+".toml", in.Src)
	if len(ds) != 1 || ds[0].Code != scenario.CodeTooManyNodes {
		t.Fatalf("want one %s error, got %d diagnostics, first %v", scenario.CodeTooManyNodes, len(ds), ds[:min(1, len(ds))])
	}
	d := ds[0]
	if d.Severity != scenario.Error || !d.Pos.IsValid() || d.Excerpt == "" || !strings.Contains(d.Hint, "split") && !strings.Contains(d.Hint, "look for") {
		t.Errorf("error without a position, excerpt or a hint that says what to do: %s (hint %q)", d, d.Hint)
	}
	if in.Header == "" {
		return
	}
	limit := scenario.MaxNodes
	switch {
	case strings.Contains(in.Header, "variant"):
		limit = scenario.MaxVariantTables
	case strings.Contains(in.Header, "choice"):
		limit = scenario.MaxChoiceTables
	case strings.Contains(in.Header, "test"):
		limit = scenario.MaxTests
	}
	if !strings.Contains(d.Message, fmt.Sprintf("more than %d ", limit)) {
		t.Errorf("message %q does not give the limit %d", d.Message, limit)
	}
	// The header past the limit: the file's (limit+1)th line that is it.
	seen := 0
	for i, line := range strings.Split(string(in.Src), "\n") {
		if line == in.Header {
			if seen++; seen == limit+1 {
				if want := (scenario.Pos{Line: i + 1, Col: 1}); d.Pos != want {
					t.Errorf("error at %d:%d, want %d:%d, the header past the limit", d.Pos.Line, d.Pos.Col, want.Line, want.Col)
				}
				return
			}
		}
	}
	t.Fatalf("the file has %d %s headers, not more than %d", seen, in.Header, limit)
}

// BenchmarkHostile measures the loader on each hostile file:
//
//	go test -run '^$' -bench Hostile -benchtime 1x -benchmem ./internal/scenario
func BenchmarkHostile(b *testing.B) {
	for _, in := range hostile.Inputs() {
		if in.Drill {
			continue
		}
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Src)))
			b.ReportAllocs()
			for b.Loop() {
				scenario.Parse(in.Name+".toml", in.Src)
			}
		})
	}
}

func has(ds scenario.Diagnostics, code scenario.Code) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

// TestDiagnosticsCapped: a file with a problem on every line reports the
// first MaxDiagnostics and counts the rest in one more (100,000 unknown
// keys used to print 100,000 diagnostics).
func TestDiagnosticsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("id = \"capped\"\n")
	const nodes, keys = 3, 600 // 1,800 unknown keys, within MaxTableKeys per table
	for n := range nodes {
		fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\n", n)
		for k := range keys {
			fmt.Fprintf(&b, "k%d = 1\n", k)
		}
	}
	_, ds := scenario.Parse("unknown-keys.toml", []byte(b.String()))
	if len(ds) != scenario.MaxDiagnostics+1 {
		t.Fatalf("%d diagnostics, want %d and a count of the rest", len(ds), scenario.MaxDiagnostics+1)
	}
	last := ds[len(ds)-1]
	if last.Code != scenario.CodeTooMany || !strings.Contains(last.Message, "more problems not shown") || !last.Pos.IsValid() ||
		last.Severity != scenario.Error || last.Hidden < nodes*keys-scenario.MaxDiagnostics {
		t.Errorf("last diagnostic %s (hidden %d), want the count of the rest as an error", last, last.Hidden)
	}
}
