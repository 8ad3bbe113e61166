//go:build !unix

package config

import "os"

// oNonblock: no such flag here; the check on the opened file remains.
const oNonblock = 0

// readRegular reads a file through os.File, checking the opened file.
func readRegular(path string, buf []byte, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return buf, err
	}
	if !info.Mode().IsRegular() {
		return buf, notRegular(path, info.Mode())
	}
	return fillFrom(f.Read, buf, info.Size(), limit)
}
