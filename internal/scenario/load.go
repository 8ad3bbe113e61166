package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/rapport-sim/rapport/internal/lazy"
)

// Limits that keep a hostile or broken file from hanging the loader.
const (
	// MaxFileSize is the largest scenario file accepted, in bytes. It
	// leaves room for MaxNodes nodes of about 1.6 KB each (a line and
	// three choices with feedback and tags), so that a scenario within
	// the node limit is never refused for its size: a generated file of
	// 10,000 nodes with three choices each is 7.7 MB. It still keeps a
	// runaway file from taking the loader's memory.
	MaxFileSize = 16 << 20
	// MaxNodes is the largest number of nodes plus endings in one scenario.
	MaxNodes = 10_000
	// MinChoices and MaxChoices bound the choices at one node.
	MinChoices = 2
	MaxChoices = 6
	// MaxTurns is the most choices a conversation can take to reach a
	// node (see checker.length).
	MaxTurns = 50
	// MaxDiagnostics is the most problems reported for one file.
	MaxDiagnostics = 1000
)

// ErrNotFound is returned when no scenario has the requested id or file.
var ErrNotFound = errors.New("scenario not found")

// Load reads and validates one scenario file from fsys. The scenario is
// returned whenever the file could be read and parsed, even with
// diagnostics, so tools can still analyse it; it is only safe to play when
// the diagnostics have no errors. The error is for I/O problems alone.
func Load(fsys fs.FS, name string) (*Scenario, Diagnostics, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("open scenario: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read scenario %s: %w", name, err)
	}
	sc, diags := Parse(name, src)
	return sc, diags, nil
}

// scenarioStyle is how scenario files word the problems the shared
// Decoder reports, made when the first file is parsed (the picker and
// `play ID` parse none).
var scenarioStyle = lazy.Value[Style]{New: func() Style {
	return Style{
		TooLargeHint: "the limit leaves room for the most nodes a scenario may have (10,000); split the conversation into smaller scenarios",
		ListExample:  `["first", "second"]`,
		Tables:       scenarioTables(),
	}
}}

// Parse decodes and validates a scenario from its bytes. file names the
// source in diagnostics.
func Parse(file string, src []byte) (*Scenario, Diagnostics) {
	return parse(file, src, defaultSplit)
}

// parse is Parse splitting large files as sp says.
func parse(file string, src []byte, sp split) (*Scenario, Diagnostics) {
	raw, dec, ok := decode(file, src, scenarioStyle.Get(), sp)
	if !ok {
		return nil, dec.Diagnostics()
	}
	d := &decoder{Decoder: dec}
	sum := sha256.Sum256(src)
	sc := d.scenario(raw)
	sc.File = file
	sc.Hash = hex.EncodeToString(sum[:])
	sc.Index()
	diags := append(d.Diagnostics(), validate(sc, d.pos, d.bad)...)
	diags = append(diags, fileNameCheck(sc)...)
	for i := range diags {
		diags[i].File = file
	}
	return sc, d.Capped(diags)
}

// decoder is the shared Decoder with what only scenarios have: conditions.
type decoder struct {
	*Decoder
	// choiceFields and effectFields decode every [[node.choice]] and its
	// effects into ch: made once, not once per choice (a long file has
	// tens of thousands).
	choiceFields, effectFields Fields
	ch                         *Choice
}

func (d *decoder) cond(path string, v any, dst *Cond) {
	var src string
	if !d.Str(path, v, &src) {
		return
	}
	c, err := ParseCond(src)
	if err != nil {
		var ce *CondError
		errors.As(err, &ce)
		p := d.At(path)
		if p.IsValid() {
			p.Col += 1 + ce.Offset // past the opening quote
		}
		d.Report(p, CodeBadCond, fmt.Sprintf("condition %q: %s", src, ce.Msg), ce.Hint)
		return
	}
	*dst = c
}

