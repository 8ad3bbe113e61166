package report

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/results"
)

// The ADL verbs the export uses.
const (
	VerbAnswered  = "http://adlnet.gov/expapi/verbs/answered"
	VerbResponded = "http://adlnet.gov/expapi/verbs/responded"
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	VerbAttempted = "http://adlnet.gov/expapi/verbs/attempted"
)

// Activity types and the IRIs of Rapport's own identifiers.
const (
	activityInteraction = "http://adlnet.gov/expapi/activities/cmi.interaction"
	activitySimulation  = "http://adlnet.gov/expapi/activities/simulation"
	// HomePage is the account home page of every actor: names are
	// Rapport's own, not e-mail addresses.
	HomePage = "urn:rapport"
	extBase  = "urn:rapport:ext:"
)

// Statement is one xAPI statement (xAPI 1.0.3), with only the parts Rapport
// fills in.
type Statement struct {
	ID        string  `json:"id"`
	Actor     Actor   `json:"actor"`
	Verb      Verb    `json:"verb"`
	Object    Object  `json:"object"`
	Result    *Result `json:"result,omitempty"`
	Context   Context `json:"context"`
	Timestamp string  `json:"timestamp"`
}

// Actor is the trainee, identified by an account on HomePage.
type Actor struct {
	ObjectType string  `json:"objectType"`
	Name       string  `json:"name"`
	Account    Account `json:"account"`
}

// Account identifies an actor within a system.
type Account struct {
	HomePage string `json:"homePage"`
	Name     string `json:"name"`
}

// Verb is an ADL verb with its display name.
type Verb struct {
	ID      string            `json:"id"`
	Display map[string]string `json:"display"`
}

// Object is the activity: a scenario, or a decision point in one.
type Object struct {
	ObjectType string     `json:"objectType"`
	ID         string     `json:"id"`
	Definition Definition `json:"definition"`
}

// Definition describes an activity.
type Definition struct {
	Name            map[string]string `json:"name"`
	Description     map[string]string `json:"description,omitempty"`
	Type            string            `json:"type"`
	InteractionType string            `json:"interactionType,omitempty"`
	// CorrectResponsesPattern holds the best choice's number, when the
	// scoring model named one.
	CorrectResponsesPattern []string `json:"correctResponsesPattern,omitempty"`
}

