package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Limits that keep a hostile or broken file from hanging the loader.
const (
	// MaxFileSize is the largest scenario file accepted, in bytes.
	MaxFileSize = 1 << 20
	// MaxNodes is the largest number of nodes plus endings in one scenario.
	MaxNodes = 10_000
	// MinChoices and MaxChoices bound the choices at one node.
	MinChoices = 2
	MaxChoices = 6
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

// Parse decodes and validates a scenario from its bytes. file names the
// source in diagnostics.
func Parse(file string, src []byte) (*Scenario, Diagnostics) {
	d := &decoder{file: file}
	if len(src) > MaxFileSize {
		d.errAt(Pos{1, 1}, CodeTooLarge, fmt.Sprintf("file is larger than %d KiB", MaxFileSize>>10),
			"split the conversation into smaller scenarios; a real call fits in far less")
		return nil, d.diags
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		d.syntax(src, err)
		return nil, d.diags
	}
	d.pos = indexPositions(src)
	sum := sha256.Sum256(src)
	sc := d.scenario(raw)
	sc.File = file
	sc.Hash = hex.EncodeToString(sum[:])
	sc.Index()
	d.diags = append(d.diags, validate(sc, d.pos, d.bad)...)
	for i := range d.diags {
		d.diags[i].File = file
	}
	d.diags.Sort()
	return sc, d.diags
}

type decoder struct {
	file  string
	pos   positions
	diags Diagnostics
	// bad holds the paths already reported with the wrong type, so
	// validation does not pile a second message on the same value.
	bad map[string]bool
}

func (d *decoder) errAt(p Pos, code Code, msg, hint string) {
	if !p.IsValid() {
		p = Pos{1, 1} // every diagnostic points somewhere an editor can jump to
	}
	d.diags = append(d.diags, Diagnostic{File: d.file, Pos: p, Severity: SeverityOf(code), Code: code, Message: msg, Hint: hint})
}

func (d *decoder) err(path string, code Code, msg, hint string) {
	if code == CodeType {
		d.markBad(path)
	}
	d.errAt(d.pos.at(path), code, msg, hint)
}

func (d *decoder) markBad(path string) {
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	d.bad[path] = true
}

func (d *decoder) syntax(src []byte, err error) {
	d.diags = append(d.diags, SyntaxDiagnostic(d.file, src, err))
}

// SyntaxDiagnostic turns a BurntSushi/toml decode error into a diagnostic
// with a position, a hint and an excerpt of the offending line. It does not
// use the parser's own ErrorWithPosition, which panics when the parser
// reports line 0 (seen with an unterminated string at the end of input).
func SyntaxDiagnostic(file string, src []byte, err error) Diagnostic {
	dg := Diagnostic{File: file, Pos: Pos{1, 1}, Severity: Error, Code: CodeSyntax,
		Message: "TOML syntax: " + err.Error(), Hint: "check the file is TOML"}
	var perr toml.ParseError
	if !errors.As(err, &perr) {
		return dg
	}
	dg.Message = "TOML syntax: " + Sanitize(perr.Message)
	dg.Hint = "check the quotes, brackets and '=' on this line"
	if u := strings.TrimSpace(perr.Usage); u != "" {
		dg.Hint = firstSentence(u)
	}
	dg.Pos = offsetPos(src, perr.Position.Start)
	if perr.Position.Line >= 1 {
		dg.Pos = Pos{perr.Position.Line, max(perr.Position.Col, 1)}
	}
	dg.Excerpt = excerptAt(src, dg.Pos)
	return dg
}

// offsetPos converts a byte offset into a line and column.
func offsetPos(src []byte, off int) Pos {
	off = max(0, min(off, len(src)))
	line := 1 + strings.Count(string(src[:off]), "\n")
	col := off - strings.LastIndexByte(string(src[:off]), '\n')
	return Pos{line, col}
}

// excerptAt shows the line at p and the one before it, numbered, with a
// caret under the column, the way compilers do.
func excerptAt(src []byte, p Pos) string {
	lines := strings.Split(string(src), "\n")
	if p.Line < 1 || p.Line > len(lines) {
		return ""
	}
	var b strings.Builder
	if p.Line > 1 {
		fmt.Fprintf(&b, "%5d | %s\n", p.Line-1, Sanitize(lines[p.Line-2]))
	}
	cur := lines[p.Line-1]
	fmt.Fprintf(&b, "%5d | %s\n", p.Line, Sanitize(cur))
	col := min(p.Col, len(cur)+1)
	// One space per character drawn before the column (Sanitize turned tabs
	// into single spaces on the line above too), so the caret lines up.
	pad := strings.Repeat(" ", utf8.RuneCountInString(Sanitize(cur[:max(0, col-1)])))
	fmt.Fprintf(&b, "        %s^", pad)
	return b.String()
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

// keys returns the keys of m in the order they appear in the file, so
// diagnostics come out in reading order.
func (d *decoder) keys(prefix string, m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := d.pos.key(join(prefix, ks[i])), d.pos.key(join(prefix, ks[j]))
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ks[i] < ks[j]
	})
	return ks
}

