//go:build !unix

package config

import (
	"os"
	"runtime"
)

var isWindows = runtime.GOOS == "windows"

// followGroup: there are no Unix groups to follow; the mode is all there
// is (and Windows ignores it).
func followGroup(f *os.File, dir string) bool { return true }

// syncUnsupported: folders are not synced here.
func syncUnsupported(error) bool { return true }
