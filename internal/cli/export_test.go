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
		if !strings.HasPrefix(s.Object.ID, "urn:rapport:scenario:") || s.Actor.Account.HomePage != "urn:rapport" {
			t.Errorf("statement %s: object %s, actor %+v", s.ID, s.Object.ID, s.Actor)
		}
	}
	if verbs["completed"] != 3 || verbs["attempted"] != 1 || verbs["answered"] != want-4 {
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
