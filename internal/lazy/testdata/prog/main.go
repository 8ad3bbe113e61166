// Command prog declares a package-level lazy.Value and uses it when given
// an argument, for TestNoStartupCode.
package main

import (
	"os"
	"regexp"

	"github.com/rapport-sim/rapport/internal/lazy"
)

var re = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile("^a+$") }}

func main() {
	if len(os.Args) > 1 && !re.Get().MatchString(os.Args[1]) {
		os.Exit(1)
	}
}
