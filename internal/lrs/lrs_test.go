package lrs

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/report"
)

// store is a learning record store as the specification describes one: it
// keeps statements by id, refuses a POST holding an id it has with 409,
// answers a PUT of an id it has with 204 when the statement matches and 409
// when it does not, and checks the version header and the credentials. It
// can be made to fail its first requests.
type store struct {
	t            *testing.T
	mu           sync.Mutex
	held         map[string][]byte
	failFirst    int // answer this many requests with failStatus
	failStatus   int
	retryAfter   string
	requests     int
	posts, puts  int
	badHeaders   []string
	batchSizes   []int
	user, secret string
}

func newStore(t *testing.T) *store {
	return &store{t: t, held: map[string][]byte{}, user: "trainer", secret: "s3cret"}
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.requests <= s.failFirst {
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		http.Error(w, "busy", s.failStatus)
		return
	}
	if r.Header.Get("X-Experience-API-Version") != "1.0.3" || r.Header.Get("Content-Type") != "application/json" {
		s.badHeaders = append(s.badHeaders, r.Header.Get("X-Experience-API-Version")+" "+r.Header.Get("Content-Type"))
		http.Error(w, "missing version header", http.StatusBadRequest)
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != s.user || p != s.secret {
		http.Error(w, "who are you?", http.StatusUnauthorized)
		return
	}
	if r.URL.Path != "/xapi/statements" {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch r.Method {
	case http.MethodPost:
		s.posts++
		var batch []json.RawMessage
		if err := json.Unmarshal(body, &batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.batchSizes = append(s.batchSizes, len(batch))
		ids := make([]string, len(batch))
		seen := map[string]bool{}
		for i, raw := range batch {
			ids[i] = idOf(raw)
			if seen[ids[i]] {
				http.Error(w, "duplicate id in batch", http.StatusBadRequest)
				return
			}
			seen[ids[i]] = true
			if _, ok := s.held[ids[i]]; ok {
				http.Error(w, "statement "+ids[i]+" exists", http.StatusConflict)
				return
			}
		}
		for i, raw := range batch {
			s.held[ids[i]] = raw
		}
		_ = json.NewEncoder(w).Encode(ids)
	case http.MethodPut:
		s.puts++
		id := r.URL.Query().Get("statementId")
		if id == "" || idOf(body) != id {
			http.Error(w, "statementId does not match", http.StatusBadRequest)
			return
		}
		if old, ok := s.held[id]; ok && !bytes.Equal(old, body) {
			http.Error(w, "a different statement has this id", http.StatusConflict)
			return
		}
		s.held[id] = body
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "method", http.StatusMethodNotAllowed)
	}
}

func idOf(raw []byte) string {
	var v struct{ ID string }
	_ = json.Unmarshal(raw, &v)
	return v.ID
}

func statements(n int) []report.Statement {
	out := make([]report.Statement, n)
	for i := range out {
		out[i] = report.Statement{ID: report.StatementID("rec", i), Verb: report.Verb{ID: report.VerbAnswered}}
	}
	return out
}

// recorder is a Sleep that remembers the waits and does not wait.
type recorder struct{ waits []time.Duration }

func (r *recorder) sleep(_ context.Context, d time.Duration) error {
	r.waits = append(r.waits, d)
	return nil
}

func TestSendRetriesBatchesAndNeverDuplicates(t *testing.T) {
	st := newStore(t)
	st.failFirst, st.failStatus = 2, http.StatusServiceUnavailable
	srv := httptest.NewServer(st)
	defer srv.Close()
	rec := &recorder{}
	c := &Client{Endpoint: srv.URL + "/xapi/", User: "trainer", Password: "s3cret", Batch: 4, Sleep: rec.sleep}

	sum, err := c.Send(context.Background(), append(statements(10), statements(1)...))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.held) != 10 || sum.Sent != 10 || sum.Retries != 2 {
		t.Errorf("store holds %d, summary %+v; want 10 sent after 2 retries", len(st.held), sum)
	}
	if want := []int{4, 4, 2}; !slices.Equal(st.batchSizes, want) {
		t.Errorf("batches of %v, want %v", st.batchSizes, want)
	}
	if want := []time.Duration{DefaultBackoff, 2 * DefaultBackoff}; !slices.Equal(rec.waits, want) {
		t.Errorf("waited %v, want exponential %v", rec.waits, want)
	}
	if len(st.badHeaders) > 0 {
		t.Errorf("requests without the xAPI headers: %v", st.badHeaders)
	}

	// The same statements again: nothing is stored twice, and it is not
	// an error.
	before := st.puts
	sum, err = c.Send(context.Background(), statements(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.held) != 10 || sum.Sent != 10 || st.puts-before != 10 {
		t.Errorf("re-run: store holds %d, summary %+v, %d PUTs", len(st.held), sum, st.puts-before)
	}

	// A statement the store holds in another form is counted as held, not
	// overwritten.
	changed := statements(1)
	changed[0].Verb.ID = report.VerbResponded
	sum, err = c.Send(context.Background(), changed)
	if err != nil || sum.Held != 1 || sum.Sent != 0 {
		t.Errorf("changed statement: %+v, %v", sum, err)
	}
	if strings.Contains(string(st.held[changed[0].ID]), "responded") {
		t.Error("the store's statement was replaced")
	}
}

func TestSendHonoursRetryAfter(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusBadGateway} {
		st := newStore(t)
		st.failFirst, st.failStatus, st.retryAfter = 1, status, "7"
		srv := httptest.NewServer(st)
		rec := &recorder{}
		c := &Client{Endpoint: srv.URL + "/xapi/statements", User: "trainer", Password: "s3cret", Sleep: rec.sleep}
		if _, err := c.Send(context.Background(), statements(3)); err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if !slices.Equal(rec.waits, []time.Duration{7 * time.Second}) || len(st.held) != 3 {
			t.Errorf("%d: waited %v, held %d; want one wait of 7s", status, rec.waits, len(st.held))
		}
		srv.Close()
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if got := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); got != 90*time.Second {
		t.Errorf("Retry-After as a date: %v", got)
	}
}

func TestSendGivesUp(t *testing.T) {
	st := newStore(t)
	st.failFirst, st.failStatus = 100, http.StatusInternalServerError
	srv := httptest.NewServer(st)
	defer srv.Close()
	rec := &recorder{}
	c := &Client{Endpoint: srv.URL + "/xapi", User: "trainer", Password: "s3cret", Attempts: 3, Sleep: rec.sleep}
	_, err := c.Send(context.Background(), statements(2))
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 tries") || !strings.Contains(err.Error(), "500") {
		t.Errorf("err = %v", err)
	}
	// A network error is tried again too.
	srv.Close()
	rec.waits = nil
	_, err = c.Send(context.Background(), statements(2))
	if err == nil || len(rec.waits) != 2 {
		t.Errorf("closed server: err %v after %d waits", err, len(rec.waits))
	}
}

func TestSendStopsOnRefusal(t *testing.T) {
	st := newStore(t)
	srv := httptest.NewServer(st)
	defer srv.Close()
	c := &Client{Endpoint: srv.URL + "/xapi", User: "trainer", Password: "wrong", Sleep: (&recorder{}).sleep}
	_, err := c.Send(context.Background(), statements(2))
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "who are you?") {
		t.Errorf("err = %v", err)
	}
	if st.requests != 1 {
		t.Errorf("%d requests: a refusal is not tried again", st.requests)
	}
}

func TestStatementsURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://lrs.example.org/xapi":              "https://lrs.example.org/xapi/statements",
		"https://lrs.example.org/xapi/":             "https://lrs.example.org/xapi/statements",
		"https://lrs.example.org/xapi/statements":   "https://lrs.example.org/xapi/statements",
		"http://localhost:8080/data/xAPI/?tenant=a": "http://localhost:8080/data/xAPI/statements?tenant=a",
	} {
		if got, err := StatementsURL(in); err != nil || got != want {
			t.Errorf("StatementsURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"lrs.example.org", "ftp://x/", ""} {
		if _, err := StatementsURL(in); err == nil {
			t.Errorf("StatementsURL(%q) accepted", in)
		}
	}
}
