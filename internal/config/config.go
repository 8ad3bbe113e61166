package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/rapport-sim/rapport/internal/textsafe"
)

// MaxNameLen is the longest trainee name kept, in characters. Names travel
// into records, reports and xAPI statements; a cap keeps a pasted paragraph
// out of all of them.
const MaxNameLen = 64

// Config is what config.toml holds.
type Config struct {
	// Name is the trainee's name, asked once and remembered; --name
	// overrides it for one run.
	Name string `toml:"name"`
}

// Load reads the settings file. A missing file is not an error: it gives
// the zero Config. Keys this version does not know are ignored, so a newer
// Rapport's file still loads.
func Load(path string) (Config, error) {
	var c Config
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read config: %w", err)
	}
	if name, ok := plainName(src); ok {
		c.Name = CleanName(name)
		return c, nil
	}
	if _, err := toml.Decode(string(src), &c); err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	c.Name = CleanName(c.Name)
	return c, nil
}

// plainName reads the settings file as Save writes it for a name in
// printable ASCII: comment lines, then name = "…", each line ending in a
// line feed (the last may not). It says !ok for anything else, which the
// TOML decoder reads. The player reads the name before its first frame,
// and decoding TOML the first time in a process (its code and reflection
// not yet touched) takes about half a millisecond; this takes a few
// microseconds. FuzzPlainName holds it to the decoder.
func plainName(src []byte) (name string, ok bool) {
	const key = `name = "`
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		switch {
		case len(line) == 0:
		case line[0] == '#':
			for _, c := range line[1:] {
				if c != '\t' && (c < 0x20 || c > 0x7e) {
					return "", false
				}
			}
		case !ok && len(line) > len(key) && bytes.HasPrefix(line, []byte(key)) && line[len(line)-1] == '"':
			v := line[len(key) : len(line)-1]
			for _, c := range v {
				if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
					return "", false
				}
			}
			name, ok = string(v), true
		default:
			return "", false
		}
	}
	return name, ok
}

// Save writes the settings file atomically, creating the config dir if
// needed. Keys in the file that Config does not know (written by a newer
// Rapport, or by hand) are kept.
func Save(path string, c Config) error {
	keys := map[string]any{}
	if src, err := os.ReadFile(path); err == nil {
		// A damaged file is replaced rather than blocking the save: the
		// only thing lost is what could not be read anyway.
		if _, err := toml.Decode(string(src), &keys); err != nil {
			keys = map[string]any{}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read config: %w", err)
	}
	if name := CleanName(c.Name); name != "" {
		keys["name"] = name
	} else {
		delete(keys, "name")
	}
	var buf bytes.Buffer
	buf.WriteString("# Rapport settings. Written by rapport; safe to edit.\n")
	if err := toml.NewEncoder(&buf).Encode(keys); err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	if err := MkdirAll(filepath.Dir(path)); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	// The remembered name is nobody else's business.
	return WriteFileAtomic(path, buf.Bytes(), PrivateFile)
}

// CleanName makes a typed or configured trainee name safe to store and
// draw: textsafe.Line (escape sequences, control and format characters
// removed, white space folded) cut to MaxNameLen characters.
func CleanName(s string) string {
	out := textsafe.Line(s)
	if utf8.RuneCountInString(out) > MaxNameLen {
		out = string([]rune(out)[:MaxNameLen])
		out = strings.TrimRightFunc(out, unicode.IsSpace)
	}
	return out
}
