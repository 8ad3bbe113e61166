package analysis

import (
	"encoding/json"
	"fmt"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Kind is the type of a value in the scenario format.
type Kind int

// The kinds of value a scenario key takes.
const (
	KindText     Kind = iota // a string
	KindID                   // a kebab-case id (lower-case letters, digits, - and _)
	KindWord                 // one of Field.Enum
	KindInt                  // a whole number from Field.Min to Field.Max
	KindLines                // a string, or an array of strings (one per line)
	KindCond                 // a `when` condition
	KindTextList             // an array of strings
	KindIDList               // an array of ids (flags)
	KindIntList              // an array of whole numbers from Field.Min to Field.Max, or choice ids
	KindTable                // a table with Field.Fields
	KindTables               // an array of tables ([[…]]) with Field.Fields
	KindTagList              // an array of words from Field.Enum (behaviour ids)
	KindChoiceID             // a choice id: lower-case letters, digits and hyphens
	KindWeights              // a table from Field.Enum keys to numbers from Field.Min to Field.Max
)

// Field describes one key of the scenario format. Format is the single
// description the JSON Schema is generated from and the docs are checked
// against; a test walks it against the loader so the two cannot drift.
type Field struct {
	Key      string
	Kind     Kind
	Doc      string
	Required bool
	Enum     []string
	Min, Max int
	// Default is the value used when the key is absent (documentation).
	Default any
	// MinItems and MaxItems bound an array of tables.
	MinItems, MaxItems int
	Fields             []Field
}

// behaviourIDs are the scoring model's behaviour ids, in its order.
func behaviourIDs() []string {
	var out []string
	for _, b := range reader.Behaviors() {
		out = append(out, string(b.ID))
	}
	return out
}

// IDPattern is the regular expression every id and flag name matches.
const IDPattern = "^[a-z][a-z0-9_-]*$"

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// Format describes every key a scenario file may have.
func Format() []Field {
	effects := func() []Field {
		var out []Field
		for _, st := range scenario.Stats {
			out = append(out, Field{Key: st.String(), Kind: KindInt, Min: -100, Max: 100, Doc: "Signed change to the customer's " + st.String() + " (-100 to 100)."})
		}
		return out
	}
	customer := []Field{
		{Key: "name", Kind: KindText, Required: true, Doc: "The customer's name; the scoring model rewards using it."},
		{Key: "persona", Kind: KindText, Doc: "One line: who they are and why they are in touch. Shown on the play screen."},
		{Key: "voice", Kind: KindText, Doc: "How they speak, for the trainee."},
		{Key: "mode", Kind: KindWord, Enum: []string{"see", "hear", "feel"}, Doc: "How the customer talks (\"I see\", \"sounds like\", \"I feel\"); a response in the same mode scores mode_match."},
		{Key: "apprehension", Kind: KindInt, Min: 0, Max: 100, Default: 50, Doc: "How much they expect a poor experience (0–100). The first 30 seconds aim to bring it down."},
		{Key: "anger", Kind: KindInt, Min: 0, Max: 100, Default: 0, Doc: "Starting anger (0–100)."},
		{Key: "trust", Kind: KindInt, Min: 0, Max: 100, Default: 50, Doc: "Starting trust (0–100); trust softens how much anger a poor move adds."},
		{Key: "patience", Kind: KindInt, Min: 1, Max: 100, Default: 100, Doc: "How much mishandling they take (1–100); at 0 they give up and the walkout ending is used."},
		{Key: "clarify", Kind: KindText, Doc: "What the customer says when a typed answer matches no choice well enough, at nodes without their own clarify. {agent} is the trainee's first name."},
	}
	briefing := []Field{
		{Key: "role", Kind: KindText, Required: true, Doc: "Who the trainee is in this call (\"Adviser on the returns desk\"). {agent} is the trainee's first name."},
		{Key: "company", Kind: KindText, Doc: "The company the trainee works for."},
		{Key: "goal", Kind: KindText, Required: true, Doc: "What a good call achieves."},
		{Key: "may_offer", Kind: KindTextList, Doc: "What the trainee may offer: refund limits, callbacks, escalation…"},
	}
	var behaviours []string
	for _, b := range reader.Behaviors() {
		behaviours = append(behaviours, string(b.ID))
	}
	choice := []Field{
		{Key: "id", Kind: KindChoiceID, Doc: "Names the choice in results, replays and reports; unique at its node. Default: the first four words of say and 4 hex digits of its hash (\"can-i-have-your-6c1e\")."},
		{Key: "say", Kind: KindText, Required: true, Doc: "What the trainee says. {agent} is the trainee's first name."},
		{Key: "reply", Kind: KindText, Doc: "The customer's immediate reaction to this line, said before the next node's line."},
		{Key: "variant", Kind: KindTables, Doc: "Replies for a state, tested once the line has landed; the first whose condition holds replaces reply.", Fields: []Field{
			{Key: "when", Kind: KindCond, Required: true, Doc: "When this reply replaces the choice's reply (the state after the choice's effects)."},
			{Key: "reply", Kind: KindText, Required: true, Doc: "The customer's reaction in that state."},
		}},
		{Key: "next", Kind: KindID, Required: true, Doc: "The node or ending this choice leads to."},
		{Key: "effects", Kind: KindTable, Fields: effects(), Doc: "Signed changes to the customer's scales: { anger = -10, trust = 5 }."},
		{Key: "sets", Kind: KindIDList, Doc: "Flags this choice turns on."},
		{Key: "clears", Kind: KindIDList, Doc: "Flags this choice turns off."},
		{Key: "when", Kind: KindCond, Doc: "The choice is offered only when this condition holds."},
		{Key: "feedback", Kind: KindText, Doc: "Shown in the debrief: which principle the choice serves or breaks."},
		{Key: "tags", Kind: KindTagList, Enum: behaviours, Doc: "The behaviours the line is meant to show (scoring behaviour ids); `rapport check` warns where the text disagrees."},
	}
	bounds := func(what string) []Field {
		var out []Field
		for _, k := range scenario.TestScores {
			out = append(out, Field{Key: k, Kind: KindInt, Min: 0, Max: 100, Doc: fmt.Sprintf("%s %s score (0–100).", what, scoreLabel(k))})
		}
		return out
	}
	return []Field{
		{Key: "id", Kind: KindID, Required: true, Doc: "Kebab-case id, unique in the library; also the file name."},
		{Key: "title", Kind: KindText, Required: true, Doc: "Shown in the picker."},
		{Key: "summary", Kind: KindText, Doc: "One or two sentences for the picker."},
		{Key: "channel", Kind: KindWord, Required: true, Enum: strs(scenario.Channels), Doc: "Sets the pace of the conversation clock and how a walk-out is worded."},
		{Key: "difficulty", Kind: KindWord, Required: true, Enum: strs(scenario.Difficulties), Doc: "Shown in the picker."},
		{Key: "tags", Kind: KindTextList, Doc: "Free-form labels for the picker's filter."},
		{Key: "author", Kind: KindText, Doc: "For your records."},
		{Key: "version", Kind: KindText, Doc: "For your records."},
		{Key: "start", Kind: KindID, Doc: "The first node; defaults to the first [[node]]."},
		{Key: "walkout", Kind: KindID, Doc: "The ending used when patience runs out; it must have outcome \"lost\"."},
		{Key: "briefing", Kind: KindTable, Fields: briefing, Doc: "What the trainee is told before the call: role, company, goal and what they may offer. `rapport check` warns when it is missing."},
		{Key: "customer", Kind: KindTable, Required: true, Fields: customer, Doc: "Who the trainee is talking to."},
		{Key: "node", Kind: KindTables, Required: true, MinItems: 1, Doc: "One moment of the conversation: the customer speaks, the trainee answers.", Fields: []Field{
			{Key: "id", Kind: KindID, Required: true, Doc: "Unique among nodes and endings."},
			{Key: "say", Kind: KindLines, Required: true, Doc: "What the customer says: text, or an array of lines."},
			{Key: "clarify", Kind: KindText, Doc: "What the customer says here when a typed answer matches no choice well enough."},
			{Key: "variant", Kind: KindTables, Doc: "Alternative lines for a state; the first whose condition holds replaces say.", Fields: []Field{
				{Key: "when", Kind: KindCond, Required: true, Doc: "When this variant replaces the node's say."},
				{Key: "say", Kind: KindLines, Required: true, Doc: "The customer's line(s) in that state."},
			}},
			{Key: "choice", Kind: KindTables, Required: true, MinItems: scenario.MinChoices, MaxItems: scenario.MaxChoices, Fields: choice, Doc: "What the trainee can say: 2 to 6 choices, numbered from 1 in file order."},
		}},
		{Key: "ending", Kind: KindTables, Required: true, MinItems: 1, Doc: "A way the conversation ends.", Fields: []Field{
			{Key: "id", Kind: KindID, Required: true, Doc: "Unique among nodes and endings."},
			{Key: "outcome", Kind: KindWord, Required: true, Enum: strs(scenario.Outcomes), Doc: "resolved, kept, follow-up, escalated or lost."},
			{Key: "say", Kind: KindLines, Required: true, Doc: "The customer's closing line(s)."},
		}},
		{Key: "scoring", Kind: KindTable, Doc: "Company rules: where the company's practice differs from the scoring model's defaults. The debrief says when a rule changed a point.", Fields: []Field{
			{Key: "allow", Kind: KindTextList, Doc: "Negative behaviour ids whose cost this scenario lifts (e.g. \"account_first\" where security requires an identity check first)."},
			{Key: "weight", Kind: KindWeights, Enum: behaviourIDs(), Min: 0, Max: scenario.MaxScoringWeight, Doc: "Behaviour id = factor (0 to 3) that scales the behaviour's points, e.g. { stock_phrase = 2 }."},
			{Key: "note", Kind: KindText, Doc: "Why the rules differ, in the company's words; quoted in the debrief."},
		}},
		{Key: "test", Kind: KindTables, Doc: "An author test, run by `rapport check`: a path of choice numbers with the ending and scores it must reach.", Fields: []Field{
			{Key: "name", Kind: KindText, Required: true, Doc: "Names the test in reports."},
			{Key: "choices", Kind: KindIntList, Required: true, Min: 1, Max: scenario.MaxChoices, Doc: "The choice taken at each node, from the start: its number (1 = the node's first choice) or its id."},
			{Key: "ending", Kind: KindText, Doc: "The ending id the path must reach, or an outcome word (resolved, kept, follow-up, escalated, lost)."},
			{Key: "min", Kind: KindTable, Fields: bounds("Lowest allowed"), Doc: "Lowest allowed scores: { empathy = 80, overall = 85 }."},
			{Key: "max", Kind: KindTable, Fields: bounds("Highest allowed"), Doc: "Highest allowed scores: { overall = 40 }."},
		}},
	}
}

// JSONSchema returns the JSON Schema (draft 2020-12) of the scenario
// format, generated from Format. It uses only keywords that mean the same
// in older drafts and no $ref, so TOML editors with older validators
// (Taplo, Even Better TOML) read it too.
func JSONSchema() ([]byte, error) {
	root := object(Format())
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["title"] = "Rapport scenario"
	root["description"] = "A Rapport training scenario: the customer, the conversation's nodes and choices, its endings and author tests. See docs/authoring.md."
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode scenario schema: %w", err)
	}
	return append(b, '\n'), nil
}

