package drill

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// kebab is compiled on first use, not when the program starts.
var kebab = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) }}

// validate checks what decoding alone cannot: ids, text, the four
// responses with one best, and the spread that makes a drill teach rather
// than quiz.
func (p *parser) validate(d *Drill) {
	if d.ID != "" && !kebab.Get().MatchString(d.ID) {
		p.ReportPath("id", scenario.CodeBadID, fmt.Sprintf("drill id %q is not kebab-case", d.ID),
			`use lower-case words joined by hyphens, like "openings"`)
	}
	p.prose("title", "title", d.Title, true)
	p.prose("summary", "summary", d.Summary, false)

	if n := len(d.Openers); n > 0 && n < MinOpeners {
		p.ReportPath("opener[0]", CodeFewOpeners, fmt.Sprintf("the drill has %s; a session needs at least %d", count(n, "opener"), MinOpeners),
			"add openers with other channels, moods and businesses so practice does not repeat itself")
	}
	seenID := map[string]int{}   // opener id -> line
	seenLine := map[string]int{} // customer's first line -> line
	slots := make([]int, ResponsesPerOpener+1)
	firstInSlot := make([]string, ResponsesPerOpener+1)
	withBest, longest, firstLongest := 0, 0, ""
	for i, o := range d.Openers {
		at := fmt.Sprintf("opener[%d]", i)
		if o.ID != "" {
			if !kebab.Get().MatchString(o.ID) {
				p.ReportPath(at+".id", scenario.CodeBadID, fmt.Sprintf("opener id %q is not kebab-case", o.ID),
					`use lower-case words joined by hyphens, like "lost-card-phone"`)
			} else if line, dup := seenID[o.ID]; dup {
				p.ReportPath(at+".id", scenario.CodeDuplicateID, fmt.Sprintf("opener id %q is already used at line %d", o.ID, line),
					"give every opener its own id: results and summaries refer to it")
			} else {
				seenID[o.ID] = p.At(at + ".id").Line
			}
		}
		p.prose(at+".customer", "customer", o.Customer, true)
		p.prose(at+".business", "business", o.Business, false)
		if p.prose(at+".say", fmt.Sprintf("opener %s say", nameOr(o.ID)), o.Say, true) {
			key := normalise(o.Say)
			if line, dup := seenLine[key]; dup {
				p.ReportPath(at+".say", CodeDuplicateLine, fmt.Sprintf("opener %s repeats the customer's line from line %d", nameOr(o.ID), line),
					"every opener needs its own customer line, or the trainee has seen the answer before")
			} else {
				seenLine[key] = p.At(at + ".say").Line
			}
		}
		if slot := p.responses(at, o); slot > 0 {
			withBest++
			if slot <= len(o.Responses) && isLongest(o.Responses, slot-1) {
				longest++
				if firstLongest == "" {
					firstLongest = fmt.Sprintf("%s.response[%d].say", at, slot-1)
				}
			}
			// An opener with too many responses (already reported) can
			// have its best past the fourth slot; it has no slot to count.
			if slot <= ResponsesPerOpener {
				slots[slot]++
				if firstInSlot[slot] == "" {
					firstInSlot[slot] = fmt.Sprintf("%s.response[%d].rating", at, slot-1)
				}
			}
		}
	}
	if withBest >= 4 && float64(longest) > MaxLongestBestShare*float64(withBest) {
		p.ReportPath(firstLongest, CodeBestLongest,
			fmt.Sprintf("the best response is the longest of its opener's responses in %d of %d openers (more than %.0f%%): a trainee can pick by length", longest, withBest, MaxLongestBestShare*100),
			"give the weaker responses the length of a real opening (a warm line that forgets the name, an efficient one that asks for a number first), and let the best be the shortest sometimes")
	}
	if withBest >= 4 {
		for slot, n := range slots {
			if n*2 > withBest {
				p.ReportPath(firstInSlot[slot], CodeBestSameSlot,
					fmt.Sprintf("the best response is number %d in %d of %d openers", slot, n, withBest),
					"mix the order so trainees cannot learn the slot: each number should hold the best about equally often")
			}
		}
	}
}

