//go:build unix

package presence

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPresenceModes: presence files name trainees, so they are as private
// as records: 0600 in folders made 0700, or 0660 in setgid 0770 folders
// when the results folder is shared with a class.
func TestPresenceModes(t *testing.T) {
	for name, tc := range map[string]struct {
		results       os.FileMode
		file, folders os.FileMode
	}{
		"private": {0o755, 0o600, 0o700},
		"shared":  {0o770 | os.ModeSetgid, 0o660, 0o770 | os.ModeSetgid},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Chmod(dir, tc.results); err != nil {
				t.Fatal(err)
			}
			old := syscall.Umask(0)
			defer syscall.Umask(old)
			live := Dir(dir)
			path := filepath.Join(SessionsDir(live), "s1.json")
			if err := Write(path, Session{Schema: 1, Session: "s1"}); err != nil {
				t.Fatal(err)
			}
			for p, want := range map[string]os.FileMode{live: tc.folders, SessionsDir(live): tc.folders, path: tc.file} {
				info, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if got := info.Mode() & (os.ModePerm | os.ModeSetgid); got != want {
					t.Errorf("%s: %v, want %v", p, got, want)
				}
			}
		})
	}
}

// TestReadLiveSkipsSpecialFiles: a named pipe, a socket or a device named
// like a presence file is skipped with a reason, and never blocks the
// dashboard.
func TestReadLiveSkipsSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	live := Dir(dir)
	now := time.Now()
	if err := Write(filepath.Join(SessionsDir(live), "ok.json"), Session{Schema: 1, Session: "ok", Updated: now, Connected: now}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(live, "server.json"), filepath.Join(SessionsDir(live), "pipe.json")} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/dev/zero", filepath.Join(SessionsDir(live), "zero.json")); err != nil {
		t.Fatal(err)
	}
	if sock := filepath.Join(SessionsDir(live), "sock.json"); len(sock) < 100 {
		l, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	done := make(chan Live, 1)
	go func() {
		l, err := Read(live, now)
		if err != nil {
			t.Error(err)
		}
		done <- l
	}()
	var l Live
	select {
	case l = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Read blocked on a special file")
	}
	if l.Server != nil || len(l.Sessions) != 1 || l.Sessions[0].Session != "ok" {
		t.Errorf("read server %v, sessions %v", l.Server, l.Sessions)
	}
	if len(l.Skipped) < 3 {
		t.Errorf("skipped %v, want the pipes and the device", l.Skipped)
	}
	for _, s := range l.Skipped {
		if !strings.Contains(s.Reason, "not a regular file") {
			t.Errorf("%s skipped with %q", s.Path, s.Reason)
		}
	}
}
