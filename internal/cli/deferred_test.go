package cli

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/tui"
)

// The picker's library is listed as the player is built, in Init: the
// picker then shows the built-in scenarios and opens one in full.
func TestDeferredPickerListsTheLibrary(t *testing.T) {
	m := newDeferred(tui.Options{Now: time.Now, Agent: "Sam"}, nil, pickerLibrary)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("choose a conversation"))
	}, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Before the call")) || bytes.Contains(b, []byte("Customer:"))
	}, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if *m.err != nil {
		t.Fatalf("error building the player: %v", *m.err)
	}
}

// A library that cannot be listed ends the program before it draws
// anything, and the error is kept for the command to report; keys that
// arrive meanwhile are ignored rather than sent to a player that was
// never built.
func TestDeferredLibraryFails(t *testing.T) {
	failed := errors.New("list scenarios: the library is damaged")
	load := func() ([]*scenario.Scenario, func(*scenario.Scenario) (*scenario.Scenario, error), error) {
		return nil, nil, failed
	}
	m := newDeferred(tui.Options{Now: time.Now, Agent: "Sam"}, nil, load)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if !errors.Is(*m.err, failed) {
		t.Fatalf("error kept = %v, want %v", *m.err, failed)
	}
	out, err := io.ReadAll(tm.FinalOutput(t))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); strings.Contains(s, "choose a conversation") {
		t.Errorf("the picker was drawn though its library failed:\n%q", s)
	}
	if _, ok := m.m.Attempt(); ok {
		t.Error("an attempt was left to save though no player was built")
	}
}
