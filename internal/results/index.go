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
}

// folderIndex is a folder's index as loaded, and the entries for the new
// one.
type folderIndex struct {
	dir     string
	entries map[string]indexEntry
	// trustBefore is the modification time (ns) from which entries are
	// not trusted: the index file's own time less racyWindow.
	trustBefore int64
	next        map[string]indexEntry
	changed     bool
}

// loadIndex reads dir's index; a missing or damaged one is an empty index.
func loadIndex(dir string) *folderIndex {
	fi := &folderIndex{dir: dir, next: map[string]indexEntry{}}
	path := filepath.Join(dir, IndexName)
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return fi
	}
	data, err := config.ReadRegular(path, make([]byte, 0, min(info.Size(), maxIndexSize)+1), maxIndexSize)
	if err != nil || len(data) > maxIndexSize {
		return fi
	}
	entries, err := decodeIndex(data)
	if err != nil {
		return fi // damaged: rebuilt below
	}
	fi.entries = entries
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

// keep records what the new index holds for a file.
func (fi *folderIndex) keep(name string, e indexEntry) {
	old, ok := fi.entries[name]
	if !ok || old.size != e.size || old.mtime != e.mtime {
		fi.changed = true
	}
	fi.next[name] = e
}

// save writes the new index when it differs from the old one. It is a
// cache: a folder that cannot be written to (read-only media, another
// user's folder) just goes without.
func (fi *folderIndex) save() {
	if !fi.changed && len(fi.next) == len(fi.entries) {
		return
	}
	mode, _ := config.Modes(fi.dir)
	_ = config.WriteFileAtomic(filepath.Join(fi.dir, IndexName), encodeIndex(fi.next), mode, config.NoSync())
}

// errIndex is any problem decoding an index.
var errIndex = errors.New("damaged index")

// encodeIndex lays out an index: the magic and version, a table of every
// distinct string, the entries (strings as table numbers, integers as
// varints), and the SHA-256 of all that.
func encodeIndex(entries map[string]indexEntry) []byte {
	// About 500 bytes and a dozen new strings a record.
	w := &indexWriter{ids: make(map[string]uint64, 16*len(entries)), buf: make([]byte, 0, 512*len(entries))}
	names := make([]string, 0, len(entries))
	for name := range entries {
		names = append(names, name)
	}
	slices.Sort(names) // the same folder gives the same bytes
	w.uvarint(uint64(len(names)))
	for _, name := range names {
		e := entries[name]
		w.str(name)
		w.varint(e.size)
		w.varint(e.mtime)
		if e.rec == nil {
			w.uvarint(0)
			w.str(e.reason)
			continue
		}
		w.uvarint(1)
		w.record(e.rec)
	}
	var out bytes.Buffer
	out.Grow(len(w.buf) + 64*len(w.table) + 64)
	out.WriteString(indexMagic)
	out.Write(binary.AppendUvarint(nil, indexVersion))
	out.Write(binary.AppendUvarint(nil, uint64(len(w.table))))
	for _, s := range w.table {
		out.Write(binary.AppendUvarint(nil, uint64(len(s))))
		out.WriteString(s)
	}
	out.Write(w.buf)
	sum := sha256.Sum256(out.Bytes())
	out.Write(sum[:])
	return out.Bytes()
}

// decodeIndex reads an index written by encodeIndex. Every record in it is
// validated and sanitised as a record file is (the index sits in a folder
// others may write to); TestIndexSanitises checks the two agree.
func decodeIndex(data []byte) (map[string]indexEntry, error) {
	if len(data) < len(indexMagic)+sha256.Size || string(data[:len(indexMagic)]) != indexMagic {
		return nil, errIndex
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errIndex
	}
	r := &indexReader{b: body, i: len(indexMagic)}
	if r.uvarint() != indexVersion {
		return nil, errIndex
	}
	n := r.count()
	r.table = make([]string, 0, n)
	for range n {
		l := r.count()
		if r.err != nil || r.i+l > len(r.b) {
			return nil, errIndex
		}
		r.table = append(r.table, string(r.b[r.i:r.i+l]))
		r.i += l
	}
	r.lines, r.texts = make([]string, len(r.table)), make([]string, len(r.table))
	for i, s := range r.table {
		r.lines[i], r.texts[i] = textsafe.Line(s), textsafe.Text(s)
	}
	n = r.count()
	entries := make(map[string]indexEntry, n)
	for range n {
		name := r.str()
		e := indexEntry{size: r.varint(), mtime: r.varint()}
		switch r.uvarint() {
		case 0:
			e.reason = r.line()
		case 1:
			e.rec = r.record()
			if r.err == nil && e.rec.Validate() != nil {
				return nil, errIndex
			}
		default:
			return nil, errIndex
		}
		entries[name] = e
	}
	if r.err != nil || r.i != len(r.b) {
		return nil, errIndex
	}
	return entries, nil
}

// indexWriter builds an index's string table and entries.
type indexWriter struct {
	buf   []byte
	ids   map[string]uint64
	table []string
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
