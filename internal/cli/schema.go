package cli

import (
	"flag"
	"fmt"

	"github.com/rapport-sim/rapport/internal/analysis"
)

func schemaCmd() *command {
	return &command{
		name:  "schema",
		args:  "",
		short: "print the JSON Schema of the scenario format",
		long: `Print a JSON Schema of the scenario format, for editors with TOML schema
support (Taplo, the Even Better TOML extension): completion, hover help and
validation while you type. Save it next to your scenarios and point the
editor at it, either in each file's first line:

  #:schema ./rapport.schema.json

or for a whole folder in .taplo.toml (see docs/authoring.md):

  rapport schema > rapport.schema.json`,
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			return func(e *env, args []string) int {
				if len(args) > 0 {
					fmt.Fprintf(e.stderr, "rapport schema: unexpected argument %q\n", args[0])
					return ExitUsage
				}
				b, err := analysis.JSONSchema()
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport schema: %v\n", err)
					return ExitFailure
				}
				if _, err := e.stdout.Write(b); err != nil {
					fmt.Fprintf(e.stderr, "rapport schema: %v\n", err)
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}
