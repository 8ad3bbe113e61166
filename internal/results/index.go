package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// The summary index: reports, history and the class dashboard read every
// record of a folder, but need only each record's head (Brief). A folder
// of ten thousand records is over a hundred megabytes; the index keeps the
// heads of all of them, decoded once, in one small file beside them:
//
//	<results>/.rapport-index
//
// Records stay the source of truth. An entry is used only while its file
// has the size and modification time it had when the entry was made, and
// was not modified within racyWindow of the index being written (a file
// changed twice within one tick of a coarse clock would otherwise look
// unchanged); anything else is read from its file again, and the index is
// rewritten when what it would hold changed. The index is written
// atomically (config.WriteFileAtomic), so readers racing to update it each
// leave a whole one; the last rename wins, and it is as good as any other,
// since every entry is checked again when it is used. A damaged, truncated
// or foreign index fails its checksum and is rebuilt from the records.
// Its name starts with a dot, so record readers and listings skip it.

// IndexName is the file name of a folder's summary index.
const IndexName = ".rapport-index"

// indexMagic starts an index file; indexVersion changes whenever the
// layout or the Record fields it holds change.
const (
	indexMagic   = "rapport index\n"
	indexVersion = 3
)

// racyWindow is how recently before the index was written a file may have
// changed and still be trusted to the index: files changed within it are
// read again. Two seconds covers the coarsest file system clocks (FAT,
// some network shares).
const racyWindow = 2 * time.Second

// indexEntry is what the index knows about one file in the folder.
type indexEntry struct {
	size, mtime int64
	// rec is the file's record (Brief), or nil when the file is not a
	// record; reason then says why, as a read would.
	rec    *Record
	reason string
	// lazy marks an entry loaded with its record not yet decoded: the
	// record's bytes are at [off, end) of the index (see
	// indexReader.entryRecord). A report reads the index one record at a
	// time, so only one record per reader is ever decoded at once.
	lazy     bool
	off, end int
}

// folderIndex is a folder's index as loaded, and the writer of the new
// one.
type folderIndex struct {
	dir     string
	entries map[string]indexEntry
	// count is how many entries the index held (entries is dropped once
	// the folder's files are matched to them).
	count int
	// r reads the records of entries; nil for an empty index.
	r *indexReader
	// trustBefore is the modification time (ns) from which entries are
	// not trusted: the index file's own time less racyWindow.
	trustBefore int64
	// w writes the new index as the folder's files are read in order; nil
	// when every file was found in the index, so nothing can change.
	w *indexWriter
	// kept counts the entries given to w; changed says one of them is not
	// what the old index held.
	kept    int
	changed bool
	// broken says a record of the index did not decode (an index forged
	// with a valid checksum); the index is then rewritten or removed.
	broken atomic.Bool
}

// loadIndex reads dir's index; a missing or damaged one is an empty index.
// Its records are decoded only when used (folderIndex.record).
func loadIndex(dir string) *folderIndex {
	fi := &folderIndex{dir: dir}
	path := filepath.Join(dir, IndexName)
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return fi
	}
	data, err := config.ReadRegular(path, make([]byte, 0, min(info.Size(), maxIndexSize)+1), maxIndexSize)
	if err != nil || len(data) > maxIndexSize {
		return fi
	}
	r, entries, err := openIndex(data)
	if err != nil {
		return fi // damaged: rebuilt below
	}
	fi.r, fi.entries, fi.count = r, entries, len(entries)
	fi.trustBefore = info.ModTime().Add(-racyWindow).UnixNano()
	return fi
}

// maxIndexSize bounds the index read: about 500 bytes a record, so 64 MiB
// is over 100,000 records. A larger file is not used (and is rebuilt).
const maxIndexSize = 64 << 20

// minTurnBytes is the fewest bytes a turn takes in the index: sixteen
// fields of at least one byte, and the mood's four.
const minTurnBytes = 19

// lookup returns the entry for a file with the given size and time when
// it can be trusted.
func (fi *folderIndex) lookup(name string, size, mtime int64) (indexEntry, bool) {
	e, ok := fi.entries[name]
	if !ok || e.size != size || e.mtime != mtime || mtime >= fi.trustBefore {
		return indexEntry{}, false
	}
	return e, true
}

// record decodes a looked-up entry's record. Safe for concurrent use.
func (fi *folderIndex) record(e indexEntry) (*Record, bool) {
	if !e.lazy {
		return e.rec, true
	}
	rec, err := fi.r.entryRecord(e)
	return rec, err == nil
}

