package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// TempPrefix starts the name of every temporary file WriteFileAtomic
// creates. Readers of a folder skip names with it: such a file is a write
// in progress, or the remains of a writer that was killed.
const TempPrefix = ".tmp-"

// WriteFileAtomic replaces path with data so that a crash or kill at any
// moment leaves either the old file or the complete new one, never a part:
// the bytes go to a temporary file in the same folder, which is synced,
// closed and renamed over path; then the folder itself is synced so the
// rename survives a power cut. Writers racing on one path each leave a
// complete file; the last rename wins.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, TempPrefix+strings.TrimPrefix(name, ".")+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes 0600 files; apply the caller's mode before the file
	// becomes visible under its real name.
	if err = f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot open a folder for
// syncing and makes renames durable itself, so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
