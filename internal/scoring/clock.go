package scoring

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// The conversation clock. "The first 30 seconds" is literal: every line
// takes the time it takes to say (or type, or read), and the trainee's
// hesitation before a line is added on top.
const (
	// SpokenWPM is the speaking rate on the phone and in person, for both
	// sides: conversational English runs at about 140–160 words a minute.
	SpokenWPM = 150
	// TypingWPM is how fast a chat agent types a reply: a competent typist
	// composing (not copying) text manages about 40 words a minute.
	TypingWPM = 40
	// ReadingWPM is how fast the agent reads a customer's chat message.
	// Silent reading runs at 200–300 words a minute; 240 is a middle value.
	ReadingWPM = 240
	// MinLine is the shortest time any line takes: even "Hi" is a beat.
	MinLine = 500 * time.Millisecond

	// DefaultHesitation is the trainee's pause before each line in untimed
	// mode, where the real pause (time spent choosing) is not measured:
	// a natural turn-taking gap plus a moment's thought.
	DefaultHesitation = 2 * time.Second
	// DeadAir is the hesitation beyond which a pause is dead air: silence
	// the customer notices. In the opening it costs points.
	DeadAir = 5 * time.Second

	// OpeningWindow is the "first 30 seconds" of the conversation; the
	// reader needs it too (an account request inside it is account_first).
	OpeningWindow = reader.OpeningWindow
	// OpeningSentences is how many of the trainee's first sentences the
	// opening judges even when they start after the window: "the first
	// three sentences".
	OpeningSentences = 3
)

// Pace returns the conversation clock for a channel: how long a line takes.
// On the phone and in person both sides speak at SpokenWPM. In chat the
// trainee types at TypingWPM and the customer's message costs the time it
// takes to read it at ReadingWPM. Stage directions in brackets ("[sighs]")
// take no time.
func Pace(ch scenario.Channel) engine.Pace {
	return func(who engine.Speaker, text string) time.Duration {
		wpm := SpokenWPM
		if ch == scenario.Chat {
			wpm = ReadingWPM
			if who == engine.Trainee {
				wpm = TypingWPM
			}
		}
		return LineDuration(text, wpm)
	}
}

// LineDuration is how long text takes at wpm words a minute, never less
// than MinLine. Words inside square brackets are stage directions and do not
// count.
func LineDuration(text string, wpm int) time.Duration {
	if wpm <= 0 {
		return MinLine
	}
	n := spokenWords(text)
	d := time.Duration(n) * time.Minute / time.Duration(wpm)
	return max(d, MinLine)
}

// spokenWords counts the words of text outside [stage directions]. The
// engine times every line said with it, so a line of plain ASCII without
// directions, as most are, is read a byte at a time through asciiWord,
// a word counted where a word byte follows a gap, with no branch on the
// count (TestSpokenWordsASCII holds both ways to the rune loop).
func spokenWords(text string) int {
	n, prev := 0, byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= utf8.RuneSelf || c == '[' || c == ']' {
			return spokenWordsMixed(text)
		}
		k := asciiWord[c]
		n += int(k &^ prev)
		prev = k
	}
	return n
}

// spokenWordsMixed is spokenWords for any text: ASCII a byte at a time
// through asciiWord, the rest a rune at a time.
func spokenWordsMixed(text string) int {
	n, depth, inWord := 0, 0, false
	for i := 0; i < len(text); {
		var r rune
		if c := text[i]; c < utf8.RuneSelf {
			i++
			if k := asciiWord[c]; k != 0 && depth == 0 {
				if !inWord {
					n++
					inWord = true
				}
				continue
			}
			r = rune(c)
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
		}
		switch {
		case r == '[':
			depth++
			inWord = false
		case r == ']':
			if depth > 0 {
				depth--
			}
			inWord = false
		case depth > 0:
		case reader.IsWordRune(r) || r == '\'' || r == '’':
			if !inWord {
				n++
				inWord = true
			}
		default:
			inWord = false
		}
	}
	return n
}

// asciiWord marks the ASCII bytes that are part of a spoken word: letters,
// digits (reader.IsWordRune) and the apostrophe. It is written out, not
// worked out at start-up; TestASCIIWordTable holds it to IsWordRune.
var asciiWord = [utf8.RuneSelf]byte{
	'\'': 1,
	'0':  1, '1': 1, '2': 1, '3': 1, '4': 1, '5': 1, '6': 1, '7': 1, '8': 1, '9': 1,
	'A': 1, 'B': 1, 'C': 1, 'D': 1, 'E': 1, 'F': 1, 'G': 1, 'H': 1, 'I': 1, 'J': 1, 'K': 1, 'L': 1, 'M': 1, 'N': 1, 'O': 1, 'P': 1, 'Q': 1, 'R': 1, 'S': 1, 'T': 1, 'U': 1, 'V': 1, 'W': 1, 'X': 1, 'Y': 1, 'Z': 1,
	'a': 1, 'b': 1, 'c': 1, 'd': 1, 'e': 1, 'f': 1, 'g': 1, 'h': 1, 'i': 1, 'j': 1, 'k': 1, 'l': 1, 'm': 1, 'n': 1, 'o': 1, 'p': 1, 'q': 1, 'r': 1, 's': 1, 't': 1, 'u': 1, 'v': 1, 'w': 1, 'x': 1, 'y': 1, 'z': 1,
}

// FormatClock renders a duration on the conversation clock as mm:ss (or
// h:mm:ss past an hour), rounding down to the second.
func FormatClock(d time.Duration) string {
	s := int(max(d, 0) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
