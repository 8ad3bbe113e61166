//go:build unix

package config

import (
	"errors"
	"os"
	"syscall"
)

const isWindows = false

// followGroup gives the open file or folder f the group of the folder
// dir, as a setgid folder would. It reports false when that cannot be
// done (the writer is not in the group), so the caller keeps f private.
func followGroup(f *os.File, dir string) bool {
	d, err := os.Stat(dir)
	if err != nil {
		return false
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	dst, ok1 := d.Sys().(*syscall.Stat_t)
	fst, ok2 := info.Sys().(*syscall.Stat_t)
	if !ok1 || !ok2 {
		return false
	}
	return dst.Gid == fst.Gid || f.Chown(-1, int(dst.Gid)) == nil
}

// syncUnsupported reports whether a folder's fsync failed only because
// the file system cannot sync folders (some network and FUSE file
// systems).
func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
