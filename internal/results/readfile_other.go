//go:build !unix

package results

import "os"

// readSmallFile reads a file through os.File.
func readSmallFile(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	return fillFrom(f.Read, buf)
}
