package server

import (
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/tui"
)

// recorder is a tracker that remembers what the model reported.
type recorder struct {
	mu         sync.Mutex
	trainee    string
	activities []string
	tracked    []tracked
	saves      int
}

type tracked struct {
	seq   int
	steps int
	over  bool
	from  int
}

func (r *recorder) setTrainee(name string) { r.mu.Lock(); r.trainee = name; r.mu.Unlock() }
func (r *recorder) setActivity(a string) {
	r.mu.Lock()
	r.activities = append(r.activities, a)
	r.mu.Unlock()
}
func (r *recorder) track(seq int, res tui.Result, over bool) *attempt {
	r.mu.Lock()
	r.tracked = append(r.tracked, tracked{seq, len(res.State.Steps), over, res.RetryFrom})
	r.mu.Unlock()
	return &attempt{}
}
func (r *recorder) save(*attempt) (string, error) {
	r.mu.Lock()
	r.saves++
	r.mu.Unlock()
	return "saved.json", nil
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func testModel(t testing.TB, rec *recorder, maxLine int) model {
	t.Helper()
	cfg := Config{Scenarios: []*scenario.Scenario{fixture(t)}, NoAnimation: true, Limits: DefaultLimits()}
	cfg.Limits.MaxLine = maxLine
	m := newModel(rec, cfg, asciiRenderer())
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return next.(model)
}

// press sends keys to the model and runs the commands that come back
// straight away (not timers), as the program would.
func press(m model, keys ...tea.KeyMsg) model {
	for _, k := range keys {
		next, cmd := m.Update(k)
		m = run(next.(model), cmd)
	}
	return m
}

func run(m model, cmd tea.Cmd) model {
	if cmd == nil {
		return m
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(50 * time.Millisecond):
		return m // a timer or a blink: not part of the key's effect
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			m = run(m, c)
		}
		return m
	case nil:
		return m
	default:
		next, cmd := m.Update(msg)
		return run(next.(model), cmd)
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var enter = tea.KeyMsg{Type: tea.KeyEnter}

func TestSessionModelFlow(t *testing.T) {
	rec := &recorder{}
	m := testModel(t, rec, 280)
	if !strings.Contains(m.View(), "Type your name") {
		t.Fatalf("first screen is not the name prompt:\n%s", m.View())
	}
	m = press(m, enter)
	if m.phase != phaseName || !strings.Contains(m.View(), "Type your name first") {
		t.Fatalf("an empty name was accepted:\n%s", m.View())
	}
	m = press(m, runes("  Eve   Ng "), enter)
	if m.phase != phasePlay || rec.trainee != "Eve Ng" {
		t.Fatalf("phase %s, trainee %q", m.phase, rec.trainee)
	}
	m = press(m, enter, runes("1"), runes("1"))
	if m.play.Screen() != "play" || m.seq != 1 {
		t.Fatalf("screen %s, attempt %d; want the first attempt in play", m.play.Screen(), m.seq)
	}
	m = press(m, runes("1"))
	if m.play.Screen() != "end" || rec.saves != 1 {
		t.Fatalf("screen %s with %d saves; want the end screen, saved once", m.play.Screen(), rec.saves)
	}
	last := rec.tracked[len(rec.tracked)-1]
	if !last.over || last.steps != 3 || last.seq != 1 {
		t.Errorf("last report %+v; want attempt 1 over after 3 steps", last)
	}
	for _, tr := range rec.tracked[:len(rec.tracked)-1] {
		if tr.over {
			t.Errorf("attempt reported over too early: %+v", tr)
		}
	}
	// Leaving the debrief opens the picker again; a second attempt gets a
	// new number; quitting it midway is reported and saved.
	m = press(m, runes("q"))
	if m.play.Screen() != "picker" || m.quitting {
		t.Fatalf("after the debrief: screen %s, quitting %v", m.play.Screen(), m.quitting)
	}
	m = press(m, enter, runes("1"), tea.KeyMsg{Type: tea.KeyCtrlC}, runes("y"))
	if m.seq != 2 || rec.saves != 2 || m.play.Screen() != "picker" {
		t.Fatalf("after abandoning: attempt %d, %d saves, screen %s", m.seq, rec.saves, m.play.Screen())
	}
	next, cmd := m.Update(runes("q"))
	if cmd == nil {
		t.Fatal("q at the picker does nothing")
	}
	next, cmd = next.Update(cmd())
	if !next.(model).quitting || cmd == nil {
		t.Fatal("q at the picker does not end the session")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q at the picker does not quit the program")
	}
}

// Over SSH, the debrief's f retries from the selected turn and r tries
// again: each is a new attempt with its own number, saved when it ends,
// the retry saying where it started; enter goes back to the list.
func TestSessionRetry(t *testing.T) {
	rec := &recorder{}
	m := testModel(t, rec, 280)
	m = press(m, runes("Eve Ng"), enter, enter, runes("1"), runes("1"), runes("1"))
	if m.play.Screen() != "end" || rec.saves != 1 {
		t.Fatalf("screen %s with %d saves; want the end screen, saved once", m.play.Screen(), rec.saves)
	}
	m = press(m, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyDown}, runes("f"))
	if m.play.Screen() != "play" || m.seq != 2 {
		t.Fatalf("after f: screen %s, attempt %d; want attempt 2 in play", m.play.Screen(), m.seq)
	}
	m = press(m, runes("2"))
	for m.play.Screen() == "play" {
		m = press(m, runes("1"))
	}
	last := rec.tracked[len(rec.tracked)-1]
	if rec.saves != 2 || !last.over || last.seq != 2 || last.from != 3 {
		t.Fatalf("after the retry: %d saves, last report %+v; want attempt 2 over, retried from turn 3", rec.saves, last)
	}
	m = press(m, runes("r"))
	if m.play.Screen() != "play" || m.seq != 3 {
		t.Fatalf("after r: screen %s, attempt %d; want attempt 3 in play", m.play.Screen(), m.seq)
	}
	m = press(m, runes("1"), runes("1"), runes("1"))
	if last := rec.tracked[len(rec.tracked)-1]; rec.saves != 3 || last.seq != 3 || last.from != 0 {
		t.Fatalf("after trying again: %d saves, last %+v", rec.saves, last)
	}
	m = press(m, enter)
	if m.play.Screen() != "picker" || m.quitting {
		t.Fatalf("enter on the debrief: screen %s, quitting %v", m.play.Screen(), m.quitting)
	}
}

func TestProgressLeavesThePlayerAlone(t *testing.T) {
	p := tui.New(tui.Options{Start: fixture(t), NoAnimation: true, Renderer: asciiRenderer()})
	var next tea.Model = p
	next, _ = next.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	next, _ = next.Update(runes("1"))
	m := next.(tui.Model)
	before := m.View()
	res, over, ok := progress(m)
	if !ok || over || len(res.State.Steps) != 1 || res.Finished() {
		t.Fatalf("progress = %d steps, over %v, ok %v, finished %v; want one step in progress",
			len(res.State.Steps), over, ok, res.Finished())
	}
	if m.Screen() != "play" || m.View() != before {
		t.Fatal("reading the progress changed the player")
	}
	if _, ended := m.Result(); ended {
		t.Fatal("reading the progress ended the attempt")
	}
}

func TestLineLimit(t *testing.T) {
	tests := map[string]struct {
		keys []tea.KeyMsg
		want string
		note bool
	}{
		"within":             {keys: []tea.KeyMsg{runes("Ann")}, want: "Ann"},
		"exactly":            {keys: []tea.KeyMsg{runes("Annabel")}, want: "Annabel"},
		"paste cut":          {keys: []tea.KeyMsg{runes("Annabelle Lee")}, want: "Annabel", note: true},
		"typed past the end": {keys: []tea.KeyMsg{runes("Annabel"), runes("l"), runes("e")}, want: "Annabel", note: true},
		"space counts":       {keys: []tea.KeyMsg{runes("Annabe"), {Type: tea.KeySpace, Runes: []rune{' '}}, runes("L")}, want: "Annabe ", note: true},
		"a deletion resets":  {keys: []tea.KeyMsg{runes("Annabel"), {Type: tea.KeyBackspace}, runes("x")}, want: "Annabex"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := testModel(t, &recorder{}, 7)
			m = press(m, tt.keys...)
			if got := m.name.input.Value(); got != tt.want {
				t.Errorf("typed %q, want %q", got, tt.want)
			}
			if has := strings.Contains(m.View(), "at most 7 characters"); has != tt.note {
				t.Errorf("notice shown = %v, want %v:\n%s", has, tt.note, m.View())
			}
		})
	}
}

