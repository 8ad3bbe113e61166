package drill

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapport-sim/rapport/scenarios"
)

// FuzzDrill feeds arbitrary bytes to the drill loader: it must never panic
// or hang, every problem must point at a line and column and say how to fix
// it, and a drill without errors must be safe to run.
func FuzzDrill(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.toml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	shipped, _ := fs.Glob(scenarios.FS, "drill-*.toml")
	for _, s := range shipped {
		if b, err := fs.ReadFile(scenarios.FS, s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("opener = 1\n[[opener.response]]\n"))
	f.Add([]byte("[[opener]]\n[[opener.response]]\ntags = [1, [2], {a = 3}]\n"))
	f.Add([]byte("opener = [{}, 2]\nid = '''\n'''\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, ds := Parse("fuzz.toml", src)
		for _, diag := range ds {
			if !diag.Pos.IsValid() {
				t.Errorf("diagnostic without a position: %s", diag)
			}
			if diag.Hint == "" {
				t.Errorf("diagnostic without a hint: %s", diag)
			}
			if diag.File != "fuzz.toml" {
				t.Errorf("diagnostic names file %q", diag.File)
			}
		}
		if d == nil || ds.HasErrors() {
			return
		}
		// A clean drill must play to the end whatever the trainee picks.
		s := NewSession(d, Options{Seed: uint64(len(src))})
		for i := 0; !s.Done(); i++ {
			o := s.Current()
			if len(o.Responses) != ResponsesPerOpener {
				t.Fatalf("clean drill with %d responses in %s", len(o.Responses), o.ID)
			}
			if best, _ := o.Best(); best == nil {
				t.Fatalf("clean drill without a best response in %s", o.ID)
			}
			if _, err := s.Answer(i%ResponsesPerOpener+1, 0); err != nil {
				t.Fatal(err)
			}
		}
		if sum := s.Summary(); sum.Total != s.Len() || sum.Best > sum.Total {
			t.Fatalf("summary %+v for %d openers", sum, s.Len())
		}
	})
}

func BenchmarkParseOpenings(b *testing.B) {
	src, err := fs.ReadFile(scenarios.FS, "drill-openings.toml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := Parse("drill-openings.toml", src); ds.HasErrors() {
			b.Fatal(ds)
		}
	}
}

func BenchmarkHeard(b *testing.B) {
	d, _, err := Load(scenarios.FS, "drill-openings.toml")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		for _, o := range d.Openers {
			for _, r := range o.Responses {
				n += len(Heard(o, r.Say))
			}
		}
	}
	b.ReportMetric(float64(len(d.Openers)*ResponsesPerOpener), "responses/op")
}
