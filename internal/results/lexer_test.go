package results

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scoring"
)

// head returns the part of a saved record a brief read decodes.
func head(t testing.TB, r *Record) []byte {
	t.Helper()
	data, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, explanationsKey)
	if i < 0 {
		return bytes.TrimSpace(data)
	}
	return append(data[:i:i], '}')
}

// TestFastHeadTakesRecords: the fast decoder reads what Save writes
// (otherwise reports silently fall back to the slow path) and gets the
// same record as encoding/json.
func TestFastHeadTakesRecords(t *testing.T) {
	for _, id := range []string{"first-time-caller", "late-delivery", "terse-chat"} {
		sc := loadScenario(t, id)
		for pick := range 3 {
			st := playScored(t, sc, pick)
			r, err := NewRecord(sc, st, scoring.Evaluate(sc, st), Meta{Trainee: "Zoë Ñ", Mode: Timed, Limit: 15 * time.Second, Rewinds: 1, Started: t0, Ended: t0.Add(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			h := head(t, r)
			fast, err := fastHead(h, &interner{})
			if err != nil {
				t.Fatalf("%s/%d: fast decoder refused a record Save wrote: %v", id, pick, err)
			}
			var ref Record
			if err := json.Unmarshal(h, &ref); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, &ref) || !reflect.DeepEqual(fast, r.WithoutExplanations()) {
				t.Errorf("%s/%d: fast decoder read a different record", id, pick)
			}
		}
	}
}

func TestFastHeadFallsBack(t *testing.T) {
	for name, in := range map[string]string{
		"unknown key":    `{"future":1}`,
		"duration in ns": `{"clock":1500}`,
		"escaped key":    `{"i\u0064":"a"}`,
		"other case key": `{"Schema":1}`,
		"repeated key":   `{"ending":{"id":"a"},"ending":{"outcome":"lost"}}`,
		"fraction":       `{"schema":1.0}`,
		"leading zero":   `{"schema":01}`,
		"null string":    `{"id":null}`,
		"control":        "{\"id\":\"a\x01\"}",
		"trailing":       `{"id":"a"} x`,
		"truncated":      `{"id":"a"`,
		"bad number":     `{"turns":[{"match":.5}]}`,
		"bad literal":    `{"ending":{"walked_out":tru}}`,
	} {
		if _, err := fastHead([]byte(in), nil); err != errFallback {
			t.Errorf("%s: fastHead(%s) = %v, want a fall back", name, in, err)
		}
	}
}

func TestFastHeadDecodesLikeEncodingJSON(t *testing.T) {
	for name, in := range map[string]string{
		"quote":     `{"id":"a\"b","trainee":"tab\there"}`,
		"unicode":   `{"id":"\u00e9\ud83d\ude00 \u0026"}`,
		"lone half": `{"id":"\ud83d x"}`,
		"bad utf8":  "{\"id\":\"\xff\"}",
		"time":      `{"started":"2026-01-02T03:04:05.123456789+01:00"}`,
	} {
		got, err := fastHead([]byte(in), nil)
		if err != nil {
			t.Errorf("%s: fastHead(%s) fell back", name, in)
			continue
		}
		var ref Record
		if err := json.Unmarshal([]byte(in), &ref); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, &ref) {
			t.Errorf("%s: fast %+v, encoding/json %+v", name, got, &ref)
		}
	}
}

// FuzzFastHead checks the fast decoder against encoding/json: whatever it
// accepts, encoding/json must read the same way.
func FuzzFastHead(f *testing.F) {
	sc := loadScenario(f, "late-delivery")
	st := playScored(f, sc, 1)
	r, err := NewRecord(sc, st, scoring.Evaluate(sc, st), meta("Ann", t0))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(head(f, r))
	f.Add([]byte(`{"schema":1,"turns":[{"index":1,"match":-0.5e-3,"behaviors":[]}],"scores":null,"ending":{"walked_out":true}}`))
	f.Add([]byte(`{"started":"2026-01-02T03:04:05.123+01:00","limit":"1m2.5s","clock":15}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := fastHead(data, &interner{})
		if err != nil {
			if err != errFallback {
				t.Fatalf("fastHead returned %v, not errFallback", err)
			}
			return
		}
		var ref Record
		if err := json.Unmarshal(data, &ref); err != nil {
			t.Fatalf("fast decoder accepted input encoding/json refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, &ref) {
			t.Fatalf("fast decoder and encoding/json differ on %q:\nfast %+v\n ref %+v", data, fast, &ref)
		}
	})
}
