package results

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rapport-sim/rapport/internal/config"
)

// Each reads records as ReadDetail does, but hands them to fn one at a
// time instead of holding them all: in the order of the paths and of each
// folder's file names (not by time), each id once (its first file). A
// caller that keeps only what it needs of each record (a report's
// counts) reads a folder of any size in bounded memory: the files and the
// folder's index are read a batch at a time. It returns the files
// skipped, in the same order; a path that does not exist is an error, and
// fn is then not called.
func Each(detail Detail, fn func(*Record), paths ...string) ([]Skipped, error) {
	return each(detail, false, fn, paths...)
}

// EachTransient is Each for a caller that keeps nothing of a record once
// fn returns but its strings (which it may keep): a report's sums
// (report.Builder). The record and everything it points to is memory
// that a later record is decoded into, so a folder read through its
// index allocates little more than its strings.
func EachTransient(detail Detail, fn func(*Record), paths ...string) ([]Skipped, error) {
	return each(detail, true, fn, paths...)
}

func each(detail Detail, transient bool, fn func(*Record), paths ...string) ([]Skipped, error) {
	var srcs []source
	// The first folder's index is opened (checked, its table loaded)
	// while the folders are listed: the two take about as long.
	var first struct {
		dir  string
		fi   *folderIndex
		done chan struct{}
	}
	defer func() {
		if first.done != nil {
			<-first.done
			if first.fi != nil && first.fi.f != nil {
				first.fi.f.Close() // not used: the listing failed
			}
		}
	}()
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read results: %w", err)
		}
		if !info.IsDir() {
			srcs = append(srcs, source{file: p})
			continue
		}
		if detail == Brief && first.done == nil {
			first.dir, first.done = p, make(chan struct{})
			go func() {
				defer close(first.done)
				first.fi = openFolderIndex(p)
			}()
		}
		names, err := recordFiles(p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, source{dir: p, names: names})
	}
	rd := newReaders()
	var skipped []Skipped
	var seen seenIDs
	var batches [2]batch
	for i := range batches {
		batches[i] = batch{jobs: make([]fileJob, readBatch), res: make([]fileResult, readBatch)}
		if transient {
			batches[i].stores = make([]recordStore, readBatch)
		}
	}
	for s := range srcs {
		src := &srcs[s]
		if src.file != "" {
			j := fileJob{file: src.file}
			r := readJob(&j, detail, &rd.readers[0], nil)
			if r.rec == nil {
				skipped = append(skipped, Skipped{Path: j.path(), Reason: r.reason})
			} else if seen.first(r.rec, nil, 0) {
				fn(r.rec)
			}
			continue
		}
		var fi *folderIndex
		var fs *folderStat
		if detail == Brief {
			fs = openFolderStat(src.dir)
		}
		seen.folders = append(seen.folders, src)
		src.kept = make([]uint64, (len(src.names)+63)/64)
		// One batch is read while the one before is handed out: reading
		// and decoding on the workers, the caller's work (a report's
		// sums) beside them. stop is where the batch from start ends; the
		// first is small, since the caller waits for it with nothing else
		// to do.
		stop := func(start int) int {
			if start == 0 {
				return min(firstBatch, len(src.names))
			}
			return min(start+readBatch, len(src.names))
		}
		// setup makes a batch's jobs and, when the folder's index will
		// be read, stats their files: what the index knows holds only
		// while a file's size and time are unchanged.
		setup := func(b *batch, start int) {
			b.jobs = b.jobs[:stop(start)-start]
			for i := range b.jobs {
				b.jobs[i] = fileJob{dir: src.dir, name: src.names[start+i]}
			}
			if fs != nil {
				rd.run(len(b.jobs), func(i int, _ *reader) { b.jobs[i].stat(fs) })
			}
		}
		// read walks the index beside the batch and reads each file, from
		// the index or itself.
		read := func(b *batch) {
			if fi != nil {
				for i := range b.jobs {
					b.jobs[i].fi = fi
				}
				b.entries = fi.match(b.jobs, b.entries[:0])
			}
			rd.run(len(b.jobs), func(i int, r *reader) {
				var st *recordStore
				if b.stores != nil {
					st = &b.stores[i]
				}
				b.res[i] = readJob(&b.jobs[i], detail, r, st)
			})
		}
		cur, next := &batches[0], &batches[1]
		// The first batch's files are stat'ed while the index is still
		// being opened and checked, if it is.
		setup(cur, 0)
		if detail == Brief {
			if first.done != nil && first.dir == src.dir {
				<-first.done
				fi, first.done = first.fi, nil
			} else {
				fi = openFolderIndex(src.dir)
			}
		}
		read(cur)
		for start := 0; start < len(src.names); start = stop(start) {
			var ahead sync.WaitGroup
			if end := stop(start); end < len(src.names) {
				ahead.Add(1)
				go func() {
					defer ahead.Done()
					setup(next, end)
					read(next)
				}()
			}
			for i := range cur.jobs {
				j, r := &cur.jobs[i], cur.res[i]
				cur.res[i] = fileResult{}
				if fi != nil {
					fi.keep(j, r)
				}
				if r.rec == nil {
					skipped = append(skipped, Skipped{Path: j.path(), Reason: r.reason})
				} else if seen.first(r.rec, src, start+i) {
					fn(r.rec)
				}
			}
			ahead.Wait()
			cur, next = next, cur
		}
		if fi != nil {
			fi.close()
			fs.close()
		}
	}
	return skipped, nil
}

