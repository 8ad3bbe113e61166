// Package textkeys holds the one rule of Rapport's full-screen text
// inputs (the player's typing box, the picker's and the history's
// filters): characters typed are text, never keys.
package textkeys

import tea "github.com/charmbracelet/bubbletea"

// AsText marks a key message of typed characters as text for a text
// input. Bubble Tea reports a burst of characters that arrive together (a
// paste in a terminal without bracketed paste, dictation, a slow SSH link)
// as one KeyRunes message per word, whose String is the word: "enter",
// "right" or "up" would match the bindings of those keys and act instead
// of being typed. A pasted message (Paste) prints as "[enter]" and matches
// nothing, so every binding ignores it and the text input inserts its
// runes. Only real special keys (and alt combinations) stay keys.
func AsText(k tea.KeyMsg) tea.KeyMsg {
	if k.Type == tea.KeyRunes && !k.Alt {
		k.Paste = true
	}
	return k
}
