package scenario

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"testing"
)

// snapshotDecoders are the two ways to read a snapshot, which must agree.
var snapshotDecoders = []struct {
	name string
	f    func([]byte) (*Scenario, Diagnostics, error)
}{{"DecodeSnapshot", DecodeSnapshot}, {"DecodeSnapshotShared", DecodeSnapshotShared}}

func TestSnapshotRoundTrip(t *testing.T) {
	files := testFiles(t)
	files["big.toml"] = bigTOML(300)
	files["empty.toml"] = nil
	for name, src := range files {
		for _, src := range [][]byte{src, bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))} {
			sc, ds := Parse(name, src)
			for _, decode := range snapshotDecoders {
				gotSc, gotDs, err := decode.f(EncodeSnapshot(sc, ds))
				if err != nil {
					t.Fatalf("%s, %s: %v", name, decode.name, err)
				}
				if !reflect.DeepEqual(gotSc, sc) {
					t.Errorf("%s, %s: the scenario read back differs", name, decode.name)
				}
				if !reflect.DeepEqual(gotDs, ds) {
					t.Errorf("%s, %s: the diagnostics read back differ\n got: %v\nwant: %v", name, decode.name, gotDs, ds)
				}
			}
		}
	}
}

// TestSnapshotKeepsEveryField fills every exported field of a Scenario,
// at every depth, and reads it back: a field added to the types but not
// to the snapshot fails here. Filled again with empty slices and maps, it
// checks that empty and nil stay apart.
func TestSnapshotKeepsEveryField(t *testing.T) {
	for _, empty := range []bool{false, true} {
		sc := &Scenario{}
		n := 0
		fill(reflect.ValueOf(sc).Elem(), &n, empty)
		sc.Index()
		ds := Diagnostics{}
		if !empty {
			ds = append(ds, Diagnostic{})
			fill(reflect.ValueOf(&ds[0]).Elem(), &n, false)
		}
		gotSc, gotDs, err := DecodeSnapshot(EncodeSnapshot(sc, ds))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotSc, sc) {
			t.Errorf("empty=%v: the scenario read back differs:\n got: %+v\nwant: %+v", empty, gotSc, sc)
		}
		if !reflect.DeepEqual(gotDs, ds) {
			t.Errorf("empty=%v: the diagnostics read back differ: %+v", empty, gotDs)
		}
	}
}

// fill sets every exported field under v to a distinct non-zero value;
// slices and maps get two entries, or none (but not nil) when empty.
func fill(v reflect.Value, n *int, empty bool) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)) + string(rune('a'+*n/26%26)))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n, empty)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n, empty)
			}
		}
	case reflect.Slice:
		k := 2
		if empty {
			k = 0
		}
		v.Set(reflect.MakeSlice(v.Type(), k, k))
		for i := range k {
			fill(v.Index(i), n, empty)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		if empty {
			return
		}
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n, empty)
			fill(e, n, empty)
			v.SetMapIndex(k, e)
		}
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

// TestSnapshotDamage: a snapshot cut short anywhere, or with any byte
// changed, is refused, never read as a scenario.
func TestSnapshotDamage(t *testing.T) {
	src := testFiles(t)["testdata/tests.toml"]
	good := EncodeSnapshot(Parse("tests.toml", src))
	for _, decode := range snapshotDecoders {
		for i := range len(good) {
			if _, _, err := decode.f(bytes.Clone(good[:i])); err == nil {
				t.Fatalf("%s: cut at %d of %d: read", decode.name, i, len(good))
			}
			bad := bytes.Clone(good)
			bad[i] ^= 0x20
			if _, _, err := decode.f(bad); err == nil {
				t.Fatalf("%s: byte %d changed: read", decode.name, i)
			}
		}
	}
}

// FuzzSnapshot: whatever the bytes, even with a valid header and
// checksum, DecodeSnapshot returns an error or a scenario, never panics
// or allocates more than the input can describe.
func FuzzSnapshot(f *testing.F) {
	f.Add(EncodeSnapshot(Parse("big.toml", bigTOML(5))))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		DecodeSnapshot(body)
		b := append([]byte(snapshotMagic), body...)
		if bytes.HasPrefix(body, []byte(snapshotMagic)) {
			b = bytes.Clone(body)
			if len(b) >= 4 {
				b = b[:len(b)-4]
			}
		}
		b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable()))
		DecodeSnapshot(b)
		DecodeSnapshotShared(b)
	})
}