// batch is a batch of files being read: the jobs, their results, and
// the bytes of their index entries.
type batch struct {
	jobs    []fileJob
	res     []fileResult
	entries []byte
	// stores are where the jobs' records are decoded (EachTransient).
	stores []recordStore
}

// source is a path Each reads: a file, or a folder and its record files'
// names.
type source struct {
	file, dir string
	names     []string
	// kept marks, by file, the records kept whose id is their file's name
	// (seenIDs).
	kept []uint64
}

// seenIDs tells a record's first file from its copies without a set of
// every id read: a record saved by the store is in a file named after its
// id, and file names in one folder differ, so only records in other files
// (copies, renamed files, files named on the command line) go in the set;
// a record in its own file is looked up by name in the folders read.
type seenIDs struct {
	other   map[string]struct{}
	folders []*source
}

// first says whether r is the first record read with its id, and notes
// it. src and i are the folder and file it came from (src nil: a file
// named on its own).
func (s *seenIDs) first(r *Record, src *source, i int) bool {
	if _, ok := s.other[r.ID]; ok {
		return false
	}
	// In its own file: no other file in the folder has the name.
	own := src != nil && len(src.names[i]) == len(r.ID)+len(Ext) && strings.HasPrefix(src.names[i], r.ID) && strings.HasSuffix(src.names[i], Ext)
	name := ""
	for _, f := range s.folders {
		if own && f == src {
			continue
		}
		if name == "" {
			name = r.ID + Ext
		}
		if k, ok := slices.BinarySearch(f.names, name); ok && f.kept[k/64]&(1<<(k%64)) != 0 {
			return false
		}
	}
	if own {
		src.kept[i/64] |= 1 << (i % 64)
		return true
	}
	if s.other == nil {
		s.other = map[string]struct{}{}
	}
	s.other[r.ID] = struct{}{}
	return true
}

// fileJob is one file to read, and what the folder's index knows of it.
type fileJob struct {
	// file is a file named by itself; dir and name a file in a folder.
	file, dir, name string
	// fi is the folder's index (Brief reads of a folder), size and mtime
	// what stat said (mtime -1: not a regular file).
	fi          *folderIndex
	size, mtime int64
	// old is the index's entry for the file, when it has one (inOld),
	// and raw its bytes; same says the entry has the file's
	// size and time, known that it can be trusted (a file changed just
	// before the index was written is read again). dropped says entries
	// of files no longer in the folder came before it in the index.
	old                         rawEntry
	raw                         []byte
	inOld, same, known, dropped bool
	// fromIndex says the result was taken from the index; bad that the
	// index's entry did not decode.
	fromIndex, bad bool
}

// path is the job's file path. Joined when needed rather than held for
// every file of a big folder.
func (j *fileJob) path() string {
	if j.file != "" {
		return j.file
	}
	return filepath.Join(j.dir, j.name)
}

// stat notes the file's size and time. A file that is not regular is
// never indexed: its read says what it is.
func (j *fileJob) stat(f *folderStat) {
	var ok bool
	if j.size, j.mtime, ok = f.stat(j.name); !ok {
		j.size, j.mtime = 0, -1
	}
}

// fileResult is what reading one file gave: its record, or why it is not
// one.
type fileResult struct {
	rec    *Record
	reason string
	// cacheable means the result follows from the file's content, so the
	// index may keep it; the reasons a file could not be opened or is not
	// a regular file may change without the file changing.
	cacheable bool
}

