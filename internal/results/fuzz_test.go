package results

import (
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scoring"
)

// FuzzRecord feeds arbitrary bytes to the record reader, both ways a
// record is read (Full for history and replay, Brief for reports): it must
// never panic or hang, and a record the full reader accepts must be
// accepted by the brief one too, or a report would silently leave it out.
func FuzzRecord(f *testing.F) {
	sc := loadScenario(f, "late-delivery")
	st := playScored(f, sc, 1)
	r, err := NewRecord(sc, st, scoring.Evaluate(sc, st), meta("Ann", t0))
	if err != nil {
		f.Fatal(err)
	}
	data, err := Marshal(r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"schema":1,"turns":[{"index":1,"match":-0.5e-3,"behaviors":[]}],"scores":null,"ending":{"walked_out":true}}`))
	f.Add([]byte("\xef\xbb\xbf[1, 2]"))
	f.Add([]byte(`{"schema":1,"id":"x","explanations":[{"text":"\u001b]52;c;aGk=\u0007"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var full, brief *Record
		var errFull, errBrief error
		done := make(chan struct{})
		go func() {
			defer close(done)
			full, errFull = unmarshal(data, Full, nil)
			brief, errBrief = unmarshal(data, Brief, &interner{})
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("reading %d bytes did not finish within 2s: %q", len(data), data)
		}
		if errFull == nil && errBrief != nil {
			t.Fatalf("full reader accepts what the brief one refuses (%v): %q", errBrief, data)
		}
		if errFull == nil && (full == nil || brief == nil || full.ID != brief.ID) {
			t.Fatalf("readers disagree on %q", data)
		}
	})
}
