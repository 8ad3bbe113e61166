package config

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadRegularSizes: a file is read whole, up to one byte past the
// limit, into a buffer that already holds bytes (which stay in front).
func TestReadRegularSizes(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<14) // 256 KiB
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		buf   []byte
		limit int
		want  []byte
	}{
		{"whole", nil, len(data), data},
		{"under the limit", nil, 2 * len(data), data},
		{"one past the limit", nil, 1000, data[:1001]},
		{"after what buf holds", []byte("head"), len(data) + 4, append([]byte("head"), data...)},
		{"into a small buffer", make([]byte, 0, 10), len(data), data},
	} {
		got, err := ReadRegular(path, tc.buf, tc.limit)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(got, tc.want) {
			t.Fatalf("%s: read %d bytes, want %d", tc.name, len(got), len(tc.want))
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadRegular(empty, nil, 100); err != nil || len(got) != 0 {
		t.Fatalf("empty file: %q, %v", got, err)
	}
}

// BenchmarkReadRegular reads a 4 MiB file, the size of a 5,000-node
// scenario: with the buffer sized from the file's stat, one allocation.
func BenchmarkReadRegular(b *testing.B) {
	path := filepath.Join(b.TempDir(), "f")
	if err := os.WriteFile(path, bytes.Repeat([]byte{'x'}, 4<<20), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadRegular(path, nil, 8<<20); err != nil {
			b.Fatal(err)
		}
	}
}
