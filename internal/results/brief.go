package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// explanationsKey is how the explanations start in a record file. Inside a
// JSON string every quote is escaped, so these bytes can only be
// structure.
var explanationsKey = []byte(`,"explanations":`)

// decodeBrief decodes a record without its explanations, which the format
// keeps last. It finds where they start, checks that what follows is one
// closed JSON value and the record's closing brace at the end of the file
// (so a truncated file is still refused), and decodes only what comes
// before. Anything unexpected — the explanations elsewhere, keys after
// them, no explanations — falls back to a full decode.
//
// data is changed while it decodes and restored before it returns.
func decodeBrief(data []byte, in *interner) (*Record, error) {
	r := new(Record)
	// Searching forward is the fast search (the record's head is also the
	// shorter part). If the key turns up nested somewhere, closesRecord
	// says no and the full decode sorts it out.
	i := bytes.Index(data, explanationsKey)
	if i < 0 || !closesRecord(data[i+len(explanationsKey)-1:]) {
		if err := json.Unmarshal(data, r); err != nil {
			return nil, err
		}
		r.Explanations = nil
		return r, nil
	}
	// Close the object where the explanations begin, decode that, and put
	// the comma back.
	data[i] = '}'
	defer func() { data[i] = ',' }()
	head := data[:i+1]
	if fast, err := fastHead(head, in); err == nil {
		return fast, nil
	}
	if err := json.Unmarshal(head, r); err != nil {
		return nil, err
	}
	return r, nil
}

// closesRecord reports whether rest — what follows the "explanations" key
// — is a colon, one complete object, array or null, and the record's
// closing brace, with nothing but white space after it. It tracks nesting
// and strings only; a full decode checks the rest.
func closesRecord(rest []byte) bool {
	i := skipSpace(rest, 0)
	if i >= len(rest) || rest[i] != ':' {
		return false
	}
	i = skipSpace(rest, i+1)
	switch {
	case bytes.HasPrefix(rest[i:], []byte("null")):
		i += 4
	case i < len(rest) && (rest[i] == '{' || rest[i] == '['):
		depth := 0
	scan:
		for ; i < len(rest); i++ {
			switch rest[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					i++
					break scan
				}
			case '"':
				end := stringEnd(rest, i+1)
				if end < 0 {
					return false
				}
				i = end
			}
		}
		if depth != 0 {
			return false
		}
	default:
		return false
	}
	i = skipSpace(rest, i)
	if i >= len(rest) || rest[i] != '}' {
		return false
	}
	return skipSpace(rest, i+1) == len(rest)
}

// stringEnd returns the index of the quote that closes a string whose
// contents start at i, or -1. Explanations are mostly text, so it jumps
// from quote to quote and counts the backslashes before each.
func stringEnd(b []byte, i int) int {
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		q += i
		n := 0
		for j := q - 1; j >= i && b[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// WithoutExplanations returns a shallow copy of the record without its
// explanations: what a Brief read returns.
func (r *Record) WithoutExplanations() *Record {
	out := *r
	out.Explanations = nil
	return &out
}

// describeDecodeError says in words what is wrong with a file that did not
// decode.
func describeDecodeError(err error, data []byte) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("not JSON (damaged or truncated file): unexpected end of JSON input")
	case errors.As(err, &syn):
		return fmt.Errorf("not JSON (damaged or truncated file): %v at byte %d", syn, syn.Offset)
	case errors.As(err, &typ) && probeSchema(data) == 0:
		return fmt.Errorf("%w: no schema field", ErrNotRecord)
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}
