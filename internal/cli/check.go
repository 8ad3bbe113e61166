package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rapport-sim/rapport/internal/drill"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

func init() { register(checkCmd()) }

func checkCmd() *command {
	return &command{
		name:  "check",
		args:  "[--strict] [--format text|json] [PATH...]",
		short: "validate scenario files",
		long: `Check scenario files and folders (searched for *.toml) and report every problem
as file:line:col with a hint. With no PATH, check the built-in library.
Exit status: 0 clean, 1 problems found (warnings count only with --strict), 2 usage.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var strict bool
			format := "text"
			fs.BoolVar(&strict, "strict", false, "treat warnings as failures (for a trainers' CI)")
			fs.StringVar(&format, "format", format, "output `format`: text or json")
			return func(e *env, paths []string) int {
				if format != "text" && format != "json" {
					fmt.Fprintf(e.stderr, "rapport check: unknown format %q (use text or json)\n", format)
					return ExitUsage
				}
				files, diags, err := checkPaths(paths)
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport check: %v\n", err)
					return ExitFailure
				}
				diags.Sort()
				nerr, nwarn := len(diags.Errors()), len(diags.Warnings())
				if format == "json" {
					out := struct {
						Files       int                  `json:"files"`
						Errors      int                  `json:"errors"`
						Warnings    int                  `json:"warnings"`
						Diagnostics scenario.Diagnostics `json:"diagnostics"`
					}{files, nerr, nwarn, diags}
					if out.Diagnostics == nil {
						out.Diagnostics = scenario.Diagnostics{}
					}
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(out); err != nil {
						fmt.Fprintf(e.stderr, "rapport check: %v\n", err)
						return ExitFailure
					}
				} else {
					printDiagnostics(e.stderr, diags)
					fmt.Fprintf(e.stderr, "checked %s: %s, %s\n", plural(files, "file"), plural(nerr, "error"), plural(nwarn, "warning"))
				}
				if nerr > 0 || strict && nwarn > 0 {
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// checkPaths checks every scenario file named or found under the given
// paths, or the built-in library when there are none.
func checkPaths(paths []string) (int, scenario.Diagnostics, error) {
	var all scenario.Diagnostics
	if len(paths) == 0 {
		names, err := fs.Glob(scenarios.FS, "*.toml")
		if err != nil {
			return 0, nil, err
		}
		for _, name := range names {
			src, err := fs.ReadFile(scenarios.FS, name)
			if err != nil {
				return 0, nil, err
			}
			all = append(all, checkSource("scenarios/"+name, src)...)
		}
		return len(names), all, nil
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return 0, nil, fmt.Errorf("%w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".toml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return 0, nil, fmt.Errorf("search %s: %w", p, err)
		}
		if len(found) == 0 {
			return 0, nil, fmt.Errorf("no .toml files in %s", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	for _, f := range files {
		src, err := readLimited(f)
		if err != nil {
			return 0, nil, err
		}
		all = append(all, checkSource(f, src)...)
	}
	return len(files), all, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, scenario.MaxFileSize+1)
	n, err := readFull(f, buf)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return buf[:n], nil
}

// checkSource runs every check that applies to one file.
func checkSource(file string, src []byte) scenario.Diagnostics {
	if scenario.IsDrillFile(file) {
		_, diags := drill.Parse(file, src)
		return diags
	}
	_, diags := scenario.Parse(file, src)
	return diags
}
