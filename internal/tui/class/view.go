package class

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// view renders the dashboard's parts at a width. Every line starts with a
// one-column margin.
type view struct {
	s     *Styles
	width int
}

// wideTable is the width from which "now" is a column of the trainees
// table; below it, it goes on a line of its own under the trainee.
const wideTable = 110

// barCells is the width of a share bar.
const barCells = 12

// cut makes text one line of at most the content width.
func (v view) cut(s string) string { return ansi.Truncate(s, v.width, "…") }

// fit pads or cuts plain text to exactly w cells.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// right pads plain text on the left to w cells.
func right(s string, w int) string {
	return strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) + s
}

// header is the title and the class in numbers: three lines.
func (v view) header(sum summary, snap Snapshot, source string, loaded bool) string {
	title := v.s.Title.Render("Rapport · class")
	when := ""
	if loaded && !snap.At.IsZero() {
		when = "updated " + snap.At.Format("15:04:05")
	}
	gap := v.width - ansi.StringWidth("Rapport · class") - ansi.StringWidth(when)
	line1 := " " + title + strings.Repeat(" ", max(1, gap)) + v.s.Faint.Render(when)

	counts := "Reading the class…"
	if loaded {
		counts = strings.Join([]string{
			fmt.Sprintf("%d connected (%d playing)", sum.connected, sum.playing),
			debrief.Plural(len(sum.rows), "trainee", "trainees"),
			fmt.Sprintf("%s saved, %d unfinished", debrief.Plural(sum.attempts, "attempt", "attempts"), sum.abandoned),
		}, " · ")
	}
	var where []string
	switch {
	case snap.Server != nil:
		where = append(where, "server on "+snap.Server.Addr)
	case loaded:
		where = append(where, "no server running: saved attempts only")
	}
	if source != "" {
		where = append(where, source)
	}
	return line1 + "\n " + v.s.Text.Render(v.cut(counts)) + "\n " + v.s.Subtle.Render(v.cut(strings.Join(where, " · ")))
}

// trainees is the table of who is connected and who has played.
func (v view) trainees(sum summary) string {
	s := v.s
	var b strings.Builder
	b.WriteString("\n " + s.Section.Render("Trainees") + "\n")
	if len(sum.rows) == 0 {
		b.WriteString(" " + s.Subtle.Render(v.cut("Nobody has connected or played yet. Trainees join with the ssh command rapport-server serve printed.")) + "\n")
		return b.String()
	}
	// The longest name sets its column, up to a cap that leaves the
	// scores room at 80 columns.
	nameCap := 16
	if v.width >= 100 {
		nameCap = 24
	}
	nameW := len("TRAINEE")
	for _, r := range sum.rows {
		nameW = max(nameW, min(ansi.StringWidth(textsafe.Line(r.name)), nameCap))
	}
	const statusW, attW = 11, 9
	labels := [4]string{"OVERALL", "FIRST 30S", "EMPATHY", "DIFFICULT"}
	var scoreW [4]int
	fixed := statusW + 1 + nameW + attW
	for i, l := range labels {
		scoreW[i] = len(l) + 2
		fixed += scoreW[i]
	}
	wide := v.width >= wideTable && v.width-fixed-2 >= 20
	head := fit("STATUS", statusW) + " " + fit("TRAINEE", nameW) + right("ATTEMPTS", attW)
	for i, l := range labels {
		head += right(l, scoreW[i])
	}
	if wide {
		head += "  NOW"
	}
	b.WriteString(" " + s.Head.Render(v.cut(head)) + "\n")
	for _, r := range sum.rows {
		var mark string
		var style = s.Left
		switch r.status {
		case statusPlaying:
			mark, style = "● playing", s.Playing
		case statusConnected:
			mark, style = "○ connected", s.Connected
		default:
			mark = "· left"
		}
		att := "–"
		if r.attempts > 0 {
			att = fmt.Sprint(r.attempts)
			if r.abandoned > 0 {
				att += fmt.Sprintf(" (%d✗)", r.abandoned)
			}
		}
		line := style.Render(fit(mark, statusW)) + " " + s.Text.Render(fit(textsafe.Line(r.name), nameW)) + right(att, attW) +
			score(r.scores[3], scoreW[0]) + score(r.scores[0], scoreW[1]) + score(r.scores[1], scoreW[2]) + score(r.scores[2], scoreW[3])
		now := r.now
		if r.hasSoFar {
			now += fmt.Sprintf(" · %d so far", r.soFar)
		}
		if r.sessions > 1 {
			now += fmt.Sprintf(" · %d connections", r.sessions)
		}
		if wide && now != "" {
			line += "  " + s.Subtle.Render(ansi.Truncate(textsafe.Line(now), v.width-fixed-2, "…"))
		}
		b.WriteString(" " + ansi.Truncate(line, v.width, "…") + "\n")
		if !wide && now != "" {
			b.WriteString(" " + s.Subtle.Render(v.cut("   ↳ "+textsafe.Line(now))) + "\n")
		}
	}
	b.WriteString(" " + s.Faint.Render(v.cut("Attempts are saved ones (✗ unfinished); scores are averages of finished attempts, 0–100.")) + "\n")
	return b.String()
}

