//go:build unix

package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs f with the process umask set to m. Tests in this package
// do not run in parallel, so nothing else sees it.
func withUmask(t *testing.T, m int, f func()) {
	t.Helper()
	old := syscall.Umask(m)
	defer syscall.Umask(old)
	f()
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode() & (fs.ModePerm | fs.ModeSetgid)
}

func TestModes(t *testing.T) {
	for perm, want := range map[fs.FileMode][2]fs.FileMode{
		0o700:                 {0o600, 0o700},
		0o755:                 {0o600, 0o700},
		0o777 &^ 0o020:        {0o600, 0o700},
		0o770:                 {0o660, 0o770},
		0o775:                 {0o660, 0o770},
		0o730:                 {0o620, 0o730},
		0o750 | fs.ModeSetgid: {0o640, 0o750 | fs.ModeSetgid},
		0o770 | fs.ModeSetgid: {0o660, 0o770 | fs.ModeSetgid},
		0o777:                 {0o660, 0o770},
	} {
		dir := filepath.Join(t.TempDir(), "d")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, perm); err != nil {
			t.Fatal(err)
		}
		if got := mode(t, dir); got != perm {
			t.Skipf("this system will not give a folder mode %v (got %v)", perm, got)
		}
		file, sub := Modes(dir)
		if file != want[0] || sub != want[1] {
			t.Errorf("Modes(%v) = %v, %v; want %v, %v", perm, file, sub, want[0], want[1])
		}
	}
	if f, d := Modes(filepath.Join(t.TempDir(), "missing")); f != PrivateFile || d != PrivateDir {
		t.Errorf("a missing folder gives %v, %v", f, d)
	}
}

// TestPrivateWhateverTheUmask: folders Rapport creates are 0700 and files
// it writes 0600, even with a umask that would leave them open to all.
func TestPrivateWhateverTheUmask(t *testing.T) {
	for _, umask := range []int{0, 0o022, 0o077} {
		withUmask(t, umask, func() {
			root := t.TempDir()
			if err := os.Chmod(root, 0o755); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(root, "a", "b")
			if err := MkdirAll(dir); err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{filepath.Join(root, "a"), dir} {
				if got := mode(t, d); got != PrivateDir {
					t.Errorf("umask %03o: folder %s is %v, want %v", umask, d, got, PrivateDir)
				}
			}
			path := filepath.Join(dir, "rec.json")
			file, _ := Modes(dir)
			if err := WriteFileAtomic(path, []byte("{}"), file); err != nil {
				t.Fatal(err)
			}
			if got := mode(t, path); got != PrivateFile {
				t.Errorf("umask %03o: file is %v, want %v", umask, got, PrivateFile)
			}
			// The config file, whatever folder it is in.
			cfg := filepath.Join(root, "cfg", ConfigFile)
			if err := Save(cfg, Config{Name: "Ann"}); err != nil {
				t.Fatal(err)
			}
			if got := mode(t, cfg); got != PrivateFile {
				t.Errorf("umask %03o: config file is %v", umask, got)
			}
		})
	}
}

// TestSharedFolderFollowsItsGroup: in a folder shared with a group
// (setgid, group-writable), new files and folders are group-readable and
// writable, and keep the setgid bit down the tree, whatever the umask.
func TestSharedFolderFollowsItsGroup(t *testing.T) {
	withUmask(t, 0o077, func() {
		share := filepath.Join(t.TempDir(), "class")
		if err := os.Mkdir(share, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(share, 0o770|fs.ModeSetgid); err != nil || mode(t, share) != 0o770|fs.ModeSetgid {
			t.Skip("cannot make a setgid folder here")
		}
		live := filepath.Join(share, "live", "sessions")
		if err := MkdirAll(live); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{filepath.Dir(live), live} {
			if got := mode(t, d); got != 0o770|fs.ModeSetgid {
				t.Errorf("%s is %v, want setgid 0770", d, got)
			}
		}
		for _, d := range []string{share, live} {
			path := filepath.Join(d, "x.json")
			file, _ := Modes(d)
			if err := WriteFileAtomic(path, []byte("{}"), file); err != nil {
				t.Fatal(err)
			}
			if got := mode(t, path); got != 0o660 {
				t.Errorf("%s is %v, want 0660", path, got)
			}
		}
	})
}

// TestFollowsTheFoldersGroup: a file written into a group-writable folder
// (no setgid) that belongs to another of the writer's groups gets that
// group, as it would under setgid.
func TestFollowsTheFoldersGroup(t *testing.T) {
	groups, err := os.Getgroups()
	if err != nil {
		t.Skip(err)
	}
	other := -1
	for _, g := range groups {
		if g != os.Getgid() {
			other = g
		}
	}
	if other < 0 {
		t.Skip("the test user belongs to one group only")
	}
	share := t.TempDir()
	if err := os.Chown(share, -1, other); err != nil {
		t.Skip(err)
	}
	if err := os.Chmod(share, 0o770); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(share, "x.json")
	file, _ := Modes(share)
	if err := WriteFileAtomic(path, []byte("{}"), file); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if gid := int(info.Sys().(*syscall.Stat_t).Gid); gid != other || info.Mode().Perm() != 0o660 {
		t.Errorf("file has group %d and mode %v, want group %d and 0660", gid, info.Mode().Perm(), other)
	}
}

func TestNoReplace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.toml")
	if err := WriteFileAtomic(path, []byte("one"), 0o644, NoReplace()); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, []byte("two"), 0o644, NoReplace())
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("second write: %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("file holds %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}
