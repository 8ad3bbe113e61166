package results

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"io"
	"math"
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
// atomically (config.CreateAtomic), so readers racing to update it each
// leave a whole one; the last rename wins, and it is as good as any other,
// since every entry is checked again when it is used. A damaged, truncated
// or foreign index fails its checksum and is rebuilt from the records.
// Its name starts with a dot, so record readers and listings skip it.
//
// The index is read as a stream, never whole: its entries are in the
// order of the files' names, which is the order a folder is read in, so
// a read walks the folder and the index side by side and holds one batch
// of entries at a time. Only the table of recurring strings (scenario
// and node ids, lines, behaviours, names) is held whole; what is unique
// to a record (its file name, id, times, typed lines) is kept inline.

// IndexName is the file name of a folder's summary index.
const IndexName = ".rapport-index"

// indexMagic starts an index file; indexVersion changes whenever the
// layout or the Record fields it holds change. An index of another
// version is not read, and is rebuilt.
const (
	indexMagic   = "rapport index\n"
	indexVersion = 4
)

// racyWindow is how recently before the index was written a file may have
// changed and still be trusted to the index: files changed within it are
// read again. Two seconds covers the coarsest file system clocks (FAT,
// some network shares).
const racyWindow = 2 * time.Second

// Bounds on what an index may hold, so that a forged one (anyone who can
// write the folder can compute its checksum) cannot make a reader
// allocate much: the table is read whole, entries one at a time.
const (
	maxTableSize = 32 << 20
	maxNameLen   = 4096
)

// minTurnBytes is the fewest bytes a turn takes in the index: sixteen
// fields of at least one byte, and the mood's four.
const minTurnBytes = 19

// errIndex is any problem decoding an index.
var errIndex = errors.New("damaged index")

// indexEntry is what the index knows about one file in the folder, whole
// (encodeIndex and decodeIndex; a folder's read streams rawEntry).
type indexEntry struct {
	size, mtime int64
	// rec is the file's record (Brief), or nil when the file is not a
	// record; reason then says why, as a read would.
	rec    *Record
	reason string
}

// The layout of an index (version 4):
//
//	magic, version (uvarint)
//	entries, in the order of their names:
//	  name (inline), size, mtime (varints)
//	  0, reason (a table number) | 1, length, record (indexWriter.record)
//	the table: the number of entries, the number of strings, each string
//	  (length, bytes)
//	the table's offset (8 bytes, little-endian)
//	SHA-256 of all of the above
//
// Inline strings are a length and the bytes; table strings are their
// number in the table. The table and its offset come last so that the
// entries can be written as they are read, straight to the file.

// indexFile is an index opened for reading: checked, its table loaded,
// its entries read by a cursor.
type indexFile struct {
	r io.ReaderAt
	// start and end bound the entries.
	start, end int64
	count      int
	table      []string
	// lines and texts are the table's strings cleaned as Record.Sanitize
	// cleans a field on one line or a text: each distinct string once,
	// rather than every field of every record.
	lines, texts []string
	// used marks the table's strings that entries read so far refer to
	// (by the workers at once: set only when not set yet, so that a
	// string read by every record costs a load, not a write to memory
	// shared between cores): when the index is rewritten, the strings
	// no entry uses any more can be dropped (folderIndex.close).
	used []atomic.Uint64
}

