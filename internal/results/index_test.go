package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
