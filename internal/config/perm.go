package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// What Rapport creates is private: attempts hold trainees' names and the
// words they typed. The modes are set explicitly, whatever the umask.
const (
	// PrivateFile is the mode of records, presence files and the config
	// file in a folder that is not shared.
	PrivateFile fs.FileMode = 0o600
	// PrivateDir is the mode of a folder Rapport creates outside a shared
	// folder: the data dir, the results dir, the config dir.
	PrivateDir fs.FileMode = 0o700
)

// Modes returns the modes for a file and for a subfolder created in dir.
//
// A folder is shared with a group when it is group-writable or has the
// setgid bit: a results folder a class writes into (chgrp class DIR; chmod
// 2770 DIR). In a shared folder, new files and subfolders follow its
// group: a file gets the folder's group read and write bits (2770 gives
// 0660, 2750 gives 0640), a subfolder the folder's group bits and its
// setgid bit (2770 gives 2770), and both are given the folder's group (the
// writer must belong to it; if not, they stay private). Others get
// nothing. Any other folder, or one that cannot be looked at, gives
// PrivateFile and PrivateDir.
func Modes(dir string) (file, sub fs.FileMode) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return PrivateFile, PrivateDir
	}
	m := info.Mode()
	if m.Perm()&0o020 == 0 && m&fs.ModeSetgid == 0 {
		return PrivateFile, PrivateDir
	}
	group := m.Perm() & 0o070
	return 0o600 | group&0o060, 0o700 | group | m&fs.ModeSetgid
}

// MkdirAll creates dir and any missing parents. Each folder it creates
// gets the subfolder mode of its parent (Modes): private (0700) unless
// the parent is shared with a group, whatever the umask. Folders that
// exist are left as they are.
func MkdirAll(dir string) error {
	dir = filepath.Clean(dir)
	info, err := os.Stat(dir)
	if err == nil {
		if !info.IsDir() {
			return fmt.Errorf("create %s: not a folder", dir)
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := MkdirAll(parent); err != nil {
			return err
		}
	}
	_, mode := Modes(parent)
	if err := os.Mkdir(dir, PrivateDir); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // made by another writer meanwhile
		}
		return fmt.Errorf("create %s: %w", dir, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	defer d.Close()
	return setMode(d, parent, mode)
}

// setMode gives the new file or folder f, in the folder dir, its mode
// and, when the mode shares it with a group, dir's group; if the group
// cannot be given, f is made private instead.
func setMode(f *os.File, dir string, mode fs.FileMode) error {
	if mode&0o070 != 0 && !followGroup(f, dir) {
		mode &^= 0o077 | fs.ModeSetgid
	}
	if err := f.Chmod(mode); err != nil && !isWindows {
		return fmt.Errorf("set mode of %s: %w", f.Name(), err)
	}
	return nil
}
