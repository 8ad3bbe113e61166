package scenario

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/rapport-sim/rapport/internal/textsafe"
)

// This file is the TOML-document toolkit shared by the file formats Rapport
// reads (scenarios here, drills in internal/drill): decoding with positions,
// typed getters that report a wrong value at its line and column, unknown
// keys with a "did you mean", and syntax errors with a picture. A format
// keeps only its own structure and validation; how a problem is found and
// where it points is decided once, here.

// Style is the wording a file format gives the problems a Decoder reports.
// The formats share codes and most messages; where they word something
// differently, the format says so here rather than keeping its own decoder.
type Style struct {
	// TooLargeHint is the hint for a file over MaxFileSize.
	TooLargeHint string
	// TypeName names a value's TOML type in "found …" messages; nil means
	// the package's TypeName.
	TypeName func(v any) string
	// ListExample is the example array in the hint for a key that must be an
	// array of text, such as `["first", "second"]`.
	ListExample string
	// HeaderPaths names an array of tables by its whole header path
	// ([[opener.response]]) in messages; otherwise by its last key
	// ([[response]]).
	HeaderPaths bool
	// SortAllowed lists the allowed words alphabetically in the hint for a
	// value that is not one of them (and is not close to one); otherwise
	// they are listed in the order given.
	SortAllowed bool
	// Severity gives each code's severity; nil means SeverityOf.
	Severity func(Code) Severity
	// Tables caps the [[array]] headers of the format, counted before
	// the file is parsed.
	Tables []TableLimit
}

// Fields maps each key a table allows to the function that decodes its
// value; path is the key's full path, such as "node[2].choice[0].next".
type Fields map[string]func(path string, v any)

// Decoder turns a decoded TOML document into a format's Go values and
// collects every problem as a Diagnostic pointing at the key or value at
// fault. Paths name keys the way they are written, with array elements
// indexed from 0: "title", "node[3].choice[1].next", "tags[2]".
type Decoder struct {
	file  string
	style Style
	pos   *positions
	diags Diagnostics
	// bad holds the paths already reported with the wrong type (or as
	// missing), so validation does not pile a second message on them.
	bad map[string]bool
	// dropped counts problems past MaxDiagnostics, found but not kept;
	// droppedError is set when one of them is an error.
	dropped      int
	droppedError bool
}

// Decode parses src as TOML and returns its top-level table with a Decoder
// that knows where every key and value is written; file names the source
// in diagnostics. ok is false when the file is too large or not TOML; the
// decoder then holds the one diagnostic that says so.
func Decode(file string, src []byte, style Style) (raw map[string]any, d *Decoder, ok bool) {
	return decode(file, src, style, defaultSplit)
}

// decode is Decode splitting large files as sp says.
func decode(file string, src []byte, style Style, sp split) (raw map[string]any, d *Decoder, ok bool) {
	d = &Decoder{file: file, style: style}
	if len(src) > MaxFileSize {
		d.Report(Pos{1, 1}, CodeTooLarge, fmt.Sprintf("file is larger than %d MiB", MaxFileSize>>20), style.TooLargeHint)
		return nil, d, false
	}
	var lay *layout
	if len(src) >= 2*sp.min {
		lay = &layout{}
	}
	if e := scanStructure(src, lay, style.Tables); e != nil {
		d.Report(e.Pos, cmp.Or(e.Code, CodeTooDeep), e.Msg, e.Hint)
		d.diags[len(d.diags)-1].Excerpt = excerptAt(src, e.Pos)
		return nil, d, false
	}
	cuts := cutsFor(src, lay, sp)
	if cuts == nil {
		var err error
		if raw, err = decodeTOML(src, nil, nil); err != nil {
			d.diags = append(d.diags, SyntaxDiagnostic(file, src, err))
			return nil, d, false
		}
		d.pos = indexPositions(src)
		return raw, d, true
	}
	// A long scenario decoded in pieces: index the positions meanwhile.
	// (Only then: a file of another shape, such as 16 MiB of one unclosed
	// array, is likelier to be refused, and its index would be wasted.)
	indexed := make(chan *positions, 1)
	go func() {
		defer func() {
			if recover() != nil {
				indexed <- nil // indexed again below, where it panicked before
			}
		}()
		indexed <- indexPositions(src)
	}()
	raw, err := decodeTOML(src, lay, cuts)
	pos := <-indexed
	if err != nil {
		d.diags = append(d.diags, SyntaxDiagnostic(file, src, err))
		return nil, d, false
	}
	if pos == nil {
		pos = indexPositions(src)
	}
	d.pos = pos
	return raw, d, true
}

