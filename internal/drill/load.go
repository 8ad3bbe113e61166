package drill

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
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
	names, err := fs.Glob(fsys, "drill-*.toml")
	if err != nil {
		return nil, nil, fmt.Errorf("list drills: %w", err)
	}
	var out []*Drill
	var all scenario.Diagnostics
	for _, name := range names {
		d, diags, err := Load(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, diags...)
		if d != nil && !diags.HasErrors() {
			out = append(out, d)
		}
	}
	return out, all, nil
}

// Parse decodes and validates a drill from its bytes; file names the source
// in diagnostics. Every problem is reported, sorted by position.
func Parse(file string, src []byte) (*Drill, scenario.Diagnostics) {
	p := &parser{file: file}
	if len(src) > scenario.MaxFileSize {
		p.report(scenario.Pos{Line: 1, Col: 1}, scenario.CodeTooLarge,
			fmt.Sprintf("file is larger than %d KiB", scenario.MaxFileSize>>10),
			"split the openers into two drill files")
		return nil, p.diags
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		p.syntax(src, err)
		return nil, p.diags
	}
	p.at = locate(src)
	d := p.drill(raw)
	d.File = file
	p.validate(d)
	p.diags.Sort()
	return d, p.diags
}

// parser turns the decoded TOML map into a Drill and collects diagnostics.
type parser struct {
	file  string
	at    spots
	diags scenario.Diagnostics
	// bad holds paths already reported with the wrong type, so validation
	// does not add a second message about the same value.
	bad map[string]bool
}

func (p *parser) report(pos scenario.Pos, code scenario.Code, msg, hint string) {
	if !pos.IsValid() {
		pos = scenario.Pos{Line: 1, Col: 1} // always somewhere an editor can jump to
	}
	p.diags = append(p.diags, scenario.Diagnostic{
		File: p.file, Pos: pos, Severity: SeverityOf(code), Code: code, Message: msg, Hint: hint,
	})
}

func (p *parser) reportAt(path string, code scenario.Code, msg, hint string) {
	p.report(p.at.lookup(path), code, msg, hint)
}

func (p *parser) syntax(src []byte, err error) {
	var perr toml.ParseError
	if !errors.As(err, &perr) {
		p.report(scenario.Pos{}, scenario.CodeSyntax, "TOML syntax: "+err.Error(), "check that the file is TOML")
		return
	}
	hint := "check the quotes, brackets and '=' on this line"
	if u := strings.Join(strings.Fields(perr.Usage), " "); u != "" {
		hint, _, _ = strings.Cut(strings.TrimSuffix(u, "."), ". ")
	}
	pos := scenario.Pos{Line: perr.Position.Line, Col: max(perr.Position.Col, 1)}
	if pos.Line < 1 {
		// The parser sometimes loses the line (seen at the end of input);
		// its byte offset still says where.
		at := min(max(perr.Position.Start, 0), len(src))
		pos.Line = 1 + strings.Count(string(src[:at]), "\n")
		pos.Col = 1 + at - (strings.LastIndexByte(string(src[:at]), '\n') + 1)
	}
	p.diags = append(p.diags, scenario.Diagnostic{
		File: p.file, Pos: pos, Severity: scenario.Error, Code: scenario.CodeSyntax,
		Message: "TOML syntax: " + perr.Message, Hint: hint, Excerpt: excerpt(src, pos),
	})
}

// excerpt pictures a position: the line before, the line itself and a caret
// under the column. (toml's own ErrorWithPosition panics when the parser
// lost the line, so the loader draws its own.)
func excerpt(src []byte, pos scenario.Pos) string {
	lines := strings.Split(string(src), "\n")
	if pos.Line < 1 || pos.Line > len(lines) {
		return ""
	}
	var b strings.Builder
	for n := max(pos.Line-1, 1); n <= pos.Line; n++ {
		fmt.Fprintf(&b, "%5d | %s\n", n, scenario.Sanitize(lines[n-1]))
	}
	col := min(pos.Col, len(lines[pos.Line-1])+1)
	fmt.Fprintf(&b, "%5s | %s^", "", strings.Repeat(" ", max(col-1, 0)))
	return b.String()
}