// responses checks one opener's responses and returns the slot (1-based)
// of its single best response, or 0.
func (p *parser) responses(at string, o *Opener) int {
	if n := len(o.Responses); n != ResponsesPerOpener {
		p.Report(o.Pos, CodeResponseCount, fmt.Sprintf("opener %s has %s, want exactly %d", nameOr(o.ID), count(n, "response"), ResponsesPerOpener),
			"write four [[opener.response]] blocks: one best, one good but flawed, one weak and one poor")
	}
	ratings := map[Rating]bool{}
	said := map[string]int{}
	for j, r := range o.Responses {
		rp := fmt.Sprintf("%s.response[%d]", at, j)
		if p.prose(rp+".say", "response say", r.Say, true) {
			key := normalise(r.Say)
			if k, dup := said[key]; dup {
				p.ReportPath(rp+".say", CodeSameResponse, fmt.Sprintf("response %d says the same as response %d", j+1, k),
					"make the four responses differ in what they do, not only in wording")
			} else {
				said[key] = j + 1
			}
			if n := len(strings.Fields(r.Say)); n > MaxResponseWords {
				p.ReportPath(rp+".say", CodeLongResponse, fmt.Sprintf("response is %d words; an opening fits in %d", n, MaxResponseWords),
					"an opening is the first three sentences: keep what matters in the first breath")
			}
		}
		p.prose(rp+".feedback", "feedback", r.Feedback, true)
		if r.Rating != Best && ratings[r.Rating] && len(o.Responses) == ResponsesPerOpener {
			p.ReportPath(rp+".rating", CodeRatingsRepeats, fmt.Sprintf("opener %s has more than one %q response", nameOr(o.ID), r.Rating),
				"rate the four responses best, good, weak and poor, one each, so every pick teaches something different")
		}
		if r.Rating != "" {
			ratings[r.Rating] = true
		}
		for k, tag := range r.Tags {
			tp := fmt.Sprintf("%s.tags[%d]", rp, k)
			if !reader.Known(tag) {
				p.ReportPath(tp, CodeUnknownTag, fmt.Sprintf("tag %q is not a behaviour id", tag), scenario.DidYouMean(tag, behaviourIDs(), "the behaviour ids are"))
			} else if info, _ := reader.Info(reader.BehaviorID(tag)); r.Rating == Best && info.Polarity == reader.Negative {
				p.ReportPath(tp, CodeBestNegative, fmt.Sprintf("the best response is tagged %q, a behaviour the scoring model counts against", tag),
					"rewrite the best response without it, or rate this response lower")
			}
		}
	}
	return p.checkBest(at, o)
}

// checkBest reports an opener with no best or several, and returns the
// slot of the only best response.
func (p *parser) checkBest(at string, o *Opener) int {
	var slots []int
	for j, r := range o.Responses {
		if r.Rating == Best {
			slots = append(slots, j+1)
		}
	}
	switch {
	case len(slots) == 1:
		return slots[0]
	case len(slots) > 1:
		p.ReportPath(fmt.Sprintf("%s.response[%d].rating", at, slots[1]-1), CodeTwoBest,
			fmt.Sprintf("opener %s has %d best responses, want exactly one", nameOr(o.ID), len(slots)),
			`rate the others "good", "weak" or "poor": the drill shows one best answer after every pick`)
	case len(o.Responses) > 0 && !slices.ContainsFunc(o.Responses, func(r *Response) bool { return r.Rating == "" }):
		p.Report(o.Pos, CodeNoBest, fmt.Sprintf("opener %s has no best response", nameOr(o.ID)),
			`rate the response that triggers relief rating = "best"`)
	}
	return 0
}

// prose checks a text value: present when required, not blank, free of
// control characters. It reports whether the text is usable.
func (p *parser) prose(path, what, s string, required bool) bool {
	if !p.Written(path) && s == "" || p.Reported(path) {
		return false // missing keys and wrong types are already reported
	}
	if required && strings.TrimSpace(s) == "" {
		p.ReportPath(path, scenario.CodeEmptyText, what+" is empty", "write the text, or remove the key if it is optional")
		return false
	}
	if i := textsafe.Index(s); i >= 0 {
		p.ReportPath(path, scenario.CodeControl, fmt.Sprintf("%s has a control character, terminal escape sequence or invisible format character such as a bidi override (byte %d)", what, i),
			"remove it: drill text is drawn in trainees' terminals and must be plain text")
		return false
	}
	return strings.TrimSpace(s) != ""
}

// normalise compares lines the way a trainee would read them: case, spacing
// and punctuation do not make two lines different.
func normalise(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// behaviourIDs lists the scoring model's behaviour ids in alphabetical
// order: a response's tags use the same ids as a scenario choice's.
func behaviourIDs() []string {
	var ids []string
	for _, b := range reader.Behaviors() {
		ids = append(ids, string(b.ID))
	}
	slices.Sort(ids)
	return ids
}

// MaxLongestBestShare: the best response may be the longest of its
// opener's four in at most half the openers (RP212); a trainee who learns
// "pick the longest" learns nothing about openings.
const MaxLongestBestShare = 0.5

// isLongest reports whether response i has the most words of rs (a tie
// counts).
func isLongest(rs []*Response, i int) bool {
	n := len(strings.Fields(rs[i].Say))
	for _, r := range rs {
		if len(strings.Fields(r.Say)) > n {
			return false
		}
	}
	return true
}