// Diagnostics returns the problems reported so far, in the order found.
func (d *Decoder) Diagnostics() Diagnostics { return d.diags }

// Capped sorts ds (the file's diagnostics: the decoder's and any found
// after it) and caps them as Cap does, counting also the problems the
// decoder found past the limit and did not keep.
func (d *Decoder) Capped(ds Diagnostics) Diagnostics {
	return capped(d.file, ds, d.dropped, d.droppedError)
}

// Cap applies the one limit on what is reported for a file to ds, the
// diagnostics of any number of files: each file's are sorted and its first
// MaxDiagnostics kept, followed by one diagnostic (CodeTooMany) that
// counts the rest. A file with 200,000 problems is not a draft to fix line
// by line, and reporting them all took seconds and hundreds of megabytes.
// The count is an error when any problem it stands for is one, and
// otherwise a warning: a long file with 1,200 unreachable nodes is still
// one that can be played. A count already in ds (the parser's, when more
// problems are found after it) is taken into the new one, so a file never
// has two. ds is sorted in place, and what follows a file's first
// MaxDiagnostics in it may be overwritten.
func Cap(ds Diagnostics) Diagnostics {
	ds.Sort()
	var out Diagnostics
	for len(ds) > 0 {
		n := 1
		for n < len(ds) && ds[n].File == ds[0].File {
			n++
		}
		file, hidden, hiddenError := ds[0].File, 0, false
		// Only a count already there needs taking out, on a copy; the
		// analyses of a big scenario find tens of thousands of problems,
		// and copying them all was most of the time this took. Without
		// one, capped writes at most its own count, after the first
		// MaxDiagnostics of this file's n.
		kept := ds[:n:n]
		if slices.ContainsFunc(kept, func(d Diagnostic) bool { return d.Code == CodeTooMany }) {
			kept = slices.DeleteFunc(slices.Clone(kept), func(d Diagnostic) bool {
				if d.Code != CodeTooMany {
					return false
				}
				hidden += d.Hidden
				hiddenError = hiddenError || d.Severity == Error
				return true
			})
		}
		out = append(out, capped(file, kept, hidden, hiddenError)...)
		ds = ds[n:]
	}
	return out
}

// capped sorts ds, one file's diagnostics, and keeps the first
// MaxDiagnostics and a count of the rest and of hidden more problems
// found before (an error when hiddenError is set or any of the rest is).
func capped(file string, ds Diagnostics, hidden int, hiddenError bool) Diagnostics {
	ds.Sort()
	sev := Warning
	if hiddenError {
		sev = Error
	}
	if len(ds) > MaxDiagnostics {
		hidden += len(ds) - MaxDiagnostics
		if ds[MaxDiagnostics:].HasErrors() {
			sev = Error
		}
		ds = ds[:MaxDiagnostics]
	}
	if hidden > 0 {
		p := Pos{1, 1}
		if len(ds) > 0 {
			p = ds[len(ds)-1].Pos
		}
		ds = append(ds, Diagnostic{File: file, Pos: p, Severity: sev, Code: CodeTooMany, Hidden: hidden,
			Message: fmt.Sprintf("%d more problems not shown (at most %d are reported)", hidden, MaxDiagnostics),
			Hint:    "fix the problems above and check again; this many usually means a misspelt header or key repeated throughout, or a file that is not a Rapport file"})
	}
	return ds
}

// Report adds a problem at p, or at the top of the file when p is not a
// position, so every diagnostic points somewhere an editor can jump to.
func (d *Decoder) Report(p Pos, code Code, msg, hint string) {
	if len(d.diags) >= MaxDiagnostics {
		d.drop(code)
		return
	}
	if !p.IsValid() {
		p = Pos{1, 1}
	}
	d.diags = append(d.diags, Diagnostic{File: d.file, Pos: p, Severity: d.severity(code), Code: code, Message: msg, Hint: hint})
}

func (d *Decoder) severity(code Code) Severity {
	if d.style.Severity != nil {
		return d.style.Severity(code)
	}
	return SeverityOf(code)
}

// drop counts a problem found past MaxDiagnostics.
func (d *Decoder) drop(code Code) {
	d.dropped++
	d.droppedError = d.droppedError || d.severity(code) == Error
}

