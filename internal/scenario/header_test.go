package scenario

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/rapport-sim/rapport/scenarios"
)

// The header read for the picker must agree with the full parse on every
// shipped scenario, or the picker would show one thing and play another.
func TestParseHeaderAgreesWithParse(t *testing.T) {
	names, _ := fs.Glob(scenarios.FS, "*.toml")
	for _, name := range names {
		if IsDrillFile(name) {
			continue
		}
		src, _ := fs.ReadFile(scenarios.FS, name)
		sc, ds := Parse(name, src)
		if ds.HasErrors() {
			t.Fatalf("%s: %v", name, ds)
		}
		h, err := ParseHeader(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := Header{ID: sc.ID, Title: sc.Title, Summary: sc.Summary, Channel: sc.Channel,
			Difficulty: sc.Difficulty, Tags: sc.Tags, Author: sc.Author, Version: sc.Version}
		if !reflect.DeepEqual(h, want) {
			t.Errorf("%s: header %+v, full parse %+v", name, h, want)
		}
		if h.Scenario(name).Complete() || !sc.Complete() {
			t.Errorf("%s: Complete() wrong", name)
		}
	}
}

func TestParseHeaderStopsAtFirstTable(t *testing.T) {
	src := []byte("id = \"x\"\ntitle = \"T\"\n  [customer]\nname = \"N\"\n[[node]]\nid = \"not-the-header\"\n")
	h, err := ParseHeader(src)
	if err != nil || h.ID != "x" || h.Title != "T" {
		t.Fatalf("got %+v, %v", h, err)
	}
	if _, err := ParseHeader([]byte("id = \n")); err == nil {
		t.Error("a broken header should be an error")
	}
}

func BenchmarkParseHeader(b *testing.B) {
	src, _ := fs.ReadFile(scenarios.FS, "first-time-caller.toml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHeader(src); err != nil {
			b.Fatal(err)
		}
	}
}
