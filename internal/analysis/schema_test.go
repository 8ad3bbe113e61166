package analysis

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// tables lists every table of the description by path ("" for the root,
// "node.choice.effects"), with its fields.
func tables(prefix string, fields []Field, out map[string][]Field) map[string][]Field {
	out[prefix] = fields
	for _, f := range fields {
		if f.Kind == KindTable || f.Kind == KindTables {
			tables(join(prefix, f.Key), f.Fields, out)
		}
	}
	return out
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// keyPaths lists the key paths of a decoded TOML document, arrays of
// tables collapsed ("node.choice.say").
func keyPaths(prefix string, v any, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			p := join(prefix, k)
			out[p] = true
			keyPaths(p, x, out)
		}
	case []map[string]any:
		for _, m := range t {
			keyPaths(prefix, m, out)
		}
	}
}

func describedPaths() map[string]bool {
	out := map[string]bool{}
	for prefix, fields := range tables("", Format(), map[string][]Field{}) {
		for _, f := range fields {
			out[join(prefix, f.Key)] = true
		}
	}
	return out
}

// TestFormatMatchesLoader walks the description against the loader both
// ways: a file with every described key loads cleanly (everything described
// is accepted, with the described types), and an unknown key in each table
// is refused with a list of allowed keys equal to the described ones
// (everything accepted is described). Enumerations and ranges too.
func TestFormatMatchesLoader(t *testing.T) {
	src, err := os.ReadFile("testdata/everykey.toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(src), &raw); err != nil {
		t.Fatal(err)
	}
	inFile := map[string]bool{}
	keyPaths("", raw, inFile)
	// A weights table's keys are behaviour ids, not format keys.
	walkFields(Format(), func(path string, f Field) {
		if f.Kind == KindWeights {
			for p := range inFile {
				if strings.HasPrefix(p, path+".") {
					delete(inFile, p)
				}
			}
		}
	})
	described := describedPaths()
	for p := range described {
		if !inFile[p] {
			t.Errorf("described key %s is missing from testdata/everykey.toml", p)
		}
	}
	for p := range inFile {
		if !described[p] {
			t.Errorf("key %s of testdata/everykey.toml is not described in Format", p)
		}
	}
	if _, ds := scenario.Parse("everykey.toml", src); len(ds) > 0 {
		t.Fatalf("every-key file does not load cleanly: %v", ds)
	}

	// An unknown key in each table: the loader's list of allowed keys.
	inject := map[string]func(string) string{
		"":         func(s string) string { return "zzqqxx = 1\n" + s },
		"customer": func(s string) string { return strings.Replace(s, "[customer]\n", "[customer]\nzzqqxx = 1\n", 1) },
		"node":     func(s string) string { return strings.Replace(s, "[[node]]\n", "[[node]]\nzzqqxx = 1\n", 1) },
		"node.variant": func(s string) string {
			return strings.Replace(s, "[[node.variant]]\n", "[[node.variant]]\nzzqqxx = 1\n", 1)
		},
		"node.choice": func(s string) string {
			return strings.Replace(s, "[[node.choice]]\n", "[[node.choice]]\nzzqqxx = 1\n", 1)
		},
		"node.choice.effects": func(s string) string { return strings.Replace(s, "effects = {", "effects = { zzqqxx = 1,", 1) },
		"node.choice.variant": func(s string) string {
			return strings.Replace(s, "[[node.choice.variant]]\n", "[[node.choice.variant]]\nzzqqxx = 1\n", 1)
		},
		"briefing": func(s string) string { return strings.Replace(s, "[briefing]\n", "[briefing]\nzzqqxx = 1\n", 1) },
		"ending":   func(s string) string { return strings.Replace(s, "[[ending]]\n", "[[ending]]\nzzqqxx = 1\n", 1) },
		"test":     func(s string) string { return strings.Replace(s, "[[test]]\n", "[[test]]\nzzqqxx = 1\n", 1) },
		"test.min": func(s string) string { return strings.Replace(s, "min = {", "min = { zzqqxx = 1,", 1) },
		"test.max": func(s string) string { return strings.Replace(s, "max = {", "max = { zzqqxx = 1,", 1) },
		"scoring":  func(s string) string { return strings.Replace(s, "[scoring]\n", "[scoring]\nzzqqxx = 1\n", 1) },
	}
	for prefix, fields := range tables("", Format(), map[string][]Field{}) {
		f, ok := inject[prefix]
		if !ok {
			t.Errorf("no injection for table %q: add one", prefix)
			continue
		}
		_, ds := scenario.Parse("x.toml", []byte(f(string(src))))
		var want []string
		for _, fl := range fields {
			want = append(want, fl.Key)
		}
		slices.Sort(want)
		hint := "the keys allowed here are: " + strings.Join(want, ", ")
		if !slices.ContainsFunc(ds, func(d scenario.Diagnostic) bool { return d.Code == scenario.CodeUnknownKey && d.Hint == hint }) {
			t.Errorf("table %q: want RP003 with hint %q, got %v", prefix, hint, hints(ds))
		}
	}

	// Enumerations: a wrong word is refused with the described words.
	walkFields(Format(), func(path string, f Field) {
		if f.Kind != KindWord {
			return
		}
		re := regexp.MustCompile(`(?m)^` + f.Key + ` = "[^"]*"`)
		bad := re.ReplaceAllString(string(src), f.Key+` = "zzqqxx"`)
		_, ds := scenario.Parse("x.toml", []byte(bad))
		hint := "use one of: " + strings.Join(f.Enum, ", ")
		if !slices.ContainsFunc(ds, func(d scenario.Diagnostic) bool { return d.Code == scenario.CodeBadValue && d.Hint == hint }) {
			t.Errorf("%s: want RP006 with hint %q, got %v", path, hint, hints(ds))
		}
	})

	// Ranges: one past each end is refused with the described range.
	walkFields(Format(), func(path string, f Field) {
		if f.Kind == KindWeights {
			for _, v := range []float64{float64(f.Min) - 0.5, float64(f.Max) + 0.5} {
				bad := strings.Replace(string(src), f.Key+" = { stock_phrase = 2 }", fmt.Sprintf("%s = { stock_phrase = %g }", f.Key, v), 1)
				_, ds := scenario.Parse("x.toml", []byte(bad))
				want := fmt.Sprintf("outside %d–%d", f.Min, f.Max)
				if !slices.ContainsFunc(ds, func(d scenario.Diagnostic) bool {
					return d.Code == scenario.CodeRange && strings.Contains(d.Message, want)
				}) {
					t.Errorf("%s = %g: want RP007 %q, got %v", path, v, want, hints(ds))
				}
			}
			return
		}
		if f.Kind != KindInt && f.Kind != KindIntList {
			return
		}
		for _, v := range []int{f.Min - 1, f.Max + 1} {
			var bad string
			switch {
			case path == "test.choices":
				bad = strings.Replace(string(src), "choices = [1]", fmt.Sprintf("choices = [%d]", v), 1)
			case strings.HasPrefix(path, "customer."):
				bad = regexp.MustCompile(`(?m)^`+f.Key+` = \d+`).ReplaceAllString(string(src), fmt.Sprintf("%s = %d", f.Key, v))
			default:
				table := path[:strings.LastIndexByte(path, '.')]
				key := table[strings.LastIndexByte(table, '.')+1:]
				bad = regexp.MustCompile(`(?m)^(\s*)`+key+` = \{[^}]*\}`).ReplaceAllString(string(src), fmt.Sprintf("${1}%s = { %s = %d }", key, f.Key, v))
			}
			_, ds := scenario.Parse("x.toml", []byte(bad))
			want := fmt.Sprintf("outside %d–%d", f.Min, f.Max)
			if !slices.ContainsFunc(ds, func(d scenario.Diagnostic) bool {
				return d.Code == scenario.CodeRange && strings.Contains(d.Message, want)
			}) {
				t.Errorf("%s = %d: want RP007 %q, got %v", path, v, want, hints(ds))
			}
		}
	})
}

