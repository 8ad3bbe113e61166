package scenario

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// A file may hold a key of megabytes; check must not print all of it.
func TestHugeKeyMessageIsShortened(t *testing.T) {
	src := "id = \"bigkey\"\n\"" + strings.Repeat("ké", 50000) + "\" = 1\n"
	_, diags := Parse("bigkey.toml", []byte(src))
	var found bool
	for _, d := range diags {
		if d.Code != CodeUnknownKey {
			continue
		}
		found = true
		line := d.String()
		if len(line) > 600 || !strings.Contains(line, "more bytes)") || !utf8.ValidString(line) {
			t.Errorf("unknown key printed as %d bytes: %.120q", len(line), line)
		}
		js, err := json.Marshal(d)
		if err != nil || len(js) > 800 || !strings.Contains(string(js), `"line":2`) {
			t.Errorf("JSON %d bytes, err %v: %.160s", len(js), err, js)
		}
	}
	if !found {
		t.Fatalf("no RP003 for the huge key in %v", diags)
	}
}
