package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is the error for a path that names something other than a
// regular file: a named pipe, a device, a socket. Readers of a folder skip
// such a file with this reason rather than read it: opening a named pipe
// for reading waits for a writer that may never come, and a device may
// never stop giving bytes.
var ErrNotRegular = errors.New("not a regular file")

// notRegular describes what kind of file mode is, for ErrNotRegular.
func notRegular(path string, mode fs.FileMode) error {
	kind := "a special file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	case mode&fs.ModeCharDevice != 0:
		kind = "a character device"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	case mode.IsDir():
		kind = "a folder"
	}
	return fmt.Errorf("%s: %w: %s; only regular files are read", path, ErrNotRegular, kind)
}

// ReadRegular reads the regular file at path into buf (grown as needed)
// and returns it, reading at most limit+1 bytes so a caller can tell a
// file over its limit without reading all of it. Anything but a regular
// file is refused with ErrNotRegular before a byte is read, and never
// blocks: the file is opened without waiting (O_NONBLOCK), and the check
// is made on the opened file, so a file swapped for a pipe between a look
// at the folder and the open is still caught.
func ReadRegular(path string, buf []byte, limit int) ([]byte, error) {
	return readRegular(path, buf, limit)
}

// fillFrom reads with read into buf until EOF or one byte past limit.
// size is what the file's stat says it holds: buf is grown to it (and one
// byte more, to see the end) at once, rather than doubled step by step,
// which for a file of some megabytes cost more than reading it (every
// doubling copies what was read and touches fresh pages). A file that
// grows while it is read is still read to the end.
func fillFrom(read func([]byte) (int, error), buf []byte, size int64, limit int) ([]byte, error) {
	if want := int(min(max(size, 0), int64(limit))) + 1; cap(buf)-len(buf) < want {
		buf = append(make([]byte, 0, len(buf)+want), buf...)
	}
	for len(buf) <= limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := read(buf[len(buf):min(cap(buf), limit+1)])
		buf = buf[:len(buf)+n]
		if err == io.EOF || err == nil && n == 0 {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// RegularFS is os.DirFS(dir) that opens only folders and regular files,
// without waiting (see ReadRegular): a named pipe in a scenario folder is
// refused with ErrNotRegular rather than hanging the loader.
func RegularFS(dir string) fs.FS { return regularFS(dir) }

type regularFS string

func (dir regularFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.OpenFile(filepath.Join(string(dir), filepath.FromSlash(name)), os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.IsDir() && !info.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(f.Name(), info.Mode())
	}
	return f, nil
}

// OpenRegular opens the regular file at path for reading, with its info;
// anything else is refused with ErrNotRegular, without waiting, as
// ReadRegular does. For files read in parts rather than whole.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, notRegular(path, info.Mode())
	}
	return f, info, nil
}
