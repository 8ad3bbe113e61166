//go:build unix

package analysis

import (
	"syscall"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// BenchmarkCheckParts5000 times the parts of `check` on a 5,000-node
// scenario one by one, for finding where a check spends its time:
//
//	go test -run '^$' -bench CheckParts5000 -cpu 1 ./internal/analysis
func BenchmarkCheckParts5000(b *testing.B) {
	sc := generate(5000, 500, 1)
	if ds := scenario.Validate(sc); ds.HasErrors() {
		b.Fatal(ds)
	}
	first, offered, _ := walk(sc)
	part := func(name string, f func()) {
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				f()
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
	part("arrivals", func() { arrivals(sc) })
	part("tags+choices", func() { nodeFindings(sc, first, offered) })
	part("tags", func() { tagFindings(sc) })
	part("screen", func() { screenFindings(sc) })
	part("rules", func() {
		contradictionFindings(sc)
		briefingFindings(sc)
		sameWordsFindings(sc)
	})
	part("extremes", func() {
		var sum Summary
		extremeFindings(sc, CheckOptions{Beam: DefaultBeam, ExactExtremes: DefaultExactExtremes}, func(engine.State, string) {}, &sum)
	})
	part("all", func() { Check(sc, CheckOptions{}) })
}

// cpuTime is the CPU time (user and system) the process has used: on a
// machine shared with other work it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
