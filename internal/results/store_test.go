package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/config"
)

func newRecord(t testing.TB, trainee string, pick int, started time.Time) *Record {
	t.Helper()
	sc := loadScenario(t, "first-time-caller")
	r, err := FromState(sc, play(t, sc, pick, 30), meta(trainee, started))
	if err != nil {
		t.Fatal(err)
	}
	r.Scores = &Scores{
		Opening:   Score{Label: "First 30 seconds", Value: 72, Assessed: true},
		Empathy:   Score{Label: "Empathy", Value: 64, Assessed: true},
		Difficult: Score{Label: "Difficult customers", Assessed: false, Reason: "the customer is calm and the problem is simple"},
		Overall:   68, Band: "Getting there",
	}
	r.Explanations = &Explanations{
		Opening: []Point{{Behavior: "greeting", Delta: 10, Turn: 1, Evidence: "Good morning", Explanation: `"Good morning" opens warmly.`}},
		Turns:   []TurnNotes{{Evidence: map[string]string{"greeting": "Good morning"}, Feedback: "Warm {and} \"quoted\" ]["}},
	}
	return r
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "new", "results"))
	if err != nil {
		t.Fatal(err)
	}
	r := newRecord(t, "Ann", 1, t0)
	path, err := s.Save(r)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(s.Dir(), r.ID+".json") {
		t.Errorf("saved to %s", path)
	}
	back, err := s.Load(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("loaded record differs from the saved one:\n got %+v\nwant %+v", back, r)
	}
	// Saving again under the same id replaces the file.
	r.Status = Abandoned
	if _, err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := s.List()
	if err != nil || len(skipped) > 0 || len(recs) != 1 || recs[0].Status != Abandoned {
		t.Errorf("after re-save List = %d records, skipped %v, %v", len(recs), skipped, err)
	}
	// An invalid record is refused before anything is written.
	bad := *r
	bad.ID = "../escape"
	if _, err := s.Save(&bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("Save of a bad id: %v, want ErrInvalid", err)
	}
	if _, err := s.Load("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(missing) = %v, want ErrNotFound", err)
	}
}