// Words converts a list of string-based values (channels, outcomes, moods)
// to plain strings, for allowed-word checks and their hints.
func Words[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func (d *decoder) scenario(raw map[string]any) *Scenario {
	sc := &Scenario{}
	var channel, difficulty string
	var customerSeen bool
	d.Table("", "the scenario", raw, Fields{
		"id": func(p string, v any) {
			sc.IDPos = d.At(p)
			d.Str(p, v, &sc.ID)
		},
		"title":      func(p string, v any) { d.Str(p, v, &sc.Title) },
		"summary":    func(p string, v any) { d.Str(p, v, &sc.Summary) },
		"channel":    func(p string, v any) { d.OneOf(p, v, Words(Channels), &channel) },
		"difficulty": func(p string, v any) { d.OneOf(p, v, Words(Difficulties), &difficulty) },
		"tags":       func(p string, v any) { d.Strings(p, v, &sc.Tags) },
		"author":     func(p string, v any) { d.Str(p, v, &sc.Author) },
		"version":    func(p string, v any) { d.Str(p, v, &sc.Version) },
		"start":      func(p string, v any) { d.Str(p, v, &sc.Start) },
		"walkout":    func(p string, v any) { d.Str(p, v, &sc.Walkout) },
		"briefing": func(p string, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, "briefing must be a table", "start it with a [briefing] header line")
				return
			}
			sc.Briefing = d.briefing(p, m)
		},
		"customer": func(p string, v any) {
			customerSeen = true
			m, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, "customer must be a table", "start it with a [customer] header line")
				return
			}
			sc.Customer = d.customer(p, m)
		},
		"node": func(p string, v any) {
			for i, m := range d.Tables(p, v) {
				sc.Nodes = append(sc.Nodes, d.node(elemPath(p, i), m))
			}
		},
		"ending": func(p string, v any) {
			for i, m := range d.Tables(p, v) {
				sc.Endings = append(sc.Endings, d.ending(fmt.Sprintf("%s[%d]", p, i), m))
			}
		},
		"test": func(p string, v any) {
			for i, m := range d.Tables(p, v) {
				sc.Tests = append(sc.Tests, d.test(fmt.Sprintf("%s[%d]", p, i), m))
			}
		},
		"scoring": func(p string, v any) {
			m, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, "scoring must be a table", `start it with a [scoring] header line: allow = ["account_first"]`)
				return
			}
			sc.Scoring = d.scoring(p, m)
		},
	})
	sc.Channel, sc.Difficulty = Channel(channel), Difficulty(difficulty)
	for _, req := range []struct {
		key   string
		empty bool
		hint  string
	}{
		{"id", sc.ID == "", `give the scenario a kebab-case id: id = "late-parcel"`},
		{"title", sc.Title == "", `name it for the picker: title = "The late parcel"`},
		{"channel", channel == "" && raw["channel"] == nil, `add channel = "phone" (or "chat", "in-person")`},
		{"difficulty", difficulty == "" && raw["difficulty"] == nil, `add difficulty = "medium" (or "easy", "hard")`},
	} {
		if req.empty && raw[req.key] == nil {
			d.Report(Pos{1, 1}, CodeMissing, fmt.Sprintf("the scenario has no %s", req.key), req.hint)
		}
	}
	if !customerSeen {
		d.MarkReported("customer")
		d.Report(Pos{1, 1}, CodeMissing, "the scenario has no [customer] table",
			"add a [customer] table with name, persona and the starting apprehension, anger, trust and patience")
	}
	if len(sc.Nodes) == 0 {
		d.Report(Pos{1, 1}, CodeMissing, "the scenario has no [[node]]", "add at least one [[node]] with what the customer says and the trainee's choices")
	}
	if len(sc.Endings) == 0 {
		d.Report(Pos{1, 1}, CodeMissing, "the scenario has no [[ending]]", "add at least one [[ending]] with an id, an outcome and closing text")
	}
	return sc
}