// score is a right-aligned mean score, or a dash when none was assessed.
func score(st report.Stat, w int) string {
	if st.N == 0 {
		return right("–", w)
	}
	return right(fmt.Sprint(int(math.Round(st.Mean))), w)
}

// tabs says which scenario's decision points are shown.
func (v view) tabs(sum summary, tab int) string {
	if len(sum.scenarios) < 2 {
		return ""
	}
	return " " + v.s.Subtle.Render(v.cut(fmt.Sprintf("Scenario %d of %d · tab and shift+tab switch", tab+1, len(sum.scenarios))))
}

// points draws one scenario's decision points with the class's share on
// each choice.
func (v view) points(sv scenarioView) string {
	s := v.s
	var b strings.Builder
	title := fmt.Sprintf("Decision points · %s (%s)", textsafe.Line(sv.title), sv.id)
	b.WriteString(" " + s.Section.Render(v.cut(title)) + "\n")
	counts := debrief.Plural(sv.attempts, "saved attempt", "saved attempts")
	if sv.inProgress > 0 {
		counts += fmt.Sprintf(", %d in progress", sv.inProgress)
	}
	b.WriteString(" " + s.Subtle.Render(v.cut(counts+" · ✓ marks the best choice")) + "\n")
	if len(sv.points) == 0 {
		b.WriteString(" " + s.Subtle.Render(v.cut("No choices made yet.")) + "\n")
		return b.String()
	}
	for _, p := range sv.points {
		b.WriteString("\n " + s.Text.Render(v.cut(fmt.Sprintf("%s — reached %s", textsafe.Line(p.Node), debrief.Plural(p.Visits, "time", "times")))) + "\n")
		for _, c := range p.Choices {
			b.WriteString(" " + v.choice(c) + "\n")
		}
	}
	return b.String()
}

// choice is one choice's line: marker, number, bar, share, count, words.
func (v view) choice(c report.Choice) string {
	s := v.s
	mark := "  "
	if c.Best {
		mark = s.Best.Render("✓ ")
	}
	filled := int(math.Round(c.Share * barCells))
	bar := s.Bar.Render(strings.Repeat("█", filled)) + s.BarEmpty.Render(strings.Repeat("░", barCells-filled))
	nums := fmt.Sprintf(" %4s %3d  ", fmt.Sprintf("%.0f%%", math.Round(c.Share*100)), c.Count)
	prefix := "  " + mark + fmt.Sprintf("%d  ", c.Number)
	suffix := ""
	if c.Best {
		suffix = "  (best)"
	}
	room := v.width - ansi.StringWidth(prefix) - barCells - ansi.StringWidth(nums) - ansi.StringWidth(suffix)
	words := ansi.Truncate(textsafe.Line(c.Say), max(room, 1), "…")
	line := prefix + bar + nums + s.Text.Render(words)
	if c.Best {
		line += s.Best.Render(suffix)
	}
	return line
}
