package report

import (
	"testing"
	"github.com/rapport-sim/rapport/internal/results"
)

func BenchmarkExpRead(b *testing.B) {
	for b.Loop() {
		results.ReadDetail(results.Brief, "/tmp/bench10k")
	}
}