// table checks m's keys against the known ones and calls each handler.
func (d *decoder) table(prefix, what string, m map[string]any, fields map[string]func(path string, v any)) {
	for _, k := range d.keys(prefix, m) {
		p := join(prefix, k)
		f, ok := fields[k]
		if !ok {
			known := make([]string, 0, len(fields))
			for name := range fields {
				known = append(known, name)
			}
			d.errAt(d.pos.key(p), CodeUnknownKey, fmt.Sprintf("unknown key %q in %s", k, what), suggest(k, known))
			continue
		}
		f(p, m[k])
	}
}

func suggest(k string, known []string) string {
	slices.Sort(known)
	best, bestDist := "", 3
	for _, c := range known {
		if dist := editDistance(strings.ToLower(k), c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "the keys allowed here are: " + strings.Join(known, ", ")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a whole number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

func (d *decoder) str(path string, v any, dst *string) {
	s, ok := v.(string)
	if !ok {
		d.err(path, CodeType, fmt.Sprintf("%s must be text, found %s", lastKey(path), typeName(v)),
			fmt.Sprintf(`put the value in quotes: %s = "…"`, lastKey(path)))
		return
	}
	*dst = s
}

func (d *decoder) num(path string, v any, lo, hi int, dst *int) {
	n, ok := v.(int64)
	if !ok {
		d.err(path, CodeType, fmt.Sprintf("%s must be a whole number, found %s", lastKey(path), typeName(v)),
			fmt.Sprintf("write a number from %d to %d without quotes", lo, hi))
		return
	}
	if n < int64(lo) || n > int64(hi) {
		d.err(path, CodeRange, fmt.Sprintf("%s is %d, outside %d–%d", lastKey(path), n, lo, hi),
			fmt.Sprintf("use a value from %d to %d", lo, hi))
		return
	}
	*dst = int(n)
}

func (d *decoder) strList(path string, v any, dst *[]string) {
	arr, ok := v.([]any)
	if !ok {
		d.err(path, CodeType, fmt.Sprintf("%s must be an array of text, found %s", lastKey(path), typeName(v)),
			fmt.Sprintf(`write it as %s = ["first", "second"]`, lastKey(path)))
		return
	}
	for i, el := range arr {
		var s string
		d.str(fmt.Sprintf("%s[%d]", path, i), el, &s)
		*dst = append(*dst, s)
	}
}

// lines accepts one string or an array of strings.
func (d *decoder) lines(path string, v any, dst *[]string) {
	if s, ok := v.(string); ok {
		*dst = []string{s}
		return
	}
	if _, ok := v.([]any); ok {
		d.strList(path, v, dst)
		return
	}
	d.err(path, CodeType, fmt.Sprintf("%s must be text or an array of text lines, found %s", lastKey(path), typeName(v)),
		fmt.Sprintf(`write %s = "…" or %s = ["first line", "second line"]`, lastKey(path), lastKey(path)))
}

func (d *decoder) tables(path string, v any) []map[string]any {
	switch t := v.(type) {
	case []map[string]any:
		return t
	case []any:
		out := make([]map[string]any, 0, len(t))
		for i, el := range t {
			m, ok := el.(map[string]any)
			if !ok {
				d.err(fmt.Sprintf("%s[%d]", path, i), CodeType, fmt.Sprintf("each %s must be a table", lastKey(path)),
					fmt.Sprintf("write each one under its own [[%s]] header", lastKey(path)))
				continue
			}
			out = append(out, m)
		}
		return out
	}
	d.err(path, CodeType, fmt.Sprintf("%s must be a list of [[%s]] tables, found %s", lastKey(path), lastKey(path), typeName(v)),
		fmt.Sprintf("start each one with a [[%s]] header line", lastKey(path)))
	return nil
}

func (d *decoder) cond(path string, v any, dst *Cond) {
	var src string
	d.str(path, v, &src)
	if _, ok := v.(string); !ok {
		return
	}
	c, err := ParseCond(src)
	if err != nil {
		var ce *CondError
		errors.As(err, &ce)
		p := d.pos.at(path)
		if p.IsValid() {
			p.Col += 1 + ce.Offset // past the opening quote
		}
		d.errAt(p, CodeBadCond, fmt.Sprintf("condition %q: %s", src, ce.Msg), ce.Hint)
		return
	}
	*dst = c
}

func lastKey(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func (d *decoder) oneOf(path string, v any, allowed []string, dst *string) {
	var s string
	d.str(path, v, &s)
	if _, ok := v.(string); !ok {
		return
	}
	if !slices.Contains(allowed, s) {
		d.err(path, CodeBadValue, fmt.Sprintf("%s %q is not one of %s", lastKey(path), s, strings.Join(allowed, ", ")),
			suggestValue(s, allowed))
		return
	}
	*dst = s
}

func suggestValue(s string, allowed []string) string {
	h := suggest(s, slices.Clone(allowed))
	if strings.HasPrefix(h, "did you mean") {
		return h
	}
	return "use one of: " + strings.Join(allowed, ", ")
}

func words[T ~string](xs []T) []string {
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
	d.table("", "the scenario", raw, map[string]func(string, any){
		"id":         func(p string, v any) { d.str(p, v, &sc.ID) },
		"title":      func(p string, v any) { d.str(p, v, &sc.Title) },
		"summary":    func(p string, v any) { d.str(p, v, &sc.Summary) },
		"channel":    func(p string, v any) { d.oneOf(p, v, words(Channels), &channel) },
		"difficulty": func(p string, v any) { d.oneOf(p, v, words(Difficulties), &difficulty) },
		"tags":       func(p string, v any) { d.strList(p, v, &sc.Tags) },
		"author":     func(p string, v any) { d.str(p, v, &sc.Author) },
		"version":    func(p string, v any) { d.str(p, v, &sc.Version) },
		"start":      func(p string, v any) { d.str(p, v, &sc.Start) },
		"walkout":    func(p string, v any) { d.str(p, v, &sc.Walkout) },
		"customer": func(p string, v any) {
			customerSeen = true
			m, ok := v.(map[string]any)
			if !ok {
				d.err(p, CodeType, "customer must be a table", "start it with a [customer] header line")
				return
			}
			sc.Customer = d.customer(p, m)
		},
		"node": func(p string, v any) {
			for i, m := range d.tables(p, v) {
				sc.Nodes = append(sc.Nodes, d.node(fmt.Sprintf("%s[%d]", p, i), m))
			}
		},
		"ending": func(p string, v any) {
			for i, m := range d.tables(p, v) {
				sc.Endings = append(sc.Endings, d.ending(fmt.Sprintf("%s[%d]", p, i), m))
			}
		},
		"test": func(p string, v any) {
			for i, m := range d.tables(p, v) {
				sc.Tests = append(sc.Tests, d.test(fmt.Sprintf("%s[%d]", p, i), m))
			}
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
			d.errAt(Pos{1, 1}, CodeMissing, fmt.Sprintf("the scenario has no %s", req.key), req.hint)
		}
	}
	if !customerSeen {
		d.markBad("customer")
		d.errAt(Pos{1, 1}, CodeMissing, "the scenario has no [customer] table",
			"add a [customer] table with name, persona and the starting apprehension, anger, trust and patience")
	}
	if len(sc.Nodes) == 0 {
		d.errAt(Pos{1, 1}, CodeMissing, "the scenario has no [[node]]", "add at least one [[node]] with what the customer says and the trainee's choices")
	}
	if len(sc.Endings) == 0 {
		d.errAt(Pos{1, 1}, CodeMissing, "the scenario has no [[ending]]", "add at least one [[ending]] with an id, an outcome and closing text")
	}
	return sc
}

func (d *decoder) customer(prefix string, m map[string]any) Customer {
	c := Customer{Pos: d.pos.key(prefix), Start: Mood{Apprehension: 50, Anger: 0, Trust: 50, Patience: 100}}
	d.table(prefix, "[customer]", m, map[string]func(string, any){
		"name":         func(p string, v any) { d.str(p, v, &c.Name) },
		"persona":      func(p string, v any) { d.str(p, v, &c.Persona) },
		"voice":        func(p string, v any) { d.str(p, v, &c.Voice) },
		"mode":         func(p string, v any) { d.oneOf(p, v, []string{"see", "hear", "feel"}, &c.Mode) },
		"apprehension": func(p string, v any) { d.num(p, v, 0, 100, &c.Start.Apprehension) },
		"anger":        func(p string, v any) { d.num(p, v, 0, 100, &c.Start.Anger) },
		"trust":        func(p string, v any) { d.num(p, v, 0, 100, &c.Start.Trust) },
		"patience":     func(p string, v any) { d.num(p, v, 1, 100, &c.Start.Patience) },
	})
	if c.Name == "" && m["name"] == nil {
		d.errAt(c.Pos, CodeMissing, "[customer] has no name", `add name = "…": trainees should use it`)
	}
	return c
}

func (d *decoder) node(prefix string, m map[string]any) *Node {
	n := &Node{Pos: d.pos.key(prefix)}
	d.table(prefix, "[[node]]", m, map[string]func(string, any){
		"id":  func(p string, v any) { d.str(p, v, &n.ID) },
		"say": func(p string, v any) { d.lines(p, v, &n.Say) },
		"variant": func(p string, v any) {
			for i, vm := range d.tables(p, v) {
				vp := fmt.Sprintf("%s[%d]", p, i)
				va := &Variant{Pos: d.pos.key(vp)}
				d.table(vp, "[[node.variant]]", vm, map[string]func(string, any){
					"when": func(p string, v any) { d.cond(p, v, &va.When) },
					"say":  func(p string, v any) { d.lines(p, v, &va.Say) },
				})
				if vm["when"] == nil {
					d.errAt(va.Pos, CodeMissing, "variant has no when", `say when it applies: when = "anger >= 70"`)
				}
				if vm["say"] == nil {
					d.errAt(va.Pos, CodeMissing, "variant has no say", "give the customer's line for this state")
				}
				n.Variants = append(n.Variants, va)
			}
		},
		"choice": func(p string, v any) {
			for i, cm := range d.tables(p, v) {
				c := d.choice(fmt.Sprintf("%s[%d]", p, i), cm)
				c.Number = i + 1
				n.Choices = append(n.Choices, c)
			}
		},
	})
	if m["id"] == nil {
		d.errAt(n.Pos, CodeMissing, "node has no id", `add id = "…" (kebab-case, unique in the file)`)
	}
	if m["say"] == nil {
		d.errAt(n.Pos, CodeMissing, fmt.Sprintf("node %q has no say", n.ID), "write what the customer says here")
	}
	return n
}

func (d *decoder) choice(prefix string, m map[string]any) *Choice {
	c := &Choice{Pos: d.pos.key(prefix)}
	d.table(prefix, "[[node.choice]]", m, map[string]func(string, any){
		"say":      func(p string, v any) { d.str(p, v, &c.Say) },
		"next":     func(p string, v any) { d.str(p, v, &c.Next) },
		"sets":     func(p string, v any) { d.strList(p, v, &c.Sets) },
		"clears":   func(p string, v any) { d.strList(p, v, &c.Clears) },
		"when":     func(p string, v any) { d.cond(p, v, &c.When) },
		"feedback": func(p string, v any) { d.str(p, v, &c.Feedback) },
		"tags":     func(p string, v any) { d.strList(p, v, &c.Tags) },
		"effects": func(p string, v any) {
			em, ok := v.(map[string]any)
			if !ok {
				d.err(p, CodeType, "effects must be a table", "write effects = { anger = -10, trust = 5 }")
				return
			}
			fields := map[string]func(string, any){}
			for _, st := range Stats {
				fields[st.String()] = func(p string, v any) {
					var n int
					d.num(p, v, -100, 100, &n)
					c.Effects.Set(st, n)
				}
			}
			d.table(p, "effects", em, fields)
		},
	})
	if m["say"] == nil {
		d.errAt(c.Pos, CodeMissing, "choice has no say", "write what the trainee says")
	}
	if m["next"] == nil {
		d.errAt(c.Pos, CodeMissing, "choice has no next", "name the node or ending this choice leads to: next = \"…\"")
	}
	return c
}

func (d *decoder) ending(prefix string, m map[string]any) *Ending {
	e := &Ending{Pos: d.pos.key(prefix)}
	var outcome string
	d.table(prefix, "[[ending]]", m, map[string]func(string, any){
		"id":      func(p string, v any) { d.str(p, v, &e.ID) },
		"outcome": func(p string, v any) { d.oneOf(p, v, words(Outcomes), &outcome) },
		"say":     func(p string, v any) { d.lines(p, v, &e.Say) },
	})
	e.Outcome = Outcome(outcome)
	if m["id"] == nil {
		d.errAt(e.Pos, CodeMissing, "ending has no id", `add id = "…" (kebab-case, unique in the file)`)
	}
	if m["outcome"] == nil {
		d.errAt(e.Pos, CodeMissing, fmt.Sprintf("ending %q has no outcome", e.ID), "add outcome = one of "+strings.Join(words(Outcomes), ", "))
	}
	if m["say"] == nil {
		d.errAt(e.Pos, CodeMissing, fmt.Sprintf("ending %q has no say", e.ID), "write the closing text the trainee sees")
	}
	return e
}

func (d *decoder) test(prefix string, m map[string]any) *Test {
	t := &Test{Pos: d.pos.key(prefix)}
	bounds := func(dst *map[string]int) func(string, any) {
		return func(p string, v any) {
			bm, ok := v.(map[string]any)
			if !ok {
				d.err(p, CodeType, fmt.Sprintf("%s must be a table, found %s", lastKey(p), typeName(v)),
					fmt.Sprintf("write %s = { empathy = 80, overall = 70 }", lastKey(p)))
				return
			}
			*dst = map[string]int{}
			fields := map[string]func(string, any){}
			for _, k := range TestScores {
				fields[k] = func(p string, v any) {
					n := -1
					d.num(p, v, 0, 100, &n)
					if n >= 0 {
						(*dst)[k] = n
					}
				}
			}
			d.table(p, "test "+lastKey(p), bm, fields)
		}
	}
	d.table(prefix, "[[test]]", m, map[string]func(string, any){
		"name":   func(p string, v any) { d.str(p, v, &t.Name) },
		"ending": func(p string, v any) { d.str(p, v, &t.Ending) },
		"min":    bounds(&t.Min),
		"max":    bounds(&t.Max),
		"choices": func(p string, v any) {
			arr, ok := v.([]any)
			if !ok {
				d.err(p, CodeType, fmt.Sprintf("choices must be an array of choice numbers, found %s", typeName(v)),
					"write choices = [2, 1, 3]: the choice taken at each node, numbered from 1 in file order")
				return
			}
			for i, el := range arr {
				ep := fmt.Sprintf("%s[%d]", p, i)
				n := 0
				d.num(ep, el, 1, MaxChoices, &n)
				t.Choices = append(t.Choices, n)
				t.ChoicePos = append(t.ChoicePos, d.pos.at(ep))
			}
		},
	})
	if m["name"] == nil {
		d.errAt(t.Pos, CodeMissing, "test has no name", `name it for the report: name = "caring path"`)
	}
	if m["choices"] == nil {
		d.markBad(prefix + ".choices")
		d.errAt(t.Pos, CodeMissing, fmt.Sprintf("test %q has no choices", t.Name), "list the choice taken at each node: choices = [2, 1, 3]")
	}
	return t
}

// LoadDir loads every *.toml file at the top of fsys (sorted by name), the
// way the embedded library and --scenarios folders are read. Files with
// errors are left out of the returned scenarios but their diagnostics are
// returned.
func LoadDir(fsys fs.FS) ([]*Scenario, Diagnostics, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, nil, fmt.Errorf("list scenarios: %w", err)
	}
	var out []*Scenario
	var all Diagnostics
	for _, name := range names {
		if IsDrillFile(name) {
			continue
		}
		sc, diags, err := Load(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, diags...)
		if sc != nil && !diags.HasErrors() {
			out = append(out, sc)
		}
	}
	return out, all, nil
}

// IsDrillFile reports whether a file in a scenario folder holds drills
// rather than a scenario (drill files are named drill-*.toml).
func IsDrillFile(name string) bool { return strings.HasPrefix(path.Base(name), "drill-") }
