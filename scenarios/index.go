package scenarios

// Header is one scenario file's top-level keys, as scenario.ParseHeader
// reads them, and the file's size in bytes.
type Header struct {
	File                string
	Size                int64
	ID, Title, Summary  string
	Channel, Difficulty string
	Tags                []string
	Author, Version     string
}

// Index lists the headers of the shipped scenarios (not the drills), in
// file-name order, read when the library was built: the picker draws its
// first frame from it without parsing a file (rapport's first frame
// waited for 24 files to be parsed). It lives in index_gen.go, which
// `go test ./scenarios -run TestIndex -update` writes; the test fails
// when it does not match the files. A file whose size differs from its
// entry (the library was changed without updating the index) is read
// afresh by the caller.
func Index() []Header { return index }
