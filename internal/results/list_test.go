package results

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestListRecordFiles: the folder's listing (from the system's entries
// on Linux) names the same files as os.ReadDir does: not hidden ones,
// not other files, not folders, but symbolic links whatever they point
// to; across many reads of a big folder.
func TestListRecordFiles(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := range 3000 {
		name := fmt.Sprintf("20260101T%06d.000Z-%012x.json", i, i*7919)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	for _, name := range []string{".hidden.json", ".tmp-x.json-123", "notes.txt", "json", "x.JSON"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, link := range []struct{ name, to string }{{"link-to-folder.json", "folder.json"}, {"link-to-nothing.json", "nothing"}} {
		if err := os.Symlink(link.to, filepath.Join(dir, link.name)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		want = append(want, link.name)
	}
	slices.Sort(want)
	got, err := recordFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %d files, want %d; first differences: %q", len(got), len(want), diffNames(got, want))
	}
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := readRecordFiles(f)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ref)
	if !slices.Equal(got, ref) {
		t.Errorf("listRecordFiles and os.ReadDir differ: %q", diffNames(got, ref))
	}
}

func diffNames(a, b []string) []string {
	var out []string
	for _, n := range a {
		if !slices.Contains(b, n) {
			out = append(out, "+"+n)
		}
	}
	for _, n := range b {
		if !slices.Contains(a, n) {
			out = append(out, "-"+n)
		}
	}
	return out[:min(len(out), 5)]
}
