package scenario

import (
	"fmt"
	"path"
	"strings"
)

// CheckLibrary reports what only shows across the scenarios of one library
// (a folder, or the files given to `rapport check`): two scenarios with the
// same id, where results, reports and `rapport play ID` could not tell them
// apart. The later file (in the order given) gets the error, naming the
// first. dups holds the indices of the scenarios that are duplicates.
func CheckLibrary(scs []*Scenario) (diags Diagnostics, dups map[int]bool) {
	first := map[string]*Scenario{}
	for i, sc := range scs {
		if sc == nil || sc.ID == "" {
			continue
		}
		f, seen := first[sc.ID]
		if !seen {
			first[sc.ID] = sc
			continue
		}
		if dups == nil {
			dups = map[int]bool{}
		}
		dups[i] = true
		p := sc.IDPos
		if !p.IsValid() {
			p = Pos{1, 1}
		}
		diags = append(diags, Diagnostic{File: sc.File, Pos: p, Severity: SeverityOf(CodeLibraryDupID), Code: CodeLibraryDupID,
			Message: fmt.Sprintf("scenario id %q is already used by %s", sc.ID, f.File),
			Hint:    "ids are unique in a library: rename this scenario (and its file to match)"})
	}
	return diags, dups
}

// fileNameCheck warns when a scenario's id is not its file name, the
// convention that lets a trainer find `rapport play late-parcel` in
// late-parcel.toml. Only files named *.toml are checked.
func fileNameCheck(sc *Scenario) Diagnostics {
	base := path.Base(strings.ReplaceAll(sc.File, "\\", "/"))
	if !strings.HasSuffix(base, ".toml") || sc.ID == "" {
		return nil
	}
	want := strings.TrimSuffix(base, ".toml")
	if want == sc.ID {
		return nil
	}
	p := sc.IDPos
	if !p.IsValid() {
		p = Pos{1, 1}
	}
	return Diagnostics{{File: sc.File, Pos: p, Severity: SeverityOf(CodeFileName), Code: CodeFileName,
		Message: fmt.Sprintf("scenario id %q does not match the file name %s", sc.ID, base),
		Hint:    fmt.Sprintf("rename the file to %s.toml, or set id = %q", sc.ID, want)}}
}