func TestNoticeTakesTheBottomLine(t *testing.T) {
	m := testModel(t, &recorder{}, 280)
	next, _ := m.Update(noticeMsg("This session closes in 1 minute."))
	m = next.(model)
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 30 || !strings.Contains(lines[29], "This session closes in 1 minute.") {
		t.Fatalf("notice not on line 30 of 30:\n%s", m.View())
	}
	next, _ = m.Update(clearNoticeMsg(m.noticeID - 1))
	if !strings.Contains(next.(model).View(), "closes in 1 minute") {
		t.Error("an older notice's timer cleared the newer notice")
	}
	next, _ = m.Update(clearNoticeMsg(m.noticeID))
	if strings.Contains(next.(model).View(), "closes in 1 minute") {
		t.Error("the notice stayed after its time")
	}
}

func TestCatchQuit(t *testing.T) {
	if catchQuit(nil) != nil {
		t.Error("catchQuit(nil) is not nil")
	}
	if _, ok := catchQuit(tea.Quit)().(playerQuitMsg); !ok {
		t.Error("tea.Quit not caught")
	}
	batch := catchQuit(tea.Batch(tea.Quit, func() tea.Msg { return noticeMsg("x") }))().(tea.BatchMsg)
	if len(batch) != 2 {
		t.Fatalf("batch of %d", len(batch))
	}
	if _, ok := batch[0]().(playerQuitMsg); !ok {
		t.Error("tea.Quit inside a batch not caught")
	}
	if msg, ok := batch[1]().(noticeMsg); !ok || msg != "x" {
		t.Error("other messages changed")
	}
}

