package report

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// The verbs the export uses: the ADL verbs of xAPI 1.0.3, and the ADL
// vocabulary's "abandoned" (the one cmi5 uses) for an attempt left before
// its ending.
const (
	VerbAnswered  = "http://adlnet.gov/expapi/verbs/answered"
	VerbResponded = "http://adlnet.gov/expapi/verbs/responded"
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	VerbAbandoned = "https://w3id.org/xapi/adl/verbs/abandoned"
)

// Activity types and the IRIs of Rapport's own identifiers.
const (
	activityInteraction = "http://adlnet.gov/expapi/activities/cmi.interaction"
	activitySimulation  = "http://adlnet.gov/expapi/activities/simulation"
	// DefaultHomePage is the account home page of every actor unless the
	// trainer names their own system's (--account-homepage): names are
	// Rapport's own, not e-mail addresses, so the account says whose
	// names they are.
	DefaultHomePage = "https://github.com/rapport-sim/rapport"
	// idNamespace names the UUID namespace of statement ids. It is not the
	// home page, so ids stay the same whatever home page is exported.
	idNamespace = "urn:rapport"
	extBase     = "urn:rapport:ext:"
)

// XAPIOptions are the trainer's choices for an export.
type XAPIOptions struct {
	// HomePage is the account home page of the actors (an absolute http
	// or https URL); empty means DefaultHomePage.
	HomePage string
}

// CheckHomePage reports whether s can be an account home page: xAPI wants
// an IRL, the address of the system the names belong to.
func CheckHomePage(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("account home page %q is not an http(s) URL, such as %s", s, DefaultHomePage)
	}
	return nil
}

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

// Actor is the trainee, identified by an account on the home page.
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

// ScenarioIRI is the activity id of a scenario. Ids come from files anyone
// may write, so anything that may not stand in an IRI is percent-encoded.
func ScenarioIRI(id string) string { return "urn:rapport:scenario:" + url.PathEscape(id) }

// NodeIRI is the activity id of a decision point.
func NodeIRI(scenario, node string) string {
	return ScenarioIRI(scenario) + ":node:" + url.PathEscape(node)
}

// namespace is the UUID namespace of Rapport's statement ids: the UUIDv5 of
// "urn:rapport" in the RFC 4122 URL namespace, worked out when the first
// id is.
var namespace = lazy.Value[[16]byte]{New: func() [16]byte {
	return uuid5(mustParseUUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), idNamespace)
}}

// StatementID is the id of a record's index'th statement: a UUIDv5 of the
// record id and the index, so exporting the same records twice gives the
// same ids and a learning record store ignores the duplicates.
func StatementID(recordID string, index int) string {
	return formatUUID(uuid5(namespace.Get(), recordID+"#"+strconv.Itoa(index)))
}

// Registration is the attempt's registration id (UUIDv5 of the record id):
// every statement of one attempt shares it.
func Registration(recordID string) string { return formatUUID(uuid5(namespace.Get(), recordID)) }