// mark notes that a record of the index could not be decoded.
func (fi *folderIndex) mark() { fi.broken.Store(true) }

// keep gives the new index what it holds for a file: files are kept in
// the order of their names. same says the old index had an entry for the
// file with the same size and time.
func (fi *folderIndex) keep(name string, e indexEntry, same bool) {
	if !same {
		fi.changed = true
	}
	fi.kept++
	if fi.w != nil {
		fi.w.entry(name, e)
	}
}

// save writes the new index when it differs from the old one. It is a
// cache: a folder that cannot be written to (read-only media, another
// user's folder) just goes without.
func (fi *folderIndex) save() {
	path := filepath.Join(fi.dir, IndexName)
	if fi.w == nil {
		if fi.broken.Load() {
			_ = os.Remove(path) // rebuilt by the next read
		}
		return
	}
	if !fi.changed && fi.kept == fi.count && !fi.broken.Load() {
		return
	}
	mode, _ := config.Modes(fi.dir)
	_ = config.WriteFileAtomic(path, fi.w.finish(), mode, config.NoSync())
}

// errIndex is any problem decoding an index.
var errIndex = errors.New("damaged index")

// encodeIndex lays out an index (see openIndex).
func encodeIndex(entries map[string]indexEntry) []byte {
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	slices.Sort(names) // the same folder gives the same bytes
	w := newIndexWriter(len(entries))
	for _, name := range names {
		w.entry(name, entries[name])
	}
	return w.finish()
}

// newIndexWriter starts an index of about n entries.
func newIndexWriter(n int) *indexWriter {
	// About 500 bytes a record; two new strings a record (its id and
	// file name; the rest recur), measured on the generated folder.
	w := &indexWriter{ids: make(map[string]uint64, 2*n+64), buf: make([]byte, 0, 512*n+1024)}
	w.buf = append(w.buf, indexMagic...)
	w.uvarint(indexVersion)
	w.buf = append(w.buf, make([]byte, 8)...) // the table's offset, set by finish
	return w
}

// entry adds one file's entry.
func (w *indexWriter) entry(name string, e indexEntry) {
	w.n++
	w.str(name)
	w.varint(e.size)
	w.varint(e.mtime)
	if e.rec == nil {
		w.uvarint(0)
		w.str(e.reason)
		return
	}
	w.uvarint(1)
	// The record goes to the scratch buffer first, to be written after
	// its length.
	main := w.buf
	w.buf = w.scratch[:0]
	w.record(e.rec)
	w.scratch, w.buf = w.buf, main
	w.uvarint(uint64(len(w.scratch)))
	w.buf = append(w.buf, w.scratch...)
}

// finish adds the entry count, the string table and the checksum, and
// returns the index's bytes. The table comes last so that the entries can
// be written as they come, in the one buffer the file is written from.
func (w *indexWriter) finish() []byte {
	binary.LittleEndian.PutUint64(w.buf[len(indexMagic)+uvarintLen(indexVersion):], uint64(len(w.buf)))
	w.uvarint(uint64(w.n))
	w.uvarint(uint64(len(w.table)))
	for _, s := range w.table {
		w.uvarint(uint64(len(s)))
		w.buf = append(w.buf, s...)
	}
	sum := sha256.Sum256(w.buf)
	return append(w.buf, sum[:]...)
}

func uvarintLen(u uint64) int { return len(binary.AppendUvarint(nil, u)) }

// decodeIndex reads an index written by encodeIndex, every record
// decoded. Every record in it is validated and sanitised as a record file
// is (the index sits in a folder others may write to); TestIndexSanitises
// checks the two agree.
func decodeIndex(data []byte) (map[string]indexEntry, error) {
	r, entries, err := openIndex(data)
	if err != nil {
		return nil, err
	}
	for name, e := range entries {
		if !e.lazy {
			continue
		}
		if e.rec, err = r.entryRecord(e); err != nil {
			return nil, err
		}
		e.lazy, e.off, e.end = false, 0, 0
		entries[name] = e
	}
	return entries, nil
}

