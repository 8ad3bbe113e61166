// Package early starts putting Rapport's signal handler in place while
// the program's packages initialise (sigstart). Only the programs import
// it, so that tests of the packages below them never install the handler.
package early

import "github.com/rapport-sim/rapport/internal/sigstart"

func init() { sigstart.Start() }
