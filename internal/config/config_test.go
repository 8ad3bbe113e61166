package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestPlatformDirs(t *testing.T) {
	tests := map[string]struct {
		goos       string
		env        map[string]string
		config     string
		data       string
		configFail bool
		dataFail   bool
	}{
		"linux defaults": {
			goos: "linux", env: map[string]string{"HOME": "/home/ann"},
			config: "/home/ann/.config", data: "/home/ann/.local/share",
		},
		"linux xdg": {
			goos:   "linux",
			env:    map[string]string{"HOME": "/home/ann", "XDG_CONFIG_HOME": "/x/cfg", "XDG_DATA_HOME": "/x/data"},
			config: "/x/cfg", data: "/x/data",
		},
		"relative xdg ignored": {
			goos:   "freebsd",
			env:    map[string]string{"HOME": "/home/ann", "XDG_CONFIG_HOME": "cfg", "XDG_DATA_HOME": "data"},
			config: "/home/ann/.config", data: "/home/ann/.local/share",
		},
		"darwin": {
			goos: "darwin", env: map[string]string{"HOME": "/Users/ann"},
			config: "/Users/ann/Library/Application Support", data: "/Users/ann/Library/Application Support",
		},
		"windows": {
			goos:   "windows",
			env:    map[string]string{"AppData": `C:\Users\ann\AppData\Roaming`, "LocalAppData": `C:\Users\ann\AppData\Local`},
			config: `C:\Users\ann\AppData\Roaming`, data: `C:\Users\ann\AppData\Local`,
		},
		"no home": {
			goos: "linux", env: map[string]string{}, configFail: true, dataFail: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg, err := userConfigDir(tc.goos, envOf(tc.env))
			if (err != nil) != tc.configFail {
				t.Fatalf("userConfigDir error = %v, want failure %v", err, tc.configFail)
			}
			if cfg != tc.config {
				t.Errorf("userConfigDir = %q, want %q", cfg, tc.config)
			}
			data, err := userDataDir(tc.goos, envOf(tc.env))
			if (err != nil) != tc.dataFail {
				t.Fatalf("userDataDir error = %v, want failure %v", err, tc.dataFail)
			}
			if data != tc.data {
				t.Errorf("userDataDir = %q, want %q", data, tc.data)
			}
		})
	}
}

func TestCacheDir(t *testing.T) {
	for goos, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"linux":   {map[string]string{"HOME": "/home/ann"}, "/home/ann/.cache"},
		"freebsd": {map[string]string{"HOME": "/home/ann", "XDG_CACHE_HOME": "/x/cache"}, "/x/cache"},
		"openbsd": {map[string]string{"HOME": "/home/ann", "XDG_CACHE_HOME": "cache"}, "/home/ann/.cache"},
		"darwin":  {map[string]string{"HOME": "/Users/ann"}, "/Users/ann/Library/Caches"},
		"windows": {map[string]string{"LocalAppData": `C:\Users\ann\AppData\Local`}, `C:\Users\ann\AppData\Local`},
	} {
		if got, err := userCacheDir(goos, envOf(tc.env)); err != nil || got != tc.want {
			t.Errorf("%s: userCacheDir = %q, %v; want %q", goos, got, err, tc.want)
		}
	}
	if _, err := userCacheDir("linux", envOf(nil)); !errors.Is(err, ErrNoHome) {
		t.Errorf("no home: err = %v, want ErrNoHome", err)
	}
	if d, err := CacheDir(envOf(map[string]string{EnvCacheDir: "/tmp/rc//"})); err != nil || d != "/tmp/rc" {
		t.Errorf("CacheDir with %s = %q, %v", EnvCacheDir, d, err)
	}
	if _, err := CacheDir(envOf(map[string]string{"HOME": "/home/ann", EnvCacheDir: "off"})); !errors.Is(err, ErrNoCache) {
		t.Errorf("CacheDir with %s=off: err = %v, want ErrNoCache", EnvCacheDir, err)
	}
}

