package debrief

import (
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
