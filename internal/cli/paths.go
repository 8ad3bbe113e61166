package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"text/tabwriter"

	"github.com/rapport-sim/rapport/internal/analysis"
)

func pathsCmd() *command {
	return &command{
		heap:  bigHeap,
		name:  "paths",
		args:  "ID|FILE [--format text|json] [--samples N] [--seed S] [--depth N] [--scenarios DIR]",
		short: "best and worst paths, score distribution, paths per ending",
		long: `Analyse every path through a scenario without listing them one by one:
the best and worst paths (choice numbers, scores, ending), the distribution of
overall scores (min, quartiles, max) and how many paths reach each ending.

Paths are counted over the scenario's graph by dynamic programming. A
scenario with up to 2,000 paths has every path played on the engine and
scored, so its figures are exact; a bigger one is estimated from --samples
paths drawn uniformly (seeded by --seed), and its best and worst paths are
found by beam search over real conversations. A graph with cycles is
counted up to --depth choices, and the output says so.`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var dir string
			format := "text"
			opts := analysis.PathOptions{}
			var seed uint64 = 1
			scenariosFlag(fs, &dir)
			fs.StringVar(&format, "format", format, "output `format`: text or json")
			fs.IntVar(&opts.Samples, "samples", analysis.DefaultSamples, "paths to sample when there are too many to play them all")
			fs.Uint64Var(&seed, "seed", seed, "`seed` for sampling (the same seed draws the same paths)")
			fs.IntVar(&opts.MaxDepth, "depth", analysis.DefaultMaxDepth, "most choices in a path when the scenario has cycles")
			fs.IntVar(&opts.Beam, "beam", analysis.DefaultBeam, "beam `width` of the best and worst path search")
			return func(e *env, args []string) int {
				if len(args) != 1 {
					fmt.Fprintln(e.stderr, "rapport paths: name one scenario (an id or a .toml file)")
					return ExitUsage
				}
				if format != "text" && format != "json" {
					fmt.Fprintf(e.stderr, "rapport paths: unknown format %q (use text or json)\n", format)
					return ExitUsage
				}
				if opts.Samples < 1 || opts.MaxDepth < 1 || opts.Beam < 1 {
					fmt.Fprintln(e.stderr, "rapport paths: --samples, --depth and --beam must be at least 1")
					return ExitUsage
				}
				defer collectLate(e.getenv, analysisMemoryLimit)()
				sc, err := resolve(e, dir, args[0])
				if err != nil {
					return ExitFailure
				}
				opts.Rand = rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
				rep, err := analysis.Paths(sc, opts)
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport paths: %v\n", err)
					return ExitFailure
				}
				if format == "json" {
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(rep); err != nil {
						fmt.Fprintf(e.stderr, "rapport paths: %v\n", err)
						return ExitFailure
					}
					return ExitOK
				}
				printPaths(e.stdout, rep)
				return ExitOK
			}
		},
	}
}

// count formats a path count with thousands separators.
func count(n *big.Int) string {
	s := n.String()
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func printPaths(w io.Writer, r analysis.PathReport) {
	fmt.Fprintf(w, "%s: %s paths from the start to an ending", r.Scenario, count(r.Paths))
	if r.Cyclic {
		fmt.Fprintf(w, " of at most %d choices (the graph has cycles, so longer paths are not counted", r.DepthBound)
		if r.CutAtBound.Sign() > 0 {
			fmt.Fprintf(w, "; %s are still going at %d choices", count(r.CutAtBound), r.DepthBound)
		}
		fmt.Fprint(w, ")")
	} else {
		fmt.Fprintf(w, " (the longest takes %d choices)", r.Longest)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range []struct {
		name string
		path analysis.Path
	}{{"best", r.Best}, {"worst", r.Worst}} {
		ending := p.path.Ending + " (" + p.path.Outcome + ")"
		if p.path.WalkedOut {
			ending += ", walked out"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\tchoices %s\n", p.name, p.path.Score, p.path.Band, ending, joinInts(p.path.Choices))
	}
	tw.Flush()
	if r.Method == "exact" {
		fmt.Fprintln(w, "  found by playing every path")
	} else {
		fmt.Fprintf(w, "  found by beam search (width %d) over played conversations and the sampled paths\n", r.Beam)
	}
	for _, p := range []struct {
		name string
		path analysis.Path
	}{{"best", r.Best}, {"worst", r.Worst}} {
		fmt.Fprintf(w, "\n%s path, step by step:\n", p.name)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for i, s := range p.path.Steps {
			fmt.Fprintf(tw, "  %d.\t%s\t%d\t%s\n", i+1, s.Node, s.Choice, quoteLine(s.Say))
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "answering without listening (each strategy played once, untimed, as in plain mode):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range r.Strategies {
		ending := s.Ending + " (" + s.Outcome + ")"
		if !s.Finished {
			ending = "did not finish"
		}
		fmt.Fprintf(tw, "  always %s\t%d\t%s\t%s\tchoices %s\n", s.Strategy, s.Score, s.Band, ending, joinInts(s.Choices))
	}
	tw.Flush()
	fmt.Fprintf(w, "  next to best %d, worst %d: a spread of %d\n", r.Best.Score, r.Worst.Score, r.Best.Score-r.Worst.Score)
	if g := r.Giveaways; g != nil {
		fmt.Fprintf(w, "  giveaways on the best path: %s\n", giveawayWords(*g))
	}
	fmt.Fprintln(w)
	d := r.Distribution
	if d.Exact {
		fmt.Fprintf(w, "overall score over all %d played paths (exact):\n", d.Played)
	} else {
		fmt.Fprintf(w, "overall score estimated from %d sampled paths (drawn uniformly from the graph's paths):\n", d.Played)
	}
	fmt.Fprintf(w, "  min %d  q1 %d  median %d  q3 %d  max %d\n\n", d.Min, d.Q1, d.Median, d.Q3, d.Max)
	fmt.Fprintln(w, "paths per ending:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	played := "played"
	if !d.Exact {
		played = "sampled"
	}
	fmt.Fprintf(tw, "ending\toutcome\tgraph paths\t%s\tshare\t\n", played)
	for _, en := range r.Endings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f%%\t\n", en.ID, en.Outcome, count(en.Paths), en.Played, 100*en.Share)
	}
	tw.Flush()
	fmt.Fprintln(w, "  graph paths ignore choice conditions and walk-outs; played paths apply them")
	if len(r.Stuck) > 0 {
		fmt.Fprintf(w, "\n%d path(s) reach a node where no choice is offered, e.g. choices %s: run rapport check\n", len(r.Stuck), joinInts(r.Stuck[0].Choices))
	}
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ",")
}

// quoteLine quotes the start of a line for a path listing.
func quoteLine(s string) string { return "\u201c" + s + "\u201d" }

// giveawayWords says how the best path's choices stand out, in words.
func giveawayWords(g analysis.Giveaways) string {
	return fmt.Sprintf("of %d decisions, the best choice is the longest line at %d, in one place (number %d) at %d, the only question at %d",
		g.Decisions, g.Longest, g.Position, g.PositionCount, g.OnlyQuestion)
}
