package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TempPrefix starts the name of every temporary file WriteFileAtomic
// creates. Readers of a folder skip names with it: such a file is a write
// in progress, or the remains of a writer that was killed.
const TempPrefix = ".tmp-"

// WriteOption changes how WriteFileAtomic writes.
type WriteOption func(*writeOptions)

type writeOptions struct {
	noReplace bool
	noSync    bool
}

// NoReplace makes WriteFileAtomic fail with an error wrapping
// fs.ErrExist when path exists, even if another writer creates it first,
// instead of replacing it.
func NoReplace() WriteOption { return func(o *writeOptions) { o.noReplace = true } }

// NoSync leaves out the fsyncs, for files rewritten every few seconds
// whose loss in a power cut costs nothing (presence files): the write is
// still atomic for readers, but may not survive a crash of the machine.
func NoSync() WriteOption { return func(o *writeOptions) { o.noSync = true } }

// WriteFileAtomic replaces path with data so that a crash or kill at any
// moment leaves either the old file or the complete new one, never a part:
// the bytes go to a temporary file in the same folder, which is given its
// mode, synced, closed and renamed over path; then the folder itself is
// synced so the rename survives a power cut. Writers racing on one path
// each leave a complete file; the last rename wins.
//
// perm is set exactly, whatever the umask; a mode with group bits also
// gives the file the folder's group (see Modes). Every file Rapport
// writes goes through this function.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode, opts ...WriteOption) error {
	f, err := CreateAtomic(path, opts...)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit(perm)
}

// AtomicFile is a file being written to replace another atomically, for
// writers that produce its bytes as they go rather than all at once: it
// is WriteFileAtomic in steps. Nothing is visible under the file's name
// until Commit; Abort (or a crash) leaves only a temporary file, whose
// name starts with TempPrefix.
type AtomicFile struct {
	f         *os.File
	path, dir string
	o         writeOptions
}

// CreateAtomic starts replacing path.
func CreateAtomic(path string, opts ...WriteOption) (*AtomicFile, error) {
	a := &AtomicFile{path: path}
	for _, opt := range opts {
		opt(&a.o)
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	a.dir = dir
	f, err := os.CreateTemp(dir, TempPrefix+strings.TrimPrefix(name, ".")+"-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	a.f = f
	return a, nil
}

// Write writes to the temporary file.
func (a *AtomicFile) Write(b []byte) (int, error) { return a.f.Write(b) }

// Abort gives up: the temporary file is removed and path left as it was.
func (a *AtomicFile) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// Commit gives the file its mode (see WriteFileAtomic), syncs it unless
// NoSync, and moves it to its name.
func (a *AtomicFile) Commit(perm fs.FileMode) (err error) {
	f, path, dir := a.f, a.path, a.dir
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// The mode is set before the file is visible under its real name.
	if err = setMode(f, dir, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if !a.o.noSync {
		if err = f.Sync(); err != nil {
			return fmt.Errorf("write %s: sync: %w", path, err)
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if a.o.noReplace {
		// A hard link fails if the name exists, even when another writer
		// got there first; the temporary name is then removed.
		err = os.Link(tmp, path)
		if err == nil {
			os.Remove(tmp)
		} else if _, statErr := os.Lstat(path); statErr == nil {
			return existsError{path}
		}
	} else {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if a.o.noSync {
		return nil
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Windows cannot open a folder for
// syncing and makes renames durable itself, so it is skipped there; some
// file systems cannot sync a folder at all, which is not an error.
func syncDir(dir string) error {
	if isWindows {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !syncUnsupported(err) {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// existsError says a file is already there, once: it is fs.ErrExist for
// errors.Is, without fs.ErrExist's own "file already exists" repeating it.
type existsError struct{ path string }

func (e existsError) Error() string { return e.path + " already exists" }
func (e existsError) Unwrap() error { return fs.ErrExist }
