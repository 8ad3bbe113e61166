package debrief

import (
	"fmt"
	"strconv"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Title is a scenario's title as every front end shows it: made safe to
// draw on one line, and the id when the title is empty.
func Title(sc *scenario.Scenario) string {
	if t := textsafe.Line(sc.Title); t != "" {
		return t
	}
	return textsafe.Line(sc.ID)
}

// ChannelWord names a channel for people ("in person", not "in-person").
func ChannelWord(c scenario.Channel) string {
	switch c {
	case scenario.InPerson:
		return "in person"
	case "":
		return "unknown channel"
	}
	return textsafe.Line(string(c))
}

// Plural counts a noun for people: "1 attempt", "3 attempts".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// How says how the trainee answered a turn, the one rule both players
// follow: in words the customer did not follow, in their own words taken
// as a choice, or by a choice's number. short is the form a screen's turn
// list has room for; the long form is plain mode's sentence.
func (t Turn) How(short bool) string {
	switch {
	case t.Unheard && short:
		return "typed, not followed"
	case t.Unheard:
		return "you typed your own words, which were not followed"
	case t.Typed && short:
		return fmt.Sprintf("typed, taken as choice %d", t.Shown)
	case t.Typed:
		return fmt.Sprintf("you typed your own words, taken as choice %d", t.Shown)
	case short:
		return fmt.Sprintf("choice %d", t.Shown)
	}
	return fmt.Sprintf("you chose %d", t.Shown)
}
