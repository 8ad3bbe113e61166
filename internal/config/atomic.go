package config

import (
	"fmt"
	"io/fs"
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
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return WriteAtomic(path, data, Write{Perm: perm})
}

// Write says how WriteAtomic writes a file.
type Write struct {
	// Perm is the new file's mode.
	Perm os.FileMode
	// NoSync skips the fsyncs, for files rewritten every few seconds whose
	// loss in a power cut costs nothing (presence files): dozens of
	// sessions should not queue on the disk. The write is still atomic.
	NoSync bool
	// Exclusive never replaces a file: the new one is hard-linked to its
	// name, which fails with fs.ErrExist when the name exists, even when
	// another writer got there first.
	Exclusive bool
}

// WriteAtomic writes data to path so that it appears whole or not at all:
// the one way Rapport writes a file (records, settings, host keys,
// presence files, new scenarios, exported reports). The bytes go to a
// temporary file (TempPrefix) in the same folder, which is given its mode,
// synced and closed, then renamed over path (or linked to it, Exclusive);
// then the folder is synced so the new name survives a power cut.
func WriteAtomic(path string, data []byte, w Write) (err error) {
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
		if err != nil || w.Exclusive {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes 0600 files; apply the caller's mode before the file
	// becomes visible under its real name.
	if err = f.Chmod(w.Perm); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = nil
	if !w.NoSync {
		if err = f.Sync(); err != nil {
			return fmt.Errorf("write %s: sync: %w", path, err)
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if w.Exclusive {
		if err = os.Link(tmp, path); err != nil {
			if _, statErr := os.Lstat(path); statErr == nil {
				return fmt.Errorf("%s already exists: %w", path, fs.ErrExist)
			}
			return fmt.Errorf("write %s: %w", path, err)
		}
	} else if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if w.NoSync {
		return nil
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
