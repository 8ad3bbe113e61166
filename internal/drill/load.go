package drill

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Errors Find returns: no drill has the id, or the drill has errors (its
// diagnostics say which).
var (
	ErrNotFound = errors.New("drill not found")
	ErrInvalid  = errors.New("drill has errors")
)

// Load reads and validates one drill file from fsys. The drill is returned
// whenever the file parsed, even with diagnostics; it is only safe to run
// when they hold no errors. The error is for I/O problems alone.
func Load(fsys fs.FS, name string) (*Drill, scenario.Diagnostics, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("open drill: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, scenario.MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read drill %s: %w", name, err)
	}
	d, diags := Parse(name, src)
	return d, diags, nil
}

// LoadDir loads every drill-*.toml file at the top of fsys, sorted by name.
// Drills with errors are left out; all diagnostics are returned.
func LoadDir(fsys fs.FS) ([]*Drill, scenario.Diagnostics, error) {
	return scenario.LoadEach(fsys, "drill-*.toml", "drills", nil, Load)
}

// drillStyle is how drill files word the problems the shared decoder
// reports: the same codes as scenarios, with drill examples.
var drillStyle = scenario.Style{
	TooLargeHint: "split the openers into two drill files",
	TypeName:     describe,
	ListExample:  `["greeting", "own_name"]`,
	HeaderPaths:  true,
	SortAllowed:  true,
	Severity:     SeverityOf,
}

// describe names a value's type the way drill messages do: a string is
// "text", the word the drill guide uses.
func describe(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case []map[string]any:
		return "a list of tables"
	}
	return scenario.TypeName(v)
}

// Parse decodes and validates a drill from its bytes; file names the source
// in diagnostics. Every problem is reported, sorted by position.
func Parse(file string, src []byte) (*Drill, scenario.Diagnostics) {
	raw, dec, ok := scenario.Decode(file, src, drillStyle)
	if !ok {
		return nil, dec.Diagnostics()
	}
	p := &parser{dec}
	d := p.drill(raw)
	d.File = file
	p.validate(d)
	return d, p.Capped(p.Diagnostics())
}

// parser turns the decoded TOML map into a Drill; the shared decoder finds
// positions and collects diagnostics.
type parser struct{ *scenario.Decoder }

// list decodes an array of text, keeping only the elements that are text
// (each wrong one is reported on its own).
func (p *parser) list(path string, v any, dst *[]string) {
	var all []string
	p.Strings(path, v, &all)
	for i, s := range all {
		if !p.Reported(fmt.Sprintf("%s[%d]", path, i)) {
			*dst = append(*dst, s)
		}
	}
}

func (p *parser) drill(raw map[string]any) *Drill {
	d := &Drill{}
	p.Table("", "the drill", raw, scenario.Fields{
		"id":      func(path string, v any) { p.Str(path, v, &d.ID) },
		"title":   func(path string, v any) { p.Str(path, v, &d.Title) },
		"summary": func(path string, v any) { p.Str(path, v, &d.Summary) },
		"author":  func(path string, v any) { p.Str(path, v, &d.Author) },
		"version": func(path string, v any) { p.Str(path, v, &d.Version) },
		"opener": func(path string, v any) {
			ms := p.Tables(path, v)
			if len(ms) > MaxOpeners {
				p.ReportPath(fmt.Sprintf("%s[%d]", path, MaxOpeners), CodeTooManyOpeners,
					fmt.Sprintf("the drill has %d openers, more than the %d one file may hold", len(ms), MaxOpeners),
					"split the openers into several drill files; the ones after this line were not checked")
				ms = ms[:MaxOpeners]
			}
			for i, m := range ms {
				d.Openers = append(d.Openers, p.opener(fmt.Sprintf("%s[%d]", path, i), m))
			}
		},
	})
	top := scenario.Pos{Line: 1, Col: 1}
	if raw["id"] == nil {
		p.Report(top, scenario.CodeMissing, "the drill has no id", `add id = "openings": trainees start it with 'rapport drill openings'`)
	}
	if raw["title"] == nil {
		p.Report(top, scenario.CodeMissing, "the drill has no title", `add title = "…": it heads the drill screen`)
	}
	if arr, ok := raw["opener"].([]any); raw["opener"] == nil || ok && len(arr) == 0 {
		p.Report(top, scenario.CodeMissing, "the drill has no [[opener]]",
			"add [[opener]] blocks, each with a customer's first line and four [[opener.response]]")
	}
	return d
}