// ReportPath adds a problem at the value written at path (see At). A wrong
// type also marks the path as reported.
func (d *Decoder) ReportPath(path string, code Code, msg, hint string) {
	if code == CodeType {
		d.MarkReported(path)
	}
	d.Report(d.At(path), code, msg, hint)
}

// MarkReported records that the value at path has been reported (or its
// absence has), so later checks can leave it alone.
func (d *Decoder) MarkReported(path string) {
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	d.bad[path] = true
}

// Reported tells whether the value at path itself was marked reported.
func (d *Decoder) Reported(path string) bool { return d.bad[path] }

// At returns the best position for path: its value, else its key, else the
// nearest enclosing table written in the file. An array of tables points at
// its first element. It is not valid when nothing on the path is written.
func (d *Decoder) At(path string) Pos { return d.pos.at(path) }

// KeyAt returns where the key of path is written (a table's header line for
// a table), falling back like At.
func (d *Decoder) KeyAt(path string) Pos { return d.pos.key(path) }

// Written tells whether path itself is written in the file, as a key, a
// header or an array element.
func (d *Decoder) Written(path string) bool {
	return d.pos.has(path)
}

// keys returns the keys of m in the order they appear in the file, so
// diagnostics come out in reading order.
func (d *Decoder) keys(prefix string, m map[string]any) []string {
	ks := d.keyPaths(prefix, m)
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.key
	}
	return out
}

// keyPath is a key of a table with its full path and where it is written.
type keyPath struct {
	key, path string
	at        Pos
}

// keyPaths returns the keys of m, written at prefix, in the order they
// appear in the file (ties, such as keys not written at all, by name),
// each looked up once.
func (d *Decoder) keyPaths(prefix string, m map[string]any) []keyPath {
	ks := make([]keyPath, 0, len(m))
	// The index holds the table's keys in the order it met them: take
	// their positions from there, and look up only keys it lacks.
	if t, ok := d.pos.table(prefix); ok {
		for c := d.pos.node(t).first; c >= 0 && len(ks) < len(m); c = d.pos.node(c).sibling {
			nd := d.pos.node(c)
			if nd.index {
				continue
			}
			if _, in := m[nd.seg]; in {
				p := join(prefix, nd.seg)
				ks = append(ks, keyPath{key: nd.seg, path: p, at: d.pos.keyOf(c, p)})
			}
		}
	}
	if len(ks) < len(m) {
		found := make(map[string]bool, len(ks))
		for _, kp := range ks {
			found[kp.key] = true
		}
		for k := range m {
			if !found[k] {
				p := join(prefix, k)
				ks = append(ks, keyPath{key: k, path: p, at: d.pos.key(p)})
			}
		}
	}
	slices.SortFunc(ks, func(a, b keyPath) int {
		if a.at.Line != b.at.Line {
			return a.at.Line - b.at.Line
		}
		if a.at.Col != b.at.Col {
			return a.at.Col - b.at.Col
		}
		return strings.Compare(a.key, b.key)
	})
	return ks
}

// Table decodes the table m, written at prefix, key by key in file order,
// reporting every key fields lacks as unknown in what ("[customer]").
func (d *Decoder) Table(prefix, what string, m map[string]any, fields Fields) {
	for _, kp := range d.keyPaths(prefix, m) {
		k, p := kp.key, kp.path
		f, ok := fields[k]
		if !ok && len(d.diags) >= MaxDiagnostics {
			d.drop(CodeUnknownKey) // no hint to work out for a problem not shown
			continue
		}
		if !ok {
			known := make([]string, 0, len(fields))
			for name := range fields {
				known = append(known, name)
			}
			slices.Sort(known)
			d.Report(kp.at, CodeUnknownKey, fmt.Sprintf("unknown key %q in %s", k, what),
				DidYouMean(k, known, "the keys allowed here are"))
			continue
		}
		f(p, m[k])
	}
}

func (d *Decoder) typeName(v any) string {
	if d.style.TypeName != nil {
		return d.style.TypeName(v)
	}
	return TypeName(v)
}

// header names the array of tables at path in messages.
func (d *Decoder) header(path string) string {
	if d.style.HeaderPaths {
		return headerPath(path)
	}
	return lastKey(path)
}

// Str decodes text into dst and reports whether v was text.
func (d *Decoder) Str(path string, v any, dst *string) bool {
	s, ok := v.(string)
	if !ok {
		d.ReportPath(path, CodeType, fmt.Sprintf("%s must be text, found %s", lastKey(path), d.typeName(v)),
			fmt.Sprintf(`put the value in quotes: %s = "…"`, lastKey(path)))
		return false
	}
	*dst = s
	return true
}

