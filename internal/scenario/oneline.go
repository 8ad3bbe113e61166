package scenario

import "strings"

// OneLine makes untrusted text safe to draw on one line: Sanitize, then
// every run of white space (newlines too) folded to one space. It is the
// one text-hygiene helper the front ends, the debrief and the reports use
// for names, titles, typed lines and explanations.
func OneLine(s string) string {
	return strings.Join(strings.Fields(Sanitize(s)), " ")
}
