package results

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSanitizeRecord: every text field of a record read from a file is
// cleaned, line-like fields are folded onto one line, and a clean record
// is left exactly as it was.
func TestSanitizeRecord(t *testing.T) {
	clean := newRecord(t, "Ann", 0, t0)
	data, err := Marshal(clean)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := Marshal(again); string(a) != string(data) {
		t.Errorf("a clean record changed when read:\n%s\n%s", data, a)
	}

	s := strings.NewReplacer(
		`"trainee":"Ann"`, `"trainee":"An\u202en`+`\u001b]52;c;ZXZpbA==\u0007"`,
		`"outcome":"`, `"outcome":"\u009b2J`,
		`"title":"`, `"title":"\u2066`,
	).Replace(string(data))
	r, err := Unmarshal([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if r.Trainee != "Ann" || strings.Contains(string(r.Ending.Outcome), "2J") || strings.HasPrefix(r.Scenario.Title, "\u2066") {
		t.Errorf("read trainee %q, outcome %q, title %q", r.Trainee, r.Ending.Outcome, r.Scenario.Title)
	}
}

func BenchmarkSanitize(b *testing.B) {
	r := newRecord(b, "Ann", 0, t0)
	b.ReportAllocs()
	for b.Loop() {
		r.Sanitize()
	}
}

// fill sets every string in v (a struct, reached through pointers, slices
// and maps) to s, making one element of each slice and map.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), s)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, s)
		fill(e, s)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// strings calls f with the path and value of every string in v.
func eachString(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachString(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachString(v.Index(i), path+"[]", f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			eachString(k, path+"{key}", f)
			eachString(v.MapIndex(k), path+"{}", f)
		}
	}
}

// TestSanitizeEveryField fills every string field of a record, including
// fields added after this test was written, with hostile text: Sanitize
// must clean them all.
func TestSanitizeEveryField(t *testing.T) {
	var r Record
	fill(reflect.ValueOf(&r).Elem(), "a\x1b]52;c;ZXZpbA==\x07b\u202ec\u009b2Jd")
	r.Sanitize()
	eachString(reflect.ValueOf(r), "Record", func(path, s string) {
		if s != "abcd" {
			t.Errorf("%s = %q after Sanitize: add the field to Record.Sanitize", path, s)
		}
	})
}