func (p *parser) opener(prefix string, m map[string]any) *Opener {
	o := &Opener{Pos: p.KeyAt(prefix)}
	var channel, mood string
	p.Table(prefix, "[[opener]]", m, scenario.Fields{
		"id":       func(path string, v any) { p.Str(path, v, &o.ID) },
		"channel":  func(path string, v any) { p.OneOf(path, v, scenario.Words(scenario.Channels), &channel) },
		"mood":     func(path string, v any) { p.OneOf(path, v, scenario.Words(Moods), &mood) },
		"customer": func(path string, v any) { p.Str(path, v, &o.Customer) },
		"business": func(path string, v any) { p.Str(path, v, &o.Business) },
		"say":      func(path string, v any) { p.Str(path, v, &o.Say) },
		"response": func(path string, v any) {
			for i, rm := range p.Tables(path, v) {
				r := p.response(fmt.Sprintf("%s[%d]", path, i), rm)
				r.Number = i + 1
				o.Responses = append(o.Responses, r)
			}
		},
	})
	o.Channel, o.Mood = scenario.Channel(channel), Mood(mood)
	for _, req := range []struct{ key, hint string }{
		{"id", `add id = "…" (kebab-case, unique in the file): results refer to it`},
		{"channel", `add channel = "phone" (or "chat", "in-person")`},
		{"mood", "add mood = one of " + strings.Join(scenario.Words(Moods), ", ")},
		{"customer", `add customer = "…": the customer's name, which the best response may use`},
		{"say", `add say = "…": the customer's first line`},
	} {
		if m[req.key] == nil {
			p.Report(o.Pos, scenario.CodeMissing, fmt.Sprintf("opener %s has no %s", nameOr(o.ID), req.key), req.hint)
		}
	}
	return o
}

func nameOr(id string) string {
	if id == "" {
		return "(no id)"
	}
	return fmt.Sprintf("%q", id)
}

func (p *parser) response(prefix string, m map[string]any) *Response {
	r := &Response{Pos: p.KeyAt(prefix)}
	var rating, principle string
	p.Table(prefix, "[[opener.response]]", m, scenario.Fields{
		"say":       func(path string, v any) { p.Str(path, v, &r.Say) },
		"rating":    func(path string, v any) { p.OneOf(path, v, scenario.Words(Ratings), &rating) },
		"principle": func(path string, v any) { p.OneOf(path, v, scenario.Words(Principles), &principle) },
		"feedback":  func(path string, v any) { p.Str(path, v, &r.Feedback) },
		"tags":      func(path string, v any) { p.list(path, v, &r.Tags) },
	})
	r.Rating, r.Principle = Rating(rating), Principle(principle)
	for _, req := range []struct{ key, hint string }{
		{"say", `add say = "…": what the trainee says`},
		{"rating", `add rating = "best" (or "good", "weak", "poor")`},
		{"principle", "add principle = the idea this response shows or breaks, one of " + strings.Join(scenario.Words(Principles), ", ")},
		{"feedback", `add feedback = "…": one or two sentences naming the principle`},
	} {
		if m[req.key] == nil {
			p.Report(r.Pos, scenario.CodeMissing, "response has no "+req.key, req.hint)
		}
	}
	return r
}

// Find loads the drill with the given id from the drill files in fsys. The
// diagnostics are those of the drill asked for, or of every drill file when
// none matched (so the caller can say why a broken one was skipped).
func Find(fsys fs.FS, id string) (*Drill, scenario.Diagnostics, error) {
	names, err := fs.Glob(fsys, "drill-*.toml")
	if err != nil {
		return nil, nil, fmt.Errorf("list drills: %w", err)
	}
	var all scenario.Diagnostics
	for _, name := range names {
		d, diags, err := Load(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		fileID := strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "drill-"), ".toml")
		if d != nil && d.ID == id || (d == nil || d.ID == "") && fileID == id {
			if d == nil || diags.HasErrors() {
				return nil, diags, fmt.Errorf("drill %q: %w", id, ErrInvalid)
			}
			return d, diags, nil
		}
		all = append(all, diags...)
	}
	return nil, all, fmt.Errorf("%w: %q", ErrNotFound, id)
}