// Int decodes a whole number from lo to hi into dst and reports whether it
// was one.
func (d *Decoder) Int(path string, v any, lo, hi int, dst *int) bool {
	n, ok := v.(int64)
	if !ok {
		d.ReportPath(path, CodeType, fmt.Sprintf("%s must be a whole number, found %s", lastKey(path), d.typeName(v)),
			fmt.Sprintf("write a number from %d to %d without quotes", lo, hi))
		return false
	}
	if n < int64(lo) || n > int64(hi) {
		d.ReportPath(path, CodeRange, fmt.Sprintf("%s is %d, outside %d–%d", lastKey(path), n, lo, hi),
			fmt.Sprintf("use a value from %d to %d", lo, hi))
		return false
	}
	*dst = int(n)
	return true
}

// Strings decodes an array of text onto dst. An element that is not text is
// reported and appended empty, so indices in dst stay those of the file.
func (d *Decoder) Strings(path string, v any, dst *[]string) {
	arr, ok := v.([]any)
	if !ok {
		d.ReportPath(path, CodeType, fmt.Sprintf("%s must be an array of text, found %s", lastKey(path), d.typeName(v)),
			fmt.Sprintf(`write it as %s = %s`, lastKey(path), d.style.ListExample))
		return
	}
	for i, el := range arr {
		var s string
		d.Str(fmt.Sprintf("%s[%d]", path, i), el, &s)
		*dst = append(*dst, s)
	}
}

// Lines decodes one string or an array of strings, as lines of speech.
func (d *Decoder) Lines(path string, v any, dst *[]string) {
	if s, ok := v.(string); ok {
		*dst = []string{s}
		return
	}
	if _, ok := v.([]any); ok {
		d.Strings(path, v, dst)
		return
	}
	d.ReportPath(path, CodeType, fmt.Sprintf("%s must be text or an array of text lines, found %s", lastKey(path), d.typeName(v)),
		fmt.Sprintf(`write %s = "…" or %s = ["first line", "second line"]`, lastKey(path), lastKey(path)))
}

// Tables decodes an array of tables ([[name]] blocks), reporting elements
// that are not tables and leaving them out.
func (d *Decoder) Tables(path string, v any) []map[string]any {
	switch t := v.(type) {
	case []map[string]any:
		return t
	case []any:
		out := make([]map[string]any, 0, len(t))
		for i, el := range t {
			m, ok := el.(map[string]any)
			if !ok {
				d.ReportPath(fmt.Sprintf("%s[%d]", path, i), CodeType, fmt.Sprintf("each %s must be a table", lastKey(path)),
					fmt.Sprintf("write each one under its own [[%s]] header", d.header(path)))
				continue
			}
			out = append(out, m)
		}
		return out
	}
	d.ReportPath(path, CodeType, fmt.Sprintf("%s must be a list of [[%s]] tables, found %s", lastKey(path), d.header(path), d.typeName(v)),
		fmt.Sprintf("start each one with a [[%s]] header line", d.header(path)))
	return nil
}

// OneOf decodes text that must be one of allowed into dst and reports
// whether it was.
func (d *Decoder) OneOf(path string, v any, allowed []string, dst *string) bool {
	var s string
	if !d.Str(path, v, &s) {
		return false
	}
	if !slices.Contains(allowed, s) {
		listed := allowed
		if d.style.SortAllowed {
			listed = slices.Sorted(slices.Values(allowed))
		}
		d.ReportPath(path, CodeBadValue, fmt.Sprintf("%s %q is not one of %s", lastKey(path), s, strings.Join(allowed, ", ")),
			DidYouMean(s, listed, "use one of"))
		return false
	}
	*dst = s
	return true
}

