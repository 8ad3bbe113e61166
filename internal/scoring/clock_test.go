package scoring

import (
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

func TestPace(t *testing.T) {
	phone := Pace(scenario.Phone)
	// 150 words a minute: 25 words take 10 seconds.
	line := "one two three four five six seven eight nine ten one two three four five six seven eight nine ten one two three four five"
	if got := phone(engine.Trainee, line); got != 10*time.Second {
		t.Errorf("phone 25 words = %v, want 10s", got)
	}
	if got := phone(engine.Customer, "[sighs] "+line); got != 10*time.Second {
		t.Errorf("stage direction counted: %v", got)
	}
	chat := Pace(scenario.Chat)
	if got := chat(engine.Trainee, "one two three four"); got != 6*time.Second {
		t.Errorf("chat typing 4 words = %v, want 6s", got)
	}
	if got := chat(engine.Customer, line); got != 6250*time.Millisecond {
		t.Errorf("chat reading 25 words = %v, want 6.25s", got)
	}
	if got := phone(engine.Trainee, "Hi"); got != MinLine {
		t.Errorf("short line = %v, want MinLine", got)
	}
}

func TestFormatClock(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "00:00", 30 * time.Second: "00:30", 95 * time.Second: "01:35", -time.Second: "00:00", 3725 * time.Second: "1:02:05"} {
		if got := FormatClock(d); got != want {
			t.Errorf("FormatClock(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestDeterministic: the same conversation scores identically every time.
func TestDeterministic(t *testing.T) {
	for _, sc := range loadShipped(t) {
		st := playPath(t, sc, true)
		first := Evaluate(sc, st)
		for i := 0; i < 3; i++ {
			if again := Evaluate(sc, st); !reflect.DeepEqual(first, again) {
				t.Fatalf("%s: report differs between runs", sc.ID)
			}
		}
	}
}

// TestASCIIWordTable holds the written-out table to what it stands for:
// the ASCII runes reader.IsWordRune takes, and the apostrophe.
func TestASCIIWordTable(t *testing.T) {
	for c := range utf8.RuneSelf {
		want := reader.IsWordRune(rune(c)) || c == '\''
		if got := asciiWord[c] != 0; got != want {
			t.Errorf("asciiWord[%q] = %v, want %v", rune(c), got, want)
		}
	}
}
