package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rapport-sim/rapport/internal/config"
)

// Ext is the extension of record files.
const Ext = ".json"

// MaxRecordSize is the largest file read as a record. Real records are a
// few kilobytes; a bigger file in a results folder is something else, and
// reading it whole would only waste memory.
const MaxRecordSize = 4 << 20

// ErrNotFound means no record has the id asked for.
var ErrNotFound = errors.New("no such record")

// Store is a folder of records.
type Store struct {
	dir string
}

// Open opens the results folder dir, creating it if needed: private
// (0700) unless it is made inside a folder shared with a group
// (config.MkdirAll).
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open results: no folder given")
	}
	if err := config.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Path returns the file a record with the given id is kept in.
func (s *Store) Path(id string) string { return filepath.Join(s.dir, id+Ext) }

// Save writes a record atomically: readers see either no file or the whole
// record, whatever happens to this process. Saving a record whose id is
// already in the folder replaces it (also atomically), which lets a caller
// save an attempt in progress and again when it ends. It returns the
// record's path.
func (s *Store) Save(r *Record) (string, error) {
	if err := r.Validate(); err != nil {
		return "", fmt.Errorf("save record: %w", err)
	}
	data, err := Marshal(r)
	if err != nil {
		return "", err
	}
	path := s.Path(r.ID)
	// Private (0600), or following the folder's group when it is shared
	// with a class (config.Modes).
	mode, _ := config.Modes(s.dir)
	if err := config.WriteFileAtomic(path, data, mode); err != nil {
		return "", fmt.Errorf("save record: %w", err)
	}
	return path, nil
}

// Marshal encodes a record as it is stored: compact JSON with a final
// newline. Compact rather than indented because reports read thousands of
// records and the indentation would be a third of every file; `jq .
// FILE` shows a record laid out.
func Marshal(r *Record) ([]byte, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode record %s: %w", r.ID, err)
	}
	return append(data, '\n'), nil
}

// Unmarshal decodes, validates and sanitises (Record.Sanitize) one record.
func Unmarshal(data []byte) (*Record, error) {
	return unmarshal(data, Full, nil)
}

// Detail says how much of each record a read decodes.
type Detail int

const (
	// Full decodes everything.
	Full Detail = iota
	// Brief leaves out Record.Explanations, which a record keeps last:
	// reading stops where they begin, after checking that the file is
	// complete. It is what reports need, at a fraction of the cost.
	Brief
)

func unmarshal(data []byte, detail Detail, in *interner) (*Record, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // an editor's BOM
	// A quick look before decoding: a JSON array or a scalar is foreign,
	// and saying so beats a type error about Record.
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		if !json.Valid(data) {
			return nil, fmt.Errorf("not JSON (damaged or truncated file)")
		}
		return nil, fmt.Errorf("%w: JSON but not an object", ErrNotRecord)
	}
	var r *Record
	var err error
	if detail == Brief {
		r, err = decodeBrief(data, in)
	} else {
		r = new(Record)
		err = json.Unmarshal(data, r)
	}
	if err != nil {
		return nil, describeDecodeError(err, data)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	r.Sanitize()
	return r, nil
}

// probeSchema reads only the schema field, to tell a damaged record from a
// foreign JSON file whose fields clash with ours.
func probeSchema(data []byte) int {
	var p struct {
		Schema int `json:"schema"`
	}
	_ = json.Unmarshal(data, &p)
	return p.Schema
}

// Skipped is a file that was not read as a record, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (s Skipped) String() string { return s.Path + ": " + s.Reason }

// Load reads the record with the given id.
func (s *Store) Load(id string) (*Record, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("record %q: %w", id, ErrNotFound)
	}
	r, err := ReadFile(s.Path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("record %q in %s: %w", id, s.dir, ErrNotFound)
	}
	return r, err
}

// Find returns the record whose id is id or starts with it, so a trainer
// can type the first, time-based part of an id. More than one match is an
// error that lists them.
func (s *Store) Find(prefix string) (*Record, error) {
	if r, err := s.Load(prefix); err == nil || !errors.Is(err, ErrNotFound) {
		return r, err
	}
	names, err := recordFiles(s.dir)
	if err != nil {
		return nil, err
	}
	var match []string
	for _, n := range names {
		// A name that is not a valid id is no record of ours (and, in a
		// shared folder, anyone's text).
		if id := strings.TrimSuffix(n, Ext); strings.HasPrefix(id, prefix) && ValidID(id) {
			match = append(match, id)
		}
	}
	switch len(match) {
	case 0:
		return nil, fmt.Errorf("record %q in %s: %w", prefix, s.dir, ErrNotFound)
	case 1:
		return ReadFile(s.Path(match[0]))
	}
	if len(match) > 5 {
		match = append(match[:5], "…")
	}
	return nil, fmt.Errorf("record %q is ambiguous: %s", prefix, strings.Join(match, ", "))
}

