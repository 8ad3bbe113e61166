package report

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/results/resultstest"
)

// benchRecords writes n records as the player makes them into dir
// (resultstest.Write).
func benchRecords(tb testing.TB, dir string, n int) {
	tb.Helper()
	resultstest.Write(tb, dir, n, resultstest.Options{})
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
	skipped, err := results.EachTransient(results.Brief, bd.Add, dir)
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

// BenchmarkReportFolder is `rapport report DIR` on the folder
// $RAPPORT_BENCH_DIR (written by TestWriteBenchFolder, of any size; its
// index as it is, so the first report is cold): the records streamed into
// the builder, the table written. It reports the CPU time and the most
// heap in use seen, sampled every thousand records.
func BenchmarkReportFolder(b *testing.B) {
	dir := os.Getenv("RAPPORT_BENCH_DIR")
	if dir == "" {
		b.Skip("set RAPPORT_BENCH_DIR to a folder of records")
	}
	var peak uint64
	cpu := cpuTime()
	for b.Loop() {
		var bd Builder
		n := 0
		_, err := results.EachTransient(results.Brief, func(r *results.Record) {
			bd.Add(r)
			if n++; n%1000 == 0 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}, dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteTable(io.Discard, bd.Report(), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if d := cpuTime() - cpu; d > 0 {
		b.ReportMetric(float64(d.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}