// openIndexFile checks an index of the given size: its checksum, read
// through once, and its table, which it loads.
func openIndexFile(r io.ReaderAt, size int64) (*indexFile, error) {
	const tail = 8 + sha256.Size
	if size < int64(len(indexMagic))+1+tail {
		return nil, errIndex
	}
	head := make([]byte, len(indexMagic)+binary.MaxVarintLen64)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if !bytes.HasPrefix(head, []byte(indexMagic)) {
		return nil, errIndex
	}
	v, vn := binary.Uvarint(head[len(indexMagic):])
	if vn <= 0 || v != indexVersion {
		return nil, errIndex
	}
	var trailer [tail]byte
	if _, err := r.ReadAt(trailer[:], size-tail); err != nil {
		return nil, errIndex
	}
	h := sha256.New()
	if _, err := io.CopyBuffer(h, io.NewSectionReader(r, 0, size-sha256.Size), make([]byte, 64<<10)); err != nil {
		return nil, errIndex
	}
	if !bytes.Equal(h.Sum(nil), trailer[8:]) {
		return nil, errIndex
	}
	ix := &indexFile{r: r, start: int64(len(indexMagic) + vn)}
	off := binary.LittleEndian.Uint64(trailer[:8])
	if off < uint64(ix.start) || off > uint64(size-tail) || uint64(size-tail)-off > maxTableSize {
		return nil, errIndex
	}
	ix.end = int64(off)
	tb := make([]byte, size-tail-ix.end)
	if _, err := r.ReadAt(tb, ix.end); err != nil {
		return nil, errIndex
	}
	t := &indexReader{b: tb}
	count := t.count()
	n = t.count()
	// The table's strings are cut from one copy of its bytes: one
	// allocation rather than thousands.
	spans := make([][2]int, 0, n)
	start := t.i
	for range n {
		l := t.count()
		if t.err != nil || t.bad || t.i+l > len(t.b) {
			return nil, errIndex
		}
		spans = append(spans, [2]int{t.i - start, t.i - start + l})
		t.i += l
	}
	if t.err != nil || t.bad || t.i != len(t.b) {
		return nil, errIndex
	}
	all := string(t.b[start:t.i])
	ix.count = count
	ix.used = make([]atomic.Uint64, (len(spans)+63)/64)
	ix.table = make([]string, len(spans))
	ix.lines, ix.texts = make([]string, len(spans)), make([]string, len(spans))
	for i, sp := range spans {
		s := all[sp[0]:sp[1]]
		ix.table[i], ix.lines[i], ix.texts[i] = s, textsafe.Line(s), textsafe.Text(s)
	}
	return ix, nil
}

// reader returns a reader of records and reasons kept in the index.
func (ix *indexFile) reader(b []byte) *indexReader {
	return &indexReader{b: b, table: ix.table, lines: ix.lines, texts: ix.texts, used: ix.used}
}

// record decodes and validates a record kept in the index, into st
// when it is not nil (indexReader.record). Safe for concurrent use with
// different stores.
func (ix *indexFile) record(b []byte, st *recordStore) (*Record, error) {
	r := ix.reader(b)
	rec := r.record(st)
	if r.err != nil || r.bad || r.i != len(b) || rec.Validate() != nil {
		return nil, errIndex
	}
	return rec, nil
}

// reason is the reason kept for a file that is not a record.
func (ix *indexFile) reason(id uint64) (string, error) {
	if id >= uint64(len(ix.lines)) {
		return "", errIndex
	}
	mark(ix.used, id)
	return ix.lines[id], nil
}

// mark marks a string of the table as used, if used is not nil.
func mark(used []atomic.Uint64, id uint64) {
	if used == nil {
		return
	}
	w, bit := &used[id/64], uint64(1)<<(id%64)
	if w.Load()&bit == 0 {
		w.Or(bit)
	}
}

// unused counts the strings of the table no entry read has used.
func (ix *indexFile) unused() int {
	n := 0
	for i := range ix.table {
		if ix.used[i/64].Load()&(1<<(i%64)) == 0 {
			n++
		}
	}
	return n
}

// rawEntry is one entry as a cursor read it.
type rawEntry struct {
	name        string
	size, mtime int64
	// isRecord says the entry holds a record, at [rec, end) of the
	// bytes the cursor appended; otherwise reason is the table number of
	// why the file is not one.
	isRecord bool
	reason   uint64
	// start and end are where the entry's bytes are in the buffer the
	// cursor appended them to; at is where it ends in the index.
	start, rec, end int
	at              int64
}

// cursor reads an index's entries in order, one at a time.
type cursor struct {
	br  *bufio.Reader
	pos int64 // in the index
	end int64
	// last is the name of the entry read last: names must increase.
	last    string
	started bool
	err     error
}

func (ix *indexFile) cursor() *cursor {
	return &cursor{br: bufio.NewReaderSize(io.NewSectionReader(ix.r, ix.start, ix.end-ix.start), 64<<10), pos: ix.start, end: ix.end}
}

// done says every entry was read, or the rest cannot be.
func (c *cursor) done() bool { return c.err != nil || c.pos >= c.end }

