package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/scenarios"
)

// runCached runs the CLI with private data and config folders and the
// cache setting in env.
func runCached(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	all := map[string]string{"NO_COLOR": "1", "XDG_DATA_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	for k, v := range env {
		all[k] = v
	}
	return runIn(t, all, "", args...)
}

// cacheEntries lists the entries in a parse cache folder.
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "scenarios"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, filepath.Join(dir, "scenarios", e.Name()))
	}
	return out
}

// statAll stats every file.
func statAll(t *testing.T, files []string) []os.FileInfo {
	t.Helper()
	var out []os.FileInfo
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, info)
	}
	return out
}

// TestParseCacheNeverChangesOutput runs check and paths on scenario files
// without the cache, with an empty one, with a warm one and with damaged
// entries: every output and exit code must be the same. Then an edited
// file and a renamed one must be read afresh.
func TestParseCacheNeverChangesOutput(t *testing.T) {
	defer func(n int) { cacheMinSize = n }(cacheMinSize)
	cacheMinSize = 0 // cache the small test files too
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"late-delivery.toml"} {
		b, err := fs.ReadFile(scenarios.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, writeFile(t, dir, name, string(b)))
	}
	files = append(files, writeFile(t, dir, "broken.toml", brokenScenario),
		writeFile(t, dir, "syntax.toml", "id = \"syntax\"\ntitle = \"unclosed\n"))
	cache := t.TempDir()
	on := map[string]string{"RAPPORT_CACHE_DIR": cache}
	off := map[string]string{"RAPPORT_CACHE_DIR": "off"}
	type result struct {
		code           int
		stdout, stderr string
	}
	commands := [][]string{}
	for _, f := range files {
		commands = append(commands, []string{"check", f}, []string{"check", "--format", "json", f}, []string{"paths", f})
	}
	runAll := func(env map[string]string) []result {
		var out []result
		for _, args := range commands {
			code, stdout, stderr := runCached(t, env, args...)
			out = append(out, result{code, stdout, stderr})
		}
		return out
	}
	compare := func(what string, got, want []result) {
		t.Helper()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: rapport %s differs from the run without the cache:\n got: %+v\nwant: %+v", what, strings.Join(commands[i], " "), got[i], want[i])
			}
		}
	}
	want := runAll(off)
	if n := len(cacheEntries(t, cache)); n != 0 {
		t.Fatalf("RAPPORT_CACHE_DIR=off wrote %d entries", n)
	}
	compare("cold", runAll(on), want)
	entries := cacheEntries(t, cache)
	if len(entries) != len(files) {
		t.Fatalf("%d entries for %d files", len(entries), len(files))
	}
	cold := statAll(t, entries)
	compare("warm", runAll(on), want)
	// Every warm run read its entry rather than parsing and writing it
	// again (an entry is replaced by a rename, so a rewrite is a new file).
	for i, info := range statAll(t, entries) {
		if !os.SameFile(info, cold[i]) {
			t.Errorf("a warm run rewrote %s: it parsed the file instead of reading its entry", entries[i])
		}
	}

	// Damage every entry in a different way: each is a miss, parsed again
	// and rewritten.
	for i, e := range entries {
		b, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		switch i % 4 {
		case 0:
			b = b[:len(b)/2]
		case 1:
			b[len(b)-10] ^= 1
		case 2:
			b = []byte("not an entry")
		case 3:
			b = b[:0]
		}
		if err := os.WriteFile(e, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	compare("damaged", runAll(on), want)
	compare("rewritten", runAll(on), want)

	// An edited file is read afresh: its new title's problem shows.
	src, _ := os.ReadFile(files[0])
	edited := strings.Replace(string(src), `title = "Flowers for a ninetieth"`, `title = ""`, 1)
	if edited == string(src) {
		t.Fatal("title not found to edit")
	}
	writeFile(t, dir, filepath.Base(files[0]), edited)
	_, _, stderrOn := runCached(t, on, "check", files[0])
	_, _, stderrOff := runCached(t, off, "check", files[0])
	if stderrOn != stderrOff || !strings.Contains(stderrOn, "title is empty") {
		t.Errorf("after an edit, with the cache:\n%s\nwithout:\n%s", stderrOn, stderrOff)
	}
	// The same file given by another name is another parse: diagnostics
	// (and RP027) name the file as it was given.
	t.Chdir(dir)
	for _, name := range []string{files[0], filepath.Base(files[0]), "./" + filepath.Base(files[0])} {
		_, _, stderrOn = runCached(t, on, "check", name)
		_, _, stderrOff = runCached(t, off, "check", name)
		if stderrOn != stderrOff || !strings.Contains(stderrOn, name+":") {
			t.Errorf("given as %s, with the cache:\n%s\nwithout:\n%s", name, stderrOn, stderrOff)
		}
	}
}