func walkFields(fields []Field, f func(path string, fl Field)) {
	var walk func(prefix string, fs []Field)
	walk = func(prefix string, fs []Field) {
		for _, fl := range fs {
			p := join(prefix, fl.Key)
			f(p, fl)
			walk(p, fl.Fields)
		}
	}
	walk("", fields)
}

func hints(ds scenario.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String()+" / "+d.Hint)
	}
	return out
}

func TestJSONSchema(t *testing.T) {
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" || s["type"] != "object" || s["additionalProperties"] != false {
		t.Errorf("root %v", s)
	}
	props := s["properties"].(map[string]any)
	choice := props["node"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["choice"].(map[string]any)
	if choice["minItems"] != 2.0 || choice["maxItems"] != 6.0 {
		t.Errorf("choice %v", choice)
	}
	ch := props["channel"].(map[string]any)
	if fmt.Sprint(ch["enum"]) != "[phone chat in-person]" {
		t.Errorf("channel %v", ch)
	}
	// Every described key has a description for editor hover help.
	walkFields(Format(), func(path string, f Field) {
		if strings.TrimSpace(f.Doc) == "" {
			t.Errorf("%s has no doc", path)
		}
	})
	if strings.Contains(string(b), "$ref") {
		t.Error("the schema must be self-contained: older TOML editors do not follow $ref")
	}
}

// The condition pattern accepts what the loader's condition parser accepts
// and refuses the usual slips; the loader stays the authority (a flag named
// "and" passes the pattern but not the parser).
func TestConditionPattern(t *testing.T) {
	var pattern string
	walkFields(Format(), func(path string, f Field) {
		if f.Kind == KindCond && pattern == "" {
			pattern = schemaOf(f)["pattern"].(string)
		}
	})
	re := regexp.MustCompile(pattern)
	for src, ok := range map[string]bool{
		"anger >= 70": true, "not promised_callback": true, "trust < 40 and kind": true,
		"anger>=70 and not x and patience == 0": true, "": false, "anger >=": false,
	} {
		_, err := scenario.ParseCond(src)
		if (err == nil) != ok {
			t.Fatalf("fixture %q: parser says %v", src, err)
		}
		if re.MatchString(src) != ok {
			t.Errorf("pattern on %q: %v, want %v", src, !ok, ok)
		}
	}
}