// ReadFile reads one record file. The error says what is wrong with the
// file and includes its path.
func ReadFile(path string) (*Record, error) {
	return readFile(path, Full, nil)
}

// reader is one reading worker's reusable state.
type reader struct {
	buf []byte
	in  interner
}

// readFile reads and decodes one file, reusing rd's buffer and strings
// when rd is not nil.
func readFile(path string, detail Detail, rd *reader) (*Record, error) {
	var b []byte
	var in *interner
	if rd != nil {
		b, in = rd.buf[:0], &rd.in
	}
	b, err := readAll(path, b)
	if rd != nil {
		rd.buf = b
	}
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRecordSize {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", path, ErrNotRecord, MaxRecordSize>>20)
	}
	r, err := unmarshal(b, detail, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// readAll reads a regular file into buf, growing it as needed, up to one
// byte past MaxRecordSize.
func readAll(path string, buf []byte) ([]byte, error) {
	if cap(buf) == 0 {
		buf = make([]byte, 0, 32<<10)
	}
	return config.ReadRegular(path, buf, MaxRecordSize)
}

// List reads every record in the store's folder, oldest first. Files that
// are not valid records are returned in skipped with the reason; only a
// folder that cannot be read at all is an error.
func (s *Store) List() (recs []*Record, skipped []Skipped, err error) {
	return Read(s.dir)
}

// Read reads records from files and folders (each folder's *.json files,
// not its subfolders), oldest first. A record found twice under the same
// id (a folder and a file in it, or a copy) is kept once. Unreadable or
// invalid files are skipped with a reason; a path that does not exist is
// an error.
func Read(paths ...string) ([]*Record, []Skipped, error) {
	return ReadDetail(Full, paths...)
}

// ReadDetail is Read decoding only the given detail of each record. With
// Brief, a folder's records come from its summary index where they are
// unchanged (see IndexName), and the index is brought up to date.
func ReadDetail(detail Detail, paths ...string) ([]*Record, []Skipped, error) {
	var recs []*Record
	skipped, err := Each(detail, func(r *Record) { recs = append(recs, r) }, paths...)
	if err != nil {
		return nil, nil, err
	}
	SortByTime(recs)
	return recs, skipped, nil
}

// SortByTime sorts records by start time, then id.
func SortByTime(recs []*Record) {
	slices.SortStableFunc(recs, func(a, b *Record) int {
		if c := a.Started.Compare(b.Started); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// recordFiles lists the record file names in dir, sorted. Hidden files
// (which include config.TempPrefix, writes in progress or left by a killed
// writer) and non-JSON files are not records and are not mentioned.
func recordFiles(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	defer f.Close()
	// Unsorted, then the names sorted: os.ReadDir's sort compares through
	// an interface, a tenth of the time of a report over 100,000 records.
	names, err := listRecordFiles(f)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// isRecordFile says whether a folder's entry is a record file by its name
// (not hidden, a JSON file) and whether it is a folder.
func isRecordFile(name string, dir bool) bool {
	return !strings.HasPrefix(name, ".") && strings.HasSuffix(name, Ext) && !dir
}

// readRecordFiles lists the record files of an open folder as os.ReadDir
// does (listRecordFiles where the system gives no faster way).
func readRecordFiles(f *os.File) ([]string, error) {
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n := e.Name(); isRecordFile(n, e.IsDir()) {
			names = append(names, n)
		}
	}
	return names, nil
}

// result turns a read into a fileResult.
func result(path string, r *Record, err error) fileResult {
	if err == nil {
		return fileResult{rec: r, cacheable: true}
	}
	// The path is reported separately; drop it from the message.
	reason := strings.TrimPrefix(err.Error(), path+": ")
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fileResult{reason: "cannot " + pe.Op + ": " + pe.Err.Error()}
	}
	return fileResult{reason: reason, cacheable: !errors.Is(err, config.ErrNotRegular)}
}

// readWorkers is how many files are read at once per CPU. Opening and
// reading a file waits on the system (more so in a VM or on a network
// share); a second reader per CPU decodes while the first waits. Measured
// on the 2-core development VM: 4 readers beat 2 by about a quarter, and 8
// gained nothing more.
const readWorkers = 2