// openIndex checks an index and reads its string table and the list of
// its entries, leaving each record to be decoded when it is used
// (indexReader.entryRecord).
//
// The layout: the magic and version; the offset of the table (8 bytes);
// the entries (strings as table numbers, integers as varints, each record
// prefixed by its length); at the offset, the number of entries and the
// table of every distinct string; the SHA-256 of all that.
func openIndex(data []byte) (*indexReader, map[string]indexEntry, error) {
	if len(data) < len(indexMagic)+sha256.Size || string(data[:len(indexMagic)]) != indexMagic {
		return nil, nil, errIndex
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, nil, errIndex
	}
	r := &indexReader{b: body, i: len(indexMagic)}
	if r.uvarint() != indexVersion || r.err != nil || r.i+8 > len(body) {
		return nil, nil, errIndex
	}
	off := binary.LittleEndian.Uint64(body[r.i:])
	first := r.i + 8
	if off < uint64(first) || off > uint64(len(body)) {
		return nil, nil, errIndex
	}
	// The table first: the entries name their files by it.
	r.i = int(off)
	entryCount := r.uvarint()
	n := r.count()
	// The table's strings are cut from one copy of its bytes: one
	// allocation rather than tens of thousands.
	spans := make([][2]int, 0, n)
	start := r.i
	for range n {
		l := r.count()
		if r.err != nil || r.i+l > len(r.b) {
			return nil, nil, errIndex
		}
		spans = append(spans, [2]int{r.i - start, r.i - start + l})
		r.i += l
	}
	if r.err != nil || r.i != len(r.b) {
		return nil, nil, errIndex
	}
	all := string(r.b[start:r.i])
	r.table = make([]string, len(spans))
	for i, sp := range spans {
		r.table[i] = all[sp[0]:sp[1]]
	}
	r.lines, r.texts = make([]string, len(r.table)), make([]string, len(r.table))
	for i, s := range r.table {
		r.lines[i], r.texts[i] = textsafe.Line(s), textsafe.Text(s)
	}
	// Then the entries, which end where the table begins. An entry takes
	// at least four bytes.
	r.b, r.i = body[:off], first
	if entryCount > uint64(len(r.b)-r.i)/4 {
		return nil, nil, errIndex
	}
	entries := make(map[string]indexEntry, entryCount)
	for range entryCount {
		name := r.str()
		e := indexEntry{size: r.varint(), mtime: r.varint()}
		switch r.uvarint() {
		case 0:
			e.reason = r.line()
		case 1:
			l := r.count()
			if r.err != nil {
				return nil, nil, errIndex
			}
			e.lazy, e.off, e.end = true, r.i, r.i+l
			r.i += l
		default:
			return nil, nil, errIndex
		}
		entries[name] = e
	}
	if r.err != nil || r.i != len(r.b) {
		return nil, nil, errIndex
	}
	return r, entries, nil
}

// entryRecord decodes the record of an entry openIndex left for later,
// and validates it. It reads with its own position, so readers may decode
// records at once.
func (r *indexReader) entryRecord(e indexEntry) (*Record, error) {
	sub := *r
	sub.b, sub.i, sub.err = r.b[:e.end], e.off, nil
	rec := sub.record()
	if sub.err != nil || sub.i != e.end || rec.Validate() != nil {
		return nil, errIndex
	}
	return rec, nil
}

// indexWriter builds an index's string table and entries.
type indexWriter struct {
	buf, scratch []byte
	ids          map[string]uint64
	table        []string
	n            int // entries
}

func (w *indexWriter) uvarint(u uint64) { w.buf = binary.AppendUvarint(w.buf, u) }
func (w *indexWriter) varint(i int64)   { w.buf = binary.AppendVarint(w.buf, i) }
func (w *indexWriter) int(i int)        { w.varint(int64(i)) }

func (w *indexWriter) bool(b bool) {
	if b {
		w.uvarint(1)
	} else {
		w.uvarint(0)
	}
}

func (w *indexWriter) str(s string) {
	id, ok := w.ids[s]
	if !ok {
		id = uint64(len(w.table))
		w.ids[s] = id
		w.table = append(w.table, s)
	}
	w.uvarint(id)
}