// Result is what the trainee did and how it was judged.
type Result struct {
	Score      *XScore        `json:"score,omitempty"`
	Success    *bool          `json:"success,omitempty"`
	Completion *bool          `json:"completion,omitempty"`
	Response   string         `json:"response,omitempty"`
	Duration   string         `json:"duration,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// XScore is an xAPI score.
type XScore struct {
	Scaled float64 `json:"scaled"`
	Raw    int     `json:"raw"`
	Min    int     `json:"min"`
	Max    int     `json:"max"`
}

// Context ties a statement to its attempt and scenario.
type Context struct {
	Registration      string              `json:"registration"`
	Platform          string              `json:"platform"`
	Language          string              `json:"language"`
	ContextActivities map[string][]Object `json:"contextActivities,omitempty"`
	Extensions        map[string]any      `json:"extensions,omitempty"`
}

// ScenarioIRI is the activity id of a scenario.
func ScenarioIRI(id string) string { return "urn:rapport:scenario:" + id }

// NodeIRI is the activity id of a decision point.
func NodeIRI(scenario, node string) string { return ScenarioIRI(scenario) + ":node:" + node }

// namespace is the UUID namespace of Rapport's statement ids: the UUIDv5 of
// "urn:rapport" in the RFC 4122 URL namespace.
var namespace = uuid5(mustParseUUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), HomePage)

// StatementID is the id of a record's index'th statement: a UUIDv5 of the
// record id and the index, so exporting the same records twice gives the
// same ids and a learning record store ignores the duplicates.
func StatementID(recordID string, index int) string {
	return formatUUID(uuid5(namespace, recordID+"#"+strconv.Itoa(index)))
}

// Registration is the attempt's registration id (UUIDv5 of the record id):
// every statement of one attempt shares it.
func Registration(recordID string) string { return formatUUID(uuid5(namespace, recordID)) }

// Statements turns one record into xAPI statements: an answered (picked
// choice) or responded (typed line) statement for every turn, then
// completed for a finished attempt or attempted for an abandoned one, with
// the overall score scaled to 0–1 and the three scores as extensions.
func Statements(r *results.Record) []Statement {
	name := oneLine(r.Trainee, 0)
	if name == "" {
		name = Unnamed
	}
	actor := Actor{ObjectType: "Agent", Name: name, Account: Account{HomePage: HomePage, Name: name}}
	scenarioObj := Object{ObjectType: "Activity", ID: ScenarioIRI(r.Scenario.ID), Definition: Definition{
		Name: en(oneLine(r.Scenario.Title, 0)), Type: activitySimulation,
	}}
	ctx := Context{
		Registration: Registration(r.ID),
		Platform:     "Rapport",
		Language:     "en",
		Extensions: map[string]any{
			extBase + "record":          r.ID,
			extBase + "scenario-hash":   r.Scenario.Hash,
			extBase + "mode":            string(r.Mode),
			extBase + "rewinds":         r.Rewinds,
			extBase + "rapport-version": r.Version,
		},
	}
	turnCtx := ctx
	turnCtx.ContextActivities = map[string][]Object{"parent": {scenarioObj}}

	var out []Statement
	for _, t := range r.Turns {
		// A choice is answered by its id, so statements about one line
		// stay together however the scenario's choices are reordered.
		verb, itype, response := VerbAnswered, "choice", choiceRef(t.ChoiceID, t.Choice)
		if t.Typed != "" {
			verb, itype, response = VerbResponded, "fill-in", oneLine(t.Typed, 0)
		}
		def := Definition{
			Name: en(oneLine(r.Scenario.Title, 0) + ": " + oneLine(t.Node, 0)),
			Type: activityInteraction, InteractionType: itype,
		}
		res := &Result{
			Response: response,
			Duration: isoDuration(time.Duration(t.Hesitation)),
			Extensions: map[string]any{
				extBase + "choice":    t.Choice,
				extBase + "say":       oneLine(t.Said(), 0),
				extBase + "clock":     isoDuration(time.Duration(t.At)),
				extBase + "behaviors": behaviorIDs(t.Behaviors),
			},
		}
		if t.Typed != "" {
			res.Extensions[extBase+"match"] = round2(t.Match)
		}
		if t.ChoiceID != "" {
			res.Extensions[extBase+"choice-id"] = t.ChoiceID
		}
		if t.Unheard {
			res.Extensions[extBase+"unheard"] = true
		}
		if len(t.Heard) > 0 {
			res.Extensions[extBase+"heard"] = t.Heard
		}
		if t.Best != nil {
			if itype == "choice" {
				def.CorrectResponsesPattern = []string{choiceRef(t.Best.ID, t.Best.Choice)}
			}
			res.Extensions[extBase+"best-choice"] = t.Best.Choice
			if t.Best.ID != "" {
				res.Extensions[extBase+"best-choice-id"] = t.Best.ID
			}
		}
		if r.Scores != nil {
			success := t.Best == nil || choiceRef(t.Best.ID, t.Best.Choice) == choiceRef(t.ChoiceID, t.Choice) && !t.Unheard
			res.Success = &success
			delta := 0
			for _, ps := range r.Explanations.Points() {
				for _, p := range ps {
					if p.Turn == t.Index {
						delta += p.Delta
					}
				}
			}
			res.Extensions[extBase+"points"] = delta
		}
		out = append(out, Statement{
			ID:        StatementID(r.ID, len(out)),
			Actor:     actor,
			Verb:      verbOf(verb),
			Object:    Object{ObjectType: "Activity", ID: NodeIRI(r.Scenario.ID, t.Node), Definition: def},
			Result:    res,
			Context:   turnCtx,
			Timestamp: stamp(r.Started.Add(time.Duration(t.At)), r.Ended),
		})
	}

	verb, completion := VerbCompleted, true
	if r.Status != results.Finished {
		verb, completion = VerbAttempted, false
	}
	res := &Result{Completion: &completion, Extensions: map[string]any{}}
	if !r.Ended.IsZero() && r.Ended.After(r.Started) {
		res.Duration = isoDuration(r.Ended.Sub(r.Started))
	}
	if r.Ending != nil {
		res.Extensions[extBase+"ending"] = r.Ending.ID
		res.Extensions[extBase+"outcome"] = string(r.Ending.Outcome)
	}
	if s := r.Scores; s != nil {
		res.Score = &XScore{Scaled: round2(float64(s.Overall) / 100), Raw: s.Overall, Min: 0, Max: 100}
		scores := map[string]any{}
		for i, sc := range s.All() {
			if sc.Assessed {
				scores[scoreKeys[i]] = round2(float64(sc.Value) / 100)
			}
		}
		res.Extensions[extBase+"scores"] = scores
		res.Extensions[extBase+"band"] = s.Band
	}
	end := r.Ended
	if end.IsZero() {
		end = r.Started
	}
	out = append(out, Statement{
		ID: StatementID(r.ID, len(out)), Actor: actor, Verb: verbOf(verb),
		Object: scenarioObj, Result: res, Context: ctx, Timestamp: stamp(end, time.Time{}),
	})
	return out
}

// WriteXAPI writes the statements of every record as one JSON array, the
// shape a learning record store's statements endpoint accepts in a POST.
func WriteXAPI(w io.Writer, recs []*results.Record) error {
	all := []Statement{}
	for _, r := range recs {
		all = append(all, Statements(r)...)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(all); err != nil {
		return fmt.Errorf("write xapi: %w", err)
	}
	return nil
}

func en(s string) map[string]string { return map[string]string{"en-US": s} }

var verbNames = map[string]string{
	VerbAnswered: "answered", VerbResponded: "responded", VerbCompleted: "completed", VerbAttempted: "attempted",
}

func verbOf(id string) Verb { return Verb{ID: id, Display: en(verbNames[id])} }

func behaviorIDs(bs []results.Behavior) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Polarity+b.ID)
	}
	return out
}

// stamp formats a statement time in UTC with milliseconds. A turn's time is
// the attempt's start plus the conversation clock, which in untimed play is
// an estimate; it is capped at the attempt's end (when known) so no turn
// appears to happen after the attempt.
func stamp(t, limit time.Time) string {
	if !limit.IsZero() && t.After(limit) {
		t = limit
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// isoDuration formats a duration the ISO 8601 way xAPI wants: PT1M4.25S.
func isoDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	h := int64(d / time.Hour)
	d -= time.Duration(h) * time.Hour
	m := int64(d / time.Minute)
	d -= time.Duration(m) * time.Minute
	var b strings.Builder
	b.WriteString("PT")
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	// xAPI keeps at most 0.01 s precision; trim trailing zeros.
	secs := strconv.FormatFloat(float64(d.Round(10*time.Millisecond))/float64(time.Second), 'f', -1, 64)
	if secs != "0" || h == 0 && m == 0 {
		b.WriteString(secs + "S")
	}
	return b.String()
}

// uuid5 is an RFC 4122 name-based UUID with SHA-1 (version 5).
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

func formatUUID(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func mustParseUUID(s string) [16]byte {
	var u [16]byte
	hexs := strings.ReplaceAll(s, "-", "")
	for i := range u {
		v, err := strconv.ParseUint(hexs[2*i:2*i+2], 16, 8)
		if err != nil {
			panic("bad UUID constant " + s)
		}
		u[i] = byte(v)
	}
	return u
}

// choiceRef names a choice in a statement: its id, or its number in
// records made before choice ids.
func choiceRef(id string, number int) string {
	if id != "" {
		return id
	}
	return strconv.Itoa(number)
}
