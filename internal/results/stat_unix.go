//go:build unix

package results

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// folderStat stats the files of one folder by name, relative to the
// folder's descriptor, so the kernel does not walk the folder's path
// again for each of its files: a third less time per file for the stat
// every indexed read makes of every record.
type folderStat struct {
	dir string
	fd  int // -1: stat by path
}

func openFolderStat(dir string) *folderStat {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	return &folderStat{dir: dir, fd: fd}
}

// stat returns a file's size and modification time (ns), and whether it
// is a regular file; symbolic links are followed, as os.Stat does.
func (f *folderStat) stat(name string) (size, mtime int64, regular bool) {
	if f.fd < 0 {
		info, err := os.Stat(filepath.Join(f.dir, name))
		if err != nil || !info.Mode().IsRegular() {
			return 0, 0, false
		}
		return info.Size(), info.ModTime().UnixNano(), true
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(f.fd, name, &st, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			return 0, 0, false
		}
		break
	}
	return st.Size, st.Mtim.Nano(), true
}

func (f *folderStat) close() {
	if f.fd >= 0 {
		unix.Close(f.fd)
	}
}
