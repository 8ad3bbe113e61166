// Package textwrap lays plain text out in terminal cells: wrapped at spaces,
// or hung beside a prefix. The report, the drill screen and anything else
// that wraps prose for a terminal share it, so a line never runs a column
// past its width in one place and not another.
package textwrap

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks plain text at spaces to width cells, and mid-word when a word
// is longer than the line. ansi.Wrap alone can leave a line a cell or two
// long (a word longer than the width, or a hyphen standing alone after a
// space), so such lines are cut again.
func Wrap(s string, width int) string {
	width = max(width, 1)
	lines := strings.Split(ansi.Wrap(s, width, ""), "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Hardwrap(l, width, true)
		}
	}
	return strings.Join(lines, "\n")
}

// Hang writes prefix (it may be styled; it is prefixWidth cells wide) and
// text wrapped beside it in the width left, the lines after the first
// indented under the text.
func Hang(prefix string, prefixWidth int, text string, width int) string {
	lines := strings.Split(Wrap(text, max(width-prefixWidth, 1)), "\n")
	pad := strings.Repeat(" ", prefixWidth)
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
