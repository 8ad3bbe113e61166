package scenarios_test

import (
	"bytes"
	"io/fs"
	"os"
	"reflect"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// parsedLibrary is parsed.bin as the parser makes it from the files now.
func parsedLibrary(t *testing.T) []byte {
	t.Helper()
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, name := range names {
		if scenario.IsDrillFile(name) {
			continue
		}
		src, err := fs.ReadFile(scenarios.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		sc, diags := scenario.Parse(name, src)
		b = scenarios.AppendParsed(b, name, src, scenario.EncodeSnapshot(sc, diags))
	}
	return b
}

// parsed.bin is exactly what the parser makes of the shipped files, and
// each snapshot decodes to the scenario and diagnostics that parsing the
// file gives: what play ID and the picker read is what they would parse.
func TestParsed(t *testing.T) {
	want := parsedLibrary(t)
	if *update {
		if err := os.WriteFile("parsed.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("parsed.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("parsed.bin is not what the parser makes of the scenario files: run go test ./scenarios -run TestParsed -update")
	}
	for _, h := range scenarios.Index() {
		src, err := fs.ReadFile(scenarios.FS, h.File)
		if err != nil {
			t.Fatal(err)
		}
		snap := scenarios.Parsed(h.File, src)
		if snap == nil {
			t.Fatalf("%s: no snapshot", h.File)
		}
		sc, diags, err := scenario.DecodeSnapshot(snap)
		if err != nil {
			t.Fatalf("%s: %v", h.File, err)
		}
		wantSc, wantDiags := scenario.Parse(h.File, src)
		if !reflect.DeepEqual(sc, wantSc) || !reflect.DeepEqual(diags, wantDiags) {
			t.Errorf("%s: the snapshot decodes to another scenario than parsing the file gives", h.File)
		}
	}
}

// A file changed since the library was built gets no snapshot: the caller
// parses it.
func TestParsedOnlyForTheSameBytes(t *testing.T) {
	src, err := fs.ReadFile(scenarios.FS, "late-delivery.toml")
	if err != nil {
		t.Fatal(err)
	}
	if scenarios.Parsed("late-delivery.toml", src) == nil {
		t.Fatal("no snapshot for the shipped file")
	}
	edited := append(bytes.Clone(src), "\n# edited\n"...)
	if scenarios.Parsed("late-delivery.toml", edited) != nil {
		t.Error("a snapshot for an edited file")
	}
	if scenarios.Parsed("no-such-file.toml", src) != nil {
		t.Error("a snapshot for a file the library does not have")
	}
}
