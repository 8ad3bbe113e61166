package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fillAll sets every field in v to a value that is not its zero: strings,
// numbers, booleans, times, one element in each slice, pointers set.
func fillAll(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", *n%5))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) / 7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 2, 9, *n%60, 1, 5000, time.FixedZone("", 3600))))
			return
		}
		for i := range v.NumField() {
			fillAll(v.Field(i), n)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillAll(v.Index(0), n)
		fillAll(v.Index(1), n)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	}
}

// TestIndexRoundTrip: a record comes back from the index exactly as it
// went in, every field of it: a Record field the index codec does not
// know fails here. Empty and nil slices stay apart.
func TestIndexRoundTrip(t *testing.T) {
	var full Record
	n := 0
	fillAll(reflect.ValueOf(&full).Elem(), &n)
	full.Explanations = nil // never in the index: reports read Brief
	full.Schema, full.ID, full.Status, full.Mode = Schema, "a-1", Finished, Choices
	for i := range full.Turns {
		full.Turns[i].Index = i + 1
	}
	empty := full
	empty.ID, empty.Turns, empty.Ending, empty.Scores = "b-2", []Turn{}, nil, nil
	empty.Started = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	real := newRecord(t, "Ann", 0, t0)
	real.Explanations = nil
	// A scenario attempt has no drill round; a drill round (every field of
	// it filled) has no turns.
	drillRec := full
	full.Kind, full.Drill = KindScenario, nil
	empty.Kind, empty.Drill, empty.Schema = "", nil, ScenarioSchema
	drillRec.ID, drillRec.Kind, drillRec.Schema, drillRec.Turns, drillRec.Scores, drillRec.Ending = "c-3", KindDrill, DrillSchema, nil, nil, nil
	fixDrill(drillRec.Drill)
	in := map[string]indexEntry{
		"drill.json": {size: 7, mtime: 8, rec: &drillRec},
		"full.json":  {size: 10, mtime: 20, rec: &full},
		"empty.json": {size: 1, mtime: -5, rec: &empty},
		"real.json":  {size: 1 << 40, mtime: time.Now().UnixNano(), rec: real},
		"bad.json":   {size: 3, mtime: 4, reason: "not JSON (damaged or truncated file)"},
	}
	data := encodeIndex(in)
	if !bytes.Equal(data, encodeIndex(in)) {
		t.Error("the same entries give different bytes")
	}
	out, err := decodeIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		for k := range in {
			if !reflect.DeepEqual(in[k], out[k]) {
				t.Errorf("%s:\n in %+v\nout %+v", k, in[k].rec, out[k].rec)
			}
		}
	}
}

// TestDamagedIndex: any change to an index's bytes, a cut, or garbage is
// refused as a whole, never half-used.
func TestDamagedIndex(t *testing.T) {
	data := encodeIndex(map[string]indexEntry{"a.json": {size: 1, mtime: 2, rec: newRecord(t, "Ann", 0, t0)}})
	for i := range data {
		bad := bytes.Clone(data)
		bad[i] ^= 0x20
		if _, err := decodeIndex(bad); err == nil {
			t.Fatalf("a flipped byte %d was not noticed", i)
		}
	}
	for _, cut := range []int{0, 1, len(indexMagic), len(data) / 2, len(data) - 1} {
		if _, err := decodeIndex(data[:cut]); err == nil {
			t.Errorf("cut at %d not noticed", cut)
		}
	}
}

