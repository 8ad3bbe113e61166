// Package layering holds the test that keeps Rapport's layers honest:
// dependencies point downward, and the pure packages stay pure.
package layering

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/rapport-sim/rapport/"

// rule says what one package may not import. Prefix matches: a forbidden
// "github.com/charmbracelet/" covers every Charm module.
type rule struct {
	forbid []string
	// allow are exceptions to forbid: the leaf packages every layer may
	// use.
	allow []string
	// pure packages also may not read the wall clock or global randomness.
	pure bool
}

var rules = map[string]rule{
	"internal/textsafe": {forbid: []string{module + "internal/", "github.com/", "golang.org/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/lazy":     {forbid: []string{module + "internal/", "github.com/", "golang.org/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/scenario": {allow: leaves, forbid: []string{module + "internal/", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/analysis": {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/drill":    {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/engine":   {forbid: []string{module + "internal/scoring", module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/reader":   {forbid: []string{module + "internal/scoring", module + "internal/analysis", module + "internal/session", module + "internal/tui", module + "internal/cli", module + "internal/results", module + "internal/report", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/scoring":  {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", module + "internal/report", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/session":  {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", module + "internal/server", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/debrief":  {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "os", "os/exec", "net"}},
	"internal/plain":    {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles"}},
	"internal/report":   {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles"}},
	"internal/results":  {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/"}},
	"internal/lrs":      {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/"}},
	"internal/config":   {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/"}},
	"internal/tui":      {forbid: []string{module + "internal/cli", module + "internal/server", "os/exec", "net"}},
	// The trainee's program has no network code: the commands that need it
	// are in netcmd, which only cmd/rapport-server links in (see
	// TestRapportHasNoNetworkCode for everything rapport links).
	"internal/cli": {forbid: []string{module + "internal/server", module + "internal/lrs", module + "internal/netcmd", "net", "net/http", "crypto/tls", "golang.org/x/crypto/ssh", "github.com/charmbracelet/wish", "github.com/charmbracelet/ssh"}},
}

// leaves are the packages with no internal imports of their own that even
// the innermost layers use.
var leaves = []string{module + "internal/textsafe", module + "internal/lazy"}

// Only the command layer and the server may import the TUI.
var tuiImporters = []string{"internal/cli", "internal/server", "internal/tui"}

func TestLayering(t *testing.T) {
	root := "../.."
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		checkPackage(t, path, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkPackage(t *testing.T, dir, rel string) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	files := map[string]*ast.File{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") { // tests may use anything
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		files[path] = f
	}
	r, ruled := rules[rel]
	for file, f := range files {
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, module+"internal/tui") && !slices.ContainsFunc(tuiImporters, func(ok string) bool { return rel == ok || strings.HasPrefix(rel, ok+"/") }) {
				t.Errorf("%s imports %s: only the CLI and the server may import the TUI", file, path)
			}
			if !ruled || slices.Contains(r.allow, path) {
				continue
			}
			for _, bad := range r.forbid {
				if path == bad || strings.HasSuffix(bad, "/") && strings.HasPrefix(path, bad) {
					t.Errorf("%s imports %s, which the %s layer must not use", file, path, rel)
				}
			}
		}
		if r.pure {
			checkPure(t, file)
		}
	}
}

// checkPure fails on what makes output depend on when or how often a
// package runs: reading the clock, and randomness that is not seeded by
// the caller.
func checkPure(t *testing.T, file string) {
	for _, problem := range impurities(t, file) {
		t.Error(problem)
	}
}

// seeded are the names of math/rand and math/rand/v2 a pure package may
// use: generators built from a seed the caller passes, and their types.
// Everything else there (rand.IntN, rand.Shuffle, rand.Float64…) draws
// from the global, unseeded source.
var seeded = map[string]bool{
	"New": true, "NewPCG": true, "NewChaCha8": true, "NewSource": true, "NewZipf": true,
	"Rand": true, "Source": true, "PCG": true, "ChaCha8": true, "Zipf": true,
}

// impurities lists a file's reads of the clock and unseeded randomness.
func impurities(t *testing.T, file string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The names the file gives the clock and the random packages.
	names := map[string]string{}
	var out []string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		switch path {
		case "math/rand/v2":
			name = "rand"
		case "crypto/rand":
			out = append(out, fmt.Sprintf("%s: imports crypto/rand in a pure package: take randomness as an input", fset.Position(imp.Pos())))
			continue
		case "time", "math/rand":
		default:
			continue
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		switch path := names[id.Name]; {
		case path == "time" && (sel.Sel.Name == "Now" || sel.Sel.Name == "Since" || sel.Sel.Name == "Until" || sel.Sel.Name == "Sleep"):
			out = append(out, fmt.Sprintf("%s: time.%s in a pure package: take the time as an input", fset.Position(sel.Pos()), sel.Sel.Name))
		case strings.HasPrefix(path, "math/rand") && !seeded[sel.Sel.Name]:
			out = append(out, fmt.Sprintf("%s: %s.%s draws from the global random source in a pure package: use a generator seeded by the caller", fset.Position(sel.Pos()), id.Name, sel.Sel.Name))
		}
		return true
	})
	return out
}

// The purity check itself catches what it is for: the clock, global
// randomness from math/rand and math/rand/v2 (under any import name) and
// crypto/rand; a seeded generator passes.
func TestPurityCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, tc := range map[string]struct {
		src  string
		want int
	}{
		"clock":         {"package p\nimport \"time\"\nvar _ = time.Now()\n", 1},
		"rand v2":       {"package p\nimport \"math/rand/v2\"\nvar _ = rand.IntN(3)\n", 1},
		"renamed rand":  {"package p\nimport r \"math/rand\"\nvar _ = r.Intn(3)\n", 1},
		"crypto":        {"package p\nimport _ \"crypto/rand\"\n", 1},
		"seeded":        {"package p\nimport \"math/rand/v2\"\nvar _ = rand.New(rand.NewPCG(1, 2)).IntN(3)\n", 0},
		"clock as data": {"package p\nimport \"time\"\nvar _ time.Duration = time.Second\n", 0},
	} {
		if got := impurities(t, write(strings.ReplaceAll(name, " ", "_")+".go", tc.src)); len(got) != tc.want {
			t.Errorf("%s: %d problems %v, want %d", name, len(got), got, tc.want)
		}
	}
}
