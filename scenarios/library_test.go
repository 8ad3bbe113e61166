package scenarios_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode"

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

// No two scenarios may share a line of dialogue: a library that repeats
// itself stops feeling like real customers. Stage directions and very short
// lines ("Thanks.") are not distinctive enough to count.
func TestNoSharedDialogue(t *testing.T) {
	scs, diags, err := scenario.LoadDir(scenarios.FS)
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	if len(scs) < 2 {
		t.Skip("fewer than two scenarios")
	}
	seen := map[string]string{} // normalised line → scenario id
	for _, sc := range scs {
		mine := map[string]bool{}
		add := func(line string) {
			key := normalise(line)
			if len(strings.Fields(key)) < 4 || mine[key] {
				return
			}
			mine[key] = true
			if other, dup := seen[key]; dup {
				t.Errorf("%s and %s share the line %q", other, sc.ID, line)
				return
			}
			seen[key] = sc.ID
		}
		for _, n := range sc.Nodes {
			for _, l := range n.Say {
				add(l)
			}
			for _, v := range n.Variants {
				for _, l := range v.Say {
					add(l)
				}
			}
			for _, c := range n.Choices {
				add(c.Say)
			}
		}
		for _, e := range sc.Endings {
			for _, l := range e.Say {
				add(l)
			}
		}
	}
}

// normalise drops stage directions, case and punctuation so that lines
// differing only in those still count as the same.
func normalise(line string) string {
	line = stageDirection.ReplaceAllString(line, " ")
	line = strings.ToLower(line)
	line = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, line)
	return strings.Join(strings.Fields(line), " ")
}

var stageDirection = regexp.MustCompile(`\[[^\]]*\]`)