// fields maps each key a table allows to the function that decodes it.
type fields map[string]func(path string, v any)

// table decodes m's keys in file order, reporting keys the format lacks.
func (p *parser) table(prefix, what string, m map[string]any, fs fields) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		pa, pb := p.at.keyAt(join(prefix, a)), p.at.keyAt(join(prefix, b))
		if pa.Line != pb.Line {
			return pa.Line - pb.Line
		}
		if pa.Col != pb.Col {
			return pa.Col - pb.Col
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		path := join(prefix, k)
		decode, ok := fs[k]
		if !ok {
			allowed := make([]string, 0, len(fs))
			for name := range fs {
				allowed = append(allowed, name)
			}
			p.report(p.at.keyAt(path), scenario.CodeUnknownKey, fmt.Sprintf("unknown key %q in %s", k, what), didYouMean(k, allowed, "the keys allowed here are"))
			continue
		}
		decode(path, m[k])
	}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// keyName is the last key of a path, without array indices.
func keyName(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	return path[strings.LastIndexByte(path, '.')+1:]
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int64:
		return "a whole number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case []any:
		return "an array"
	case []map[string]any:
		return "a list of tables"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// text decodes a string value.
func (p *parser) text(path string, v any, dst *string) bool {
	s, ok := v.(string)
	if !ok {
		if p.bad == nil {
			p.bad = map[string]bool{}
		}
		p.bad[path] = true
		p.reportAt(path, scenario.CodeType, fmt.Sprintf("%s must be text, found %s", keyName(path), describe(v)),
			fmt.Sprintf(`put the value in quotes: %s = "…"`, keyName(path)))
		return false
	}
	*dst = s
	return true
}

// word decodes a string that must be one of allowed.
func (p *parser) word(path string, v any, allowed []string, dst *string) {
	var s string
	if !p.text(path, v, &s) {
		return
	}
	if !slices.Contains(allowed, s) {
		p.reportAt(path, scenario.CodeBadValue, fmt.Sprintf("%s %q is not one of %s", keyName(path), s, strings.Join(allowed, ", ")),
			didYouMean(s, allowed, "use one of"))
		return
	}
	*dst = s
}

// list decodes an array of text, each element checked on its own.
func (p *parser) list(path string, v any, dst *[]string) {
	arr, ok := v.([]any)
	if !ok {
		p.reportAt(path, scenario.CodeType, fmt.Sprintf("%s must be an array of text, found %s", keyName(path), describe(v)),
			fmt.Sprintf(`write it as %s = ["greeting", "own_name"]`, keyName(path)))
		return
	}
	for i, el := range arr {
		var s string
		if p.text(fmt.Sprintf("%s[%d]", path, i), el, &s) {
			*dst = append(*dst, s)
		}
	}
}

// tables decodes an array of tables.
func (p *parser) tables(path string, v any) []map[string]any {
	if t, ok := v.([]map[string]any); ok {
		return t
	}
	name := keyName(path)
	if arr, ok := v.([]any); ok {
		out := make([]map[string]any, 0, len(arr))
		for i, el := range arr {
			if m, ok := el.(map[string]any); ok {
				out = append(out, m)
				continue
			}
			p.reportAt(fmt.Sprintf("%s[%d]", path, i), scenario.CodeType, fmt.Sprintf("each %s must be a table", name),
				fmt.Sprintf("write each one under its own [[%s]] header", headerFor(path)))
		}
		return out
	}
	p.reportAt(path, scenario.CodeType, fmt.Sprintf("%s must be a list of [[%s]] tables, found %s", name, headerFor(path), describe(v)),
		fmt.Sprintf("start each one with a [[%s]] header line", headerFor(path)))
	return nil
}

// headerFor turns "opener[3].response" into "opener.response".
func headerFor(path string) string {
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func (p *parser) drill(raw map[string]any) *Drill {
	d := &Drill{}
	p.table("", "the drill", raw, fields{
		"id":      func(path string, v any) { p.text(path, v, &d.ID) },
		"title":   func(path string, v any) { p.text(path, v, &d.Title) },
		"summary": func(path string, v any) { p.text(path, v, &d.Summary) },
		"author":  func(path string, v any) { p.text(path, v, &d.Author) },
		"version": func(path string, v any) { p.text(path, v, &d.Version) },
		"opener": func(path string, v any) {
			ms := p.tables(path, v)
			if len(ms) > MaxOpeners {
				p.reportAt(fmt.Sprintf("%s[%d]", path, MaxOpeners), CodeTooManyOpeners,
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
		p.report(top, scenario.CodeMissing, "the drill has no id", `add id = "openings": trainees start it with 'rapport drill openings'`)
	}
	if raw["title"] == nil {
		p.report(top, scenario.CodeMissing, "the drill has no title", `add title = "…": it heads the drill screen`)
	}
	if arr, ok := raw["opener"].([]any); raw["opener"] == nil || ok && len(arr) == 0 {
		p.report(top, scenario.CodeMissing, "the drill has no [[opener]]",
			"add [[opener]] blocks, each with a customer's first line and four [[opener.response]]")
	}
	return d
}

func (p *parser) opener(prefix string, m map[string]any) *Opener {
	o := &Opener{Pos: p.at.keyAt(prefix)}
	var channel, mood string
	p.table(prefix, "[[opener]]", m, fields{
		"id":       func(path string, v any) { p.text(path, v, &o.ID) },
		"channel":  func(path string, v any) { p.word(path, v, strs(scenario.Channels), &channel) },
		"mood":     func(path string, v any) { p.word(path, v, strs(Moods), &mood) },
		"customer": func(path string, v any) { p.text(path, v, &o.Customer) },
		"business": func(path string, v any) { p.text(path, v, &o.Business) },
		"say":      func(path string, v any) { p.text(path, v, &o.Say) },
		"response": func(path string, v any) {
			for i, rm := range p.tables(path, v) {
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
		{"mood", "add mood = one of " + strings.Join(strs(Moods), ", ")},
		{"customer", `add customer = "…": the customer's name, which the best response may use`},
		{"say", `add say = "…": the customer's first line`},
	} {
		if m[req.key] == nil {
			p.report(o.Pos, scenario.CodeMissing, fmt.Sprintf("opener %s has no %s", nameOr(o.ID), req.key), req.hint)
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
	r := &Response{Pos: p.at.keyAt(prefix)}
	var rating, principle string
	p.table(prefix, "[[opener.response]]", m, fields{
		"say":       func(path string, v any) { p.text(path, v, &r.Say) },
		"rating":    func(path string, v any) { p.word(path, v, strs(Ratings), &rating) },
		"principle": func(path string, v any) { p.word(path, v, strs(Principles), &principle) },
		"feedback":  func(path string, v any) { p.text(path, v, &r.Feedback) },
		"tags":      func(path string, v any) { p.list(path, v, &r.Tags) },
	})
	r.Rating, r.Principle = Rating(rating), Principle(principle)
	for _, req := range []struct{ key, hint string }{
		{"say", `add say = "…": what the trainee says`},
		{"rating", `add rating = "best" (or "good", "weak", "poor")`},
		{"principle", "add principle = the idea this response shows or breaks, one of " + strings.Join(strs(Principles), ", ")},
		{"feedback", `add feedback = "…": one or two sentences naming the principle`},
	} {
		if m[req.key] == nil {
			p.report(r.Pos, scenario.CodeMissing, "response has no "+req.key, req.hint)
		}
	}
	return r
}

// didYouMean suggests the closest allowed word, or lists them all.
func didYouMean(got string, allowed []string, lead string) string {
	sorted := slices.Sorted(slices.Values(allowed))
	best, bestDist := "", 3
	for _, a := range sorted {
		if d := distance(strings.ToLower(got), a); d < bestDist {
			best, bestDist = a, d
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return lead + ": " + strings.Join(sorted, ", ")
}

// distance is the Levenshtein distance between two short words.
func distance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			diag, row[j] = row[j], min(row[j]+1, row[j-1]+1, diag+cost)
		}
	}
	return row[len(b)]
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
