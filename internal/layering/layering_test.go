// Package layering holds the test that keeps Rapport's layers honest:
// dependencies point downward, and the pure packages stay pure.
package layering

import (
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
	"internal/scenario": {allow: leaves, forbid: []string{module + "internal/", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/analysis": {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/drill":    {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/lipgloss", "github.com/charmbracelet/bubbles", "os", "os/exec", "net", "math/rand"}, pure: true},
	"internal/engine":   {forbid: []string{module + "internal/scoring", module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/scoring":  {forbid: []string{module + "internal/tui", module + "internal/cli", module + "internal/results", module + "internal/report", "github.com/charmbracelet/", "os", "os/exec", "net", "io/fs", "math/rand"}, pure: true},
	"internal/debrief":  {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "os", "os/exec", "net"}},
	"internal/plain":    {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles"}},
	"internal/report":   {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles"}},
	"internal/results":  {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/"}},
	"internal/config":   {forbid: []string{module + "internal/tui", module + "internal/cli", "github.com/charmbracelet/"}},
	"internal/tui":      {forbid: []string{module + "internal/cli", module + "internal/server", "os/exec", "net"}},
}

// leaves are the packages with no internal imports of their own that even
// the innermost layers use.
var leaves = []string{module + "internal/textsafe"}

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
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go") // tests may use anything
	}, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	r, ruled := rules[rel]
	for _, p := range pkgs {
		for file, f := range p.Files {
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
}

// checkPure fails on calls that make output depend on when or how often a
// package runs: time.Now and the global math/rand functions.
func checkPure(t *testing.T, file string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == "time" && (sel.Sel.Name == "Now" || sel.Sel.Name == "Since" || sel.Sel.Name == "Sleep") {
			t.Errorf("%s: time.%s in a pure package: take the time as an input", fset.Position(sel.Pos()), sel.Sel.Name)
		}
		return true
	})
}
