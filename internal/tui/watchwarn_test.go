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

// A choice whose author wrote its id is the same choice after it is both
// reworded and moved: the watcher carries on from it.
func TestWatchFollowsWrittenIDs(t *testing.T) {
	src := replaceOnce(t, fixtureSource(t), "  say = \"Can I have the order number?\"\n", "  id = \"ask-number\"\n  say = \"Can I have the order number?\"\n")
	f := newWatchedFile(t, src)
	m := sized(t, New(testOptions(Options{Reload: f.Reload})), 100, 40)
	m = poll(t, m)
	m, _ = send(t, m, runes("2"))
	if m.conversation().sess.State().Node != "fault" {
		t.Fatalf("at %q", m.conversation().sess.State().Node)
	}
	block := "  [[node.choice]]\n  id = \"ask-number\"\n  say = \"Can I have the order number?\"\n"
	i := strings.Index(src, block)
	end := i + len(block) + strings.Index(src[i+len(block):], "\n\n") + 2
	moved := strings.Replace(src[i:end], "Can I have the order number?", "What's your order number?", 1)
	edited := src[:i] + src[end:]
	at := strings.Index(edited, "[[node]]\nid = \"fault\"")
	edited = edited[:at] + moved + "\n" + edited[at:]
	f.write(edited)
	m = poll(t, m)
	if m.conversation().sess.State().Node != "fault" || len(m.conversation().sess.State().Steps) != 1 || !strings.Contains(flat(screenText(m)), "carrying on where you were") {
		t.Fatalf("after the edit: at %q, %d steps:\n%s", m.conversation().sess.State().Node, len(m.conversation().sess.State().Steps), screenText(m))
	}
	if got := m.conversation().sess.State().Transcript[1].Text; got != "What's your order number?" {
		t.Errorf("the replayed line is %q", got)
	}
}
