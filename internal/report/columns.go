package report

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/charmbracelet/x/ansi"
)

// columns lays out the report's tables: a header underlined by a rule, no
// vertical rules, two spaces after every column but the last; the first
// column left-aligned, the last (a trend) left-aligned, the others
// right-aligned. Every row has as many cells as headers.
//
// A report over thousands of attempts has tables of hundreds of rows, and
// lipgloss's table renders each cell through a Style (wrapping, padding
// and aligning it, then joining the cells line by line): most of the time
// of writing the report. Cells made only of characters one column wide
// that no step of that changes are laid out directly (plainColumns), to
// the same bytes; anything else goes through lipgloss.
// TestColumnsMatchLipgloss holds the two to the same output.
func columns(r *lipgloss.Renderer, st tableStyles, headers []string, rows [][]string) string {
	for _, row := range rows {
		for _, c := range row {
			if !plainCell(c) {
				return lipglossColumns(r, st, headers, rows)
			}
		}
	}
	return plainColumns(r, st, headers, rows)
}

// columnStyles are the styles of a column's header and cells, as the
// table is drawn by lipgloss.
func columnStyles(r *lipgloss.Renderer, st tableStyles, cols int) (header, cell func(col int) lipgloss.Style) {
	plain := r.NewStyle().PaddingRight(2)
	num := plain.Align(lipgloss.Right)
	head := st.header.Padding(0).PaddingRight(2)
	last := r.NewStyle()
	header = func(col int) lipgloss.Style {
		if col == cols-1 {
			return last
		}
		return head
	}
	cell = func(col int) lipgloss.Style {
		switch col {
		case cols - 1:
			return last
		case 0:
			return plain
		}
		return num
	}
	return header, cell
}

// lipglossColumns is columns drawn by lipgloss's table.
func lipglossColumns(r *lipgloss.Renderer, st tableStyles, headers []string, rows [][]string) string {
	header, cell := columnStyles(r, st, len(headers))
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).BorderRow(false).BorderHeader(true).
		BorderStyle(r.NewStyle()).
		Headers(headers...).
		StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return header(col)
			}
			return cell(col)
		})
	for _, row := range rows {
		t.Row(row...)
	}
	return t.Render()
}

// plainCell says whether a cell is laid out by plainColumns: printable
// characters that take one column each (ASCII, Latin and the few symbols
// the report draws: sparkline bars, ±, →, …), so that its width is its
// length in characters, lipgloss neither wraps nor changes it, and the
// renderer styles nothing in it.
func plainCell(s string) bool {
	for _, c := range s {
		switch {
		case c >= 0x20 && c < 0x7f, c >= 0xa0 && c < 0x300 && c != 0xad:
		case c >= '▁' && c <= '█', c == '→', c == '…':
		default:
			return false
		}
	}
	return true
}

// plainColumns is lipglossColumns for plain cells (plainCell): each
// column as wide as its widest cell and its padding, the header drawn by
// its style as lipgloss draws it, the cells padded with spaces.
func plainColumns(r *lipgloss.Renderer, st tableStyles, headers []string, rows [][]string) string {
	header, _ := columnStyles(r, st, len(headers))
	pad := func(col int) int {
		if col == len(headers)-1 {
			return 0
		}
		return 2
	}
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = lipgloss.Width(h)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := 0
	for i := range widths {
		widths[i] += pad(i)
		total += widths[i]
	}
	var b strings.Builder
	// A rune of a cell is at most 3 bytes; the rule's are 3.
	b.Grow((len(rows) + 2) * (3*total + 1))
	for i, h := range headers {
		b.WriteString(header(i).MaxHeight(1).Width(widths[i]).MaxWidth(widths[i]).Render(ansi.Truncate(h, widths[i], "…")))
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("─", total))
	for _, row := range rows {
		b.WriteByte('\n')
		for i, c := range row {
			space := widths[i] - utf8.RuneCountInString(c)
			if i == 0 || i == len(row)-1 {
				b.WriteString(c)
				writeSpaces(&b, space)
				continue
			}
			writeSpaces(&b, space-pad(i))
			b.WriteString(c)
			writeSpaces(&b, pad(i))
		}
	}
	return b.String()
}

// writeSpaces writes n spaces.
func writeSpaces(b *strings.Builder, n int) {
	const spaces = "                                                                "
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}
