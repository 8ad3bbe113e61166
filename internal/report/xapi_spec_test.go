package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
)

// The checks below are the xAPI 1.0.3 specification's requirements for a
// statement (part two, section 2.4, and the formats of section 4),
// applied to the JSON a learning record store would receive.

var (
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	// ISO 8601 durations as xAPI reads them, seconds to 0.01 s at most.
	durationRE = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$`)
	// RFC 5646 language tags (the common shapes).
	langRE            = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
	statementKeys     = []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments"}
	interactionTypes  = []string{"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"}
	contextActivities = []string{"parent", "grouping", "category", "other"}
)

// specErrors lists what in one statement breaks the specification.
func specErrors(st map[string]any) []string {
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	for k := range st {
		if !slices.Contains(statementKeys, k) {
			bad("unknown statement property %q", k)
		}
	}
	iri := func(where string, v any) {
		s, ok := v.(string)
		u, err := url.Parse(s)
		if !ok || err != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n<>\"{}|\\^`") {
			bad("%s %v is not an absolute IRI", where, v)
		}
	}
	langMap := func(where string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s is not a language map", where)
			return
		}
		for k, s := range m {
			if _, ok := s.(string); !ok || !langRE.MatchString(k) {
				bad("%s[%q] is not a language-tagged string", where, k)
			}
		}
	}
	extensions := func(where string, v any) {
		if v == nil {
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s is not an object", where)
			return
		}
		for k := range m {
			iri(where+" key", k)
		}
	}
	duration := func(where string, v any) {
		s, _ := v.(string)
		if !durationRE.MatchString(s) || s == "P" || strings.HasSuffix(s, "T") {
			bad("%s %q is not an ISO 8601 duration", where, s)
		}
	}
	activity := func(where string, v any) {
		a, ok := v.(map[string]any)
		if !ok {
			bad("%s is not an object", where)
			return
		}
		if ot, ok := a["objectType"]; ok && ot != "Activity" {
			bad("%s objectType %v", where, ot)
		}
		iri(where+" id", a["id"])
		if d, ok := a["definition"].(map[string]any); ok {
			if n, ok := d["name"]; ok {
				langMap(where+" name", n)
			}
			if n, ok := d["description"]; ok {
				langMap(where+" description", n)
			}
			if t, ok := d["type"]; ok {
				iri(where+" type", t)
			}
			it, hasIT := d["interactionType"]
			if hasIT && !slices.Contains(interactionTypes, fmt.Sprint(it)) {
				bad("%s interactionType %v", where, it)
			}
			if crp, ok := d["correctResponsesPattern"]; ok {
				arr, ok := crp.([]any)
				if !hasIT || !ok {
					bad("%s correctResponsesPattern without an interactionType or not an array", where)
				}
				for _, x := range arr {
					if _, ok := x.(string); !ok {
						bad("%s correctResponsesPattern holds %v", where, x)
					}
				}
			}
		}
	}

	if id, _ := st["id"].(string); !uuidRE.MatchString(id) {
		bad("id %q is not a UUID", st["id"])
	}
	// Actor: an Agent with exactly one inverse functional identifier.
	actor, _ := st["actor"].(map[string]any)
	if actor == nil {
		bad("no actor")
	} else {
		if ot, ok := actor["objectType"]; ok && ot != "Agent" {
			bad("actor objectType %v", ot)
		}
		ifis := 0
		for _, k := range []string{"mbox", "mbox_sha1sum", "openid", "account"} {
			if _, ok := actor[k]; ok {
				ifis++
			}
		}
		if ifis != 1 {
			bad("actor has %d identifiers, want exactly 1", ifis)
		}
		if acc, ok := actor["account"].(map[string]any); ok {
			hp, _ := acc["homePage"].(string)
			if u, err := url.Parse(hp); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("account homePage %q is not an IRL", hp)
			}
			if n, _ := acc["name"].(string); n == "" {
				bad("account has no name")
			}
		}
	}
	verb, _ := st["verb"].(map[string]any)
	if verb == nil {
		bad("no verb")
	} else {
		iri("verb id", verb["id"])
		langMap("verb display", verb["display"])
	}
	if st["object"] == nil {
		bad("no object")
	} else {
		activity("object", st["object"])
	}
	if res, ok := st["result"].(map[string]any); ok {
		if sc, ok := res["score"].(map[string]any); ok {
			scaled, hasScaled := sc["scaled"].(float64)
			if hasScaled && (scaled < -1 || scaled > 1) {
				bad("score.scaled %v outside [-1, 1]", scaled)
			}
			mn, hasMin := sc["min"].(float64)
			mx, hasMax := sc["max"].(float64)
			raw, hasRaw := sc["raw"].(float64)
			if hasMin && hasMax && mn >= mx {
				bad("score min %v not below max %v", mn, mx)
			}
			if hasRaw && (hasMin && raw < mn || hasMax && raw > mx) {
				bad("score raw %v outside [min, max]", raw)
			}
		}
		for _, k := range []string{"success", "completion"} {
			if v, ok := res[k]; ok {
				if _, ok := v.(bool); !ok {
					bad("result.%s %v is not a boolean", k, v)
				}
			}
		}
		if d, ok := res["duration"]; ok {
			duration("result.duration", d)
		}
		extensions("result.extensions", res["extensions"])
	}
	if ctx, ok := st["context"].(map[string]any); ok {
		if reg, ok := ctx["registration"].(string); ok && !uuidRE.MatchString(reg) {
			bad("registration %q is not a UUID", reg)
		}
		if l, ok := ctx["language"].(string); ok && !langRE.MatchString(l) {
			bad("context language %q", l)
		}
		if ca, ok := ctx["contextActivities"].(map[string]any); ok {
			for k, v := range ca {
				if !slices.Contains(contextActivities, k) {
					bad("contextActivities key %q", k)
				}
				arr, ok := v.([]any)
				if !ok {
					bad("contextActivities.%s is not an array", k)
				}
				for _, a := range arr {
					activity("contextActivities."+k, a)
				}
			}
		}
		extensions("context.extensions", ctx["extensions"])
	}
	if ts, ok := st["timestamp"].(string); ok {
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			bad("timestamp %q is not ISO 8601: %v", ts, err)
		}
	}
	return errs
}

