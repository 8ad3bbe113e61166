package server

import (
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Over SSH the briefing shows before the call, with the name the trainee
// typed for {agent}; the attempt is counted from the briefing on.
func TestSessionShowsBriefing(t *testing.T) {
	sc, diags, err := scenario.Load(os.DirFS("testdata"), "replies-call.toml")
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	rec := &recorder{}
	m := newModel(rec, Config{Scenarios: []*scenario.Scenario{sc}, NoAnimation: true, Limits: DefaultLimits()}, asciiRenderer())
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = press(next.(model), runes("Eve Ng"), enter, enter)
	if m.play.Screen() != "briefing" || m.seq != 1 {
		t.Fatalf("screen %s, attempt %d", m.play.Screen(), m.seq)
	}
	v := m.View()
	for _, want := range []string{"Before the call", "You are: Eve, adviser on the Parcelway helpline", "You may offer:", "a refund of the delivery fee"} {
		if !strings.Contains(v, want) {
			t.Errorf("briefing lacks %q:\n%s", want, v)
		}
	}
	m = press(m, enter)
	if m.play.Screen() != "play" || !strings.Contains(m.View(), "I'm Eve, and I'll find your parcel now") {
		t.Fatalf("after the briefing: %s\n%s", m.play.Screen(), m.View())
	}
}
