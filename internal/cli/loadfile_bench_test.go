package cli

import (
	"os"
	"testing"
)

// BenchmarkLoadFile is loading one scenario file as `paths` and `check`
// do (read, parse cache, validation), without the analyses: warm with an
// entry in the parse cache, cold with the cache off. The file is
// $RAPPORT_GENERATED (internal/analysis's TestWriteGenerated writes one):
//
//	RAPPORT_GENERATED=/tmp/gen5000.toml go test ./internal/cli -run '^$' -bench LoadFile -benchmem
func BenchmarkLoadFile(b *testing.B) {
	file := os.Getenv("RAPPORT_GENERATED")
	if file == "" {
		b.Skip("RAPPORT_GENERATED unset")
	}
	for _, c := range []struct{ name, cache string }{{"warm", b.TempDir()}, {"cold", "off"}} {
		b.Run(c.name, func(b *testing.B) {
			e := &env{getenv: func(k string) string {
				if k == "RAPPORT_CACHE_DIR" {
					return c.cache
				}
				return ""
			}}
			if _, _, err := loadFile(e, file); err != nil { // warms the cache
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if sc, _, err := loadFile(e, file); err != nil || sc == nil {
					b.Fatal("not loaded", err)
				}
			}
		})
	}
}