// TestXAPIMeetsTheSpecification checks every statement of the fixture's
// attempts (finished, abandoned, typed, unnamed, hostile names) against the
// specification, and what a trainer relies on beyond it: each answer has its
// own time and duration, success follows the band, an abandoned attempt has
// no score.
func TestXAPIMeetsTheSpecification(t *testing.T) {
	recs := fixture()
	// An id that is no plain word must still make an IRI.
	odd := *recs[0]
	odd.Scenario.ID = "late delivery/<2>"
	odd.ID += "x"
	recs = append(recs, &odd)
	var buf bytes.Buffer
	if err := WriteXAPI(&buf, recs, XAPIOptions{HomePage: "https://lms.example.org/"}); err != nil {
		t.Fatal(err)
	}
	var sts []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &sts); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, st := range sts {
		for _, e := range specErrors(st) {
			t.Errorf("statement %d: %s", i, e)
		}
		id := st["id"].(string)
		if ids[id] {
			t.Errorf("statement %d repeats id %s", i, id)
		}
		ids[id] = true
	}

	for _, r := range recs {
		sts := Statements(r, XAPIOptions{})
		answers, last := sts[:len(sts)-1], sts[len(sts)-1]
		durations := map[string]bool{}
		prev := r.Started
		for i, a := range answers {
			ts, _ := time.Parse(time.RFC3339Nano, a.Timestamp)
			if ts.Before(prev) || ts.After(r.Ended) {
				t.Errorf("%s answer %d at %s: not in order within the attempt (%s–%s)", r.ID, i+1, ts, r.Started, r.Ended)
			}
			prev = ts
			durations[a.Result.Duration] = true
			if a.Result.Duration == "PT2S" {
				t.Errorf("%s answer %d: duration is the fixed hesitation, not the answer's span", r.ID, i+1)
			}
		}
		if len(answers) > 1 && len(durations) == 1 {
			t.Errorf("%s: every answer has the same duration %v", r.ID, durations)
		}
		if len(answers) > 1 && answers[0].Timestamp == answers[len(answers)-1].Timestamp {
			t.Errorf("%s: answers share one timestamp", r.ID)
		}
		switch r.Status {
		case results.Finished:
			if last.Verb.ID != VerbCompleted || last.Result.Score == nil || last.Result.Success == nil {
				t.Errorf("%s: finished attempt ends with %s %+v", r.ID, last.Verb.ID, last.Result)
			} else if *last.Result.Success != Passed(r.Scores.Band) {
				t.Errorf("%s: success %v for band %q", r.ID, *last.Result.Success, r.Scores.Band)
			}
		default:
			if last.Verb.ID != VerbAbandoned || last.Result.Score != nil || last.Result.Success != nil {
				t.Errorf("%s: abandoned attempt ends with %s %+v, want abandoned with no score", r.ID, last.Verb.ID, last.Result)
			}
			for _, a := range answers {
				if a.Result.Success != nil || a.Result.Extensions[extBase+"points"] != nil {
					t.Errorf("%s: an answer of an abandoned attempt is scored", r.ID)
				}
			}
		}
	}
}

// A band of Solid or better is success; the rest is not.
func TestXAPISuccessFromBand(t *testing.T) {
	for band, want := range map[string]bool{"One of the good ones": true, "Solid": true, "Getting there": false, "Not yet": false} {
		r := fixture()[0]
		r.Scores.Band = band
		sts := Statements(r, XAPIOptions{})
		if got := sts[len(sts)-1].Result.Success; got == nil || *got != want {
			t.Errorf("band %q: success %v, want %v", band, got, want)
		}
	}
}

// The specification checker itself catches what it is for.
func TestSpecErrorsCatchesBreaches(t *testing.T) {
	good := Statements(fixture()[0], XAPIOptions{})[0]
	for name, breach := range map[string]func(m map[string]any){
		"id": func(m map[string]any) { m["id"] = "20260302-1" },
		"homepage": func(m map[string]any) {
			m["actor"].(map[string]any)["account"].(map[string]any)["homePage"] = "urn:rapport"
		},
		"two ifis":  func(m map[string]any) { m["actor"].(map[string]any)["mbox"] = "mailto:a@example.org" },
		"verb":      func(m map[string]any) { m["verb"].(map[string]any)["id"] = "answered" },
		"duration":  func(m map[string]any) { m["result"].(map[string]any)["duration"] = "2s" },
		"precision": func(m map[string]any) { m["result"].(map[string]any)["duration"] = "PT2.125S" },
		"scaled":    func(m map[string]any) { m["result"].(map[string]any)["score"] = map[string]any{"scaled": 1.5} },
		"timestamp": func(m map[string]any) { m["timestamp"] = "2 March 2026" },
		"extension": func(m map[string]any) { m["result"].(map[string]any)["extensions"] = map[string]any{"points": 1} },
		"unknown":   func(m map[string]any) { m["score"] = 1 },
	} {
		b, _ := json.Marshal(good)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		if errs := specErrors(m); len(errs) != 0 {
			t.Fatalf("a good statement fails: %v", errs)
		}
		breach(m)
		if len(specErrors(m)) == 0 {
			t.Errorf("%s: breach not caught", name)
		}
	}
}
