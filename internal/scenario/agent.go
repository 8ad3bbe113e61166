package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"

	"github.com/rapport-sim/rapport/internal/lazy"
)

// AgentPlaceholder stands for the trainee's first name in any line a
// scenario writes: the customer's lines (node, variant, reply, clarify,
// ending), the trainee's own lines, feedback and the briefing. The agent
// speaks as the trainee and the customer can address them by name.
const AgentPlaceholder = "{agent}"

// DefaultAgent is the name {agent} becomes when the trainee's name is not
// known (an anonymous practice run, `rapport check`, `rapport paths`).
const DefaultAgent = "Sam"

// placeholderRE finds anything written like a placeholder, so a typo such
// as {agnet} or {Agent} is caught instead of shown to a trainee.
var placeholderRE = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(`\{[A-Za-z_][A-Za-z0-9_ -]*\}`) }}

// AgentName is the name {agent} becomes for a trainee: the first word of
// their name, cleaned of anything that is not a letter, digit, hyphen or
// apostrophe, or DefaultAgent when nothing is left. Names come from users
// and SSH logins, so they are untrusted.
func AgentName(trainee string) string {
	first := ""
	if f := strings.Fields(trainee); len(f) > 0 {
		first = f[0]
	}
	first = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' {
			return r
		}
		return -1
	}, first)
	if first == "" {
		return DefaultAgent
	}
	if r := []rune(first); len(r) > 24 {
		first = string(r[:24])
	}
	return first
}

// Fill puts the agent's name in place of {agent}. agent is used as given
// (pass it through AgentName first); empty means DefaultAgent.
func Fill(text, agent string) string {
	if !strings.Contains(text, AgentPlaceholder) {
		return text
	}
	if agent == "" {
		agent = DefaultAgent
	}
	return strings.ReplaceAll(text, AgentPlaceholder, agent)
}

// FillAll is Fill over lines, returning a new slice when anything changed.
func FillAll(lines []string, agent string) []string {
	var out []string
	for i, l := range lines {
		if f := Fill(l, agent); f != l {
			if out == nil {
				out = append([]string(nil), lines...)
			}
			out[i] = f
		}
	}
	if out == nil {
		return lines
	}
	return out
}

// unknownPlaceholder returns the first placeholder in text other than
// {agent}, or "" when there is none.
func unknownPlaceholder(text string) string {
	for _, loc := range placeholderRE.Get().FindAllStringIndex(text, -1) {
		if p := text[loc[0]:loc[1]]; p != AgentPlaceholder {
			return p
		}
	}
	return ""
}

// ChoiceIDPattern is the form of a choice id: lower-case letters, digits
// and hyphens.
const ChoiceIDPattern = "^[a-z0-9-]+$"

var choiceIDRE = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(ChoiceIDPattern) }}

// IsChoiceID reports whether s is a valid choice id.
func IsChoiceID(s string) bool { return choiceIDRE.Get().MatchString(s) }

// defaultIDWords is how many words of a choice's say start its default id.
const defaultIDWords = 4

// DefaultChoiceID is the id of a choice that does not write one: the first
// four words of its say in lower case (letters and digits only, {agent}
// as "agent"), a hyphen, and the first 4 hex digits of the SHA-256 of the
// say with its spacing normalised. So "Can I have your order number
// first, please?" is "can-i-have-your-6c1e".
//
// It depends on the text alone, so reordering choices or wrapping a line
// differently keeps it; rewording the line gives a new id, which is right,
// since results then show the new line in its own row. An author who
// rewords a line but wants its history kept writes the old id as `id`.
func DefaultChoiceID(say string) string {
	norm := say
	if !isNormalSpacing(say) {
		norm = strings.Join(strings.Fields(say), " ")
	}
	sum := sha256.Sum256([]byte(norm))
	// The first words only, each lowered as it is reached: a long file has
	// tens of thousands of choices, and lowering and splitting whole lines
	// was a tenth of its loading time.
	var b strings.Builder
	n := 0
	for w := range strings.FieldsSeq(norm) {
		w = strings.Map(func(r rune) rune {
			r = unicode.ToLower(r)
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, w)
		if w == "" {
			continue
		}
		if len(w) > 12 {
			w = w[:12]
		}
		if n > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
		if n++; n == defaultIDWords {
			break
		}
	}
	if n == 0 {
		b.WriteString("choice")
	}
	return b.String() + "-" + hex.EncodeToString(sum[:2])
}

// isNormalSpacing reports whether s is printable ASCII words separated by
// single spaces, as strings.Join(strings.Fields(s), " ") would leave it.
func isNormalSpacing(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// BriefingLines is the briefing as lines of text, {agent} filled with
// agent, in the order every front end shows it: "You are: …", "Company:
// …", "Goal: …", "You may offer:" and one "- …" line per offer. It is nil
// when the scenario has no briefing. Lines are as written: front ends
// sanitise them before drawing.
func (s *Scenario) BriefingLines(agent string) []string {
	b := s.Briefing
	if b == nil {
		return nil
	}
	var out []string
	add := func(label, text string) {
		if text != "" {
			out = append(out, label+Fill(text, agent))
		}
	}
	add("You are: ", b.Role)
	add("Company: ", b.Company)
	add("Goal: ", b.Goal)
	if len(b.MayOffer) > 0 {
		out = append(out, "You may offer:")
		for _, o := range b.MayOffer {
			out = append(out, "- "+Fill(o, agent))
		}
	}
	return out
}
