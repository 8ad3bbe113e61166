package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// scenariosFlag is the --scenarios flag every command that reads the
// library shares.
func scenariosFlag(fs interface {
	StringVar(p *string, name, value, usage string)
}, dir *string) {
	fs.StringVar(dir, "scenarios", "", "use the scenarios in `DIR` instead of the built-in library")
}

// loadLibrary loads the built-in library, or the folder given with
// --scenarios. Scenarios with errors are left out; their diagnostics are
// returned so the caller can say why.
func loadLibrary(dir string) ([]*scenario.Scenario, scenario.Diagnostics, error) {
	defer whileReading()()
	var fsys fs.FS = scenarios.FS
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("scenario folder: %w", err)
		}
		if !info.IsDir() {
			return nil, nil, fmt.Errorf("scenario folder %s is not a folder", dir)
		}
		fsys = config.RegularFS(dir)
	}
	scs, diags, err := scenario.LoadDir(fsys)
	if err != nil {
		return nil, nil, err
	}
	sortForPicker(scs)
	if dir != "" {
		for i := range diags {
			diags[i].File = filepath.Join(dir, diags[i].File)
		}
		for _, sc := range scs {
			sc.File = filepath.Join(dir, sc.File)
		}
	}
	return scs, diags, nil
}

// pickerLibrary lists the built-in library from the scenarios' headers
// alone, with a function that parses a picked one in full. The embedded
// files are checked by the test suite, so the picker can trust their
// headers; reading only those makes the first frame appear before the
// library is parsed (see BenchmarkFirstFrame). A folder given with
// --scenarios is parsed in full, so its errors are reported up front.
func pickerLibrary() ([]*scenario.Scenario, func(*scenario.Scenario) (*scenario.Scenario, error), error) {
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		return nil, nil, fmt.Errorf("list scenarios: %w", err)
	}
	var scs []*scenario.Scenario
	for _, name := range names {
		if scenario.IsDrillFile(name) {
			continue
		}
		h, err := embeddedHeader(name)
		if err != nil {
			return nil, nil, err
		}
		scs = append(scs, h.Scenario(name))
	}
	sortForPicker(scs)
	open := func(h *scenario.Scenario) (*scenario.Scenario, error) {
		sc, diags, err := loadEmbedded(h.File)
		if err != nil {
			return nil, err
		}
		if diags.HasErrors() {
			return nil, diags
		}
		return sc, nil
	}
	return scs, open, nil
}

// embeddedIndex is the built-in library's headers by file name
// (scenarios.Index), made on first use.
var embeddedIndex = lazy.Value[map[string]scenarios.Header]{New: func() map[string]scenarios.Header {
	idx := map[string]scenarios.Header{}
	for _, h := range scenarios.Index() {
		idx[h.File] = h
	}
	return idx
}}

// embeddedHeader reads the header of a built-in scenario file.
func embeddedHeader(name string) (scenario.Header, error) {
	return indexedHeader(embeddedIndex.Get(), scenarios.FS, name)
}

// indexedHeader reads the header of file name in fsys from idx, made when
// the library was built, and from the file itself when idx does not have
// it or has another size for it (the library was changed without updating
// the index).
func indexedHeader(idx map[string]scenarios.Header, fsys fs.FS, name string) (scenario.Header, error) {
	if h, ok := idx[name]; ok {
		if fi, err := fs.Stat(fsys, name); err == nil && fi.Size() == h.Size {
			return scenario.Header{ID: h.ID, Title: h.Title, Summary: h.Summary,
				Channel: scenario.Channel(h.Channel), Difficulty: scenario.Difficulty(h.Difficulty),
				Tags: h.Tags, Author: h.Author, Version: h.Version}, nil
		}
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return scenario.Header{}, fmt.Errorf("read %s: %w", name, err)
	}
	h, err := scenario.ParseHeader(src)
	if err != nil {
		return scenario.Header{}, fmt.Errorf("%s: %w", name, err)
	}
	return h, nil
}

// sortForPicker puts the gentlest conversations first, for a new hire.
func sortForPicker(scs []*scenario.Scenario) {
	slices.SortStableFunc(scs, func(a, b *scenario.Scenario) int {
		if da, db := slices.Index(scenario.Difficulties, a.Difficulty), slices.Index(scenario.Difficulties, b.Difficulty); da != db {
			return da - db
		}
		return strings.Compare(a.Title, b.Title)
	})
}

