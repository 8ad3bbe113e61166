package tui

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// watchedFile is a scenario file a test edits while the player watches it,
// with a Reload that reads it as the CLI does: ErrUnchanged when the bytes
// are as last read.
type watchedFile struct {
	t    testing.TB
	path string

	mu   sync.Mutex
	last []byte
	read bool
}

func newWatchedFile(t testing.TB, body string) *watchedFile {
	w := &watchedFile{t: t, path: filepath.Join(t.TempDir(), "kettle.toml")}
	w.write(body)
	return w
}

func (w *watchedFile) write(body string) {
	w.t.Helper()
	if err := os.WriteFile(w.path, []byte(body), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *watchedFile) Reload() (*scenario.Scenario, scenario.Diagnostics, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	src, err := os.ReadFile(w.path)
	if err != nil {
		w.read = false
		return nil, nil, err
	}
	if w.read && bytes.Equal(src, w.last) {
		return nil, nil, ErrUnchanged
	}
	w.last, w.read = src, true
	sc, diags := scenario.Parse(w.path, src)
	return sc, diags, nil
}

// fixtureSource is the golden scenario's TOML, the file the tests edit.
func fixtureSource(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden-call.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// poll runs one watch cycle by hand: the tick, the reload command it
// returns, and the message that command makes.
func poll(t *testing.T, m Model) Model {
	t.Helper()
	m, cmd := send(t, m, watchTickMsg{id: m.watch.id})
	if cmd == nil {
		t.Fatal("a watch tick started no reload")
	}
	msg := cmd()
	if _, ok := msg.(reloadedMsg); !ok {
		t.Fatalf("the reload command sent %T", msg)
	}
	m, _ = send(t, m, msg)
	return m
}

// flat is the screen's words on one line, to find text the layout may
// have wrapped.
func flat(v string) string { return strings.Join(strings.Fields(v), " ") }

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if strings.Count(s, old) != 1 {
		t.Fatalf("%q is not in the fixture exactly once", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestWatchBrokenThenFixed(t *testing.T) {
	src := fixtureSource(t)
	f := newWatchedFile(t, src)
	m := New(testOptions(Options{Reload: f.Reload}))
	m = sized(t, m, 100, 30)
	if m.Screen() != "loading" || !strings.Contains(screenText(m), "Reading the scenario file") {
		t.Fatalf("a watching player opens on %s:\n%s", m.Screen(), screenText(m))
	}
	if m.Init() == nil {
		t.Fatal("Init does not read the file")
	}
	m = poll(t, m)
	if m.Screen() != "play" || m.conversation().sc.ID != "golden-call" {
		t.Fatalf("after the first read: %s", m.Screen())
	}
	m, _ = send(t, m, runes("2"))
	if m.conversation().sess.State().Node != "fault" {
		t.Fatalf("at %q, want fault", m.conversation().sess.State().Node)
	}

	// Unchanged: nothing happens.
	before := screenText(m)
	if m = poll(t, m); screenText(m) != before {
		t.Error("an unchanged file changed the screen")
	}

	// Broken: the errors show, with place and hint, instead of the
	// conversation, and keys other than quit do nothing.
	f.write(replaceOnce(t, src, `next = "sorted"`, `nxt = "sorted"`))
	m = poll(t, m)
	v := screenText(m)
	for _, s := range []string{
		"Watching " + f.path,
		"Fix them and save: play goes on where you left it.",
		f.path + ":",
		": error: ",
		"hint: ",
		"q quit",
	} {
		if !strings.Contains(v, s) {
			t.Errorf("problem screen lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "What do you say?") {
		t.Errorf("the conversation shows with a broken file:\n%s", v)
	}
	m, _ = send(t, m, runes("1"), keyEnter)
	if len(m.conversation().sess.State().Steps) != 1 {
		t.Fatal("a key played on while the file was broken")
	}
	fits(t, screenText(m), 100, 30)

	// Fixed, with a reworded line: play resumes at the same node, with the
	// new words and the choice already made.
	fixed := replaceOnce(t, src, "It clicks off. That's the fault.", "It just clicks off, every time.")
	f.write(fixed)
	m = poll(t, m)
	v = screenText(m)
	if m.Screen() != "play" || m.conversation().sess.State().Node != "fault" || len(m.conversation().sess.State().Steps) != 1 || m.conversation().sess.State().Steps[0].Choice != 2 {
		t.Fatalf("after the fix: %s at %q with %v", m.Screen(), m.conversation().sess.State().Node, m.conversation().sess.State().Steps)
	}
	for _, s := range []string{"carrying on where you were", "It just clicks off, every time.", "What do you say?"} {
		if !strings.Contains(v, s) {
			t.Errorf("resumed screen lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "That's the fault.") {
		t.Error("the old line is still drawn")
	}

	// Play goes on, and the result says the file was reloaded.
	m, _ = send(t, m, runes("1"))
	res, ok := m.Result()
	if !ok || res.State.Ending != "sorted" || res.Reloads != 1 || res.Scenario.Hash == "" {
		t.Errorf("result %+v", res)
	}
}

func TestWatchReplaysWhatStillFits(t *testing.T) {
	src := fixtureSource(t)
	orderChoice := `  [[node.choice]]
  say = "Can I have the order number?"
  next = "fault"
  effects = { anger = 10, trust = -5, patience = -10 }
  feedback = "Straight to the order number after a broken promise tells her the promise did not matter."
  tags = ["account_first"]
`
	tests := map[string]struct {
		edit func(t *testing.T, src string) string
		// keys are pressed before the edit.
		keys   []tea.Msg
		node   string
		steps  int
		screen string
		note   string
	}{
		"choice removed: back to the start": {
			// The choice after it moves up to number 2: a step recorded as
			// "choice 2" must not take it.
			edit: func(t *testing.T, src string) string {
				return replaceOnce(t, src, orderChoice, "")
			},
			keys: []tea.Msg{runes("2")}, node: "opening", steps: 0, screen: "play",
			note: "your first choice no longer fits, so the conversation starts again from the beginning",
		},
		"rewired: the same choices lead elsewhere": {
			edit: func(t *testing.T, src string) string {
				src = replaceOnce(t, src, `  say = "Can I have the order number?"
  next = "fault"`, `  say = "Can I have the order number?"
  next = "order"`)
				return src + `
[[node]]
id = "order"
say = ["It's on the receipt somewhere. Hang on."]

  [[node.choice]]
  say = "Take your time; I'll wait."
  next = "fault"

  [[node.choice]]
  say = "I need it now, please."
  next = "fault"
`
			},
			keys: []tea.Msg{runes("2")}, node: "order", steps: 1, screen: "play",
			note: "your choices now lead to order",
		},
		"choices reordered: the same words are the same choice": {
			edit: func(t *testing.T, src string) string {
				src = replaceOnce(t, src, orderChoice, "")
				return replaceOnce(t, src, "[[node]]\nid = \"fault\"", orderChoice+"\n[[node]]\nid = \"fault\"")
			},
			keys: []tea.Msg{runes("2")}, node: "fault", steps: 1, screen: "play",
			note: "carrying on where you were",
		},
		"choice reworded: the same number is the same choice": {
			edit: func(t *testing.T, src string) string {
				return replaceOnce(t, src, "Can I have the order number?", "What's the order number, please?")
			},
			keys: []tea.Msg{runes("2")}, node: "fault", steps: 1, screen: "play",
			note: "carrying on where you were",
		},
		"finished attempt: the conversation now goes on": {
			edit: func(t *testing.T, src string) string {
				return replaceOnce(t, src, `next = "sorted"`, `next = "extra"`) + `
[[node]]
id = "extra"
say = ["And the courier will ring first?"]

  [[node.choice]]
  say = "Yes, they ring an hour before."
  next = "sorted"

  [[node.choice]]
  say = "No idea."
  next = "gone"
`
			},
			keys: []tea.Msg{runes("1"), runes("1")}, node: "extra", steps: 2, screen: "play",
			note: "your choices now lead to extra",
		},
		"finished attempt: a new debrief": {
			edit: func(t *testing.T, src string) string {
				return replaceOnce(t, src, "that's all I wanted.", "that is all I needed.")
			},
			keys: []tea.Msg{runes("1"), runes("1")}, node: "fault", steps: 2, screen: "end",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newWatchedFile(t, src)
			sc, _, err := f.Reload()
			if err != nil {
				t.Fatal(err)
			}
			m := sized(t, New(testOptions(Options{Start: sc, Reload: f.Reload})), 100, 40)
			m, _ = send(t, m, tc.keys...)
			f.write(tc.edit(t, src))
			m = poll(t, m)
			if string(m.Screen()) != tc.screen || m.conversation().sess.State().Node != tc.node || len(m.conversation().sess.State().Steps) != tc.steps {
				t.Fatalf("%s at %q after %d steps, want %s at %q after %d:\n%s", m.Screen(), m.conversation().sess.State().Node, len(m.conversation().sess.State().Steps), tc.screen, tc.node, tc.steps, screenText(m))
			}
			if tc.note != "" && !strings.Contains(flat(screenText(m)), tc.note) {
				t.Errorf("screen lacks %q:\n%s", tc.note, screenText(m))
			}
			if _, ok := m.Result(); ok != (tc.screen == "end") {
				t.Errorf("on %s, Result reports an attempt: %v", tc.screen, ok)
			}
			if tc.screen == "end" && !strings.Contains(screenText(m), "that is all I needed.") {
				t.Errorf("the end screen does not show the new version:\n%s", screenText(m))
			}
		})
	}
}

func TestWatchProblems(t *testing.T) {
	src := fixtureSource(t)
	t.Run("unreadable file", func(t *testing.T) {
		f := newWatchedFile(t, src)
		m := poll(t, sized(t, New(testOptions(Options{Reload: f.Reload})), 80, 24))
		if err := os.Remove(f.path); err != nil {
			t.Fatal(err)
		}
		m = poll(t, m)
		v := screenText(m)
		if !strings.Contains(v, "Cannot read the file") || !strings.Contains(v, "Still watching") {
			t.Errorf("problem screen:\n%s", v)
		}
		f.write(src)
		if m = poll(t, m); m.watch.problem != nil || m.Screen() != "play" {
			t.Errorf("the restored file did not resume play:\n%s", screenText(m))
		}
	})
	t.Run("broken from the start", func(t *testing.T) {
		f := newWatchedFile(t, "id = \"kettle\"\ntitle = [unclosed\n")
		m := poll(t, sized(t, New(testOptions(Options{Reload: f.Reload})), 80, 24))
		v := screenText(m)
		if !strings.Contains(v, "play starts when it loads") || !strings.Contains(v, f.path+":2:") {
			t.Errorf("problem screen:\n%s", v)
		}
		fits(t, v, 80, 24)
		if _, cmd := send(t, m, runes("q")); !isQuit(cmd) {
			t.Error("q does not quit before anything was played")
		}
		f.write(src)
		if m = poll(t, m); m.Screen() != "play" {
			t.Errorf("a fixed file did not start play: %s", m.Screen())
		}
	})
	t.Run("many errors fit the window", func(t *testing.T) {
		broken := strings.ReplaceAll(src, `next = "`, `next = "missing-`)
		f := newWatchedFile(t, src)
		m := poll(t, New(testOptions(Options{Reload: f.Reload})))
		f.write(broken)
		m = poll(t, m)
		for _, sz := range [][2]int{{80, 24}, {80, 16}, {40, 12}, {120, 40}} {
			m = sized(t, m, sz[0], sz[1])
			v := screenText(m)
			fits(t, v, sz[0], sz[1])
			if sz[1] == 16 && !strings.Contains(v, "more: rapport check") {
				t.Errorf("%dx%d: the cut list does not say how to see the rest:\n%s", sz[0], sz[1], v)
			}
		}
	})
	t.Run("quitting asks while a conversation is under way", func(t *testing.T) {
		f := newWatchedFile(t, src)
		m := poll(t, sized(t, New(testOptions(Options{Reload: f.Reload})), 80, 24))
		m, _ = send(t, m, runes("2"))
		f.write("broken = [")
		m = poll(t, m)
		m, _ = send(t, m, runes("q"))
		if m.Screen() != "confirm" {
			t.Fatalf("q on the problem screen: %s", m.Screen())
		}
		m, _ = send(t, m, runes("n"))
		if m.watch.problem == nil || !strings.Contains(screenText(m), "Watching") {
			t.Error("keeping playing left the problem screen")
		}
		m, cmd := send(t, m, runes("q"), runes("y"))
		res, ok := m.Result()
		if !isQuit(cmd) || !ok || !res.Abandoned() || len(res.State.Steps) != 1 {
			t.Errorf("abandoned from the problem screen: %+v", res)
		}
	})
	t.Run("messages of another watcher are ignored", func(t *testing.T) {
		f := newWatchedFile(t, src)
		m := poll(t, sized(t, New(testOptions(Options{Reload: f.Reload})), 80, 24))
		next, cmd := send(t, m, watchTickMsg{id: m.watch.id + 1}, reloadedMsg{id: m.watch.id + 1, err: errors.New("not ours")})
		if cmd != nil || next.watch.problem != nil {
			t.Error("a foreign watch message was taken")
		}
	})
}

// In a running program: the test breaks the file, the errors show; it
// fixes the file, play resumes where it was. The program polls on its
// own, every WatchInterval.
func TestE2EWatch(t *testing.T) {
	src := fixtureSource(t)
	f := newWatchedFile(t, src)
	tm := newTestProgram(t, New(testOptions(Options{Reload: f.Reload})))
	waitFor(t, tm, "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "[flatly] It clicks off.")
	f.write(replaceOnce(t, src, `outcome = "resolved"`, `outcome = "sorted-ish"`))
	waitFor(t, tm, "The file has 1 error", "hint:")
	f.write(replaceOnce(t, src, "Are you going to fix it or not?", "Can you fix it or not?"))
	waitFor(t, tm, "carrying on where you", "Can you fix it")
	tm.Type("1")
	waitFor(t, tm, "Conversation over")
	tm.Type("q")
	res, ok := finalModel(t, tm).Result()
	if !ok || res.Reloads != 1 || res.State.Ending != "sorted" || len(res.State.Steps) != 2 {
		t.Fatalf("result %+v", res)
	}
}