func TestResolveOverrides(t *testing.T) {
	p, err := Resolve(envOf(map[string]string{
		"HOME": "/home/ann", EnvDataDir: "/srv/class//", EnvConfigDir: "/etc/rapport",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{Config: "/etc/rapport", File: "/etc/rapport/config.toml", Data: "/srv/class", Results: "/srv/class/results"}
	if p != want {
		t.Errorf("Resolve = %+v, want %+v", p, want)
	}
	if _, err := Resolve(envOf(nil)); !errors.Is(err, ErrNoHome) && !strings.Contains(err.Error(), "not set") {
		t.Errorf("Resolve with an empty environment: err = %v, want ErrNoHome", err)
	}
}

func TestSaveLoadKeepsUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", ConfigFile)
	c, err := Load(path)
	if err != nil || c.Name != "" {
		t.Fatalf("Load of a missing file = %+v, %v; want zero, nil", c, err)
	}
	if err := Save(path, Config{Name: "Ann Lee"}); err != nil {
		t.Fatal(err)
	}
	// A key a newer version wrote must survive our save.
	src, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(src, []byte("theme = \"dark\"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, Config{Name: "Ann  B. Lee"}); err != nil {
		t.Fatal(err)
	}
	c, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Ann B. Lee" {
		t.Errorf("Name = %q, want %q", c.Name, "Ann B. Lee")
	}
	src, _ = os.ReadFile(path)
	if !strings.Contains(string(src), `theme = "dark"`) {
		t.Errorf("unknown key lost on save:\n%s", src)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("config dir holds %d entries, want only the config file (no temp files left)", len(entries))
	}
}

func TestLoadDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ConfigFile)
	if err := os.WriteFile(path, []byte("name = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load of a damaged file: err = %v, want an error naming the file", err)
	}
	// Saving over it still works, so the user is not stuck.
	if err := Save(path, Config{Name: "Bo"}); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(path); err != nil || c.Name != "Bo" {
		t.Errorf("after repair Load = %+v, %v", c, err)
	}
}

func TestCleanName(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain":         {"Ann", "Ann"},
		"spaces":        {"  Ann \t Lee \n", "Ann Lee"},
		"csi":           {"\x1b[31mAnn\x1b[0m", "Ann"},
		"c1 csi":        {"\u009b1;2HAnn", "Ann"},
		"osc title":     {"\x1b]0;pwned\x07Ann", "Ann"},
		"osc st":        {"\x1b]8;;http://x\x1b\\Ann", "Ann"},
		"lone esc":      {"An\x1bcn", "Ann"},
		"trailing esc":  {"Ann\x1b", "Ann"},
		"control":       {"An\x07n\x00", "Ann"},
		"invalid utf8":  {"Ann\xff", "Ann\uFFFD"},
		"long":          {strings.Repeat("é", MaxNameLen+10), strings.Repeat("é", MaxNameLen)},
		"empty":         {" \n ", ""},
		"bidi override": {"Ann\u202e eeL", "Ann eeL"},
		"isolates":      {"\u2066Ann\u2069 Lee\u200f", "Ann Lee"},
		"zero width":    {"A\u200bn\u200dn\ufeff", "Ann"},
		"c1 osc":        {"\u009d52;c;ZXZpbA==\u009cAnn", "Ann"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := CleanName(tc.in); got != tc.want {
				t.Errorf("CleanName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWriteFileAtomicReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	for _, body := range []string{"one", "two"} {
		if err := WriteFileAtomic(path, []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != body {
			t.Fatalf("read back %q, %v; want %q", got, err, body)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", info.Mode().Perm())
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), nil, 0o644); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want 1", len(entries))
	}
}

// The settings file Save writes for a name in plain ASCII is read without
// the TOML decoder (plainName), to the same name; one it does not take
// goes to the decoder.
func TestPlainNameReadsWhatSaveWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), ConfigFile)
	for _, name := range []string{"Ann Lee", "O'Brien-Smith, J.", "x"} {
		if err := Save(path, Config{Name: name}); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(path)
		got, ok := plainName(src)
		if !ok || got != name {
			t.Errorf("plainName of the file Save wrote for %q = %q, %v; want it read without the decoder:\n%s", name, got, ok, src)
		}
		if c, err := Load(path); err != nil || c.Name != name {
			t.Errorf("Load = %+v, %v; want %q", c, err, name)
		}
	}
	for _, src := range []string{
		"name = \"José\"\n",            // not ASCII
		"name = \"a\\\"b\"\n",          // an escape
		"name = 'Ann'\n",               // a literal string
		"name=\"Ann\"\n",               // other spacing
		"name = \"Ann\" # hi\n",        // a comment after
		"name = \"Ann\"\r\n",           // CRLF
		"theme = \"dark\"\n",           // another key
		"name = \"A\"\nname = \"B\"\n", // twice: an error for the decoder
		"# only a comment\n",
		"",
	} {
		if got, ok := plainName([]byte(src)); ok {
			t.Errorf("plainName(%q) = %q, true; want it left to the decoder", src, got)
		}
	}
}

// FuzzPlainName holds the fast reading of the settings file to the TOML
// decoder: whatever it reads, the decoder reads the same.
func FuzzPlainName(f *testing.F) {
	for _, s := range []string{
		"# Rapport settings. Written by rapport; safe to edit.\nname = \"Ann Lee\"\n",
		"name = \"\"", "name = \"a\"\n\n# x\t\n", "#\x7f\nname = \"a\"", "name = \"\"\"\n",
		"name = \"a\\\\\"\n", "\nname = \"~ !\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		name, ok := plainName(src)
		if !ok {
			return
		}
		var c Config
		if _, err := toml.Decode(string(src), &c); err != nil {
			t.Fatalf("plainName(%q) = %q, but the decoder says: %v", src, name, err)
		}
		if c.Name != name {
			t.Fatalf("plainName(%q) = %q, the decoder %q", src, name, c.Name)
		}
	})
}
