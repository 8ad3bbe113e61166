// Package version reports which build of Rapport is running. Release builds
// set the variables with -ldflags "-X"; other builds fall back to what the
// Go toolchain recorded.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at build time with -ldflags "-X github.com/rapport-sim/rapport/internal/version.Version=v1.2.3".
var (
	Version = ""
	Commit  = ""
)

// String returns the version, falling back to the module version recorded
// by `go install`, or "devel" for a source build.
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// Long returns the version, commit and Go version on one line.
func Long() string {
	commit := Commit
	if commit == "" {
		commit = "unknown commit"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && s.Value != "" {
					commit = s.Value
				}
			}
		}
	}
	return fmt.Sprintf("rapport %s (%s, %s %s/%s)", String(), commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
