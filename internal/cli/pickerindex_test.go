package cli

import (
	"testing"
	"testing/fstest"

	"github.com/rapport-sim/rapport/scenarios"
)

// The picker's headers come from the index built with the library, and
// from the file itself when the file has changed since (its size differs)
// or the index lacks it, so a library edited without updating the index
// still lists what its files say.
func TestIndexedHeader(t *testing.T) {
	src := "id = \"kettle\"\ntitle = \"The kettle, as the file says\"\n\n[customer]\n"
	fsys := fstest.MapFS{"kettle.toml": {Data: []byte(src)}}
	for name, tc := range map[string]struct {
		idx  map[string]scenarios.Header
		want string
	}{
		"indexed":     {map[string]scenarios.Header{"kettle.toml": {File: "kettle.toml", Size: int64(len(src)), ID: "kettle", Title: "Indexed"}}, "Indexed"},
		"changed":     {map[string]scenarios.Header{"kettle.toml": {File: "kettle.toml", Size: int64(len(src)) - 1, ID: "kettle", Title: "Stale"}}, "The kettle, as the file says"},
		"not indexed": {nil, "The kettle, as the file says"},
	} {
		h, err := indexedHeader(tc.idx, fsys, "kettle.toml")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.Title != tc.want || h.ID != "kettle" {
			t.Errorf("%s: header %+v, want title %q", name, h, tc.want)
		}
	}
}

// The built-in picker lists from the index the same headers the files
// hold.
func TestPickerLibraryMatchesTheFiles(t *testing.T) {
	listed, _, err := pickerLibrary()
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) < 20 {
		t.Fatalf("%d scenarios listed", len(listed))
	}
	for _, sc := range listed {
		h, err := indexedHeader(nil, scenarios.FS, sc.File)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Title != h.Title || sc.Summary != h.Summary || sc.ID != h.ID {
			t.Errorf("%s: listed as %q (%s), the file says %q (%s)", sc.File, sc.Title, sc.ID, h.Title, h.ID)
		}
	}
}
