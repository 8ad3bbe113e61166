package scenario

import (
	"bytes"
	"fmt"

	"github.com/BurntSushi/toml"
)

// Header is the part of a scenario a picker or a listing shows.
type Header struct {
	ID, Title, Summary string
	Channel            Channel
	Difficulty         Difficulty
	Tags               []string
	Author, Version    string
}

// header is the TOML shape of the top-level keys. Unknown keys are fine
// here: ParseHeader never validates, Parse does.
type header struct {
	ID         string   `toml:"id"`
	Title      string   `toml:"title"`
	Summary    string   `toml:"summary"`
	Channel    string   `toml:"channel"`
	Difficulty string   `toml:"difficulty"`
	Tags       []string `toml:"tags"`
	Author     string   `toml:"author"`
	Version    string   `toml:"version"`
}

// ParseHeader reads only a scenario's top-level keys: what a picker shows.
// In TOML they all come before the first [table] line, so it decodes just
// that prefix, which is a few hundred bytes instead of the whole file; it
// costs a few microseconds where Parse costs milliseconds. It does not
// validate: use it only for files that Parse has already accepted (the
// embedded library, which the test suite checks), and Parse the scenario
// before playing it.
func ParseHeader(src []byte) (Header, error) {
	prefix := src
	for i := 0; i < len(src); {
		end := bytes.IndexByte(src[i:], '\n')
		line := src[i:]
		if end >= 0 {
			line = src[i : i+end]
		}
		if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && t[0] == '[' {
			prefix = src[:i]
			break
		}
		if end < 0 {
			break
		}
		i += end + 1
	}
	if e := checkStructure(prefix); e != nil {
		return Header{}, fmt.Errorf("read scenario header: %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	}
	var h header
	if _, err := toml.Decode(string(prefix), &h); err != nil {
		return Header{}, fmt.Errorf("read scenario header: %w", err)
	}
	return Header{
		ID: h.ID, Title: h.Title, Summary: h.Summary, Channel: Channel(h.Channel),
		Difficulty: Difficulty(h.Difficulty), Tags: h.Tags, Author: h.Author, Version: h.Version,
	}, nil
}

// Scenario returns a scenario that carries only the header: enough for a
// picker, not for playing.
func (h Header) Scenario(file string) *Scenario {
	return &Scenario{File: file, ID: h.ID, Title: h.Title, Summary: h.Summary, Channel: h.Channel,
		Difficulty: h.Difficulty, Tags: h.Tags, Author: h.Author, Version: h.Version}
}

// Complete reports whether the scenario holds a conversation (was loaded
// with Parse), rather than only a header.
func (s *Scenario) Complete() bool { return len(s.Nodes) > 0 }
