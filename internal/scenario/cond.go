package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Cond is a `when` condition: clauses joined by "and", each either a
// comparison of a scale with a number ("anger >= 70") or a flag ("promised_callback",
// "not promised_callback"). The zero Cond always holds.
type Cond struct {
	// Src is the condition as written, for messages.
	Src     string
	Clauses []Clause
}

// Clause is one part of a condition.
type Clause struct {
	// Flag is set for a flag clause; Stat, Op and Value are unused then.
	Flag   string
	Negate bool
	Stat   Stat
	Op     string
	Value  int
}

// IsZero reports whether the condition is empty (always true).
func (c Cond) IsZero() bool { return len(c.Clauses) == 0 }

// Flags returns the flags the condition reads.
func (c Cond) Flags() []string {
	var out []string
	for _, cl := range c.Clauses {
		if cl.Flag != "" {
			out = append(out, cl.Flag)
		}
	}
	return out
}

// Holds evaluates the condition against a mood and a set of flags.
func (c Cond) Holds(m Mood, flag func(string) bool) bool {
	for _, cl := range c.Clauses {
		if cl.Flag != "" {
			if flag(cl.Flag) == cl.Negate {
				return false
			}
			continue
		}
		if !compare(m.Get(cl.Stat), cl.Op, cl.Value) {
			return false
		}
	}
	return true
}

func compare(a int, op string, b int) bool {
	switch op {
	case ">=":
		return a >= b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case "<":
		return a < b
	case "==":
		return a == b
	case "!=":
		return a != b
	}
	return false
}

var ops = []string{">=", "<=", "==", "!=", ">", "<"}

// CondError is a condition that does not parse. Offset is the byte offset
// of the problem inside the condition string.
type CondError struct {
	Offset int
	Msg    string
	Hint   string
}

func (e *CondError) Error() string { return e.Msg }

// ParseCond parses a `when` condition.
func ParseCond(src string) (Cond, error) {
	c := Cond{Src: src}
	if strings.TrimSpace(src) == "" {
		return c, &CondError{Msg: "empty condition", Hint: `write a condition such as "anger >= 70", or remove the key`}
	}
	if err := unsupported(src); err != nil {
		return c, err
	}
	for _, part := range splitAnd(src) {
		text := strings.TrimSpace(part.text)
		at := part.offset + strings.Index(part.text, text)
		if text == "" {
			return c, &CondError{Offset: at, Msg: `"and" with nothing on one side`, Hint: `join two clauses: "anger >= 70 and not apologised"`}
		}
		cl, err := parseClause(text, at)
		if err != nil {
			return c, err
		}
		c.Clauses = append(c.Clauses, cl)
	}
	return c, nil
}

// unsupported catches the operators authors bring from other languages,
// which would otherwise read as a puzzling "not a flag name".
func unsupported(src string) *CondError {
	for _, op := range []string{"&&", "||", "&", "|"} {
		if i := strings.Index(src, op); i >= 0 {
			if op[0] == '&' {
				return &CondError{Offset: i, Msg: fmt.Sprintf("%q is not an operator in conditions", op),
					Hint: `write "and": "anger >= 70 and not apologised"`}
			}
			return &CondError{Offset: i, Msg: fmt.Sprintf("%q is not an operator in conditions", op), Hint: orHint}
		}
	}
	pos := 0
	for _, f := range strings.Fields(src) {
		i := strings.Index(src[pos:], f) + pos
		pos = i + len(f)
		if strings.EqualFold(f, "or") {
			return &CondError{Offset: i, Msg: `conditions have no "or"`, Hint: orHint}
		}
	}
	return nil
}

// orHint says what to write instead of "or".
const orHint = `conditions have no "or": give each alternative its own choice (or [[node.variant]]) with its own when`

type part struct {
	text   string
	offset int
}

// splitAnd splits on the word "and", keeping offsets for error columns.
func splitAnd(src string) []part {
	var parts []part
	start := 0
	fields := strings.Fields(src)
	pos := 0
	for _, f := range fields {
		i := strings.Index(src[pos:], f) + pos
		if strings.EqualFold(f, "and") {
			parts = append(parts, part{src[start:i], start})
			start = i + len(f)
		}
		pos = i + len(f)
	}
	return append(parts, part{src[start:], start})
}

func parseClause(text string, at int) (Clause, error) {
	for _, op := range ops {
		i := strings.Index(text, op)
		if i < 0 {
			continue
		}
		name := strings.TrimSpace(text[:i])
		num := strings.TrimSpace(text[i+len(op):])
		st, ok := ParseStat(name)
		if !ok {
			return Clause{}, &CondError{Offset: at, Msg: fmt.Sprintf("%q is not a customer scale", name),
				Hint: "compare one of apprehension, anger, trust or patience with a number, e.g. \"trust >= 40\""}
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return Clause{}, &CondError{Offset: at + i + len(op), Msg: fmt.Sprintf("%q is not a whole number", num),
				Hint: "scales run from 0 to 100: write e.g. \"anger >= 70\""}
		}
		if v < 0 || v > 100 {
			return Clause{}, &CondError{Offset: at + i + len(op), Msg: fmt.Sprintf("%d is outside 0–100", v),
				Hint: "scales run from 0 to 100"}
		}
		return Clause{Stat: st, Op: op, Value: v}, nil
	}
	if strings.ContainsAny(text, "=<>!") {
		return Clause{}, &CondError{Offset: at, Msg: fmt.Sprintf("%q is not a comparison Rapport knows", text),
			Hint: "use one of >=, <=, >, <, == or != between a scale and a number"}
	}
	cl := Clause{Flag: text}
	if f := strings.Fields(text); len(f) == 2 && strings.EqualFold(f[0], "not") {
		cl = Clause{Flag: f[1], Negate: true}
	}
	if !isIdent(cl.Flag) {
		return Clause{}, &CondError{Offset: at, Msg: fmt.Sprintf("%q is not a flag name or a comparison", text),
			Hint: "a flag is one word of lower-case letters, digits, - and _ (e.g. promised_callback); negate it with \"not\""}
	}
	if _, isStat := ParseStat(cl.Flag); isStat {
		return Clause{}, &CondError{Offset: at, Msg: fmt.Sprintf("%q is a scale, not a flag", cl.Flag),
			Hint: "compare it with a number, e.g. \"" + cl.Flag + " >= 50\""}
	}
	return cl, nil
}

// isIdent reports whether s is a valid id or flag name: lower-case letters,
// digits, '-' and '_', starting with a letter.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}
