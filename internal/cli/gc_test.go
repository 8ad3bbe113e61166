package cli

import (
	"runtime/debug"
	"testing"
)

// TestLowGC holds the player's collector setting: GOGC=50 while it runs
// (docs/scoring.md, "Memory of a play session"), the user's GOGC when
// one is set, and the previous setting back afterwards.
func TestLowGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := lowGC(&env{getenv: func(string) string { return "" }})
	if got := debug.SetGCPercent(playGCPercent); got != playGCPercent {
		t.Errorf("GOGC while playing = %d, want %d", got, playGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after playing = %d, want 100 back", got)
	}

	restore = lowGC(&env{getenv: func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	}})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user: the player changed it to %d", got)
	}
	restore()
}