// scoring decodes the [scoring] table. Its behaviour ids are checked by
// the scoring package (scoring.CheckRules), which knows them.
func (d *decoder) scoring(prefix string, m map[string]any) ScoringRules {
	r := ScoringRules{Pos: d.KeyAt(prefix)}
	d.Table(prefix, "[scoring]", m, Fields{
		"allow": func(p string, v any) {
			d.Strings(p, v, &r.Allow)
			for i := range r.Allow {
				r.AllowPos = append(r.AllowPos, d.At(fmt.Sprintf("%s[%d]", p, i)))
			}
		},
		"note": func(p string, v any) { d.Str(p, v, &r.Note) },
		"weight": func(p string, v any) {
			wm, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, "weight must be a table", "write weight = { stock_phrase = 2 }")
				return
			}
			r.Weight, r.WeightPos = map[string]float64{}, map[string]Pos{}
			for _, k := range d.keys(p, wm) {
				kp := p + "." + k
				var f float64
				switch x := wm[k].(type) {
				case int64:
					f = float64(x)
				case float64:
					f = x
				default:
					d.ReportPath(kp, CodeType, fmt.Sprintf("weight %s must be a number, found %s", k, d.typeName(wm[k])),
						fmt.Sprintf("write a number from 0 to %d without quotes: %s = 2", MaxScoringWeight, k))
					continue
				}
				if f < 0 || f > MaxScoringWeight {
					d.ReportPath(kp, CodeRange, fmt.Sprintf("weight %s is %g, outside 0–%d", k, f, MaxScoringWeight),
						fmt.Sprintf("use a value from 0 (the behaviour earns or costs nothing) to %d", MaxScoringWeight))
					continue
				}
				r.Weight[k], r.WeightPos[k] = f, d.KeyAt(kp)
			}
		},
	})
	return r
}

func (d *decoder) customer(prefix string, m map[string]any) Customer {
	c := Customer{Pos: d.KeyAt(prefix), Start: Mood{Apprehension: 50, Anger: 0, Trust: 50, Patience: 100}}
	d.Table(prefix, "[customer]", m, Fields{
		"name":         func(p string, v any) { d.Str(p, v, &c.Name) },
		"persona":      func(p string, v any) { d.Str(p, v, &c.Persona) },
		"voice":        func(p string, v any) { d.Str(p, v, &c.Voice) },
		"mode":         func(p string, v any) { d.OneOf(p, v, []string{"see", "hear", "feel"}, &c.Mode) },
		"apprehension": func(p string, v any) { d.Int(p, v, 0, 100, &c.Start.Apprehension) },
		"anger":        func(p string, v any) { d.Int(p, v, 0, 100, &c.Start.Anger) },
		"trust":        func(p string, v any) { d.Int(p, v, 0, 100, &c.Start.Trust) },
		"patience":     func(p string, v any) { d.Int(p, v, 1, 100, &c.Start.Patience) },
		"clarify":      func(p string, v any) { d.Str(p, v, &c.Clarify) },
	})
	if c.Name == "" && m["name"] == nil {
		d.Report(c.Pos, CodeMissing, "[customer] has no name", `add name = "…": trainees should use it`)
	}
	return c
}

func (d *decoder) briefing(prefix string, m map[string]any) *Briefing {
	b := &Briefing{Pos: d.KeyAt(prefix)}
	d.Table(prefix, "[briefing]", m, Fields{
		"role":      func(p string, v any) { d.Str(p, v, &b.Role) },
		"company":   func(p string, v any) { d.Str(p, v, &b.Company) },
		"goal":      func(p string, v any) { d.Str(p, v, &b.Goal) },
		"may_offer": func(p string, v any) { d.Strings(p, v, &b.MayOffer) },
	})
	if m["role"] == nil {
		d.Report(b.Pos, CodeMissing, "[briefing] has no role", `say who the trainee is: role = "Adviser on the returns desk"`)
	}
	if m["goal"] == nil {
		d.Report(b.Pos, CodeMissing, "[briefing] has no goal", `say what a good call achieves: goal = "Get the right size to Priya before Saturday"`)
	}
	return b
}

