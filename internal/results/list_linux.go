package results

import (
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// listRecordFiles lists the record files of an open folder, unsorted, as
// readRecordFiles does, from the system's directory entries as they
// come: os.ReadDir makes an entry and a string for every file, and a
// report over a big folder lists every file of it. The names are cut
// from one string per read of the folder, and their list is made once,
// at its length, when the folder has been read: a report's fresh memory
// is page faults, which are dear in a virtual machine.
func listRecordFiles(f *os.File) ([]string, error) {
	fd := int(f.Fd())
	buf := make([]byte, 32<<10)
	// chunks are the names of each read: one string, and where each name
	// in it ends.
	type chunk struct {
		all  string
		ends []int32
	}
	var chunks []chunk
	count := 0
	var text []byte
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: f.Name(), Err: err}
		}
		if n <= 0 {
			names := make([]string, 0, count)
			for _, c := range chunks {
				at := int32(0)
				for _, end := range c.ends {
					names = append(names, c.all[at:end])
					at = end
				}
			}
			return names, nil
		}
		text = text[:0]
		var ends []int32
		for b := buf[:n]; len(b) > 0; {
			// struct linux_dirent64: ino, off, reclen, type, name (NUL
			// ended).
			const nameAt = 19
			if len(b) < nameAt {
				break
			}
			reclen := int(*(*uint16)(unsafe.Pointer(&b[16])))
			if reclen < nameAt || reclen > len(b) {
				break
			}
			ino, typ, name := *(*uint64)(unsafe.Pointer(&b[0])), b[18], b[nameAt:reclen]
			b = b[reclen:]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			if ino == 0 { // a deleted file, as os.ReadDir skips
				continue
			}
			// Compared only, so not copied: a name is longer than the
			// string a conversion may make without allocating.
			if len(name) == 0 || !isRecordFile(unsafe.String(&name[0], len(name)), false) {
				continue
			}
			dir := typ == unix.DT_DIR
			if typ == unix.DT_UNKNOWN {
				// The file system does not say: ask, as os.ReadDir does.
				info, err := os.Lstat(filepath.Join(f.Name(), string(name)))
				if os.IsNotExist(err) {
					continue // gone since: os.ReadDir leaves it out too
				}
				if err != nil {
					return nil, err
				}
				dir = info.IsDir()
			}
			if !dir {
				text = append(text, name...)
				ends = append(ends, int32(len(text)))
			}
		}
		if len(ends) > 0 {
			chunks = append(chunks, chunk{all: string(text), ends: ends})
			count += len(ends)
		}
	}
}
