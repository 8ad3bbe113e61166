package reader

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// MaxTypedLen is the longest typed response the model reads, in runes.
// Typed lines are untrusted input; CleanTyped cuts them here.
const MaxTypedLen = 500

// CleanTyped makes a typed free-text line safe to score and show: control
// and format characters and escape sequences are removed and runs of white
// space collapse (textsafe.Line), and the line is cut to MaxTypedLen runes.
func CleanTyped(s string) string {
	s = textsafe.Line(s)
	if utf8.RuneCountInString(s) > MaxTypedLen {
		s = string([]rune(s)[:MaxTypedLen])
	}
	return s
}

// Match is the authored choice a typed line is closest to.
type Match struct {
	// Choice is the authored number of the matched choice (0 when none was
	// offered).
	Choice int `json:"choice"`
	// Score is the similarity, 0–1; the engine scales the choice's effects
	// by it (engine.Step.Match).
	Score float64 `json:"score"`
	Why   string  `json:"why"`
}

// How a typed line's similarity to a choice is made up.
const (
	matchBehaviorWeight = 0.5 // behaviours in common (weighted Jaccard)
	matchValenceWeight  = 0.2 // the same balance of positive and negative moves
	matchWordingWeight  = 0.3 // content words in common (Dice)
)

// MatchChoice finds the offered choice whose behaviours and wording are
// closest to a typed line. It is deterministic: ties go to the choice listed
// first. The typed text should already have passed CleanTyped.
func MatchChoice(text string, offered []*scenario.Choice, ctx Context) Match {
	if len(offered) == 0 {
		return Match{Why: "No choice was offered to match against."}
	}
	typed := Analyze(text, ctx)
	tw := ContentWords(text)
	type cand struct {
		c               *scenario.Choice
		score, beh, wrd float64
		common          []string
		shared          []string
	}
	var best cand
	for i, c := range offered {
		ca := AnalyzeChoice(c, ctx)
		beh, common := behaviorSimilarity(typed.Behaviors, ca.Behaviors)
		val := 1 - absf(valence(typed.Behaviors)-valence(ca.Behaviors))/2
		wrd, shared := dice(tw, ContentWords(scenario.Fill(c.Say, ctx.Agent)))
		score := matchBehaviorWeight*beh + matchValenceWeight*val + matchWordingWeight*wrd
		if i == 0 || score > best.score {
			best = cand{c, score, beh, wrd, common, shared}
		}
	}
	score := max(0, min(1, best.score))
	var why strings.Builder
	fmt.Fprintf(&why, "Matched to choice %d (%q)", best.c.Number, Quote(scenario.Fill(best.c.Say, ctx.Agent)))
	var reasons []string
	if len(best.common) > 0 {
		reasons = append(reasons, "both show "+JoinAnd(best.common))
	}
	if len(best.shared) > 0 {
		n := min(len(best.shared), 5)
		reasons = append(reasons, "shared words: "+strings.Join(best.shared[:n], ", "))
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "it was the closest, though little is shared")
	}
	fmt.Fprintf(&why, " because %s; similarity %.2f.", strings.Join(reasons, "; "), score)
	return Match{Choice: best.c.Number, Score: score, Why: why.String()}
}

// behaviorSimilarity is the weighted Jaccard index of two behaviour sets
// (weights are strengths). Two lines that show nothing are half alike.
func behaviorSimilarity(a, b []Behavior) (float64, []string) {
	if len(a) == 0 && len(b) == 0 {
		return 0.5, nil
	}
	sa, sb := map[BehaviorID]int{}, map[BehaviorID]int{}
	for _, x := range a {
		sa[x.ID] = x.Strength
	}
	for _, x := range b {
		sb[x.ID] = x.Strength
	}
	var inter, union int
	var common []string
	for _, info := range catalogue {
		x, y := sa[info.ID], sb[info.ID]
		inter += min(x, y)
		union += max(x, y)
		if x > 0 && y > 0 {
			common = append(common, info.Label)
		}
	}
	if union == 0 {
		return 0, nil
	}
	return float64(inter) / float64(union), common
}

// valence is the balance of positive against negative behaviours, −1 to 1.
func valence(bs []Behavior) float64 {
	p, n := 0, 0
	for _, b := range bs {
		if b.Polarity == Positive {
			p += b.Strength
		} else {
			n += b.Strength
		}
	}
	if p+n == 0 {
		return 0
	}
	return float64(p-n) / float64(p+n)
}

func absf(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

var stopwords = lazySet(`a an the and or but to of in on at for with is am are was were be been being
	i you we it that this my your our me us so do does did not have has had will would can could
	just please there what if as by from about all any then than okay oh well yes no its they them
	he she his her their there here shall should may might must also very really too now`)

// ContentWords returns the distinct content words of s, lightly stemmed.
func ContentWords(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range plainWords(s) {
		if stopwords.has(w) || len(w) < 2 {
			continue
		}
		w = stem(w)
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// stem strips common English endings so "worried" meets "worry".
func stem(w string) string {
	for _, suf := range []string{"ing", "ied", "ies", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			if suf == "ied" || suf == "ies" {
				w += "y"
			}
			return w
		}
	}
	return w
}

// dice is the Dice coefficient of two word sets, with the shared words in
// sorted order.
func dice(a, b []string) (float64, []string) {
	if len(a) == 0 || len(b) == 0 {
		return 0, nil
	}
	inB := map[string]bool{}
	for _, w := range b {
		inB[w] = true
	}
	var shared []string
	for _, w := range a {
		if inB[w] {
			shared = append(shared, w)
		}
	}
	sort.Strings(shared)
	return 2 * float64(len(shared)) / float64(len(a)+len(b)), shared
}