func (d *decoder) node(prefix string, m map[string]any) *Node {
	n := &Node{Pos: d.KeyAt(prefix)}
	d.Table(prefix, "[[node]]", m, Fields{
		"id":      func(p string, v any) { d.Str(p, v, &n.ID) },
		"say":     func(p string, v any) { d.Lines(p, v, &n.Say) },
		"clarify": func(p string, v any) { d.Str(p, v, &n.Clarify) },
		"variant": func(p string, v any) {
			for i, vm := range d.Tables(p, v) {
				vp := fmt.Sprintf("%s[%d]", p, i)
				va := &Variant{Pos: d.KeyAt(vp)}
				d.Table(vp, "[[node.variant]]", vm, Fields{
					"when": func(p string, v any) { d.cond(p, v, &va.When) },
					"say":  func(p string, v any) { d.Lines(p, v, &va.Say) },
				})
				if vm["when"] == nil {
					d.Report(va.Pos, CodeMissing, "variant has no when", `say when it applies: when = "anger >= 70"`)
				}
				if vm["say"] == nil {
					d.Report(va.Pos, CodeMissing, "variant has no say", "give the customer's line for this state")
				}
				n.Variants = append(n.Variants, va)
			}
		},
		"choice": func(p string, v any) {
			for i, cm := range d.Tables(p, v) {
				c := d.choice(elemPath(p, i), cm)
				c.Number = i + 1
				n.Choices = append(n.Choices, c)
			}
		},
	})
	if m["id"] == nil {
		d.Report(n.Pos, CodeMissing, "node has no id", `add id = "…" (kebab-case, unique in the file)`)
	}
	if m["say"] == nil {
		d.Report(n.Pos, CodeMissing, fmt.Sprintf("node %q has no say", n.ID), "write what the customer says here")
	}
	return n
}

// choiceKey reports whether k is a key of a [[node.choice]], for the hint about keys
// written below a reply variant's header.
func choiceKey(k string) bool {
	switch k {
	case "id", "say", "reply", "next", "effects", "sets", "clears", "when", "feedback", "tags", "variant":
		return true
	}
	return false
}

func (d *decoder) choice(prefix string, m map[string]any) *Choice {
	c := &Choice{Pos: d.KeyAt(prefix)}
	if d.choiceFields == nil {
		d.choiceFields, d.effectFields = d.makeChoiceFields()
	}
	// Choices do not nest, so one current choice is enough.
	d.ch = c
	d.Table(prefix, "[[node.choice]]", m, d.choiceFields)
	d.ch = nil
	if m["say"] == nil {
		d.Report(c.Pos, CodeMissing, "choice has no say", "write what the trainee says")
	}
	if m["next"] == nil {
		d.Report(c.Pos, CodeMissing, "choice has no next", "name the node or ending this choice leads to: next = \"…\"")
	}
	if !c.IDWritten {
		c.ID = DefaultChoiceID(c.Say)
	}
	return c
}