func TestGoodbye(t *testing.T) {
	l := DefaultLimits()
	tests := map[string]struct {
		r         endReason
		name      string
		abandoned []string
		unsaved   int
		want      []string
		never     string
	}{
		"left":                 {endQuit, "Fay", nil, 0, []string{"Thank you for practising, Fay."}, ""},
		"left before a name":   {endQuit, "", nil, 0, []string{"Goodbye from Rapport."}, ""},
		"idle, one saved":      {endIdle, "Fay", []string{"The card that vanished"}, 0, []string{"after 10 minutes without a key press", "(The card that vanished) was saved"}, ""},
		"time limit":           {endTime, "Fay", nil, 0, []string{"its 90 minutes limit"}, ""},
		"shutdown, two saved":  {endShutdown, "Fay", []string{"a", "b"}, 0, []string{"closed Rapport for now", "Your 2 unfinished conversations were saved"}, ""},
		"client gone: nothing": {endClosed, "Fay", nil, 0, nil, ""},
		// A record that could not be written is never called saved: the
		// goodbye used to say "Your attempts are saved" regardless.
		"left, one not saved":     {endQuit, "Fay", nil, 1, []string{"One of your attempts could not be saved: tell your trainer."}, "saved for"},
		"shutdown, two not saved": {endShutdown, "Fay", []string{"a"}, 2, []string{"2 of your attempts could not be saved"}, "were saved"},
		"left unnamed, not saved": {endQuit, "", nil, 1, []string{"could not be saved"}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := goodbye(tt.r, tt.name, tt.abandoned, tt.unsaved, l)
			if tt.never != "" && strings.Contains(got, tt.never) {
				t.Errorf("goodbye %q says %q", got, tt.never)
			}
			if len(tt.want) == 0 && got != "" {
				t.Fatalf("goodbye %q, want none", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("goodbye %q lacks %q", got, w)
				}
			}
			if tt.unsaved > 0 && strings.Contains(got, "attempts are saved") {
				t.Errorf("goodbye %q says the attempts are saved after one could not be", got)
			}
		})
	}
}

