package cli

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rapport-sim/rapport/internal/analysis"
	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/drill"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

func checkCmd() *command {
	return &command{
		heap:  bigHeap,
		name:  "check",
		args:  "[--strict] [--ignore CODES] [--format text|json] [--random N [--seed S]] [PATH...]",
		short: "validate scenario files",
		long: `Check scenario files and folders (searched for *.toml) and report every problem
as file:line:col with a hint. With no PATH, check the built-in library.

Besides the format (RP0xx), a scenario without errors is analysed (RP1xx):
author tags the scoring model does not read in the text, nodes whose choices
all score alike, a best path under 85 or a best-to-worst gap under 40, lines
too long for the play screen at 80x24, and failing [[test]] blocks.
--random N also plays N random conversations per scenario (seeded by --seed)
and reports any that get stuck, run past 200 choices or crash.
--ignore leaves out warnings with the given codes (RP140,RP150): for a team
that has decided a finding does not apply to its library. Errors are never
left out.
At most 1,000 problems are shown per file, in text and JSON; one more (RP015)
counts the rest, and is an error when any of them is.
Exit status: 0 clean, 1 problems found (warnings count only with --strict), 2 usage.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var strict bool
			var opts checkOptions
			format := "text"
			fs.BoolVar(&strict, "strict", false, "treat warnings as failures (for a trainers' CI)")
			fs.StringVar(&format, "format", format, "output `format`: text or json")
			fs.IntVar(&opts.random, "random", 0, "play `N` random conversations per scenario")
			fs.Uint64Var(&opts.seed, "seed", 1, "`seed` of the random conversations (the same seed plays the same ones)")
			var ignore string
			fs.StringVar(&ignore, "ignore", "", "comma-separated warning `codes` to leave out, such as RP140,RP150")
			return func(e *env, paths []string) int {
				ignored, ok := ignoreCodes(e, ignore)
				if !ok {
					return ExitUsage
				}
				if format != "text" && format != "json" {
					fmt.Fprintf(e.stderr, "rapport check: unknown format %q (use text or json)\n", format)
					return ExitUsage
				}
				if opts.random < 0 {
					fmt.Fprintf(e.stderr, "rapport check: --random must be 0 or more, not %d\n", opts.random)
					return ExitUsage
				}
				seeded := false
				fs.Visit(func(f *flag.Flag) { seeded = seeded || f.Name == "seed" })
				if seeded && opts.random == 0 {
					fmt.Fprintln(e.stderr, "rapport check: --seed chooses the random conversations, so it needs --random N\n  hint: rapport check --random 200 --seed 7 FILE")
					return ExitUsage
				}
				defer collectLate(e.getenv, analysisMemoryLimit)()
				var sums []analysis.Summary
				opts.summaries = &sums
				opts.cache = scenarioCache(e)
				files, diags, err := checkPaths(paths, opts)
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport check: %v\n", err)
					return ExitFailure
				}
				diags = slices.DeleteFunc(diags, func(d scenario.Diagnostic) bool {
					return d.Severity == scenario.Warning && ignored[d.Code]
				})
				// The analyses can find thousands of problems in a big
				// file; every file's are capped by the loader's one rule,
				// in text and JSON alike.
				diags = scenario.Cap(diags)
				nerr, nwarn := len(diags.Errors()), len(diags.Warnings())
				if format == "json" {
					out := struct {
						Files       int                  `json:"files"`
						Errors      int                  `json:"errors"`
						Warnings    int                  `json:"warnings"`
						Diagnostics scenario.Diagnostics `json:"diagnostics"`
						Scenarios   []analysis.Summary   `json:"scenarios"`
						// Random and Seed say which random conversations
						// were played per scenario (none when Random is 0).
						Random int    `json:"random,omitempty"`
						Seed   uint64 `json:"seed,omitempty"`
					}{files, nerr, nwarn, diags, sums, opts.random, 0}
					if opts.random > 0 {
						out.Seed = opts.seed
					}
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
					// Up to a thousand problems, two or three lines each:
					// written in a few large writes rather than one per line.
					w := bufio.NewWriterSize(e.stderr, 64<<10)
					printDiagnostics(w, diags)
					printSummaries(w, sums)
					if opts.random > 0 {
						fmt.Fprintf(w, "played %d random conversations per scenario (seed %d): the same seed plays the same ones\n", opts.random, opts.seed)
					}
					fmt.Fprintf(w, "checked %s: %s, %s\n", debrief.Plural(files, "file", "files"), debrief.Plural(nerr, "error", "errors"), debrief.Plural(nwarn, "warning", "warnings"))
					w.Flush()
				}
				if nerr > 0 || strict && nwarn > 0 {
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

// ignoreCodes parses --ignore: codes of warnings, since an error always
// stops a scenario from being played and cannot be waved through.
func ignoreCodes(e *env, list string) (map[scenario.Code]bool, bool) {
	out := map[scenario.Code]bool{}
	if strings.TrimSpace(list) == "" {
		return out, true
	}
	for _, c := range strings.Split(list, ",") {
		code := scenario.Code(strings.ToUpper(strings.TrimSpace(c)))
		sev, known := codeSeverity(code)
		if !known {
			fmt.Fprintf(e.stderr, "rapport check: --ignore: %q is not a diagnostic code\n  hint: codes look like RP140; see the table in docs/authoring.md\n", c)
			return nil, false
		}
		if sev == scenario.Error {
			fmt.Fprintf(e.stderr, "rapport check: --ignore: %s is an error, and errors cannot be ignored\n", code)
			return nil, false
		}
		out[code] = true
	}
	return out, true
}

// codeSeverity finds a code among the format's and the analyses' codes.
func codeSeverity(c scenario.Code) (scenario.Severity, bool) {
	if slices.Contains(scenario.Codes(), c) || slices.Contains(analysis.Codes(), c) {
		return analysis.SeverityOf(c), true
	}
	if slices.Contains(drill.Codes(), c) {
		return drill.SeverityOf(c), true
	}
	return 0, false
}

// checkOptions are the analyses `check` runs beyond the format.
type checkOptions struct {
	random int
	seed   uint64
	// summaries collects each analysed scenario's summary when set.
	summaries *[]analysis.Summary
	// cache is the parse cache, nil for none.
	cache *parseCache
}

// checkPaths checks every scenario file named or found under the given
// paths, or the built-in library when there are none.
func checkPaths(paths []string, opts checkOptions) (int, scenario.Diagnostics, error) {
	var all scenario.Diagnostics
	var loaded []*scenario.Scenario
	keep := func(sc *scenario.Scenario, ds scenario.Diagnostics) {
		if all == nil {
			all = ds // thousands, for a big scenario: not copied
		} else {
			all = append(all, ds...)
		}
		if sc != nil {
			loaded = append(loaded, sc)
		}
	}
	check := func(file string, src []byte) { keep(checkSource(file, src, opts)) }
	// Ids are unique across everything checked together, as in a library.
	library := func() {
		ds, _ := scenario.CheckLibrary(loaded)
		all = append(all, ds...)
	}
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
			check("scenarios/"+name, src)
		}
		library()
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
		if !scenario.IsDrillFile(f) {
			if sc, ds, ok := opts.cache.lookup(f); ok {
				keep(checkParsed(sc, ds, opts))
				continue
			}
		}
		src, err := readScenarioFile(f)
		if err != nil {
			return 0, nil, err
		}
		check(f, src)
	}
	library()
	return len(files), all, nil
}

// checkSource runs every check that applies to one file: the format, and
// for a scenario without errors the authoring analyses. It returns the
// scenario when the file is one and parsed (nil for a drill file).
func checkSource(file string, src []byte, opts checkOptions) (*scenario.Scenario, scenario.Diagnostics) {
	defer whileReading()()
	if scenario.IsDrillFile(file) {
		_, diags := drill.Parse(file, src)
		return nil, diags
	}
	sc, diags := opts.cache.parse(file, src)
	return analyse(sc, diags, opts)
}

// checkParsed is checkSource for a scenario file already parsed (read
// from the parse cache).
func checkParsed(sc *scenario.Scenario, diags scenario.Diagnostics, opts checkOptions) (*scenario.Scenario, scenario.Diagnostics) {
	defer whileReading()()
	return analyse(sc, diags, opts)
}

// analyse adds the authoring analyses' findings to a parsed scenario's
// diagnostics, when it has no errors.
func analyse(sc *scenario.Scenario, diags scenario.Diagnostics, opts checkOptions) (*scenario.Scenario, scenario.Diagnostics) {
	if sc == nil || diags.HasErrors() {
		return sc, diags
	}
	found, sum := analysis.CheckSummary(sc, analysis.CheckOptions{
		Random: opts.random, Seed: opts.seed, Rand: scenarioRand(opts.seed, sc.ID),
	})
	if opts.summaries != nil {
		*opts.summaries = append(*opts.summaries, sum)
	}
	if len(diags) == 0 {
		return sc, found // thousands, for a big scenario: not copied
	}
	return sc, append(diags, found...)
}

// printSummaries says, per scenario, how its best path's choices stand out
// and what answering without listening scores: what a writer reads to
// judge whether the scenario can be gamed.
func printSummaries(w io.Writer, sums []analysis.Summary) {
	for _, s := range sums {
		var parts []string
		if g := s.Giveaways; g != nil {
			parts = append(parts, fmt.Sprintf("best path %d, %s", s.Best, giveawayWords(*g)))
		}
		var st []string
		for _, x := range s.Strategies {
			v := strconv.Itoa(x.Score)
			if !x.Finished {
				v = "unfinished"
			}
			st = append(st, fmt.Sprintf("%s %s", x.Strategy, v))
		}
		if len(st) > 0 {
			parts = append(parts, "always "+strings.Join(st, ", "))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s: %s\n", s.Scenario, strings.Join(parts, "; "))
		}
	}
}

// scenarioRand is the generator for one scenario's random conversations:
// seeded by --seed and the scenario's id, so a scenario plays the same
// conversations whichever other files are checked with it.
func scenarioRand(seed uint64, id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