// makeChoiceFields returns the fields of a [[node.choice]] and of its
// effects table, decoding into d.ch.
func (d *decoder) makeChoiceFields() (choice, effects Fields) {
	effects = Fields{}
	for _, st := range Stats {
		effects[st.String()] = func(p string, v any) {
			var n int
			d.Int(p, v, -100, 100, &n)
			d.ch.Effects.Set(st, n)
		}
	}
	choice = Fields{
		"id": func(p string, v any) {
			d.ch.IDWritten = d.Str(p, v, &d.ch.ID)
		},
		"say":      func(p string, v any) { d.Str(p, v, &d.ch.Say) },
		"reply":    func(p string, v any) { d.Str(p, v, &d.ch.Reply) },
		"next":     func(p string, v any) { d.Str(p, v, &d.ch.Next) },
		"sets":     func(p string, v any) { d.Strings(p, v, &d.ch.Sets) },
		"clears":   func(p string, v any) { d.Strings(p, v, &d.ch.Clears) },
		"when":     func(p string, v any) { d.cond(p, v, &d.ch.When) },
		"feedback": func(p string, v any) { d.Str(p, v, &d.ch.Feedback) },
		"tags":     func(p string, v any) { d.Strings(p, v, &d.ch.Tags) },
		"variant": func(p string, v any) {
			c := d.ch
			for i, vm := range d.Tables(p, v) {
				vp := elemPath(p, i)
				rv := &ReplyVariant{Pos: d.KeyAt(vp)}
				// A choice key written below a variant header belongs to
				// the variant in TOML: say so rather than "unknown key".
				for _, k := range d.keys(vp, vm) {
					if k != "when" && k != "reply" && choiceKey(k) {
						d.Report(d.KeyAt(join(vp, k)), CodeUnknownKey, fmt.Sprintf("%s is written under [[node.choice.variant]], so it belongs to the variant, which has no %s", k, k),
							"move the [[node.choice.variant]] blocks below every key of their choice")
						delete(vm, k)
					}
				}
				d.Table(vp, "[[node.choice.variant]]", vm, Fields{
					"when":  func(p string, v any) { d.cond(p, v, &rv.When) },
					"reply": func(p string, v any) { d.Str(p, v, &rv.Reply) },
				})
				if vm["when"] == nil {
					d.Report(rv.Pos, CodeMissing, "reply variant has no when", `say when it applies: when = "anger >= 70"`)
				}
				if vm["reply"] == nil {
					d.Report(rv.Pos, CodeMissing, "reply variant has no reply", "give the customer's reaction for this state: reply = \"…\"")
				}
				c.Replies = append(c.Replies, rv)
			}
		},
		"effects": func(p string, v any) {
			em, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, "effects must be a table", "write effects = { anger = -10, trust = 5 }")
				return
			}
			d.Table(p, "effects", em, effects)
		},
	}
	return choice, effects
}

// elemPath is the path of element i of the array at path: "node[3]".
func elemPath(path string, i int) string { return path + indexSeg(i) }

func (d *decoder) ending(prefix string, m map[string]any) *Ending {
	e := &Ending{Pos: d.KeyAt(prefix)}
	var outcome string
	d.Table(prefix, "[[ending]]", m, Fields{
		"id":      func(p string, v any) { d.Str(p, v, &e.ID) },
		"outcome": func(p string, v any) { d.OneOf(p, v, Words(Outcomes), &outcome) },
		"say":     func(p string, v any) { d.Lines(p, v, &e.Say) },
	})
	e.Outcome = Outcome(outcome)
	if m["id"] == nil {
		d.Report(e.Pos, CodeMissing, "ending has no id", `add id = "…" (kebab-case, unique in the file)`)
	}
	if m["outcome"] == nil {
		d.Report(e.Pos, CodeMissing, fmt.Sprintf("ending %q has no outcome", e.ID), "add outcome = one of "+strings.Join(Words(Outcomes), ", "))
	}
	if m["say"] == nil {
		d.Report(e.Pos, CodeMissing, fmt.Sprintf("ending %q has no say", e.ID), "write the closing text the trainee sees")
	}
	return e
}

