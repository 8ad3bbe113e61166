//go:build unix

package results

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test if f does not return within d: a reader that
// opens a named pipe waits for a writer forever.
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still blocked after %s: a reader opened a special file", d)
	}
}

func TestSpecialFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	good := newRecord(t, "Ann", 0, t0)
	if _, err := s.Save(good); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A socket (bound in the folder) and a symlink to a device.
	sock := filepath.Join(dir, "sock.json")
	if len(sock) < 100 { // sun_path is about 108 bytes
		l, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
		t.Fatal(err)
	}
	var recs []*Record
	var skipped []Skipped
	within(t, 10*time.Second, func() {
		var err error
		recs, skipped, err = s.List()
		if err != nil {
			t.Error(err)
		}
	})
	if len(recs) != 1 || recs[0].ID != good.ID {
		t.Errorf("read %v, want the one record", recIDs(recs))
	}
	want := map[string]string{"pipe.json": "a named pipe (FIFO)", "zero.json": "a character device", "sock.json": "a socket"}
	if len(sock) >= 100 {
		delete(want, "sock.json")
	}
	for _, sk := range skipped {
		name := filepath.Base(sk.Path)
		if !strings.HasPrefix(sk.Reason, "not a regular file: "+want[name]) {
			t.Errorf("%s skipped with %q, want it to say it is %s", name, sk.Reason, want[name])
		}
		delete(want, name)
	}
	for name := range want {
		t.Errorf("%s not reported as skipped", name)
	}
	// Asked for by name, it is refused the same way.
	within(t, 10*time.Second, func() {
		if _, err := ReadFile(filepath.Join(dir, "pipe.json")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("ReadFile of a pipe: %v", err)
		}
	})
}

// TestRecordsArePrivate: a new results folder is 0700 and its records
// 0600 even under umask 0; in a folder shared with a group (setgid,
// group-writable) records are 0660, so the class's trainers can read them.
func TestRecordsArePrivate(t *testing.T) {
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(root, "data", "results")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	path, err := s.Save(newRecord(t, "Ann", 0, t0))
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o700, path: 0o600} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", p, info.Mode().Perm(), want, err)
		}
	}

	share := t.TempDir()
	if err := os.Chmod(share, 0o770|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	s, err = Open(share)
	if err != nil {
		t.Fatal(err)
	}
	path, err = s.Save(newRecord(t, "Bo", 1, t0))
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o660 {
		t.Errorf("record in a shared folder: mode %v, want 0660 (%v)", info.Mode().Perm(), err)
	}
}
