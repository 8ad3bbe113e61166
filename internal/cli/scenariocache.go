package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// The parse cache keeps large scenario files parsed, so that `paths`,
// `check`, `graph` and `play FILE` on a file that has not changed since
// the last run read a snapshot (scenario.EncodeSnapshot) instead of the
// TOML: for a 5,000-node file some 15 ms instead of 0.5–1 s of CPU.
//
// An entry is used only when everything a parse depends on is the same:
// the file's bytes (by SHA-256, summed on every run: see lookup), the
// snapshot's form (its version), the name it was given as (diagnostics
// carry it, and RP027 compares it with the id), and this very program (its
// path, size and modification time, so a rebuilt binary never reads its
// predecessor's entries). Anything else, or a damaged or half-written
// entry, is a miss: the file is parsed and the entry written again. So
// the cache never changes an output, only how long it takes; deleting it
// is always safe. Files under cacheMinSize are never cached: they parse
// in a few milliseconds.
//
// Entries live in <cache dir>/scenarios, one per file path (the newest
// version wins), written atomically; two runs writing at once each leave a
// whole entry. $RAPPORT_CACHE_DIR=off turns the cache off.

// cacheMinSize is the smallest file the parse cache keeps.
var cacheMinSize = 256 << 10

// cacheMagic starts an entry; its last byte is the entry layout's version.
const cacheMagic = "rapport parse cache\x00\x01"

// parseCache is the parse cache in one folder.
type parseCache struct{ dir string }

// scenarioCache returns the parse cache for e's environment, or nil when
// there is none (no cache dir can be worked out, or it is turned off).
func scenarioCache(e *env) *parseCache {
	if e == nil || e.getenv == nil {
		return nil
	}
	dir, err := config.CacheDir(e.getenv)
	if err != nil {
		return nil
	}
	return &parseCache{dir: filepath.Join(dir, "scenarios")}
}

// programID identifies the running program for the cache: a rebuilt or
// replaced binary has another. Empty when it cannot be told, and then
// nothing is cached.
var programID = lazy.Value[string]{New: func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s", exe, info.Size(), info.ModTime().UnixNano(), runtime.Version())
}}

// lookup returns the parse of the scenario file named file from the cache,
// when its entry matches the file as it is now; ok is false on a miss (no
// cache, no entry, a damaged or stale one, or a file that cannot be read),
// and the caller reads and parses the file (parse).
//
// A hit needs the file's bytes only for their SHA-256, so the file is read
// through the sum in small pieces, on another core while the entry is read
// and decoded, rather than read whole: for a 4 MB file that is 4 MB less
// memory to touch, and fresh memory is dear (every new page is a fault).
// The sum covers the same bytes readScenarioFile reads (at most
// scenario.MaxFileSize+1), so an entry matches exactly when parsing what
// that reads would give the entry's result. An entry whose head matches
// but for the sum is decoded before its sum is known, and thrown away when
// the sums differ (decoding any bytes is safe).
func (c *parseCache) lookup(file string) (sc *scenario.Scenario, ds scenario.Diagnostics, ok bool) {
	if c == nil || programID.Get() == "" {
		return nil, nil, false
	}
	f, info, err := config.OpenRegular(file)
	if err != nil {
		return nil, nil, false
	}
	if info.Size() < int64(cacheMinSize) {
		f.Close()
		return nil, nil, false
	}
	var stop atomic.Bool
	sums := make(chan []byte, 1)
	go func() {
		defer f.Close()
		sums <- sumFile(f, &stop)
	}()
	defer stop.Store(true) // a miss needs no sum: the file is parsed again
	entry, rest := c.entry(file)
	b, err := config.ReadRegular(entry, nil, 8*scenario.MaxFileSize)
	head := len(cacheMagic) + sha256.Size + len(rest)
	if err != nil || len(b) < head || string(b[:len(cacheMagic)]) != cacheMagic || !bytes.Equal(b[head-len(rest):head], rest) {
		return nil, nil, false
	}
	// b is this read's own, and only read from here on.
	sc, ds, err = scenario.DecodeSnapshotShared(b[head:])
	if err != nil {
		return nil, nil, false
	}
	if sum := <-sums; sum == nil || !bytes.Equal(b[len(cacheMagic):len(cacheMagic)+sha256.Size], sum) {
		return nil, nil, false
	}
	return sc, ds, true
}

// sumFile is the SHA-256 of what readScenarioFile reads of f, read in
// pieces; nil when f cannot be read or stop is set before the end.
func sumFile(f *os.File, stop *atomic.Bool) []byte {
	h := sha256.New()
	buf := make([]byte, 64<<10)
	for left := int64(scenario.MaxFileSize) + 1; left > 0; {
		if stop.Load() {
			return nil
		}
		n, err := f.Read(buf[:min(int64(len(buf)), left)])
		h.Write(buf[:n])
		left -= int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil
		}
	}
	return h.Sum(nil)
}

// parse is scenario.Parse of the file named file, whose bytes are src,
// writing the result to the cache (a miss in lookup comes here).
func (c *parseCache) parse(file string, src []byte) (*scenario.Scenario, scenario.Diagnostics) {
	if c == nil || len(src) < cacheMinSize || programID.Get() == "" {
		return scenario.Parse(file, src)
	}
	// The sum is worked out on another core while the file is parsed.
	sums := make(chan [sha256.Size]byte, 1)
	go func() { sums <- sha256.Sum256(src) }()
	sc, ds := scenario.Parse(file, src)
	sum := <-sums
	// A cache that cannot be written costs only time: the result stands.
	if err := os.MkdirAll(c.dir, 0o700); err == nil {
		entry, rest := c.entry(file)
		head := append(append([]byte(cacheMagic), sum[:]...), rest...)
		_ = config.WriteFileAtomic(entry, append(head, scenario.EncodeSnapshot(sc, ds)...), 0o600, config.NoSync())
	}
	return sc, ds
}

// entry returns the path of file's entry and what its head holds after
// the magic and the file's SHA-256: the program and the name the file was
// given as.
func (c *parseCache) entry(file string) (path string, rest []byte) {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	name := sha256.Sum256([]byte(abs))
	for _, s := range []string{programID.Get(), file} {
		rest = binary.AppendUvarint(rest, uint64(len(s)))
		rest = append(rest, s...)
	}
	return filepath.Join(c.dir, hex.EncodeToString(name[:16])), rest
}