// readBatch is how many files are read ahead of the caller: enough to
// keep every reader busy, few enough that the records waiting take little
// memory. Each batch decodes into memory of its own (EachTransient), kept
// for the next: 128 rather than 256 took the heap of a report over
// 10,000 records from 10.7 to 8.5 MiB at its peak, and a fifth of its
// page faults, which are dear in a VM, with no more CPU time; 64 rather
// than 128, once a report's collector was held back (so that every byte
// it allocates is a fresh page), 380 fewer page faults (4,480 to 4,100)
// and no more CPU time. 32 made fewer still, but cost more in handing
// batches over than it saved.
const readBatch = 64

// firstBatch is how many files a folder's first batch reads: the caller
// has nothing to do until it is read, so it is a quarter of the others,
// and the reading of the next overlaps the caller's work sooner.
const firstBatch = readBatch / 4

// readers are the reading workers' reusable state.
type readers struct {
	readers []reader
}

func newReaders() *readers {
	return &readers{readers: make([]reader, max(1, readWorkers*runtime.GOMAXPROCS(0)))}
}

// run calls f for 0..n-1 on the workers, each with its own reader, and
// waits. Reading and decoding are the cost of a report over thousands of
// records.
func (rd *readers) run(n int, f func(i int, r *reader)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(len(rd.readers), n) {
		wg.Add(1)
		go func(r *reader) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i, r)
			}
		}(&rd.readers[w])
	}
	wg.Wait()
}

// readJob reads one file, or decodes its record from the index (into st,
// when not nil).
func readJob(j *fileJob, detail Detail, rd *reader, st *recordStore) fileResult {
	if j.known {
		var r fileResult
		var err error
		if j.old.isRecord {
			r.rec, err = j.fi.ix.record(j.raw[j.old.rec-j.old.start:], st)
		} else {
			r.reason, err = j.fi.ix.reason(j.old.reason)
		}
		if err == nil {
			r.cacheable, j.fromIndex = true, true
			return r
		}
		// An entry the index holds but cannot give back: read the file,
		// and rebuild the index.
		j.bad = true
	}
	path := j.path()
	r, err := readFile(path, detail, rd)
	return result(path, r, err)
}

// folderIndex is a folder's index as it is read, beside the folder's
// files, and the new one as it is written.
type folderIndex struct {
	dir string
	// f is the index file being read (nil: none, or not usable), ix
	// what it holds and cur where its read is.
	f   *os.File
	ix  *indexFile
	cur *cursor
	// next is the entry the cursor read last and has not matched yet,
	// its bytes in nextRaw.
	next    rawEntry
	nextRaw []byte
	hasNext bool
	// trustBefore is the modification time (ns) from which entries are
	// not trusted: the index file's own time less racyWindow.
	trustBefore int64
	// The new index is written only once something differs from the old
	// one: until then the old one's entries are what it would hold, up
	// to sameEnd (where the old entries kept so far end) and sameN (how
	// many there are).
	sameEnd int64
	sameN   int
	// reread are the files among those that were read again, though the
	// old index has their size and time, because they changed just before
	// it was written: if the new index is written, they go in as read
	// now, not as the old one has them, which may be out of date.
	reread []reread
	w      *indexWriter
	out    *config.AtomicFile
	// failed says the new index cannot be written (a folder that cannot
	// be written to goes without); broken that the old one must go.
	failed, broken bool
}

// openFolderIndex opens dir's index. A missing, foreign or damaged index
// is no index: everything is read from the files, and the index rebuilt.
func openFolderIndex(dir string) *folderIndex {
	fi := &folderIndex{dir: dir}
	f, info, err := config.OpenRegular(filepath.Join(dir, IndexName))
	if err != nil {
		return fi
	}
	ix, err := openIndexFile(f, info.Size())
	if err != nil {
		f.Close()
		fi.broken = true
		return fi
	}
	fi.f, fi.ix, fi.cur = f, ix, ix.cursor()
	fi.sameEnd = ix.start
	fi.trustBefore = info.ModTime().Add(-racyWindow).UnixNano()
	return fi
}

