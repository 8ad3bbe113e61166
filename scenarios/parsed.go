package scenarios

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // parsed.bin
	"encoding/binary"
)

// The shipped scenarios, parsed when the library was built: for each
// file, the SHA-256 of its TOML and its snapshot (scenario.EncodeSnapshot:
// the scenario and its diagnostics as the parser made them). `rapport play
// ID` and the picker read a snapshot instead of parsing the TOML, which
// was most of what play ID did before its first frame. parsed.bin is
// written by `go test ./scenarios -run TestParsed -update`; the test fails
// when it is not what the parser makes of the files now.
//
// Layout: ParsedMagic, then per file: uvarint name length, name, 32-byte
// SHA-256 of the file, uvarint snapshot length, snapshot.
//
//go:embed parsed.bin
var parsed []byte

// ParsedMagic starts parsed.bin; its last byte is the layout's version.
const ParsedMagic = "rapport parsed library\x00\x01"

// Parsed returns the snapshot of the shipped file name made when the
// library was built, if it was made from exactly src; nil otherwise (the
// file was changed since, or parsed.bin is damaged), and the caller parses
// src. The snapshot is read-only: it is part of the program.
func Parsed(name string, src []byte) []byte {
	b, ok := bytes.CutPrefix(parsed, []byte(ParsedMagic))
	if !ok {
		return nil
	}
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil
		}
		entry := string(b[k : k+int(n)])
		b = b[k+int(n):]
		if len(b) < sha256.Size {
			return nil
		}
		sum := b[:sha256.Size]
		b = b[sha256.Size:]
		n, k = binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil
		}
		snap := b[k : k+int(n)]
		b = b[k+int(n):]
		if entry == name {
			if got := sha256.Sum256(src); !bytes.Equal(got[:], sum) {
				return nil
			}
			return snap
		}
	}
	return nil
}

// AppendParsed appends one file's entry to parsed.bin's bytes b: the
// generator's half of Parsed.
func AppendParsed(b []byte, name string, src, snapshot []byte) []byte {
	if len(b) == 0 {
		b = append(b, ParsedMagic...)
	}
	b = binary.AppendUvarint(b, uint64(len(name)))
	b = append(b, name...)
	sum := sha256.Sum256(src)
	b = append(b, sum[:]...)
	b = binary.AppendUvarint(b, uint64(len(snapshot)))
	return append(b, snapshot...)
}