// TypeName names the TOML type of a decoded value for messages such as
// "anger must be a whole number, found a string".
func TypeName(v any) string {
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

// lastKey is the last key of a path, without array indices.
func lastKey(path string) string {
	path = strings.TrimRight(path, "]0123456789[")
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// headerPath turns "opener[3].response" into "opener.response", the header
// an author writes for that array of tables.
func headerPath(path string) string {
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

// Suggest returns the word of known closest to word (compared in lower
// case) when it is at most two edits away, or "" when none is. Ties go to
// the word first in alphabetical order. known is not modified.
func Suggest(word string, known []string) string {
	return Nearest(strings.ToLower(word), slices.Sorted(slices.Values(known)), 2)
}

// Nearest returns the word of known at the fewest edits from word, if that
// is at most maxEdits, or "". Ties go to the word that comes first in
// known; the comparison is exact, so case counts as an edit.
func Nearest(word string, known []string, maxEdits int) string {
	best, bestDist := "", maxEdits+1
	for _, c := range known {
		// Lengths further apart than maxEdits are further apart in edits
		// too: a 16 MiB key is not compared letter by letter.
		if abs(len(word)-len(c)) > maxEdits {
			continue
		}
		if dist := EditDistance(word, c); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

// DidYouMean is the hint for a word that is not one of known: `did you
// mean "x"?` when Suggest finds one close enough, else lead, a colon and
// every known word in the order given.
func DidYouMean(word string, known []string, lead string) string {
	if near := Suggest(word, known); near != "" {
		return fmt.Sprintf("did you mean %q?", near)
	}
	return lead + ": " + strings.Join(known, ", ")
}

// EditDistance is the Levenshtein distance between a and b, counted in
// bytes: the words it compares are keys, ids and flags.
func abs(n int) int { return max(n, -n) }

func EditDistance(a, b string) int {
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
	dg.Message = "TOML syntax: " + textsafe.Text(perr.Message)
	dg.Hint = "check the quotes, brackets and '=' on this line"
	if u := strings.TrimSpace(perr.Usage); u != "" {
		dg.Hint = firstSentence(u)
	}
	// The byte offset is exact; the parser's line number is not after a
	// CRLF line ending (an unclosed string was reported a line early).
	off := perr.Position.Start
	switch {
	case off >= 0 && off <= len(src):
		if off > 0 && off < len(src) && src[off] == '\n' && src[off-1] == '\r' {
			off-- // point at the end of the line, as with LF endings
		}
		dg.Pos = offsetPos(src, off)
	case perr.Position.Line >= 1:
		dg.Pos = Pos{perr.Position.Line, max(perr.Position.Col, 1)}
	}
	if p, hint := syntaxHint(src, off, perr.Message); hint != "" {
		dg.Hint = hint
		if p.IsValid() {
			dg.Pos = p
		}
	}
	dg.Excerpt = excerptAt(src, dg.Pos)
	return dg
}

// syntaxHint recognises the syntax errors authors make most and says how to
// fix each; p, when valid, is a better place to point at than the parser's.
func syntaxHint(src []byte, off int, msg string) (p Pos, hint string) {
	// The parser may give no offset (-1) or one past the end.
	off = min(max(off, 0), len(src))
	line := src[bytes.LastIndexByte(src[:off], '\n')+1:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	switch {
	case strings.ContainsAny(msg, "“”‘’„«»"):
		return Pos{}, `use straight quotes (") around text: an editor or word processor put curly quotes here; turn off its "smart quotes"`
	case strings.Contains(msg, "strings cannot contain newlines"):
		return Pos{}, `close the string with a quote before the end of the line; for text over several lines use """ at both ends`
	case strings.HasPrefix(msg, "unexpected EOF; expected '"):
		delim := strings.TrimSuffix(strings.TrimPrefix(msg, "unexpected EOF; expected '"), "'")
		if strings.Trim(delim, `"'`) != "" {
			return Pos{}, ""
		}
		// The string runs to the end of the file: point at where it opens.
		if i := bytes.LastIndex(src, []byte(delim)); i >= 0 {
			p = offsetPos(src, i)
		}
		return p, fmt.Sprintf("this string is never closed: end it with %s", delim)
	case strings.Contains(msg, "has already been defined"):
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '[' {
			return Pos{}, "a [table] can be written only once: keys that come after a sub-table's header belong to the sub-table, " +
				"so put all of the table's own keys above its first sub-table and remove this header"
		}
		return Pos{}, "each key belongs to the nearest [header] above it: if this key is meant for an outer table " +
			"(a node's say after its [[node.choice]]), move it above that header; otherwise remove the repeat"
	}
	return Pos{}, ""
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
		fmt.Fprintf(&b, "%5d | %s\n", p.Line-1, textsafe.Text(lines[p.Line-2]))
	}
	cur := lines[p.Line-1]
	fmt.Fprintf(&b, "%5d | %s\n", p.Line, textsafe.Text(cur))
	col := min(p.Col, len(cur)+1)
	// One space per character drawn before the column (textsafe.Text turned tabs
	// into single spaces on the line above too), so the caret lines up.
	pad := strings.Repeat(" ", utf8.RuneCountInString(textsafe.Text(cur[:max(0, col-1)])))
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
