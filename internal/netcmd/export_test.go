package netcmd

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/rapport-sim/rapport/internal/cli"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results/resultstest"
)

// export --lrs sends the statements to a store: with the credentials from
// the environment and the version header, through a first failure, and a
// second run stores nothing twice.
func TestExportToStore(t *testing.T) {
	dir := t.TempDir()
	resultstest.Write(t, dir, 6, resultstest.Options{})
	var mu sync.Mutex
	held := map[string]bool{}
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		if requests == 1 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		if u, p, _ := r.BasicAuth(); u != "coach" || p != "pw" || r.Header.Get("X-Experience-API-Version") != "1.0.3" {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		switch r.Method {
		case http.MethodPost:
			var batch []report.Statement
			_ = json.NewDecoder(r.Body).Decode(&batch)
			for _, s := range batch {
				if held[s.ID] {
					w.WriteHeader(http.StatusConflict)
					return
				}
			}
			for _, s := range batch {
				held[s.ID] = true
			}
			w.WriteHeader(http.StatusOK)
		case http.MethodPut:
			held[r.URL.Query().Get("statementId")] = true
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	env := map[string]string{"HOME": t.TempDir(), "RAPPORT_LRS_USER": "coach", "RAPPORT_LRS_PASSWORD": "pw"}
	code, out, errs := runWith(t, env, "", "export", "--format", "xapi", "--lrs", srv.URL+"/xapi/", "--batch", "5", dir)
	if code != cli.ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	_, all, _ := runWith(t, env, "", "export", "--format", "xapi", dir)
	var want []report.Statement
	_ = json.Unmarshal([]byte(all), &want)
	if len(held) != len(want) || !strings.Contains(out, fmt.Sprintf("Sent %d statements", len(want))) {
		t.Errorf("store holds %d of %d; said %q", len(held), len(want), out)
	}
	n := len(held)
	if code, _, errs := runWith(t, env, "", "export", "--format", "xapi", "--lrs", srv.URL+"/xapi/", dir); code != cli.ExitOK || len(held) != n {
		t.Errorf("re-run: exit %d, store holds %d (was %d), stderr %q", code, len(held), n, errs)
	}
	env["RAPPORT_LRS_PASSWORD"] = "nope"
	code, _, errs = runWith(t, env, "", "export", "--format", "xapi", "--lrs", srv.URL+"/xapi/", dir)
	if code != cli.ExitFailure || !strings.Contains(errs, "401") || !strings.Contains(errs, "run the same command again") {
		t.Errorf("wrong password: exit %d, stderr %q", code, errs)
	}
	for _, args := range [][]string{
		{"--lrs", "lrs.example.org"}, {"--account-homepage", "urn:rapport"}, {"--batch", "0"},
	} {
		args = append([]string{"export", "--format", "xapi"}, append(args, dir)...)
		if code, _, errs := runWith(t, env, "", args...); code != cli.ExitUsage || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	// The home page is the trainer's.
	_, out, _ = runWith(t, env, "", "export", "--format", "xapi", "--account-homepage", "https://lms.example.org", dir)
	if !strings.Contains(out, `"homePage": "https://lms.example.org"`) {
		t.Error("--account-homepage not used")
	}
}