// time keeps a time as its RFC 3339 text, which is how a record file
// holds it: reading it back gives the very value reading the file gives,
// location included.
func (w *indexWriter) time(t time.Time) {
	b, err := t.MarshalText()
	if err != nil {
		b = nil
	}
	w.uvarint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

// present writes whether a pointer or slice is there (nil and empty
// slices read differently in JSON, and must come back the same).
func (w *indexWriter) present(ok bool) bool { w.bool(ok); return ok }

// record writes the fields of a Brief record. TestIndexRoundTrip fails for
// a Record field this does not write.
func (w *indexWriter) record(r *Record) {
	w.int(r.Schema)
	w.str(r.ID)
	w.str(r.Trainee)
	w.str(r.Agent)
	s := r.Scenario
	for _, f := range []string{s.ID, s.Title, s.Hash, s.Channel, s.Difficulty, s.Version} {
		w.str(f)
	}
	w.str(string(r.Mode))
	w.varint(int64(r.Limit))
	w.int(r.Rewinds)
	w.int(r.RetryFrom)
	w.str(string(r.Status))
	w.time(r.Started)
	w.time(r.Ended)
	w.str(r.Version)
	w.varint(int64(r.Clock))
	if w.present(r.Turns != nil) {
		w.uvarint(uint64(len(r.Turns)))
		for i := range r.Turns {
			w.turn(&r.Turns[i])
		}
	}
	if e := r.Ending; w.present(e != nil) {
		w.str(e.ID)
		w.str(string(e.Outcome))
		w.bool(e.WalkedOut)
	}
	if sc := r.Scores; w.present(sc != nil) {
		for _, x := range sc.All() {
			w.str(x.Label)
			w.int(x.Value)
			w.bool(x.Assessed)
			w.str(x.Reason)
		}
		w.int(sc.Overall)
		w.str(sc.Band)
	}
	w.str(string(r.Kind))
	if d := r.Drill; w.present(d != nil) {
		w.uvarint(d.Seed)
		for _, n := range []int{d.Count, d.Best, d.Points, d.MaxPoints, d.DeadAir} {
			w.int(n)
		}
		w.uvarint(uint64(len(d.Answers)))
		for _, a := range d.Answers {
			for _, f := range []string{a.Opener, a.Channel, a.Mood, a.Say} {
				w.str(f)
			}
			w.int(a.Picked)
			w.str(a.PickedSay)
			w.str(a.Rating)
			w.str(a.Principle)
			w.bool(a.DeadAir)
			w.varint(int64(a.Took))
			w.int(a.BestPick)
			w.str(a.BestSay)
		}
	}
}

func (w *indexWriter) strs(ss []string) {
	if w.present(ss != nil) {
		w.uvarint(uint64(len(ss)))
		for _, s := range ss {
			w.str(s)
		}
	}
}

func (w *indexWriter) turn(t *Turn) {
	w.int(t.Index)
	w.str(t.Node)
	w.int(t.Choice)
	w.str(t.Say)
	w.str(t.ChoiceID)
	w.bool(t.Unheard)
	w.strs(t.Heard)
	w.str(t.Typed)
	w.uvarint(math.Float64bits(t.Match))
	w.varint(int64(t.Hesitation))
	w.varint(int64(t.At))
	w.varint(int64(t.DeadAir))
	m := t.Mood
	for _, v := range []int{m.Apprehension, m.Anger, m.Trust, m.Patience} {
		w.int(v)
	}
	if w.present(t.Behaviors != nil) {
		w.uvarint(uint64(len(t.Behaviors)))
		for _, b := range t.Behaviors {
			w.str(b.ID)
			w.str(b.Polarity)
			w.int(b.Strength)
			w.bool(b.Tagged)
		}
	}
	if e := t.Empathy; w.present(e != nil) {
		for _, v := range []int{e.EmotionalReaction, e.Interpretation, e.Exploration, e.Score} {
			w.int(v)
		}
	}
	if b := t.Best; w.present(b != nil) {
		w.int(b.Choice)
		w.str(b.ID)
		w.str(b.Say)
	}
}

// indexReader reads what indexWriter wrote. The first problem sets err;
// reads after it return zero values.
type indexReader struct {
	b     []byte
	i     int
	table []string
	// lines and texts are the table's strings cleaned as Record.Sanitize
	// cleans a field on one line or a text: each distinct string once,
	// rather than every field of every record.
	lines, texts []string
	err          error
}

func (r *indexReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.err = errIndex
		return 0
	}
	r.i += n
	return v
}

func (r *indexReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.i:])
	if n <= 0 {
		r.err = errIndex
		return 0
	}
	r.i += n
	return v
}

func (r *indexReader) int() int { return int(r.varint()) }

func (r *indexReader) bool() bool { return r.uvarint() == 1 }

// count reads a length, which cannot be more than the bytes left.
func (r *indexReader) count() int { return r.countOf(1) }

// countOf reads a number of elements that take at least size bytes each,
// so a forged count cannot make the reader allocate more than the bytes
// left could hold.
func (r *indexReader) countOf(size int) int {
	n := r.uvarint()
	if n > uint64((len(r.b)-r.i)/size) {
		r.err = errIndex
		return 0
	}
	return int(n)
}

