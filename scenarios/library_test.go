package scenarios_test

import (
	"io/fs"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// Every shipped scenario must load with no errors and no warnings: the
// library is what new hires see first.
func TestLibraryLoadsClean(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no scenarios embedded")
	}
	ids := map[string]string{}
	for _, name := range names {
		if scenario.IsDrillFile(name) {
			continue
		}
		sc, diags, err := scenario.Load(scenarios.FS, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, d := range diags {
			t.Errorf("%s\n\thint: %s", d, d.Hint)
		}
		if sc == nil {
			continue
		}
		if prev, dup := ids[sc.ID]; dup {
			t.Errorf("%s: id %q already used by %s", name, sc.ID, prev)
		}
		ids[sc.ID] = name
		if want := sc.ID + ".toml"; name != want {
			t.Errorf("%s: file name should match the id: %s", name, want)
		}
	}
}