// Statements turns one record into xAPI statements: one statement per
// answer — answered (a picked choice) or responded (a typed line), each
// with its own time and duration — then completed for a finished attempt,
// with the overall score scaled to 0–1, success from the band and the three
// scores as extensions, or abandoned for an attempt left before its
// ending, with no score: abandoned attempts are counted, not scored, here
// as in the report and history.
//
// An answer's duration is its span on the conversation clock: the pause
// before the line and the time it takes to say (or type) it. Its timestamp
// is the moment the line was finished: the attempt's start plus that
// moment on the clock. Untimed play counts its pauses by the model, so when
// the clock runs longer than the attempt took in real time, the moments are
// scaled into the attempt so that every answer keeps its order and falls
// between the start and the end.
//
// A drill round (results.KindDrill) gives no statements: xAPI export is of
// scenario attempts.
func Statements(r *results.Record, o XAPIOptions) []Statement {
	if r.IsDrill() {
		return nil
	}
	home := o.HomePage
	if home == "" {
		home = DefaultHomePage
	}
	name := oneLine(r.Trainee, 0)
	if name == "" {
		name = Unnamed
	}
	actor := Actor{ObjectType: "Agent", Name: name, Account: Account{HomePage: home, Name: name}}
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
	scored := r.Scored()
	place := clockPlacer(r)

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
		said := lineDuration(r.Scenario.Channel, t.Said())
		res := &Result{
			Response: response,
			Duration: isoDuration(time.Duration(t.Hesitation) + said),
			Extensions: map[string]any{
				extBase + "choice":     t.Choice,
				extBase + "say":        oneLine(t.Said(), 0),
				extBase + "clock":      isoDuration(time.Duration(t.At)),
				extBase + "hesitation": isoDuration(time.Duration(t.Hesitation)),
				extBase + "behaviors":  behaviorIDs(t.Behaviors),
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
		if t.DeadAir > 0 {
			res.Extensions[extBase+"dead-air"] = isoDuration(time.Duration(t.DeadAir))
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
		if scored {
			// An answer succeeds when it was the best line on offer.
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
			Timestamp: stamp(place(time.Duration(t.At) + said)),
		})
	}

	verb, completion := VerbCompleted, true
	if r.Status != results.Finished {
		verb, completion = VerbAbandoned, false
	}
	res := &Result{Completion: &completion, Extensions: map[string]any{}}
	if !r.Ended.IsZero() && r.Ended.After(r.Started) {
		res.Duration = isoDuration(r.Ended.Sub(r.Started))
	}
	if r.Ending != nil {
		res.Extensions[extBase+"ending"] = r.Ending.ID
		res.Extensions[extBase+"outcome"] = string(r.Ending.Outcome)
	}
	if s := r.Scores; scored {
		res.Score = &XScore{Scaled: round2(float64(max(0, min(100, s.Overall))) / 100), Raw: max(0, min(100, s.Overall)), Min: 0, Max: 100}
		success := Passed(s.Band)
		res.Success = &success
		scores := map[string]any{}
		for i, sc := range s.All() {
			if sc.Assessed {
				scores[scoreKeys[i]] = round2(float64(sc.Value) / 100)
			}
		}
		res.Extensions[extBase+"scores"] = scores
		res.Extensions[extBase+"band"] = s.Band
	}
	if len(res.Extensions) == 0 {
		res.Extensions = nil
	}
	end := r.Ended
	if end.IsZero() {
		end = place(time.Duration(r.Clock))
	}
	out = append(out, Statement{
		ID: StatementID(r.ID, len(out)), Actor: actor, Verb: verbOf(verb),
		Object: scenarioObj, Result: res, Context: ctx, Timestamp: stamp(end),
	})
	return out
}

// Passed reports whether a band counts as success: "Solid" and above.
func Passed(band string) bool {
	return band == string(scoring.BandTop) || band == string(scoring.BandSolid)
}

// lineDuration is how long a line takes on the conversation clock of the
// record's channel (scoring.Pace).
func lineDuration(channel, text string) time.Duration {
	return scoring.Pace(scenario.Channel(channel))(engine.Trainee, text)
}

// clockPlacer maps a moment on the conversation clock to the wall clock:
// the attempt's start plus the moment, scaled down when the conversation
// clock ran longer than the attempt took (see Statements).
func clockPlacer(r *results.Record) func(time.Duration) time.Time {
	clock := time.Duration(r.Clock)
	for _, t := range r.Turns {
		clock = max(clock, time.Duration(t.At)+lineDuration(r.Scenario.Channel, t.Said()))
	}
	wall := r.Ended.Sub(r.Started)
	return func(d time.Duration) time.Time {
		if !r.Ended.IsZero() && wall >= 0 && clock > wall {
			d = time.Duration(float64(d) * float64(wall) / float64(clock))
		}
		return r.Started.Add(d)
	}
}

// WriteXAPI writes the statements of every record as one JSON array, the
// shape a learning record store's statements endpoint accepts in a POST.
func WriteXAPI(w io.Writer, recs []*results.Record, o XAPIOptions) error {
	all := []Statement{}
	for _, r := range recs {
		all = append(all, Statements(r, o)...)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(all); err != nil {
		return fmt.Errorf("write xapi: %w", err)
	}
	return nil
}

func en(s string) map[string]string { return map[string]string{"en-US": s} }

// verbName is the display name of a verb's id ("" for an id that is none).
func verbName(id string) string {
	switch id {
	case VerbAnswered:
		return "answered"
	case VerbResponded:
		return "responded"
	case VerbCompleted:
		return "completed"
	case VerbAbandoned:
		return "abandoned"
	}
	return ""
}

func verbOf(id string) Verb { return Verb{ID: id, Display: en(verbName(id))} }

func behaviorIDs(bs []results.Behavior) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Polarity+b.ID)
	}
	return out
}

// stamp formats a statement time in UTC with milliseconds.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

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
