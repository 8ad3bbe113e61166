package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/report"
)

func TestExportXAPI(t *testing.T) {
	dir := t.TempDir()
	seeded := seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir()}
	code, out, errs := runWith(t, env, "export", "--format", "xapi", dir)
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var st []report.Statement
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range seeded {
		want += len(a.rec.Turns) + 1
	}
	if len(st) != want {
		t.Errorf("%d statements, want one per choice plus one per attempt (%d)", len(st), want)
	}
	verbs := map[string]int{}
	for _, s := range st {
		verbs[s.Verb.Display["en-US"]]++
		if !strings.HasPrefix(s.Object.ID, "urn:rapport:scenario:") || s.Actor.Account.HomePage != report.DefaultHomePage {
			t.Errorf("statement %s: object %s, actor %+v", s.ID, s.Object.ID, s.Actor)
		}
	}
	if verbs["completed"] != 3 || verbs["abandoned"] != 1 || verbs["answered"] != want-4 {
		t.Errorf("verbs = %v", verbs)
	}
	// The same export twice gives the same statements.
	_, again, _ := runWith(t, env, "export", "--format", "xapi", dir)
	if again != out {
		t.Error("a second export differs")
	}
	code, out, _ = runWith(t, env, "export", "--format", "xapi", "--trainee", "Bo", "--scenario", "late-delivery", dir)
	if code != ExitOK || strings.Count(out, `"urn:rapport:scenario:late-delivery"`) == 0 || strings.Contains(out, "first-time-caller") {
		t.Errorf("filtered export: exit %d", code)
	}
	for _, args := range [][]string{{"export", dir}, {"export", "--format", "csv", dir}} {
		if code, _, _ := runWith(t, env, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

// Rapport's own program has no network code: export --lrs and serve say
// where they are instead, and the help says so too.
func TestNetworkCommandsPointToTheServer(t *testing.T) {
	dir := t.TempDir()
	seedResults(t, dir)
	env := map[string]string{"HOME": t.TempDir()}
	code, out, errs := runWith(t, env, "export", "--format", "xapi", "--lrs", "https://lrs.example.org/xapi/", dir)
	if code != ExitUsage || out != "" || !strings.Contains(errs, "rapport-server export --format xapi --lrs URL") {
		t.Errorf("export --lrs: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, args := range [][]string{{"serve", "--open"}, {"help", "serve"}} {
		code, _, errs := runWith(t, env, args...)
		if code != ExitUsage || !strings.Contains(errs, "serve (the SSH classroom) is in rapport-server") || !strings.Contains(errs, "go install ./cmd/rapport-server") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	_, help, _ := runWith(t, env, "help")
	_, exportHelp, _ := runWith(t, env, "help", "export")
	for name, text := range map[string]string{"help": help, "help export": exportHelp} {
		if !strings.Contains(text, "rapport-server") {
			t.Errorf("%s does not say where the network commands are:\n%s", name, text)
		}
	}
	if strings.Contains(exportHelp, "-batch") {
		t.Error("help export offers --batch, which only rapport-server has")
	}
}