// next reads the next entry, appending its bytes, exactly as the index
// has them, to buf.
func (c *cursor) next(buf []byte) (rawEntry, []byte, bool) {
	if c.done() {
		return rawEntry{}, buf, false
	}
	e := rawEntry{start: len(buf)}
	b := buf
	var n uint64
	n, b = c.uvarint(b)
	at := len(b)
	b = c.bytes(b, n, maxNameLen)
	name := b[at:]
	var size, mtime uint64
	size, b = c.uvarint(b)
	mtime, b = c.uvarint(b)
	e.size, e.mtime = unzigzag(size), unzigzag(mtime)
	var kind uint64
	kind, b = c.uvarint(b)
	switch kind {
	case 0:
		e.reason, b = c.uvarint(b)
	case 1:
		n, b = c.uvarint(b)
		e.rec, e.isRecord = len(b), true
		b = c.bytes(b, n, MaxRecordSize)
	default:
		c.err = errIndex
	}
	if c.err == nil {
		e.name = string(name)
		if e.name == "" || c.started && e.name <= c.last {
			c.err = errIndex // out of order: not written by an indexWriter
		}
	}
	if c.err != nil {
		return rawEntry{}, buf, false
	}
	e.end = len(b)
	c.pos += int64(e.end - e.start)
	e.at = c.pos
	c.last, c.started = e.name, true
	return e, b, true
}

// uvarint reads a varint as binary.Uvarint does, appending its bytes to
// b.
func (c *cursor) uvarint(b []byte) (uint64, []byte) {
	var x uint64
	var s uint
	for i := range binary.MaxVarintLen64 {
		if c.err != nil {
			return 0, b
		}
		by, err := c.br.ReadByte()
		if err != nil {
			break
		}
		b = append(b, by)
		if by < 0x80 {
			if i == binary.MaxVarintLen64-1 && by > 1 {
				break // overflow
			}
			return x | uint64(by)<<s, b
		}
		x |= uint64(by&0x7f) << s
		s += 7
	}
	c.err = errIndex
	return 0, b
}

// bytes reads n bytes, at most limit, appending them to b.
func (c *cursor) bytes(b []byte, n uint64, limit int) []byte {
	if c.err != nil || n > uint64(limit) || n > uint64(c.end-c.pos) {
		c.err = errIndex
		return b
	}
	at := len(b)
	b = slices.Grow(b, int(n))[:at+int(n)]
	if _, err := io.ReadFull(c.br, b[at:]); err != nil {
		c.err = errIndex
	}
	return b
}