// readBack is ReadDetail(Brief, dir) as report reads it, as comparable
// text.
func readBack(t *testing.T, dir string) string {
	t.Helper()
	recs, skipped, err := ReadDetail(Brief, dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range recs {
		data, _ := Marshal(r)
		b.Write(data)
	}
	for _, s := range skipped {
		b.WriteString(s.String() + "\n")
	}
	return b.String()
}

// TestIndexFollowsTheFolder: reads through the index give what reading
// every file gives, as records are added, changed, damaged and removed,
// and when the index itself is damaged, which rebuilds it.
func TestIndexFollowsTheFolder(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var ids []string
	for i := range 6 {
		p, err := s.Save(newRecord(t, []string{"Ann", "Bo"}[i%2], i, t0.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strings.TrimSuffix(filepath.Base(p), Ext))
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"schema":1,"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := func() string {
		t.Helper()
		os.Remove(filepath.Join(dir, IndexName))
		return readBack(t, dir)
	}
	// Files are made older than the racy window, so the index is used.
	age := func() {
		old := time.Now().Add(-time.Hour)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != IndexName {
				os.Chtimes(filepath.Join(dir, e.Name()), old, old)
			}
		}
	}
	check := func(what string) {
		t.Helper()
		age()
		want := fresh()
		if got := readBack(t, dir); got != want { // builds the index
			t.Fatalf("%s: first read differs", what)
		}
		if _, err := os.Stat(filepath.Join(dir, IndexName)); err != nil {
			t.Fatalf("%s: no index written: %v", what, err)
		}
		if got := readBack(t, dir); got != want { // uses it
			t.Fatalf("%s: read through the index differs:\n%s\nwant:\n%s", what, got, want)
		}
	}
	check("start")
	// The index is what was read: a file whose bytes change but whose
	// size and time do not (as a cache must assume never happens) still
	// reads as indexed.
	p := filepath.Join(dir, ids[3]+Ext)
	info, _ := os.Stat(p)
	os.WriteFile(p, bytes.Repeat([]byte("x"), int(info.Size())), 0o600)
	os.Chtimes(p, info.ModTime(), info.ModTime())
	if recs, _, _ := ReadDetail(Brief, dir); len(recs) != 6 {
		t.Fatalf("%d records: the index was not used", len(recs))
	}
	os.Remove(p)
	ids = append(ids[:3], ids[4:]...)
	data, _ := os.ReadFile(filepath.Join(dir, IndexName))
	entries, err := decodeIndex(data)
	if err != nil || len(entries) != 7 || entries["broken.json"].reason == "" {
		t.Fatalf("index holds %d entries (%v)", len(entries), err)
	}

	// A new record, a changed one, a damaged one, a removed one.
	s.Save(newRecord(t, "Cy", 2, t0.Add(10*time.Hour)))
	r := newRecord(t, "Ann", 3, t0)
	r.ID = ids[0]
	r.Trainee = "Ann Changed"
	s.Save(r)
	os.WriteFile(filepath.Join(dir, ids[1]+Ext), []byte("{"), 0o600)
	os.Remove(filepath.Join(dir, ids[2]+Ext))
	readBack(t, dir) // with the old index in place
	check("changed folder")

	// A damaged index is ignored and rewritten.
	want := readBack(t, dir)
	os.WriteFile(filepath.Join(dir, IndexName), []byte("rapport index\ngarbage"), 0o600)
	if got := readBack(t, dir); got != want {
		t.Error("a damaged index changed the result")
	}
	data, _ = os.ReadFile(filepath.Join(dir, IndexName))
	if _, err := decodeIndex(data); err != nil {
		t.Errorf("the damaged index was not rebuilt: %v", err)
	}
}

// TestIndexRacyFile: a record rewritten with the same size and time just
// before the index was written is read again, not taken from the index.
func TestIndexRacyFile(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	r := newRecord(t, "Ann", 0, t0)
	path, _ := s.Save(r)
	readBack(t, dir) // index written now, the record's time is within the window
	info, _ := os.Stat(path)
	r.Trainee = "Bob" // same length as "Ann"
	s.Save(r)
	os.Chtimes(path, info.ModTime(), info.ModTime())
	if info2, _ := os.Stat(path); info2.Size() != info.Size() {
		t.Fatal("sizes differ; the test needs the same size")
	}
	recs, _, _ := ReadDetail(Brief, dir)
	if len(recs) != 1 || recs[0].Trainee != "Bob" {
		t.Errorf("read %q, want the rewritten record", recs[0].Trainee)
	}
}

// TestIndexConcurrentWriters: readers updating the index while records
// are saved all leave a whole index, and a read afterwards is what the
// files say.
func TestIndexConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				if _, err := s.Save(newRecord(t, "W", w*10+i, t0.Add(time.Duration(w*100+i)*time.Minute))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	writing := make(chan struct{})
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				if _, _, err := ReadDetail(Brief, dir); err != nil {
					t.Error(err)
				}
				select {
				case <-writing:
					return
				default:
				}
			}
		}()
	}
	wg.Wait()
	close(writing)
	readers.Wait()
	data, err := os.ReadFile(filepath.Join(dir, IndexName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeIndex(data); err != nil {
		t.Fatalf("index left damaged: %v", err)
	}
	got := readBack(t, dir)
	os.Remove(filepath.Join(dir, IndexName))
	if want := readBack(t, dir); got != want || strings.Count(want, `"schema"`) != 24 {
		t.Errorf("read through the index differs from the files (%d records)", strings.Count(got, `"schema"`))
	}
}

// TestIndexSanitises: an index forged with hostile text in every field
// reads as records that Record.Sanitize would not change: the index
// cleans each field as a record file's read does.
func TestIndexSanitises(t *testing.T) {
	for _, kind := range []Kind{KindScenario, KindDrill} {
		indexSanitises(t, kind)
	}
}

// fixDrill makes a filled drill round's counts add up.
func fixDrill(d *DrillRound) {
	d.Count, d.Best, d.Points, d.MaxPoints = len(d.Answers), 1, 2, 3*len(d.Answers)
}

func indexSanitises(t *testing.T, kind Kind) {
	var r Record
	n := 0
	fillAll(reflect.ValueOf(&r).Elem(), &n)
	fill(reflect.ValueOf(&r).Elem(), "  a\x1b]52;c;ZXZpbA==\x07b\u202e \n c\u009b2Jd\t")
	r.Explanations = nil
	r.Schema, r.ID, r.Status, r.Mode, r.Kind = Schema, "a-1", Finished, Choices, kind
	for i := range r.Turns {
		r.Turns[i].Index, r.Turns[i].Choice = i+1, 1
	}
	if kind == KindDrill {
		r.Turns, r.Scores, r.Ending = nil, nil, nil
		fixDrill(r.Drill)
	} else {
		r.Drill = nil
	}
	entries, err := decodeIndex(encodeIndex(map[string]indexEntry{"a.json": {size: 1, mtime: 1, rec: &r}}))
	if err != nil {
		t.Fatal(err)
	}
	got := entries["a.json"].rec
	// What reading the record from its file gives: the same fields,
	// sanitised.
	orig, _ := Marshal(&r)
	var clean Record
	if err := json.Unmarshal(orig, &clean); err != nil {
		t.Fatal(err)
	}
	clean.Sanitize()
	data, _ := Marshal(got)
	if !reflect.DeepEqual(got, &clean) {
		g, _ := Marshal(got)
		c, _ := Marshal(&clean)
		t.Errorf("read from the index:\n%s\nsanitised:\n%s", g, c)
	}
	if strings.ContainsAny(string(data), "\x1b\u202e\u009b") {
		t.Errorf("hostile text kept: %s", data)
	}
}

// FuzzDecodeIndex: any index content with a valid checksum (anyone who can
// write the folder can compute one) is refused or read, never a panic or
// an allocation beyond its size.
func FuzzDecodeIndex(f *testing.F) {
	valid := encodeIndex(map[string]indexEntry{
		"a.json": {size: 1, mtime: 2, reason: "not JSON"},
		"b.json": {size: 3, mtime: 4, rec: &Record{Schema: 1, ID: "b", Scenario: ScenarioRef{ID: "s"}, Status: Finished, Mode: Choices,
			Started: t0, Turns: []Turn{{Index: 1, Node: "n", Choice: 1, Behaviors: []Behavior{{ID: "x"}}}}}},
	})
	f.Add(valid[len(indexMagic) : len(valid)-sha256.Size])
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append([]byte(indexMagic), body...)
		sum := sha256.Sum256(data)
		data = append(data, sum[:]...)
		entries, err := decodeIndex(data)
		if err != nil {
			return
		}
		again, err := decodeIndex(encodeIndex(entries))
		if err != nil || len(again) != len(entries) {
			t.Fatalf("an index read back differently: %v", err)
		}
	})
}

