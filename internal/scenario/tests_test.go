package scenario

import (
	"os"
	"reflect"
	"testing"
)

// TestDecodeAuthorTests checks a [[test]] table decodes with its positions.
func TestDecodeAuthorTests(t *testing.T) {
	src, err := os.ReadFile("testdata/tests.toml")
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := Parse("tests.toml", src)
	if sc == nil || len(sc.Tests) != 5 {
		t.Fatalf("want 5 tests, got %+v", sc)
	}
	got := sc.Tests[0]
	want := &Test{
		Name: "caring", Choices: []int{1}, Ending: "resolved",
		Min: map[string]int{"empathy": 10, "overall": 50},
		Pos: Pos{31, 1}, ChoicePos: []Pos{{33, 12}}, ChoiceIDs: []string{""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("test 1 =\n %+v\nwant\n %+v", got, want)
	}
	if b := sc.Tests[2].Max; !reflect.DeepEqual(b, map[string]int{"overall": 40}) {
		t.Errorf("bounds keep only valid entries: %v", b)
	}
}
