//go:build !linux

package results

import "os"

// listRecordFiles lists the record files of an open folder, unsorted.
func listRecordFiles(f *os.File) ([]string, error) { return readRecordFiles(f) }