// match walks the index up to the last file of a batch (in name order,
// as the index is), giving each file its entry. The entries' bytes are
// appended to buf, which is returned.
func (fi *folderIndex) match(batch []fileJob, buf []byte) []byte {
	if fi.cur == nil {
		return buf
	}
	if fi.hasNext {
		// Read with the batch before, and kept for this one.
		fi.next.end -= fi.next.start
		fi.next.rec -= fi.next.start
		fi.next.start = 0
		buf = append(buf, fi.nextRaw...)
	}
	for i := range batch {
		j := &batch[i]
		for {
			if !fi.hasNext {
				e, b, ok := fi.cur.next(buf)
				if !ok {
					break
				}
				fi.next, fi.hasNext, buf = e, true, b
			}
			if fi.next.name >= j.name {
				break
			}
			j.dropped, fi.hasNext = true, false // a file no longer here
		}
		if !fi.hasNext || fi.next.name != j.name {
			continue
		}
		j.old, j.inOld, fi.hasNext = fi.next, true, false
		if j.mtime >= 0 {
			j.same = j.old.size == j.size && j.old.mtime == j.mtime
			j.known = j.same && j.mtime < fi.trustBefore
		}
	}
	for i := range batch {
		if j := &batch[i]; j.inOld {
			j.raw = buf[j.old.start:j.old.end]
		}
	}
	if fi.hasNext {
		fi.nextRaw = append(fi.nextRaw[:0], buf[fi.next.start:fi.next.end]...)
	}
	return buf
}

// keep gives the new index what it holds for a file, in the order of the
// files' names.
func (fi *folderIndex) keep(j *fileJob, r fileResult) {
	if j.dropped || j.bad {
		fi.change()
	}
	switch {
	case !r.cacheable || j.mtime < 0:
		// Not kept: the new index says nothing of it.
		if j.inOld {
			fi.change()
		}
	case j.fromIndex || j.same && fi.w == nil && !fi.failed:
		// As the old index has it. A file read again only because it
		// changed just before the index was written, with the same size
		// and time, does not make the index be written again; if it is
		// written anyway, the entry is the file's.
		switch {
		case fi.w != nil:
			fi.w.raw(j.raw)
		case !j.fromIndex:
			fi.reread = append(fi.reread, reread{start: j.old.at - int64(len(j.raw)), end: j.old.at, n: fi.sameN,
				name: j.name, e: indexEntry{size: j.size, mtime: j.mtime, rec: r.rec, reason: r.reason}})
			fallthrough
		default:
			fi.sameEnd, fi.sameN = j.old.at, fi.sameN+1
		}
	default:
		if !j.same {
			fi.change()
		}
		if fi.w != nil {
			fi.w.add(j.name, indexEntry{size: j.size, mtime: j.mtime, rec: r.rec, reason: r.reason})
		}
	}
}

// change starts writing the new index, with what it has in common with
// the old one.
func (fi *folderIndex) change() {
	if fi.w != nil || fi.failed {
		return
	}
	out, err := config.CreateAtomic(filepath.Join(fi.dir, IndexName), config.NoSync())
	if err != nil {
		fi.failed = true
		return
	}
	fi.out = out
	var table []string
	if fi.ix != nil {
		table = fi.ix.table
	}
	fi.w = newIndexWriter(out, table)
	if fi.ix == nil {
		return
	}
	fi.w.used = fi.ix.used
	// The old entries kept so far, as they are (they refer to the old
	// table's strings, which the new one starts with), but for the files
	// read again.
	at, n := fi.ix.start, 0
	for _, e := range fi.reread {
		fi.w.copy(io.NewSectionReader(fi.f, at, e.start-at), e.n-n)
		fi.w.add(e.name, e.e)
		at, n = e.end, e.n+1
	}
	fi.w.copy(io.NewSectionReader(fi.f, at, fi.sameEnd-at), fi.sameN-n)
	fi.reread = nil
}

// reread is a file read again that the new index holds as read now: its
// entry in the old index is at [start, end), after n others.
type reread struct {
	start, end int64
	n          int
	name       string
	e          indexEntry
}

// close ends the read: the new index is written when it differs from the
// old one. It is a cache: a folder that cannot be written to (read-only
// media, another user's folder) just goes without.
func (fi *folderIndex) close() {
	if fi.cur != nil {
		// Entries left in the index are of files no longer here; an
		// index that cannot be read to its end is rewritten.
		if fi.hasNext || !fi.cur.done() || fi.cur.err != nil || fi.sameN != fi.ix.count && fi.w == nil {
			fi.change()
		}
	} else if fi.broken {
		fi.change()
	}
	if fi.w != nil {
		mode, _ := config.Modes(fi.dir)
		if err := fi.w.finish(); err != nil {
			fi.out.Abort()
		} else if fi.out.Commit(mode) != nil {
			fi.failed = true
		} else if fi.ix != nil {
			// The new index continued the old one's table; strings only
			// the entries that went used are still in it. Once they are
			// a good part of it, the index is written again without
			// them (a cache: if that fails, the index stays as it is).
			if n := fi.ix.unused(); n > 0 && n*compactThreshold >= len(fi.w.table) {
				compactIndex(fi.dir)
			}
		}
	}
	if fi.f != nil {
		fi.f.Close()
	}
}
