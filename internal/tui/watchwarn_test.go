package tui

import (
	"strings"
	"testing"
)

// Watching, the header says so and counts the file's warnings, the note
// shows the first, and a broken file lists its warnings after its errors.
func TestWatchShowsWarnings(t *testing.T) {
	src := fixtureSource(t)
	// kettle.toml holds the scenario "golden-call": a warning (RP027).
	f := newWatchedFile(t, src)
	m := sized(t, New(testOptions(Options{Reload: f.Reload})), 100, 30)
	m = poll(t, m)
	v := screenText(m)
	for _, want := range []string{
		"Watching kettle.toml (1 warning) · Broken kettle",
		`Warning: scenario id "golden-call" does not match the file name kettle.toml [RP027]`,
	} {
		if !strings.Contains(flat(v), want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}

	// Broken, and still with its warning: both are listed.
	f.write(replaceOnce(t, src, `next = "sorted"`, `nxt = "sorted"`))
	m = poll(t, m)
	v = screenText(m)
	for _, want := range []string{"The file has 2 errors and 2 warnings.", ": error: ", ": warning: scenario id", "cannot be reached from the start [RP030]"} {
		if !strings.Contains(flat(v), want) {
			t.Errorf("problem screen lacks %q:\n%s", want, v)
		}
	}

	// Fixed, with the file renamed in the scenario: no warning left.
	f.write(replaceOnce(t, src, `id = "golden-call"`, `id = "kettle"`))
	m = poll(t, m)
	if v := screenText(m); !strings.Contains(v, "Watching kettle.toml · Broken kettle") || strings.Contains(v, "Warning:") {
		t.Errorf("after the fix:\n%s", v)
	}
}