func TestListSkipsBadFiles(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	good := newRecord(t, "Ann", 0, t0)
	if _, err := s.Save(good); err != nil {
		t.Fatal(err)
	}
	full, _ := Marshal(good)
	newer := strings.Replace(string(full), `"schema":1`, `"schema": 9`, 1)
	files := map[string]struct {
		body   string
		reason string // "" means: not mentioned at all
	}{
		"truncated.json":     {string(full[:len(full)/2]), "not JSON (damaged or truncated file)"},
		"empty.json":         {"", "not JSON"},
		"package.json":       {`{"name": "left-pad", "version": "1.3.0"}`, "not a Rapport record: no schema field"},
		"clash.json":         {`{"turns": "many"}`, "not a Rapport record: no schema field"},
		"array.json":         {`[1, 2]`, "not a Rapport record: JSON but not an object"},
		"newer.json":         {newer, "written by a newer Rapport (schema 9; this version reads up to 2): update rapport to read it"},
		"wrongtype.json":     {strings.Replace(string(full), `"rewinds":0`, `"rewinds": "none"`, 1), "invalid record"},
		"notes.txt":          {"not a record", ""},
		".tmp-abc.json-1234": {string(full[:10]), ""},
		".hidden.json":       {"{", ""},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A record laid out by hand (jq ., an editor) with a BOM still reads.
	pretty := newRecord(t, "Bo", 1, t0.Add(time.Hour))
	body, _ := json.MarshalIndent(pretty, "", "\t")
	if err := os.WriteFile(filepath.Join(dir, "pretty.json"), append([]byte("\xef\xbb\xbf"), body...), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != good.ID || recs[1].ID != pretty.ID {
		t.Errorf("List returned %v, want the good record and the hand-laid-out one", recIDs(recs))
	}
	got := map[string]string{}
	for _, sk := range skipped {
		got[filepath.Base(sk.Path)] = sk.Reason
		if filepath.Dir(sk.Path) != dir {
			t.Errorf("skipped path %s is not in %s", sk.Path, dir)
		}
	}
	for name, f := range files {
		reason, ok := got[name]
		switch {
		case f.reason == "" && ok:
			t.Errorf("%s reported as skipped (%s); it is not a record file", name, reason)
		case f.reason != "" && !strings.HasPrefix(reason, f.reason):
			t.Errorf("%s: reason %q, want it to start %q", name, reason, f.reason)
		}
	}
	if len(got) != 7 {
		t.Errorf("skipped %d files, want 7: %v", len(got), skipped)
	}
}

func TestReadPathsAndFind(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	var ids []string
	for i := range 3 {
		r := newRecord(t, "Ann", i, t0.Add(time.Duration(2-i)*time.Hour))
		if _, err := s.Save(r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	// A folder and a file inside it: each record once, oldest first.
	recs, skipped, err := Read(dir, filepath.Join(dir, ids[0]+".json"))
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	if len(recs) != 3 || recs[0].ID != ids[2] || recs[2].ID != ids[0] {
		t.Errorf("Read order = %v, want oldest first", recIDs(recs))
	}
	if _, _, err := Read(filepath.Join(dir, "nope")); err == nil {
		t.Error("Read of a missing path succeeded")
	}
	r, err := s.Find(ids[1][:20])
	if err != nil || r.ID != ids[1] {
		t.Errorf("Find(prefix) = %v, %v; want %s", r, err, ids[1])
	}
	if _, err := s.Find("2026"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("Find of a shared prefix = %v, want ambiguous", err)
	}
	if _, err := s.Find("1999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find of no match = %v, want ErrNotFound", err)
	}
}

func recIDs(recs []*Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

// The helper process. When RAPPORT_TEST_WRITER is set, this "test" is a
// writer: it saves records into the folder named by the variable, printing
// each id once its Save has returned, until it has saved RAPPORT_TEST_COUNT
// records (0 means forever, until it is killed).
const (
	envWriter = "RAPPORT_TEST_WRITER"
	envCount  = "RAPPORT_TEST_COUNT"
	envName   = "RAPPORT_TEST_NAME"
)

func TestHelperWriter(t *testing.T) {
	dir := os.Getenv(envWriter)
	if dir == "" {
		t.Skip("helper process for the kill and concurrency tests")
	}
	n, _ := strconv.Atoi(os.Getenv(envCount))
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	// Big records make each write take longer, so kills land inside
	// writes more often.
	base := newRecord(t, os.Getenv(envName), 0, t0)
	for len(base.Turns) < 200 {
		base.Turns = append(base.Turns, base.Turns...)
	}
	for i := range base.Turns {
		base.Turns[i].Index = i + 1
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; n == 0 || i < n; i++ {
		r := *base
		r.ID, err = NewID(t0.Add(time.Duration(i)*time.Second), nil)
		if err == nil {
			_, err = s.Save(&r)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Fprintln(out, r.ID)
		out.Flush()
	}
	os.Exit(0)
}

func writerCmd(t *testing.T, dir, name string, count int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), envWriter+"="+dir, envCount+"="+strconv.Itoa(count), envName+"="+name)
	cmd.Stderr = os.Stderr
	return cmd
}

// TestKilledWriterLeavesNoPartialRecord kills a writing process with
// SIGKILL at random points. Whatever the moment, the folder must hold only
// complete records, and every record the writer reported saved must be
// there.
func TestKilledWriterLeavesNoPartialRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	acked := map[string]bool{}
	const rounds = 12
	for round := range rounds {
		cmd := writerCmd(t, dir, "Killed", 0)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let the writer save a random number of records, then kill it
		// while it is busy with the next one.
		sc := bufio.NewScanner(stdout)
		want := 1 + rng.IntN(8)
		for i := 0; i < want && sc.Scan(); i++ {
			acked[sc.Text()] = true
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		// Drain ids that were printed before the kill landed.
		for sc.Scan() {
			acked[sc.Text()] = true
		}
		cmd.Wait()

		recs, skipped, err := Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, sk := range skipped {
			t.Errorf("round %d: partial or bad record left behind: %s", round, sk)
		}
		have := map[string]bool{}
		for _, r := range recs {
			have[r.ID] = true
			if len(r.Turns) < 200 {
				t.Errorf("round %d: record %s has %d turns, want the full 200+", round, r.ID, len(r.Turns))
			}
		}
		for id := range acked {
			if !have[id] {
				t.Errorf("round %d: record %s was reported saved but is missing", round, id)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	temps := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), config.TempPrefix) {
			temps++
		}
	}
	t.Logf("%d rounds, %d acknowledged records, %d files, %d temp files left by kills mid-write (ignored by readers)",
		rounds, len(acked), len(entries), temps)
}

// TestConcurrentWriterProcesses runs several writer processes into one
// folder at once: nothing may be lost.
func TestConcurrentWriterProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	const writers, each = 4, 40
	ids := make([][]string, writers)
	var wg sync.WaitGroup
	for w := range writers {
		cmd := writerCmd(t, dir, "W"+strconv.Itoa(w), each)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				ids[w] = append(ids[w], sc.Text())
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("writer %d: %v", w, err)
			}
		}()
	}
	wg.Wait()
	recs, skipped, err := Read(dir)
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	if len(recs) != writers*each {
		t.Errorf("folder holds %d records, want %d", len(recs), writers*each)
	}
	have := map[string]string{}
	for _, r := range recs {
		have[r.ID] = r.Trainee
	}
	for w, list := range ids {
		if len(list) != each {
			t.Errorf("writer %d reported %d saves, want %d", w, len(list), each)
		}
		for _, id := range list {
			if have[id] != "W"+strconv.Itoa(w) {
				t.Errorf("writer %d's record %s is missing or overwritten (trainee %q)", w, id, have[id])
			}
		}
	}
}

// TestBriefMatchesFull keeps the brief decoder in step with Record: a
// brief read must equal a full read without the explanations, for a record
// with every field set.
func TestBriefMatchesFull(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	r := newRecord(t, "Ann", 2, t0)
	r.Mode, r.Limit, r.Rewinds, r.RetryFrom = Timed, Duration(15*time.Second), 3, 2
	r.Turns[0].Behaviors = []Behavior{{ID: "greeting", Polarity: "+", Strength: 2, Tagged: true}}
	r.Turns[0].Empathy = &Empathy{EmotionalReaction: 2, Interpretation: 1, Score: 40}
	r.Turns[0].Best = &Alternative{Choice: 2, Say: "Better."}
	if r.Ending == nil {
		r.Ending = &Ending{ID: "x", Outcome: "lost", WalkedOut: true}
	}
	r.Kind = KindScenario
	v := reflect.ValueOf(r).Elem()
	for i := range v.NumField() {
		// A drill round is in drill records only (TestDrillRecord); the
		// brief decoder reads those the full way.
		if v.Field(i).IsZero() && v.Type().Field(i).Name != "Drill" {
			t.Fatalf("test record leaves %s unset: set it so the brief decoder is checked for it", v.Type().Field(i).Name)
		}
	}
	if _, err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	full, _, err := ReadDetail(Full, dir)
	if err != nil {
		t.Fatal(err)
	}
	brief, _, err := ReadDetail(Brief, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(full[0], r) {
		t.Errorf("full read differs from the saved record")
	}
	if want := r.WithoutExplanations(); !reflect.DeepEqual(brief[0], want) {
		t.Errorf("brief read = %+v\nwant %+v", brief[0], want)
	}
	// Every way of cutting the file short is refused by the brief read
	// too, and a record with keys after its explanations still reads.
	data, _ := Marshal(r)
	for cut := 1; cut < len(data)-1; cut += 7 {
		if _, err := unmarshal(data[:cut], Brief, nil); err == nil {
			t.Fatalf("brief read accepted the record cut at byte %d of %d", cut, len(data))
		}
	}
	moved := bytes.Replace(data, []byte(`,"explanations":`), []byte(`,"late":1,"explanations":`), 1)
	moved = append(bytes.TrimSuffix(bytes.TrimSuffix(moved, []byte("\n")), []byte("}")), []byte(`,"after":true}`)...)
	got, err := unmarshal(moved, Brief, nil)
	if err != nil || !reflect.DeepEqual(got, r.WithoutExplanations()) {
		t.Errorf("record with keys after the explanations: %v", err)
	}
}

func TestClosesRecord(t *testing.T) {
	tests := map[string]bool{
		`:{"a":"}\"]"}}`:     true,
		` : [1,{"b":[]}] } `: true,
		`:null}`:             true,
		`:{"a":1}`:           false,
		`:{"a":1}}x`:         false,
		`:{"a":"}"`:          false,
		`{"a":1}}`:           false,
		`:{"a":1},"b":2}`:    false,
		`:"text"}`:           false,
	}
	for in, want := range tests {
		if got := closesRecord([]byte(in)); got != want {
			t.Errorf("closesRecord(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestUnreadableFileIsSkipped(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	dir := t.TempDir()
	s, _ := Open(dir)
	r := newRecord(t, "Ann", 0, t0)
	path, err := s.Save(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	_, skipped, err := s.List()
	if err != nil || len(skipped) != 1 || skipped[0].Reason != "cannot open: permission denied" {
		t.Errorf("List = skipped %v, %v; want the unreadable file with its reason", skipped, err)
	}
}

// A drill round is a record of its own kind: saved, read back whole by
// both readers, and refused when its counts do not add up or when a
// scenario attempt carries one.
func TestDrillRecord(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	r := &Record{
		Schema: DrillSchema, ID: "20260302T090000.000Z-0123456789ab", Kind: KindDrill, Trainee: "Ann",
		Scenario: ScenarioRef{ID: "openings", Title: "Openings"}, Mode: Timed, Limit: Duration(8 * time.Second),
		Status: Finished, Started: t0, Ended: t0.Add(time.Minute), Version: "v1",
		Drill: &DrillRound{Seed: 7, Count: 2, Best: 1, Points: 3, MaxPoints: 6, DeadAir: 1, Answers: []DrillAnswer{
			{Opener: "a", Channel: "phone", Mood: "angry", Say: "Hi.", Picked: 2, PickedSay: "Hello, I'm Sam.", Rating: "best", Principle: "own-name", BestPick: 2, BestSay: "Hello, I'm Sam.", Took: Duration(3 * time.Second)},
			{Opener: "b", Channel: "chat", Mood: "calm", Say: "Hey", Rating: "poor", Principle: "no-dead-air", DeadAir: true, BestPick: 1, BestSay: "Hi there."},
		}},
	}
	if _, err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	for _, d := range []Detail{Full, Brief} {
		recs, skipped, err := ReadDetail(d, dir)
		if err != nil || len(skipped) > 0 || len(recs) != 1 || !reflect.DeepEqual(recs[0], r) {
			t.Fatalf("detail %d: %v %v %+v", d, err, skipped, recs)
		}
	}
	if p, ok := r.Drill.Percent(); !ok || p != 50 {
		t.Errorf("Percent = %d, %v", p, ok)
	}
	bad := *r
	bad.Drill = &DrillRound{Count: 1, Points: 9, MaxPoints: 3, Answers: []DrillAnswer{{}}}
	if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("points over the most: %v", err)
	}
	bad = *r
	bad.Kind = ""
	if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a scenario attempt with a drill round: %v", err)
	}
	bad = *r
	bad.Kind = "quiz"
	if err := bad.Validate(); !errors.Is(err, ErrNewer) {
		t.Errorf("an unknown kind: %v", err)
	}
}

// TestEachKeepsTheFirstFileOfAnID: a record found in several files (a
// copy under another name, before or after its own file; a folder copied;
// a file named on its own) is handed out once, from the first file read,
// whether the folder is read through its index or not.
func TestEachKeepsTheFirstFileOfAnID(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, _ := Open(a)
	sb, _ := Open(b)
	r1, r2 := newRecord(t, "Ann", 0, t0), newRecord(t, "Ann", 1, t0.Add(time.Hour))
	sa.Save(r1)
	sa.Save(r2)
	sb.Save(r1)
	put := func(dir, name string, r Record, trainee string) string {
		r.Trainee = trainee
		data, _ := Marshal(&r)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	put(a, "0-copy.json", *r1, "Early copy") // sorts before the records
	put(a, "zz-copy.json", *r2, "Late copy") // and after
	single := put(t.TempDir(), "single.json", *r2, "Named")
	for _, detail := range []Detail{Full, Brief, Brief} { // Brief twice: through the index
		for _, c := range []struct {
			paths []string
			want  string
		}{
			{[]string{a, b}, "Early copy,Ann"},
			{[]string{b, a}, "Ann,Ann"},
			{[]string{single, a, b}, "Named,Early copy"},
			{[]string{a, filepath.Join(a, r2.ID+Ext)}, "Early copy,Ann"},
		} {
			var got []string
			if _, err := Each(detail, func(r *Record) { got = append(got, r.Trainee) }, c.paths...); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != c.want {
				t.Errorf("detail %d, %d paths: got %q, want %q", detail, len(c.paths), got, c.want)
			}
		}
	}
}
