package report

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

// benchRecords writes n records as the player makes them into dir: every
// shipped scenario played along random paths on the scoring model's clock,
// scored by the model, with a typed answer now and then.
func benchRecords(tb testing.TB, dir string, n int) {
	tb.Helper()
	scs, diags, err := scenario.LoadDir(scenarios.FS)
	if err != nil || diags.HasErrors() {
		tb.Fatal(err, diags)
	}
	store, err := results.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	trainees := []string{"Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu", "Max", "Ned", "Oz", "Pat", "Quin", "Ray", "Sue", "Tom"}
	typed := []string{"I'm so sorry about this, let me sort it out for you right now.", "Can you tell me what happened?", "That's our policy, I'm afraid."}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range n {
		sc := scs[rng.IntN(len(scs))]
		e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
		if err != nil {
			tb.Fatal(err)
		}
		for !e.Done() {
			cs := e.Choices()
			s := engine.Step{Choice: cs[rng.IntN(len(cs))].Number, Hesitation: scoring.DefaultHesitation}
			if rng.IntN(5) == 0 {
				s.Text = typed[rng.IntN(len(typed))]
				m := reader.MatchChoice(s.Text, cs, reader.ContextAt(sc, e.Node()))
				s.Choice, s.Match = m.Choice, m.Score
			}
			if err := e.Choose(s); err != nil {
				tb.Fatal(err)
			}
		}
		st := e.State()
		started := start.Add(time.Duration(i) * 7 * time.Minute)
		r, err := results.NewRecord(sc, st, scoring.Evaluate(sc, st), results.Meta{
			Trainee: trainees[i%len(trainees)], Started: started, Ended: started.Add(5 * time.Minute),
		})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := store.Save(r); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkReport10k is `rapport report DIR` over 10,000 records: read and
// decode every file, build the report, write the terminal table.
func BenchmarkReport10k(b *testing.B) {
	dir := b.TempDir()
	benchRecords(b, dir, 10000)
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
	}
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		report10k(b, dir)
	}
	b.ReportMetric(float64(size)/float64(len(entries)), "bytes/record")
	if d := cpuTime() - cpu; d > 0 {
		b.ReportMetric(float64(d.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

// report10k is `rapport report DIR` on a folder of 10,000 records: the
// report built as the records stream in, then the terminal table.
func report10k(b *testing.B, dir string) {
	var bd Builder
	skipped, err := results.Each(results.Brief, bd.Add, dir)
	rep := bd.Report()
	if err != nil || len(skipped) > 0 || rep.Attempts != 10000 {
		b.Fatal(err, len(skipped), rep.Attempts)
	}
	if err := WriteTable(io.Discard, rep, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReport10kIndexed is BenchmarkReport10k through the folder's
// summary index: cold (no index: every file read, the index written) and
// warm (the index read, each file only stat'ed).
func BenchmarkReport10kIndexed(b *testing.B) {
	dir := b.TempDir()
	benchRecords(b, dir, 10000)
	// Older than the index's racy window, as records of past classes are.
	old := time.Now().Add(-time.Hour)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Chtimes(filepath.Join(dir, e.Name()), old, old)
	}
	report := func(b *testing.B) { report10k(b, dir) }
	index := filepath.Join(dir, results.IndexName)
	b.Run("cold", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			os.Remove(index)
			report(b)
		}
		if d := cpuTime() - cpu; d > 0 {
			b.ReportMetric(float64(d.Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	})
	b.Run("warm", func(b *testing.B) {
		report(b)
		if info, err := os.Stat(index); err == nil {
			b.ReportMetric(float64(info.Size())/10000, "index-bytes/record")
		}
		cpu := cpuTime()
		for b.Loop() {
			report(b)
		}
		if d := cpuTime() - cpu; d > 0 {
			b.ReportMetric(float64(d.Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	})
}

// TestWriteBenchFolder writes 10,000 records ($RAPPORT_BENCH_N of them if
// set) into $RAPPORT_BENCH_DIR, for measuring the rapport binary on them
// (time, peak memory); it is skipped without it.
func TestWriteBenchFolder(t *testing.T) {
	dir := os.Getenv("RAPPORT_BENCH_DIR")
	if dir == "" {
		t.Skip("set RAPPORT_BENCH_DIR to write a folder of 10,000 records")
	}
	n := 10000
	if s := os.Getenv("RAPPORT_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("RAPPORT_BENCH_N=%q: want a number of records", s)
		}
	}
	benchRecords(t, dir, n)
}

// BenchmarkBuild10k is the aggregation alone, records already in memory.
func BenchmarkBuild10k(b *testing.B) {
	dir := b.TempDir()
	benchRecords(b, dir, 10000)
	recs, _, err := results.ReadDetail(results.Brief, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		Build(recs)
	}
}