// unzigzag is binary.Varint's decoding of a uvarint.
func unzigzag(u uint64) int64 {
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// indexWriter writes an index as its entries come: to a file being
// written (config.AtomicFile) or to memory (encodeIndex).
type indexWriter struct {
	dst io.Writer
	out *bufio.Writer
	sum hash.Hash
	buf []byte
	// at is how many bytes were written.
	at      int64
	scratch []byte
	entry   []byte
	ids     map[string]uint64
	table   []string
	n       int // entries
	err     error
	// used, when not nil, marks the strings of the table continued that
	// the entries written refer to (indexFile.used).
	used []atomic.Uint64
}

// newIndexWriter starts an index written to out. table is the table of
// the index it continues (nil for a new one): entries copied from that
// index refer to its strings by number, so they keep their numbers.
func newIndexWriter(out io.Writer, table []string) *indexWriter {
	w := &indexWriter{dst: out, sum: sha256.New(), ids: make(map[string]uint64, len(table)+64), table: slices.Clone(table)}
	w.out = bufio.NewWriterSize(io.MultiWriter(out, w.sum), 64<<10)
	for i, s := range table {
		if _, ok := w.ids[s]; !ok {
			w.ids[s] = uint64(i)
		}
	}
	w.write([]byte(indexMagic))
	w.write(binary.AppendUvarint(nil, indexVersion))
	return w
}

func (w *indexWriter) write(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.out.Write(b)
	w.at += int64(n)
	w.err = err
}

// raw copies an entry as another index holds it.
func (w *indexWriter) raw(b []byte) {
	w.write(b)
	w.n++
}

// copy copies entries as another index holds them.
func (w *indexWriter) copy(r io.Reader, entries int) {
	if w.err != nil {
		return
	}
	n, err := io.Copy(w.out, r)
	w.at += n
	w.err = err
	w.n += entries
}

// add writes one file's entry.
func (w *indexWriter) add(name string, e indexEntry) {
	w.n++
	w.buf = w.entry[:0]
	w.inline(name)
	w.varint(e.size)
	w.varint(e.mtime)
	if e.rec == nil {
		w.uvarint(0)
		w.str(e.reason)
	} else {
		w.uvarint(1)
		// The record goes to the scratch buffer first, to be written
		// after its length.
		main := w.buf
		w.buf = w.scratch[:0]
		w.record(e.rec)
		w.scratch, w.buf = w.buf, main
		w.uvarint(uint64(len(w.scratch)))
		w.buf = append(w.buf, w.scratch...)
	}
	w.entry = w.buf
	w.write(w.buf)
}

// finish writes the table and the checksum, and flushes.
func (w *indexWriter) finish() error {
	off := w.at
	w.buf = w.entry[:0]
	w.uvarint(uint64(w.n))
	w.uvarint(uint64(len(w.table)))
	w.write(w.buf)
	for _, s := range w.table {
		w.write(binary.AppendUvarint(w.entry[:0], uint64(len(s))))
		w.write([]byte(s))
	}
	w.write(binary.LittleEndian.AppendUint64(nil, uint64(off)))
	if w.err == nil {
		w.err = w.out.Flush()
	}
	if w.err == nil {
		// Straight to the file: the checksum is not part of what it sums.
		_, w.err = w.dst.Write(w.sum.Sum(nil))
	}
	return w.err
}

// encodeIndex lays out an index of the given entries, in memory.
func encodeIndex(entries map[string]indexEntry) []byte {
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	slices.Sort(names) // the same folder gives the same bytes
	var b bytes.Buffer
	w := newIndexWriter(&b, nil)
	for _, name := range names {
		w.add(name, entries[name])
	}
	if err := w.finish(); err != nil {
		panic(err) // a bytes.Buffer does not fail
	}
	return b.Bytes()
}

// decodeIndex reads a whole index, every record decoded: what a folder's
// read would take from it. Every record in it is validated and sanitised
// as a record file is (the index sits in a folder others may write to);
// TestIndexSanitises checks the two agree.
func decodeIndex(data []byte) (map[string]indexEntry, error) {
	ix, err := openIndexFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	c := ix.cursor()
	entries := map[string]indexEntry{}
	var buf []byte
	for !c.done() {
		var e rawEntry
		var ok bool
		if e, buf, ok = c.next(buf[:0]); !ok {
			break
		}
		ie := indexEntry{size: e.size, mtime: e.mtime}
		if e.isRecord {
			ie.rec, err = ix.record(buf[e.rec:e.end], nil)
		} else {
			ie.reason, err = ix.reason(e.reason)
		}
		if err != nil {
			return nil, err
		}
		entries[e.name] = ie
	}
	if c.err != nil || len(entries) != ix.count {
		return nil, errIndex
	}
	return entries, nil
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

// inline writes a string kept in place: one unlikely to recur (a file
// name, a record's id, a typed line), which the table, held whole by a
// reader, would only grow by.
func (w *indexWriter) inline(s string) {
	w.uvarint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// str writes a string by its number in the table.
func (w *indexWriter) str(s string) {
	id, ok := w.ids[s]
	if !ok {
		id = uint64(len(w.table))
		w.ids[s] = id
		w.table = append(w.table, s)
	}
	if id < uint64(len(w.used))*64 {
		mark(w.used, id)
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
	w.inline(r.ID)
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
	w.inline(t.Typed)
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
// reads after it return values that mean nothing (but never read out of
// bounds, nor make a length larger than the bytes left could hold), and
// the caller drops what was read.
type indexReader struct {
	b     []byte
	i     int
	table []string
	// lines and texts are the table's strings cleaned as Record.Sanitize
	// cleans a field on one line or a text: each distinct string once,
	// rather than every field of every record.
	lines, texts []string
	err          error
	// bad says a number ran past the end or a string's number was not
	// in the table: an error like err, set without making an error
	// value, for the millions of numbers and strings a report reads.
	bad bool
	// used marks the strings read (indexFile.used), when not nil.
	used []atomic.Uint64
	// raw reads strings as they are kept, not cleaned for a terminal:
	// what compactIndex copies.
	raw bool
}

// uvarint reads a number as binary.Uvarint does, but small enough to be
// inlined: a report reads millions of them. A number that runs past the
// end sets bad; one longer than ten bytes (which no index writer makes)
// reads as a number that means nothing, as any other forged number does:
// every number that sizes or indexes something is checked where it is
// used.
func (r *indexReader) uvarint() uint64 {
	var x uint64
	var shift uint
	for i, c := range r.b[r.i:] {
		if c < 0x80 {
			r.i += i + 1
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	r.bad = true
	return 0
}

// varint reads a number as binary.Varint does (uvarint).
func (r *indexReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
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

// inlineLine reads a string kept in place, drawn on one line.
func (r *indexReader) inlineLine() string {
	if r.raw {
		return r.inline()
	}
	return textsafe.Line(r.inline())
}

// inlineText reads a text kept in place.
func (r *indexReader) inlineText() string {
	if r.raw {
		return r.inline()
	}
	return textsafe.Text(r.inline())
}

// inline reads a string kept in place.
func (r *indexReader) inline() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

// line reads a string drawn on one line (textsafe.Line).
func (r *indexReader) line() string {
	if id := r.uvarint(); id < uint64(len(r.lines)) {
		mark(r.used, id)
		return r.lines[id]
	}
	r.bad = true
	return ""
}

// text reads a text that keeps its line breaks (textsafe.Text).
func (r *indexReader) text() string {
	if id := r.uvarint(); id < uint64(len(r.texts)) {
		mark(r.used, id)
		return r.texts[id]
	}
	r.bad = true
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

// recordParts are the parts of a record allocated at once: a report
// decodes a hundred thousand records, and allocating each part of each
// turn apart was half the cost.
type recordParts struct {
	rec    Record
	ending Ending
	scores Scores
}

// turnParts hands out a record's turns' parts from a few shared arrays.
type turnParts struct {
	left      int // turns still to read
	behaviors []Behavior
	empathy   []Empathy
	best      []Alternative
	// store says the arrays are a recordStore's, used from their start
	// (empathy and best are then handed out by length, not consumed).
	store bool
}

// nextPart hands out the next element of a turn part's array, making
// one with room for every turn left when it has none.
func nextPart[T any](pool *[]T, p *turnParts) *T {
	if p.store {
		// A store's array: handed out from its start, grown by append
		// (a new array keeps what was handed out, which the turns
		// point to, in the old one).
		if len(*pool) == cap(*pool) {
			*pool = make([]T, 0, len(*pool)+p.left)
		}
		*pool = (*pool)[:len(*pool)+1]
		return &(*pool)[len(*pool)-1]
	}
	if len(*pool) == 0 {
		*pool = make([]T, p.left)
	}
	e := &(*pool)[0]
	*pool = (*pool)[1:]
	return e
}

// maxCap returns whichever of two slices has the larger array, whole.
func maxCap[T any](a, b []T) []T {
	if cap(b) > cap(a) {
		a = b
	}
	return a[:cap(a)]
}

// recordStore is memory records are decoded into one after another, for
// a reader that keeps nothing of a record but its strings (EachTransient):
// a report decodes a hundred thousand records, and allocating each was a
// fifth of its time.
type recordStore struct {
	parts     recordParts
	turns     []Turn
	behaviors []Behavior
	empathy   []Empathy
	best      []Alternative
}

// record decodes a record: into st when it is not nil (the record is then
// valid until the next one decoded into st), else into new memory.
func (r *indexReader) record(st *recordStore) *Record {
	var parts *recordParts
	if st != nil {
		st.parts = recordParts{}
		parts = &st.parts
	} else {
		parts = new(recordParts)
	}
	rec := &parts.rec
	*rec = Record{Schema: r.int(), ID: r.inlineLine(), Trainee: r.line(), Agent: r.line()}
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
		tp := turnParts{left: n}
		if st != nil && cap(st.turns) >= n {
			rec.Turns = st.turns[:n]
			clear(rec.Turns)
		} else {
			rec.Turns = make([]Turn, n)
		}
		if st != nil {
			tp.behaviors, tp.empathy, tp.best, tp.store = st.behaviors[:0], st.empathy[:0], st.best[:0], true
		}
		for i := range rec.Turns {
			r.turn(&rec.Turns[i], &tp)
			tp.left--
		}
		if st != nil {
			// The largest arrays are kept for the next records.
			st.turns = maxCap(st.turns, rec.Turns)
			st.behaviors = maxCap(st.behaviors, tp.behaviors)
			st.empathy, st.best = maxCap(st.empathy, tp.empathy), maxCap(st.best, tp.best)
		}
	}
	if r.bool() {
		parts.ending = Ending{ID: r.line(), Outcome: scenario.Outcome(r.line()), WalkedOut: r.bool()}
		rec.Ending = &parts.ending
	}
	if r.bool() {
		sc := &parts.scores
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

func (r *indexReader) turn(t *Turn, p *turnParts) {
	t.Index, t.Node, t.Choice, t.Say, t.ChoiceID = r.int(), r.line(), r.int(), r.text(), r.line()
	t.Unheard, t.Heard, t.Typed = r.bool(), r.strs(), r.inlineText()
	t.Match = math.Float64frombits(r.uvarint())
	t.Hesitation, t.At, t.DeadAir = Duration(r.varint()), Duration(r.varint()), Duration(r.varint())
	t.Mood = scenario.Mood{Apprehension: r.int(), Anger: r.int(), Trust: r.int(), Patience: r.int()}
	if r.bool() {
		n := r.countOf(4)
		if cap(p.behaviors)-len(p.behaviors) < n {
			// Room for this turn's and, guessing, the next turns', as
			// many as the bytes left could hold at most.
			p.behaviors = make([]Behavior, 0, n+min(4*(p.left-1), (len(r.b)-r.i)/4))
		}
		at := len(p.behaviors)
		p.behaviors = p.behaviors[:at+n]
		t.Behaviors = p.behaviors[at : at+n : at+n]
		for i := range t.Behaviors {
			t.Behaviors[i] = Behavior{ID: r.line(), Polarity: r.line(), Strength: r.int(), Tagged: r.bool()}
		}
	}
	if r.bool() {
		t.Empathy = nextPart(&p.empathy, p)
		*t.Empathy = Empathy{EmotionalReaction: r.int(), Interpretation: r.int(), Exploration: r.int(), Score: r.int()}
	}
	if r.bool() {
		t.Best = nextPart(&p.best, p)
		*t.Best = Alternative{Choice: r.int(), ID: r.line(), Say: r.text()}
	}
}

// compactThreshold is the share of an index's table (1/compactThreshold)
// that may be strings no entry uses any more before the index is written
// again without them: a trainee's records deleted, a scenario retired. A
// compaction reads and writes the whole index once, so it waits until
// there is that much to drop.
const compactThreshold = 4

// compactIndex writes dir's index again with only the strings its
// entries use, renumbered, the entries otherwise as they are, and
// returns how many strings it dropped. Entries of files changed within
// racyWindow of the index being written are left out (their files are
// read again, and indexed, on the next read): the compacted index is
// newer, and would otherwise trust them.
func compactIndex(dir string) (int, error) {
	path := filepath.Join(dir, IndexName)
	f, info, err := config.OpenRegular(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	ix, err := openIndexFile(f, info.Size())
	if err != nil {
		return 0, err
	}
	out, err := config.CreateAtomic(path, config.NoSync())
	if err != nil {
		return 0, err
	}
	racy := info.ModTime().Add(-racyWindow).UnixNano()
	w := newIndexWriter(out, nil)
	c := ix.cursor()
	var buf []byte
	for !c.done() {
		var e rawEntry
		var ok bool
		if e, buf, ok = c.next(buf[:0]); !ok {
			break
		}
		if e.mtime >= racy {
			continue
		}
		ie := indexEntry{size: e.size, mtime: e.mtime}
		if e.isRecord {
			r := &indexReader{b: buf[e.rec:e.end], table: ix.table, lines: ix.table, texts: ix.table, raw: true}
			ie.rec = r.record(nil)
			if r.err != nil || r.bad || r.i != len(r.b) {
				err = errIndex
				break
			}
		} else if e.reason < uint64(len(ix.table)) {
			ie.reason = ix.table[e.reason]
		} else {
			err = errIndex
			break
		}
		w.add(e.name, ie)
	}
	if err == nil && c.err != nil {
		err = c.err
	}
	if err == nil {
		err = w.finish()
	}
	if err != nil {
		out.Abort()
		return 0, err
	}
	mode, _ := config.Modes(dir)
	if err := out.Commit(mode); err != nil {
		return 0, err
	}
	return len(ix.table) - len(w.table), nil
}
