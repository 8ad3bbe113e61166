// Package scenarios holds the shipped scenario library. The TOML files are
// embedded in the binary and are the default library when no --scenarios
// folder is given.
package scenarios

import "embed"

// FS holds every scenario and drill file shipped with Rapport.
//
//go:embed *.toml
var FS embed.FS
