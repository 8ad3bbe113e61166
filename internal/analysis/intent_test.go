package analysis

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
)

// RP101's hint is a command to paste: the whole line and the context the
// check read it in, quoted for a shell.
func TestTagHintIsTheWholeCommand(t *testing.T) {
	sc := load(t, "tags.toml")
	var hint string
	for _, d := range Check(sc, CheckOptions{}) {
		if d.Code == CodeTagNotShown && d.Pos.Line == 14 {
			hint = d.Hint
		}
	}
	want := "see what the model reads, in the same context: rapport score --channel phone --customer 'Hello, my internet keeps dropping out.' --name 'Ana Reyes' --turn 0 'Can you restart the router?'"
	if hint != want {
		t.Errorf("hint\n %s\nwant\n %s", hint, want)
	}
}

func TestScoreCommandQuotes(t *testing.T) {
	got := ScoreCommand("Can't help, Mrs O'Brien.", reader.Context{Channel: "chat", Customer: "I'm cross", CustomerName: "Mrs O'Brien", Mode: "see", Turn: 2})
	want := `rapport score --channel chat --customer 'I'\''m cross' --name 'Mrs O'\''Brien' --mode see --turn 2 'Can'\''t help, Mrs O'\''Brien.'`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// A shell reads the quoted words back as they were.
	sh, err := exec.LookPath("sh")
	if err != nil {
		return
	}
	out, err := exec.Command(sh, "-c", "printf '%s|' "+strings.TrimPrefix(got, "rapport score ")).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "--channel|chat|--customer|I'm cross|--name|Mrs O'Brien|--mode|see|--turn|2|Can't help, Mrs O'Brien.|" {
		t.Errorf("the shell read %q", out)
	}
}

// A reply too long for the play screen is reported at its choice.
func TestLongReply(t *testing.T) {
	sc := load(t, "giveaway.toml")
	sc.Nodes[0].Choices[1].Reply = strings.Repeat("I have told three people already and nobody listens to me. ", 8)
	var found bool
	for _, d := range Check(sc, CheckOptions{}) {
		if d.Code == CodeLongCustomer && strings.Contains(d.Message, `the reply to choice 2 of node "start" takes`) && d.Pos == sc.Nodes[0].Choices[1].Pos {
			found = true
		}
	}
	if !found {
		t.Error("a long reply is not reported")
	}
}