// id reads a string's number in the table.
func (r *indexReader) id() uint64 {
	id := r.uvarint()
	if r.err == nil && id >= uint64(len(r.table)) {
		r.err = errIndex
	}
	if r.err != nil {
		return 0
	}
	return id
}

// str reads a string as it was written (a file name).
func (r *indexReader) str() string {
	if id := r.id(); r.err == nil {
		return r.table[id]
	}
	return ""
}

// line reads a string drawn on one line (textsafe.Line).
func (r *indexReader) line() string {
	if id := r.id(); r.err == nil {
		return r.lines[id]
	}
	return ""
}

// text reads a text that keeps its line breaks (textsafe.Text).
func (r *indexReader) text() string {
	if id := r.id(); r.err == nil {
		return r.texts[id]
	}
	return ""
}

func (r *indexReader) time() time.Time {
	n := r.count()
	if r.err != nil {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalText(r.b[r.i : r.i+n]); err != nil {
		r.err = errIndex
	}
	r.i += n
	return t
}

func (r *indexReader) record() *Record {
	rec := &Record{Schema: r.int(), ID: r.line(), Trainee: r.line(), Agent: r.line()}
	rec.Scenario = ScenarioRef{ID: r.line(), Title: r.line(), Hash: r.line(), Channel: r.line(), Difficulty: r.line(), Version: r.line()}
	rec.Mode = Mode(r.line())
	rec.Limit = Duration(r.varint())
	rec.Rewinds = r.int()
	rec.RetryFrom = r.int()
	rec.Status = Status(r.line())
	rec.Started = r.time()
	rec.Ended = r.time()
	rec.Version = r.line()
	rec.Clock = Duration(r.varint())
	if r.bool() {
		n := r.countOf(minTurnBytes)
		rec.Turns = make([]Turn, n)
		for i := range rec.Turns {
			r.turn(&rec.Turns[i])
		}
	}
	if r.bool() {
		rec.Ending = &Ending{ID: r.line(), Outcome: scenario.Outcome(r.line()), WalkedOut: r.bool()}
	}
	if r.bool() {
		sc := &Scores{}
		for _, x := range sc.All() {
			*x = Score{Label: r.line(), Value: r.int(), Assessed: r.bool(), Reason: r.text()}
		}
		sc.Overall, sc.Band = r.int(), r.line()
		rec.Scores = sc
	}
	rec.Kind = Kind(r.line())
	if r.bool() {
		d := &DrillRound{Seed: r.uvarint()}
		d.Count, d.Best, d.Points, d.MaxPoints, d.DeadAir = r.int(), r.int(), r.int(), r.int(), r.int()
		d.Answers = make([]DrillAnswer, r.countOf(12))
		for i := range d.Answers {
			a := &d.Answers[i]
			a.Opener, a.Channel, a.Mood, a.Say = r.line(), r.line(), r.line(), r.text()
			a.Picked, a.PickedSay, a.Rating, a.Principle = r.int(), r.text(), r.line(), r.line()
			a.DeadAir, a.Took, a.BestPick, a.BestSay = r.bool(), Duration(r.varint()), r.int(), r.text()
		}
		rec.Drill = d
	}
	return rec
}

func (r *indexReader) strs() []string {
	if !r.bool() {
		return nil
	}
	out := make([]string, r.count())
	for i := range out {
		out[i] = r.line()
	}
	return out
}

func (r *indexReader) turn(t *Turn) {
	t.Index, t.Node, t.Choice, t.Say, t.ChoiceID = r.int(), r.line(), r.int(), r.text(), r.line()
	t.Unheard, t.Heard, t.Typed = r.bool(), r.strs(), r.text()
	t.Match = math.Float64frombits(r.uvarint())
	t.Hesitation, t.At, t.DeadAir = Duration(r.varint()), Duration(r.varint()), Duration(r.varint())
	t.Mood = scenario.Mood{Apprehension: r.int(), Anger: r.int(), Trust: r.int(), Patience: r.int()}
	if r.bool() {
		t.Behaviors = make([]Behavior, r.countOf(4))
		for i := range t.Behaviors {
			t.Behaviors[i] = Behavior{ID: r.line(), Polarity: r.line(), Strength: r.int(), Tagged: r.bool()}
		}
	}
	if r.bool() {
		t.Empathy = &Empathy{EmotionalReaction: r.int(), Interpretation: r.int(), Exploration: r.int(), Score: r.int()}
	}
	if r.bool() {
		t.Best = &Alternative{Choice: r.int(), ID: r.line(), Say: r.text()}
	}
}