// TestIndexBadRecordIsReadFromItsFile: an index whose checksum is right
// but one of whose records does not hold up (forged: anyone who can write
// the folder can compute the checksum) gives, for that file, what the file
// says; the rest of the index is used, and the index is not kept as it
// was. Records are decoded from the index only when used, so the bad one
// is found then, not when the index is opened.
func TestIndexBadRecordIsReadFromItsFile(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	for i := range 3 {
		if _, err := s.Save(newRecord(t, "Ann", i, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	names, _ := recordFiles(dir)
	for _, n := range names {
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	want := readBack(t, dir) // writes the index
	index := filepath.Join(dir, IndexName)
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := decodeIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	e := entries[names[1]]
	forged := *e.rec
	forged.ID = "" // fails Validate
	e.rec = &forged
	entries[names[1]] = e
	if err := os.WriteFile(index, encodeIndex(entries), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeIndex(encodeIndex(entries)); err == nil {
		t.Fatal("the forged index decodes whole: the test forges nothing")
	}
	if got := readBack(t, dir); got != want {
		t.Fatalf("with a forged record in the index:\n%s\nwant:\n%s", got, want)
	}
	if data, err := os.ReadFile(index); err == nil {
		if _, err := decodeIndex(data); err != nil {
			t.Errorf("the forged index was kept: %v", err)
		}
	}
	if got := readBack(t, dir); got != want {
		t.Fatal("the read after the forged index differs")
	}
}

// indexMatchesFolder checks the folder's index entry by entry against
// its files: one entry for each record file, with its size and time, and
// the record the file gives (or a reason for a file that is not one).
// The index is read whole here: a read of the folder would fall back to
// the files past a damaged entry, and hide it.
func indexMatchesFolder(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, IndexName))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := decodeIndex(data)
	if err != nil {
		t.Fatalf("index: %v", err)
	}
	names, _ := recordFiles(dir)
	if len(entries) != len(names) {
		t.Errorf("index has %d entries for %d files", len(entries), len(names))
	}
	for _, n := range names {
		e, ok := entries[n]
		info, _ := os.Stat(filepath.Join(dir, n))
		if !ok || e.size != info.Size() || e.mtime != info.ModTime().UnixNano() {
			t.Errorf("%s: entry %v %+v, file %d bytes", n, ok, e, info.Size())
			continue
		}
		rec, err := readFile(filepath.Join(dir, n), Brief, nil)
		switch {
		case err != nil && e.reason == "":
			t.Errorf("%s: the index holds a record, the file gives %v", n, err)
		case err == nil && e.rec == nil:
			t.Errorf("%s: the index holds %q, the file a record", n, e.reason)
		case err == nil:
			got, _ := Marshal(e.rec)
			want, _ := Marshal(rec)
			if !bytes.Equal(got, want) {
				t.Errorf("%s: index\n%s\nfile\n%s", n, got, want)
			}
		}
	}
}

// TestIndexStreamsChanges: the index is written anew only when the folder
// changed, and then holds exactly the folder, whichever files changed:
// the first, the last, ones in the middle, new ones before and after the
// rest. Entries the folder and the old index agree on are copied as
// they are, so this checks every entry of the index written.
func TestIndexStreamsChanges(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var paths []string
	for i := range 12 {
		p, err := s.Save(newRecord(t, []string{"Ann", "Bo", "Cy"}[i%3], i%4, t0.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	os.WriteFile(filepath.Join(dir, "m-broken.json"), []byte(`{"schema":1`), 0o600)
	index := filepath.Join(dir, IndexName)
	// One time for every file, set again after each change: files not
	// changed keep the time the index has for them.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	age := func() {
		names, _ := recordFiles(dir)
		for _, n := range names {
			os.Chtimes(filepath.Join(dir, n), old, old)
		}
	}
	step := func(what string) {
		t.Helper()
		got := readBack(t, dir)
		indexMatchesFolder(t, dir)
		before, _ := os.Stat(index)
		if again := readBack(t, dir); again != got {
			t.Fatalf("%s: a read through the new index differs", what)
		}
		if after, _ := os.Stat(index); !os.SameFile(before, after) {
			t.Errorf("%s: an index that holds the folder was written again", what)
		}
		os.Remove(index)
		if want := readBack(t, dir); got != want {
			t.Fatalf("%s: a read with the old index differs from the files:\n%s\nwant\n%s", what, got, want)
		}
	}
	age()
	step("new folder")
	os.Remove(paths[0])
	step("first removed")
	os.Remove(paths[11])
	step("last removed")
	r := newRecord(t, "Ann Changed", 1, t0.Add(5*time.Hour))
	r.ID = strings.TrimSuffix(filepath.Base(paths[5]), Ext)
	s.Save(r)
	changed := old.Add(time.Second)
	os.Chtimes(paths[5], changed, changed)
	os.Remove(paths[6])
	step("one rewritten, the next removed")
	for _, r := range []*Record{newRecord(t, "Early", 2, t0.Add(-time.Hour)), newRecord(t, "Late", 3, t0.Add(100*time.Hour))} {
		p, _ := s.Save(r)
		os.Chtimes(p, old, old)
	}
	step("new first and last")
	os.WriteFile(filepath.Join(dir, "m-broken.json"), []byte(`{"schema":1,"id":"x"`), 0o600)
	os.Chtimes(filepath.Join(dir, "m-broken.json"), changed, changed)
	step("a broken file changed")
}

// TestOldIndexIsRebuilt: an index of an earlier version (its checksum
// right) is not read as this one, and is replaced.
func TestOldIndexIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	for i := range 3 {
		s.Save(newRecord(t, "Ann", i, t0.Add(time.Duration(i)*time.Hour)))
	}
	old := time.Now().Add(-time.Hour)
	names, _ := recordFiles(dir)
	for _, n := range names {
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	want := readBack(t, dir)
	index := filepath.Join(dir, IndexName)
	data, _ := os.ReadFile(index)
	// The same bytes under version 3, summed again.
	v3 := append([]byte(indexMagic), 3)
	v3 = append(v3, data[len(indexMagic)+1:len(data)-sha256.Size]...)
	sum := sha256.Sum256(v3)
	os.WriteFile(index, append(v3, sum[:]...), 0o600)
	if got := readBack(t, dir); got != want {
		t.Fatalf("with a version 3 index:\n%s\nwant\n%s", got, want)
	}
	indexMatchesFolder(t, dir)
}

// TestIndexAcrossBatches: a folder of more files than a batch reads the
// same with and without its index, as files change at the edges of
// batches, where the index's read runs ahead of the files.
func TestIndexAcrossBatches(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	base := newRecord(t, "Ann", 1, t0)
	var paths []string
	for i := range 3*readBatch + 5 {
		r := *base
		r.Trainee = []string{"Ann", "Bo", "Cy"}[i%3]
		r.Started = t0.Add(time.Duration(i) * time.Minute)
		r.ID = fmt.Sprintf("%s-%05d", r.Started.Format("20060102T150405.000Z"), i)
		// Written directly: Save syncs every file, slow for hundreds.
		data, _ := Marshal(&r)
		p := s.Path(r.ID)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	age := func() {
		names, _ := recordFiles(dir)
		for _, n := range names {
			os.Chtimes(filepath.Join(dir, n), old, old)
		}
	}
	index := filepath.Join(dir, IndexName)
	check := func(what string) {
		t.Helper()
		age()
		got := readBack(t, dir) // through the old index
		indexMatchesFolder(t, dir)
		before, _ := os.Stat(index)
		if again := readBack(t, dir); again != got {
			t.Fatalf("%s: the read through the new index differs", what)
		}
		if after, _ := os.Stat(index); !os.SameFile(before, after) {
			t.Errorf("%s: an index that holds the folder was written again", what)
		}
		os.Remove(index)
		if want := readBack(t, dir); got != want {
			t.Fatalf("%s: read through the index differs from the files", what)
		}
	}
	check("start")
	for _, i := range []int{readBatch - 1, readBatch, 2 * readBatch} {
		os.Remove(paths[i])
	}
	check("removed at the edges of batches")
	os.WriteFile(paths[readBatch+1], []byte("{"), 0o600)
	check("damaged after an edge")
	// New files last in a batch: the index's next entry is read with
	// one batch and matched with the next. Each file removed before
	// brings the one after it into the batch, hence the offsets.
	for _, i := range []int{readBatch - 2, 2*readBatch - 3} {
		r := *base
		r.ID = strings.TrimSuffix(filepath.Base(paths[i]), Ext) + "b"
		data, _ := Marshal(&r)
		if err := os.WriteFile(s.Path(r.ID), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check("new at the ends of batches")
}

// TestEachTransientGivesTheSameRecords: records decoded into reused
// memory are, while fn has them, the records Each gives, through the
// index and not, over more records than a batch, of different lengths
// (a record with more turns than the one before it in the same memory,
// and fewer).
func TestEachTransientGivesTheSameRecords(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var shapes []*Record
	for pick := range 4 {
		for _, steps := range []int{1, 30} {
			sc := loadScenario(t, "first-time-caller")
			r, err := FromState(sc, play(t, sc, pick, steps), meta("Ann", t0))
			if err != nil {
				t.Fatal(err)
			}
			// Every turn with all its parts, and every other turn
			// with none: a turn decoded where a fuller one was must
			// not keep its parts.
			full, sparse := *r, *r
			full.Turns, sparse.Turns = slices.Clone(r.Turns), slices.Clone(r.Turns)
			for i := range full.Turns {
				ft := &full.Turns[i]
				ft.Behaviors = []Behavior{{ID: "greeting", Polarity: "+", Strength: 2}, {ID: "blame", Polarity: "-", Strength: 1, Tagged: true}}
				ft.Empathy = &Empathy{EmotionalReaction: 1, Interpretation: 2, Exploration: 1, Score: 4}
				ft.Best = &Alternative{Choice: 2, ID: "c2", Say: "A better line."}
				ft.Heard = []string{"blame"}
				if i%2 == 1 {
					sparse.Turns[i].Behaviors, sparse.Turns[i].Empathy, sparse.Turns[i].Best, sparse.Turns[i].Heard = nil, nil, nil, nil
				} else {
					sparse.Turns[i] = *ft
				}
			}
			shapes = append(shapes, r, &full, &sparse)
		}
	}
	// Three batches and more: a batch's memory is reused two batches on.
	for i := range 4*readBatch + 40 {
		r := *shapes[(i*5)%len(shapes)]
		r.Started = t0.Add(time.Duration(i) * time.Minute)
		r.ID = fmt.Sprintf("%s-%05d", r.Started.Format("20060102T150405.000Z"), i)
		data, _ := Marshal(&r)
		if err := os.WriteFile(s.Path(r.ID), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	names, _ := recordFiles(dir)
	for _, n := range names {
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	read := func(each func(Detail, func(*Record), ...string) ([]Skipped, error)) string {
		var b strings.Builder
		if _, err := each(Brief, func(r *Record) {
			data, _ := Marshal(r)
			b.Write(data)
		}, dir); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	want := read(Each) // writes the index
	for range 2 {
		if got := read(EachTransient); got != want {
			t.Fatal("EachTransient gives other records than Each")
		}
	}
	if got := read(Each); got != want {
		t.Fatal("Each through the index differs")
	}
}

// TestIndexRacyFileRewritten: a file read again because it changed just
// before the index was written goes into the next index as read then,
// not as the old index had it: once that index is old enough for the
// file to be trusted, the old entry would be out of date.
func TestIndexRacyFileRewritten(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	r := newRecord(t, "Ann", 0, t0)
	path, _ := s.Save(r)
	changed := time.Now().Add(-time.Second)
	os.Chtimes(path, changed, changed)
	readBack(t, dir)  // the index is written now: the file is within the window
	r.Trainee = "Bob" // same length as "Ann"
	s.Save(r)
	os.Chtimes(path, changed, changed)
	other, _ := s.Save(newRecord(t, "Cy", 1, t0.Add(time.Hour)))
	old := time.Now().Add(-time.Hour)
	os.Chtimes(other, old, old)
	if got := readBack(t, dir); !strings.Contains(got, `"trainee":"Bob"`) {
		t.Fatalf("the rewritten file was not read again:\n%s", got)
	}
	// As if the new index had been written later: the file is trusted.
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(dir, IndexName), later, later)
	if got := readBack(t, dir); !strings.Contains(got, `"trainee":"Bob"`) || strings.Contains(got, `"trainee":"Ann"`) {
		t.Errorf("the index kept the file as it was before it was rewritten:\n%s", got)
	}
}

// TestIndexStringOutOfTable: a record in the index naming a string past
// the end of the table (forged: the checksum holds) is refused, not read
// with the string left empty.
func TestIndexStringOutOfTable(t *testing.T) {
	rec := newRecord(t, "Ann", 1, t0)
	w := newIndexWriter(io.Discard, nil)
	w.buf = nil
	w.record(rec)
	body := w.buf
	for n := range len(w.table) + 1 {
		ix := &indexFile{table: w.table[:n], lines: w.table[:n], texts: w.table[:n]}
		_, err := ix.record(body, nil)
		if whole := n == len(w.table); (err == nil) != whole {
			t.Errorf("a table of %d strings of %d: error %v", n, len(w.table), err)
		}
	}
}

// TestIndexDropsUnusedStrings: strings that only the entries of deleted
// records used (a trainee's name, a broken file's reason) leave the
// index's table when it is written again, once they are a good part of
// it; the index still gives what the files give.
func TestIndexDropsUnusedStrings(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var gone []string
	for i := range 8 {
		name := "Ann"
		if i%2 == 1 {
			name = fmt.Sprintf("Zebedee Quill %d", i)
		}
		p, err := s.Save(newRecord(t, name, i, t0.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if name != "Ann" {
			gone = append(gone, p)
		}
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"schema":1,"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	gone = append(gone, broken)
	old := time.Now().Add(-time.Hour)
	names, _ := recordFiles(dir)
	for _, n := range names {
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	readBack(t, dir) // writes the index
	index := filepath.Join(dir, IndexName)
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Zebedee Quill", "not JSON"} {
		if !bytes.Contains(before, []byte(w)) {
			t.Fatalf("the index does not hold %q: the test checks nothing", w)
		}
	}
	for _, p := range gone {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	want := readBack(t, dir) // writes the index again, without them
	after, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Zebedee Quill", "not JSON"} {
		if bytes.Contains(after, []byte(w)) {
			t.Errorf("the index still holds %q after every entry using it went", w)
		}
	}
	if len(after) >= len(before) {
		t.Errorf("the index is %d bytes, was %d", len(after), len(before))
	}
	indexMatchesFolder(t, dir)
	if got := readBack(t, dir); got != want {
		t.Errorf("read through the compacted index:\n%s\nwant:\n%s", got, want)
	}
	os.Remove(index)
	if got := readBack(t, dir); got != want {
		t.Errorf("read from the files:\n%s\nwant:\n%s", got, want)
	}
}

// TestCompactIndexLeavesRacyEntriesOut: a compacted index is written
// after the index it compacts, so it leaves out the entries of files
// changed just before that one was written, which it did not trust
// (the next read reads those files again, and indexes them).
func TestCompactIndexLeavesRacyEntriesOut(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	for i := range 3 {
		if _, err := s.Save(newRecord(t, "Ann", i, t0.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	names, _ := recordFiles(dir)
	old := time.Now().Add(-time.Hour)
	for _, n := range names {
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	recent := old.Add(time.Second)
	os.Chtimes(filepath.Join(dir, names[2]), recent, recent)
	want := readBack(t, dir)
	// As if the index had been written just after the last file changed.
	index := filepath.Join(dir, IndexName)
	os.Chtimes(index, recent.Add(1500*time.Millisecond), recent.Add(1500*time.Millisecond))
	if _, err := compactIndex(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := decodeIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := entries[names[2]]; ok || len(entries) != 2 {
		t.Errorf("the compacted index has %d entries, the racy one %v", len(entries), ok)
	}
	if got := readBack(t, dir); got != want {
		t.Errorf("read after compacting:\n%s\nwant:\n%s", got, want)
	}
	indexMatchesFolder(t, dir) // the racy file indexed again
}