func object(fields []Field) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range fields {
		props[f.Key] = schemaOf(f)
		if f.Required {
			required = append(required, f.Key)
		}
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func schemaOf(f Field) map[string]any {
	text := map[string]any{"type": "string", "minLength": 1}
	var s map[string]any
	switch f.Kind {
	case KindText:
		s = map[string]any{"type": "string"}
	case KindID:
		s = map[string]any{"type": "string", "pattern": IDPattern}
	case KindWord:
		s = map[string]any{"type": "string", "enum": f.Enum}
	case KindInt:
		s = map[string]any{"type": "integer", "minimum": f.Min, "maximum": f.Max}
	case KindLines:
		s = map[string]any{"anyOf": []any{text, map[string]any{"type": "array", "items": text, "minItems": 1}}}
	case KindCond:
		s = map[string]any{"type": "string", "minLength": 1,
			"pattern": `^\s*(not\s+)?[a-z][a-z0-9_-]*(\s*(>=|<=|==|!=|>|<)\s*\d+)?(\s+and\s+(not\s+)?[a-z][a-z0-9_-]*(\s*(>=|<=|==|!=|>|<)\s*\d+)?)*\s*$`}
	case KindTextList:
		s = map[string]any{"type": "array", "items": text}
	case KindTagList:
		s = map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": f.Enum}}
	case KindChoiceID:
		s = map[string]any{"type": "string", "pattern": scenario.ChoiceIDPattern}
	case KindIDList:
		s = map[string]any{"type": "array", "items": map[string]any{"type": "string", "pattern": IDPattern}}
	case KindIntList:
		s = map[string]any{"type": "array", "minItems": 1, "items": map[string]any{"anyOf": []any{
			map[string]any{"type": "integer", "minimum": f.Min, "maximum": f.Max},
			map[string]any{"type": "string", "pattern": scenario.ChoiceIDPattern},
		}}}
	case KindTable:
		s = object(f.Fields)
	case KindWeights:
		s = map[string]any{"type": "object", "propertyNames": map[string]any{"enum": f.Enum},
			"additionalProperties": map[string]any{"type": "number", "minimum": f.Min, "maximum": f.Max}}
	case KindTables:
		s = map[string]any{"type": "array", "items": object(f.Fields)}
		if f.MinItems > 0 {
			s["minItems"] = f.MinItems
		}
		if f.MaxItems > 0 {
			s["maxItems"] = f.MaxItems
		}
	}
	s["description"] = f.Doc
	if f.Default != nil {
		s["default"] = f.Default
	}
	return s
}
