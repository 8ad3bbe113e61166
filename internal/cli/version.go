package cli

import (
	"flag"
	"fmt"

	"github.com/rapport-sim/rapport/internal/version"
)

func versionCmd() *command {
	return &command{
		name:  "version",
		args:  "",
		short: "print the version",
		long:  "Print Rapport's version, commit and Go version.",
		define: func(*flag.FlagSet) func(*env, []string) int {
			return func(e *env, _ []string) int {
				fmt.Fprintln(e.stdout, version.Long())
				return ExitOK
			}
		},
	}
}