func (d *decoder) test(prefix string, m map[string]any) *Test {
	t := &Test{Pos: d.KeyAt(prefix)}
	bounds := func(dst *map[string]int) func(string, any) {
		return func(p string, v any) {
			bm, ok := v.(map[string]any)
			if !ok {
				d.ReportPath(p, CodeType, fmt.Sprintf("%s must be a table, found %s", lastKey(p), TypeName(v)),
					fmt.Sprintf("write %s = { empathy = 80, overall = 70 }", lastKey(p)))
				return
			}
			*dst = map[string]int{}
			fields := Fields{}
			for _, k := range TestScores {
				fields[k] = func(p string, v any) {
					n := -1
					d.Int(p, v, 0, 100, &n)
					if n >= 0 {
						(*dst)[k] = n
					}
				}
			}
			d.Table(p, "test "+lastKey(p), bm, fields)
		}
	}
	d.Table(prefix, "[[test]]", m, Fields{
		"name":   func(p string, v any) { d.Str(p, v, &t.Name) },
		"ending": func(p string, v any) { d.Str(p, v, &t.Ending) },
		"min":    bounds(&t.Min),
		"max":    bounds(&t.Max),
		"choices": func(p string, v any) {
			arr, ok := v.([]any)
			if !ok {
				d.ReportPath(p, CodeType, fmt.Sprintf("choices must be an array of choice numbers or ids, found %s", TypeName(v)),
					`write choices = [2, 1, 3]: the choice taken at each node, numbered from 1 in file order, or by id: ["warm-welcome", 1, 3]`)
				return
			}
			for i, el := range arr {
				ep := fmt.Sprintf("%s[%d]", p, i)
				n, id := 0, ""
				if s, ok := el.(string); ok {
					// A choice id: survives the author reordering choices.
					id = s
					if !IsChoiceID(s) {
						d.ReportPath(ep, CodeBadTest, fmt.Sprintf("step %d of the test is %q, which is not a choice id", i+1, s),
							"write a choice number (1 = the node's first choice) or a choice's id: lower-case letters, digits and hyphens")
						id = ""
					}
				} else {
					d.Int(ep, el, 1, MaxChoices, &n)
				}
				t.Choices = append(t.Choices, n)
				t.ChoiceIDs = append(t.ChoiceIDs, id)
				t.ChoicePos = append(t.ChoicePos, d.At(ep))
			}
		},
	})
	if m["name"] == nil {
		d.Report(t.Pos, CodeMissing, "test has no name", `name it for the report: name = "caring path"`)
	}
	if m["choices"] == nil {
		d.MarkReported(prefix + ".choices")
		d.Report(t.Pos, CodeMissing, fmt.Sprintf("test %q has no choices", t.Name), "list the choice taken at each node: choices = [2, 1, 3]")
	}
	return t
}

// LoadDir loads every *.toml file at the top of fsys (sorted by name), the
// way the embedded library and --scenarios folders are read. Files with
// errors are left out of the returned scenarios but their diagnostics are
// returned.
//
// Two files with the same scenario id are an error (RP026) on the later
// one, which is left out too, so `play ID` and results always mean one
// scenario.
func LoadDir(fsys fs.FS) ([]*Scenario, Diagnostics, error) {
	scs, diags, err := LoadEach(fsys, "*.toml", "scenarios", func(name string) bool { return !IsDrillFile(name) }, Load)
	if err != nil {
		return nil, nil, err
	}
	lib, dups := CheckLibrary(scs)
	if len(dups) > 0 {
		kept := scs[:0:0]
		for i, sc := range scs {
			if !dups[i] {
				kept = append(kept, sc)
			}
		}
		scs = kept
	}
	return scs, append(diags, lib...), nil
}

// LoadEach loads every file in fsys matching pattern (and keep, when set)
// with load, in name order. It returns the files that loaded without
// errors, and every file's diagnostics; the error is for I/O alone. what
// names the files in that error ("scenarios", "drills").
func LoadEach[T any](fsys fs.FS, pattern, what string, keep func(name string) bool,
	load func(fs.FS, string) (*T, Diagnostics, error)) ([]*T, Diagnostics, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", what, err)
	}
	var out []*T
	var all Diagnostics
	for _, name := range names {
		if keep != nil && !keep(name) {
			continue
		}
		v, diags, err := load(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, diags...)
		if v != nil && !diags.HasErrors() {
			out = append(out, v)
		}
	}
	return out, all, nil
}

// IsDrillFile reports whether a file in a scenario folder holds drills
// rather than a scenario (drill files are named drill-*.toml).
func IsDrillFile(name string) bool { return strings.HasPrefix(path.Base(name), "drill-") }