// loadFile loads one scenario file from disk. The path is kept as given so
// diagnostics point where the user typed.
func loadFile(e *env, path string) (*scenario.Scenario, scenario.Diagnostics, error) {
	defer whileReading()()
	cache := scenarioCache(e)
	if sc, diags, ok := cache.lookup(path); ok {
		return sc, diags, nil
	}
	src, err := readScenarioFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open scenario: %w", err)
	}
	sc, diags := cache.parse(path, src)
	return sc, diags, nil
}

// readScenarioFile reads a scenario or drill file, one byte past the size
// limit so the parser can say it is too large. Only a regular file is
// read (config.ReadRegular): a named pipe given by mistake is refused, not
// waited on.
func readScenarioFile(path string) ([]byte, error) {
	return config.ReadRegular(path, nil, scenario.MaxFileSize)
}

// looksLikeFile tells a scenario file argument from a scenario id: ids are
// kebab-case words, files end in .toml or contain a path separator.
func looksLikeFile(arg string) bool {
	return strings.HasSuffix(arg, ".toml") || strings.ContainsRune(arg, os.PathSeparator) || strings.ContainsRune(arg, '/')
}

// errReported means the problem was already printed for the user.
var errReported = errors.New("reported")

// resolve finds the scenario an ID|FILE argument names. Problems are
// printed to stderr; the error is errReported then.
func resolve(e *env, dir, arg string) (*scenario.Scenario, error) {
	if looksLikeFile(arg) {
		sc, diags, err := loadFile(e, arg)
		if err != nil {
			fmt.Fprintf(e.stderr, "rapport: %v\n", err)
			return nil, errReported
		}
		if diags.HasErrors() {
			printDiagnostics(e.stderr, diags)
			fmt.Fprintf(e.stderr, "rapport: %s has errors; fix them and try again (rapport check %s)\n", arg, arg)
			return nil, errReported
		}
		return sc, nil
	}
	if dir == "" {
		if sc, ok := embeddedByID(arg); ok {
			return sc, nil
		}
	}
	scs, diags, err := loadLibrary(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport: %v\n", err)
		return nil, errReported
	}
	i := slices.IndexFunc(scs, func(sc *scenario.Scenario) bool { return sc.ID == arg })
	if i >= 0 {
		return scs[i], nil
	}
	// A scenario that failed to load may be the one asked for: say why.
	for _, d := range diags.Errors() {
		if strings.TrimSuffix(filepath.Base(d.File), ".toml") == arg {
			printDiagnostics(e.stderr, diags.Errors())
			return nil, errReported
		}
	}
	fmt.Fprintf(e.stderr, "rapport: no scenario with id %q\n", arg)
	var ids []string
	for _, sc := range scs {
		ids = append(ids, sc.ID)
	}
	fmt.Fprintf(e.stderr, "  hint: run 'rapport list' to see the ids; available: %s\n", strings.Join(ids, ", "))
	return nil, errReported
}

// embeddedByID finds a scenario of the built-in library by id from the
// files' headers (scenario.ParseHeader) and loads only that file, so
// `rapport play ID` does not parse the whole library first. ok is false
// when no header has the id, or the file does not load cleanly: the caller
// then loads the library to say why.
func embeddedByID(id string) (*scenario.Scenario, bool) {
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		return nil, false
	}
	// The library names its files after their ids (check warns, RP027,
	// when they differ): try that file first.
	if i := slices.Index(names, id+".toml"); i > 0 {
		names[0], names[i] = names[i], names[0]
	}
	for _, name := range names {
		if scenario.IsDrillFile(name) {
			continue
		}
		h, err := embeddedHeader(name)
		if err != nil || h.Scenario(name).ID != id {
			continue
		}
		sc, diags, err := loadEmbedded(name)
		if err != nil || diags.HasErrors() {
			return nil, false
		}
		return sc, true
	}
	return nil, false
}

// loadEmbedded is scenario.Load of a built-in file, read from the snapshot
// made when the library was built (scenarios.Parsed) when there is one for
// these very bytes: the same scenario and diagnostics, without parsing.
func loadEmbedded(name string) (*scenario.Scenario, scenario.Diagnostics, error) {
	src, err := fs.ReadFile(scenarios.FS, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	if snap := scenarios.Parsed(name, src); snap != nil {
		if sc, diags, err := scenario.DecodeSnapshotShared(snap); err == nil {
			return sc, diags, nil
		}
	}
	return scenario.Load(scenarios.FS, name)
}

// printDiagnostics writes diagnostics the way compilers do, one per line
// with an indented hint, so editors can jump to them.
func printDiagnostics(w io.Writer, ds scenario.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(w, d.String())
		if d.Hint != "" {
			fmt.Fprintf(w, "    hint: %s\n", d.Hint)
		}
		if d.Excerpt != "" {
			for _, l := range strings.Split(d.Excerpt, "\n") {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
}
