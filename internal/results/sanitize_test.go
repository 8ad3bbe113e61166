package results

import (
	"strings"
	"testing"
)

// TestSanitizeRecord: every text field of a record read from a file is
// cleaned, line-like fields are folded onto one line, and a clean record
// is left exactly as it was.
func TestSanitizeRecord(t *testing.T) {
	clean := newRecord(t, "Ann", 0, t0)
	data, err := Marshal(clean)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := Marshal(again); string(a) != string(data) {
		t.Errorf("a clean record changed when read:\n%s\n%s", data, a)
	}

	s := strings.NewReplacer(
		`"trainee":"Ann"`, `"trainee":"An\u202en`+`\u001b]52;c;ZXZpbA==\u0007"`,
		`"outcome":"`, `"outcome":"\u009b2J`,
		`"title":"`, `"title":"\u2066`,
	).Replace(string(data))
	r, err := Unmarshal([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if r.Trainee != "Ann" || strings.Contains(string(r.Ending.Outcome), "2J") || strings.HasPrefix(r.Scenario.Title, "\u2066") {
		t.Errorf("read trainee %q, outcome %q, title %q", r.Trainee, r.Ending.Outcome, r.Scenario.Title)
	}
}

func BenchmarkSanitize(b *testing.B) {
	r := newRecord(b, "Ann", 0, t0)
	b.ReportAllocs()
	for b.Loop() {
		r.Sanitize()
	}
}
