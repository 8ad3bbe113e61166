//go:build !unix

package results

import (
	"os"
	"path/filepath"
)

// folderStat stats the files of one folder by path.
type folderStat struct{ dir string }

func openFolderStat(dir string) *folderStat { return &folderStat{dir: dir} }

// stat returns a file's size and modification time (ns), and whether it
// is a regular file.
func (f *folderStat) stat(name string) (size, mtime int64, regular bool) {
	info, err := os.Stat(filepath.Join(f.dir, name))
	if err != nil || !info.Mode().IsRegular() {
		return 0, 0, false
	}
	return info.Size(), info.ModTime().UnixNano(), true
}

func (f *folderStat) close() {}
