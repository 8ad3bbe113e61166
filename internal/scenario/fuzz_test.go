package scenario

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/scenarios"
)

// FuzzParse feeds arbitrary bytes to the loader: it must never panic, never
// hang, and every problem it reports must point somewhere and say how to
// fix it.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.toml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	lib, _ := fs.Glob(scenarios.FS, "*.toml")
	for _, s := range lib {
		b, err := fs.ReadFile(scenarios.FS, s)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[[node]]\n[[node.choice]]\n[[node.variant]]\nwhen = \"and\"\n"))
	f.Add([]byte("node = 1\nending = [1, \"x\"]\ncustomer = []\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		// The fuzzer does not notice hangs on its own: a worker stuck on
		// one input just stops. Fail instead, so the input is saved.
		var sc *Scenario
		var ds Diagnostics
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc, ds = Parse("fuzz.toml", src)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse did not return within 2s on %d bytes: %q", len(src), src)
		}
		for _, d := range ds {
			if !d.Pos.IsValid() {
				t.Errorf("diagnostic without a position: %s", d)
			}
			if d.Hint == "" {
				t.Errorf("diagnostic without a hint: %s", d)
			}
			if d.File != "fuzz.toml" {
				t.Errorf("diagnostic names file %q", d.File)
			}
		}
		if sc != nil && !ds.HasErrors() {
			// A clean scenario must be internally consistent.
			if _, ok := sc.Node(sc.Start); !ok {
				t.Errorf("clean scenario with missing start %q", sc.Start)
			}
		}
	})
}

func BenchmarkLoadLibrary(b *testing.B) {
	all, _ := fs.Glob(scenarios.FS, "*.toml")
	var names []string
	for _, n := range all {
		if !IsDrillFile(n) {
			names = append(names, n)
		}
	}
	srcs := make([][]byte, len(names))
	var size int64
	for i, n := range names {
		srcs[i], _ = fs.ReadFile(scenarios.FS, n)
		size += int64(len(srcs[i]))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, src := range srcs {
			if _, ds := Parse(names[i], src); ds.HasErrors() {
				b.Fatal(ds)
			}
		}
	}
	b.ReportMetric(float64(len(names)), "files")
}