func TestHuman(t *testing.T) {
	tests := map[time.Duration]string{
		10 * time.Minute:       "10 minutes",
		time.Minute:            "1 minute",
		90 * time.Minute:       "90 minutes",
		45 * time.Second:       "45 seconds",
		400 * time.Millisecond: "400ms",
	}
	for d, want := range tests {
		if got := human(d); got != want {
			t.Errorf("human(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestFilterDropsTerminalReplies(t *testing.T) {
	tests := map[string]struct {
		in, want    string
		dark, known bool
		answered    bool
	}{
		"plain keys":             {in: "Ann\r", want: "Ann\r"},
		"arrow and escape":       {in: "\x1b[A\x1b", want: "\x1b[A\x1b"},
		"paste brackets kept":    {in: "\x1b[200~hi\x1b[201~", want: "\x1b[200~hi\x1b[201~"},
		"dark reply, BEL":        {in: "\x1b]11;rgb:1e1e/1e1e/1e1e\x07\x1b[?62;22c", want: "", dark: true, known: true, answered: true},
		"light reply, ST":        {in: "\x1b]11;rgb:ffff/fafa/f0f0\x1b\\\x1b[?1;2c", want: "", known: true, answered: true},
		"reply among keys":       {in: "a\x1b]11;rgb:00/00/00\x07b\x1b[?6cc", want: "abc", dark: true, known: true, answered: true},
		"attributes only":        {in: "\x1b[?64;1;2c", want: "", answered: true},
		"cut reply passes on":    {in: "\x1b]11;rgb:00", want: "\x1b]11;rgb:00"},
		"other OSC dropped":      {in: "\x1b]10;rgb:ff/ff/ff\x07x", want: "x"},
		"not DA1: cursor report": {in: "\x1b[12;40R", want: "\x1b[12;40R"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			in := newInput(strings.NewReader(""), time.Now, nil)
			if got := string(in.filter([]byte(tt.in))); got != tt.want {
				t.Errorf("filter(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if in.bgKnown != tt.known || in.bgDark != tt.dark {
				t.Errorf("background known=%v dark=%v, want %v %v", in.bgKnown, in.bgDark, tt.known, tt.dark)
			}
			select {
			case <-in.answered:
				if !tt.answered {
					t.Error("answered without a DA1 report")
				}
			default:
				if tt.answered {
					t.Error("DA1 report not noticed")
				}
			}
		})
	}
}

func TestLightness(t *testing.T) {
	tests := map[string]struct {
		spec string
		want float64
		ok   bool
	}{
		"black 4 digits":  {"rgb:0000/0000/0000", 0, true},
		"white 2 digits":  {"rgb:ff/ff/ff", 1, true},
		"grey 1 digit":    {"rgb:8/8/8", 8.0 / 15, true},
		"rgba":            {"rgba:ffff/ffff/ffff/ffff", 1, true},
		"not a colour":    {"#ffffff", 0, false},
		"too few":         {"rgb:ff/ff", 0, false},
		"bad hex":         {"rgb:zz/00/00", 0, false},
		"too many digits": {"rgb:fffff/0/0", 0, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := lightness(tt.spec)
			if ok != tt.ok || ok && (got-tt.want > 1e-9 || tt.want-got > 1e-9) {
				t.Errorf("lightness(%q) = %v, %v; want %v, %v", tt.spec, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// sgrBefore returns the SGR sequences written just before text.
var sgrRun = regexp.MustCompile(`((?:\x1b\[[0-9;]*m)+)Rapport · classroom`)

func TestBackgroundIsAskedOnce(t *testing.T) {
	h := startServer(t, func(c *Config) { c.ColorQuery = waitLimit })
	light := openTerm(t, mustDial(t, h.addr), 100, 30, "rgb:ffff/ffff/ffff")
	light.enterName("Gus")
	dark := openTerm(t, mustDial(t, h.addr), 100, 30, "rgb:1010/1010/1010")
	dark.enterName("Hal")

	l, d := sgrRun.FindStringSubmatch(light.raw()), sgrRun.FindStringSubmatch(dark.raw())
	if l == nil || d == nil {
		t.Fatalf("no coloured title: light %q, dark %q", l, d)
	}
	if l[1] == d[1] {
		t.Errorf("the title has the same colours on light and dark backgrounds (%q)", l[1])
	}
	if n := strings.Count(light.raw(), queryBackground); n != 1 {
		t.Errorf("background asked %d times, want once", n)
	}
	// The terminal's reply never reached the name.
	eventually(t, "both trainees in the presence files", func() bool {
		_, live, _ := presence.ReadLive(h.live, time.Now())
		return len(live) == 2 && live[0].Trainee == "Gus" && live[1].Trainee == "Hal"
	})
}
