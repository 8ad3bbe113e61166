package tui

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// headerOnly is how the CLI lists the embedded library for a fast first
// frame: the picker sees headers, and Open parses the picked one.
func headerOnly(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	src, err := fs.ReadFile(scenarios.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	h, err := scenario.ParseHeader(src)
	if err != nil {
		t.Fatal(err)
	}
	return h.Scenario(name)
}

func TestPickerOpensHeaderOnlyScenario(t *testing.T) {
	var opened []string
	m := New(testOptions(Options{
		Scenarios: []*scenario.Scenario{headerOnly(t, "first-time-caller.toml")},
		Open: func(sc *scenario.Scenario) (*scenario.Scenario, error) {
			opened = append(opened, sc.File)
			return firstTimeCaller(t), nil
		},
	}))
	m = sized(t, m, 80, 24)
	if !strings.Contains(screenText(m), "First time on the phone") {
		t.Fatalf("picker does not list the header's title:\n%s", screenText(m))
	}
	m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if m.Screen() != "play" || len(opened) != 1 || opened[0] != "first-time-caller.toml" {
		t.Fatalf("screen %q, opened %v", m.Screen(), opened)
	}
	if !strings.Contains(screenText(m), "Grace Okafor") {
		t.Errorf("play screen does not show the opened scenario's customer:\n%s", screenText(m))
	}
}

func TestPickerShowsOpenError(t *testing.T) {
	m := New(testOptions(Options{
		Scenarios: []*scenario.Scenario{headerOnly(t, "first-time-caller.toml")},
		Open: func(*scenario.Scenario) (*scenario.Scenario, error) {
			return nil, errors.New("disk on fire")
		},
	}))
	m = sized(t, m, 80, 24)
	m, _ = send(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if m.Screen() == "play" || !strings.Contains(screenText(m), "disk on fire") {
		t.Errorf("screen %q should show the error:\n%s", m.Screen(), screenText(m))
	}
}
