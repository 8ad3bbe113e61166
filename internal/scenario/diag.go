package scenario

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Severity says whether a diagnostic stops a scenario from being played.
type Severity int

// Severities, from most to least serious.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity as "error" or "warning" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Code is a stable diagnostic code. A code is never reused for another
// meaning, so trainers can search for it and CI can filter on it.
type Code string

// The diagnostic codes, grouped by kind: RP00x file and syntax, RP01x
// structure and values, RP02x references, RP03x reachability, RP04x text.
// Codes from RP100 up belong to the authoring analyses above this package.
const (
	CodeSyntax       Code = "RP001" // TOML does not parse
	CodeTooLarge     Code = "RP002" // file over the size limit
	CodeUnknownKey   Code = "RP003" // key the format does not have
	CodeType         Code = "RP004" // value of the wrong type
	CodeMissing      Code = "RP005" // required key absent
	CodeBadValue     Code = "RP006" // value not one of the allowed words
	CodeRange        Code = "RP007" // number outside its range
	CodeEmptyText    Code = "RP008" // text that is empty
	CodeControl      Code = "RP009" // control characters or escape sequences in text
	CodeChoiceCount  Code = "RP010" // fewer than 2 or more than 6 choices
	CodeBadID        Code = "RP011" // id not in kebab-case
	CodeTooManyNodes Code = "RP012" // graph over the node limit
	CodeTooDeep      Code = "RP013" // nesting or dotted keys past the structural limits
	CodeTooLong      Code = "RP014" // a conversation longer than MaxTurns choices
	CodeTooMany      Code = "RP015" // more problems than MaxDiagnostics; the rest are counted
	CodeDuplicateID  Code = "RP020" // two nodes or endings share an id
	CodeDangling     Code = "RP021" // next or start points nowhere
	CodeBadCond      Code = "RP022" // condition does not parse
	CodeUnsetFlag    Code = "RP023" // condition reads a flag nothing sets
	CodeWalkout      Code = "RP024" // walkout ending is not a loss
	CodeBadTest      Code = "RP025" // author test that does not fit the scenario
	CodeLibraryDupID Code = "RP026" // two scenarios in one library share an id
	CodeFileName     Code = "RP027" // scenario id does not match its file name
	CodeUnreachable  Code = "RP030" // node or ending cannot be reached
	CodeNoEnding     Code = "RP031" // no ending reachable from a node
	CodeUnusedFlag   Code = "RP032" // flag set but never read
	CodeCondTrap     Code = "RP033" // the only way to an ending needs a condition that can never hold
	CodePlaceholder  Code = "RP041" // a {placeholder} other than {agent}, or {agent} where it is not filled
)

// Codes lists the format's codes in order, for docs and tests.
func Codes() []Code {
	return []Code{CodeSyntax, CodeTooLarge, CodeUnknownKey, CodeType, CodeMissing, CodeBadValue, CodeRange,
		CodeEmptyText, CodeControl, CodeChoiceCount, CodeBadID, CodeTooManyNodes, CodeDuplicateID, CodeDangling,
		CodeBadCond, CodeUnsetFlag, CodeWalkout, CodeBadTest, CodeLibraryDupID, CodeFileName, CodeUnreachable,
		CodeNoEnding, CodeUnusedFlag, CodeCondTrap, CodePlaceholder}
}

// SeverityOf returns the severity a code is reported with: the one place
// each code's severity is fixed. Every code not named here is an Error.
func SeverityOf(c Code) Severity {
	switch c {
	case CodeUnreachable, CodeUnusedFlag, CodeFileName:
		return Warning
	}
	return Error
}

// Diagnostic is one problem found in a scenario file.
type Diagnostic struct {
	File     string   `json:"file"`
	Pos      Pos      `json:"-"`
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	// Excerpt is the TOML parser's picture of a syntax error, with a caret
	// under the offending text.
	Excerpt string `json:"excerpt,omitempty"`
	// Hidden is, on the CodeTooMany diagnostic that ends a capped file,
	// how many problems it stands for.
	Hidden int `json:"hidden,omitempty"`
}

// String formats the diagnostic as "file:line:col: severity: message [code]".
func (d Diagnostic) String() string {
	where := d.File
	if d.Pos.IsValid() {
		where = fmt.Sprintf("%s:%d:%d", d.File, d.Pos.Line, d.Pos.Col)
	}
	return fmt.Sprintf("%s: %s: %s [%s]", where, d.Severity, shownMessage(d.Message), d.Code)
}

// maxShownMessage bounds a message as printed. Messages quote what the
// file says (a key, an id, a value), and a file may hold a 16 MiB key: the
// whole of it in a terminal or an editor's problem list helps nobody.
const maxShownMessage = 400

// shownMessage is msg cut to maxShownMessage bytes at a character boundary,
// saying how much was left out.
func shownMessage(msg string) string {
	if len(msg) <= maxShownMessage {
		return msg
	}
	cut := maxShownMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", msg[:cut], len(msg)-cut)
}

// plainDiagnostic is a Diagnostic without its MarshalJSON, so marshalling
// it does not recurse.
type plainDiagnostic Diagnostic

func plainOf(d Diagnostic) plainDiagnostic {
	d.Message = shownMessage(d.Message)
	return plainDiagnostic(d)
}

// Diagnostics is a list of problems, usually from one file.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns only the errors.
func (ds Diagnostics) Errors() Diagnostics {
	return slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Severity != Error })
}

// Warnings returns only the warnings.
func (ds Diagnostics) Warnings() Diagnostics {
	return slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Severity != Warning })
}

// Sort orders diagnostics by file, line and column.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
		)
	})
}

// Error makes the list usable as an error: each diagnostic on a line, errors
// only, so a caller that cannot show a list still says everything.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds.Errors() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// MarshalJSON writes the position as flat line and column fields, the shape
// editors and CI annotations expect.
func (d Diagnostic) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		plainDiagnostic
		Line   int `json:"line"`
		Column int `json:"column"`
	}{plainOf(d), d.Pos.Line, d.Pos.Col})
}
