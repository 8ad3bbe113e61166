package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/rapport-sim/rapport/internal/analysis"
)

func graphCmd() *command {
	return &command{
		heap:  bigHeap,
		name:  "graph",
		args:  "ID|FILE [--format mermaid|dot] [--scenarios DIR]",
		short: "draw a scenario as a Mermaid or Graphviz graph",
		long: `Print a scenario as a graph: nodes labelled with their id and the start of the
customer's line, edges with the choice number and its effects
("2: anger+10 trust-5"), endings shaped and coloured by outcome, nodes the
start cannot reach dashed.

  rapport graph late-delivery > late-delivery.mmd      # Mermaid: paste in a
                                                       # markdown mermaid block
  rapport graph late-delivery --format dot | dot -Tsvg > late-delivery.svg`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var dir string
			format := "mermaid"
			scenariosFlag(fs, &dir)
			fs.StringVar(&format, "format", format, "output `format`: mermaid or dot")
			return func(e *env, args []string) int {
				if len(args) != 1 {
					fmt.Fprintln(e.stderr, "rapport graph: name one scenario (an id or a .toml file)")
					return ExitUsage
				}
				if format != "mermaid" && format != "dot" {
					fmt.Fprintf(e.stderr, "rapport graph: unknown format %q (use mermaid or dot)\n", format)
					return ExitUsage
				}
				sc, err := resolve(e, dir, args[0])
				if err != nil {
					return ExitFailure
				}
				out := analysis.Mermaid(sc)
				if format == "dot" {
					out = analysis.DOT(sc)
				}
				if _, err := io.WriteString(e.stdout, out); err != nil {
					fmt.Fprintf(e.stderr, "rapport graph: %v\n", err)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}
