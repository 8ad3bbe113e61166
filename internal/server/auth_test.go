package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
)

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// codeAnswers answers every keyboard-interactive question with the next
// code in turn and remembers the instructions it was shown.
type codeAnswers struct {
	codes        []string
	instructions []string
}

func (c *codeAnswers) challenge(_, instruction string, questions []string, _ []bool) ([]string, error) {
	c.instructions = append(c.instructions, instruction)
	if len(questions) == 0 {
		return nil, nil
	}
	if len(c.codes) == 0 {
		return nil, errors.New("no more codes")
	}
	code := c.codes[0]
	c.codes = c.codes[1:]
	return []string{code}, nil
}

func TestAuthentication(t *testing.T) {
	known, unknown := newKey(t), newKey(t)
	keys := []gossh.PublicKey{known.PublicKey()}
	tests := map[string]struct {
		code string
		keys []gossh.PublicKey
		open bool
		auth []gossh.AuthMethod
		ok   bool
	}{
		"right class code":          {code: testCode, auth: []gossh.AuthMethod{gossh.Password(testCode)}, ok: true},
		"wrong class code":          {code: testCode, auth: []gossh.AuthMethod{gossh.Password("tulip-43")}},
		"empty class code":          {code: testCode, auth: []gossh.AuthMethod{gossh.Password("")}},
		"no credentials":            {code: testCode},
		"known key":                 {keys: keys, auth: []gossh.AuthMethod{gossh.PublicKeys(known)}, ok: true},
		"unknown key":               {keys: keys, auth: []gossh.AuthMethod{gossh.PublicKeys(unknown)}},
		"password when only keys":   {keys: keys, auth: []gossh.AuthMethod{gossh.Password(testCode)}},
		"key or code: key":          {code: testCode, keys: keys, auth: []gossh.AuthMethod{gossh.PublicKeys(known)}, ok: true},
		"key or code: unknown+code": {code: testCode, keys: keys, auth: []gossh.AuthMethod{gossh.PublicKeys(unknown), gossh.Password(testCode)}, ok: true},
		"key or code: unknown+bad":  {code: testCode, keys: keys, auth: []gossh.AuthMethod{gossh.PublicKeys(unknown), gossh.Password("nope")}},
		"open on loopback":          {open: true, ok: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h := startServer(t, func(c *Config) {
				c.ClassCode, c.AuthorizedKeys, c.Open = tt.code, tt.keys, tt.open
			})
			c, err := dial(h.addr, tt.auth...)
			if !tt.ok {
				if err == nil {
					c.Close()
					t.Fatal("connection admitted, want it refused")
				}
				if !strings.Contains(err.Error(), "unable to authenticate") {
					t.Fatalf("dial error %v, want an authentication failure", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close()
			tm := openTerm(t, c, 100, 30, "")
			tm.waitFor("Type your name")
		})
	}
}

func TestKeyboardInteractiveSaysWhenTheCodeIsWrong(t *testing.T) {
	h := startServer(t, nil)

	wrong := &codeAnswers{codes: []string{"a", "b", "c"}}
	if c, err := dial(h.addr, gossh.KeyboardInteractive(wrong.challenge)); err == nil {
		c.Close()
		t.Fatal("three wrong codes admitted")
	}
	if len(wrong.instructions) != codeTries || !strings.Contains(wrong.instructions[1], "not the class code") {
		t.Errorf("instructions shown = %q; want %d, the later ones saying the code was wrong", wrong.instructions, codeTries)
	}

	typo := &codeAnswers{codes: []string{"tulip42", testCode}}
	c, err := dial(h.addr, gossh.KeyboardInteractive(typo.challenge))
	if err != nil {
		t.Fatalf("a right code after a typo was refused: %v", err)
	}
	defer c.Close()
	openTerm(t, c, 100, 30, "").waitFor("Type your name")
}

func TestSameCode(t *testing.T) {
	tests := map[string]struct {
		typed, code string
		want        bool
	}{
		"same":         {"tulip-42", "tulip-42", true},
		"other":        {"tulip-43", "tulip-42", false},
		"prefix":       {"tulip", "tulip-42", false},
		"longer":       {"tulip-42 ", "tulip-42", false},
		"case differs": {"TULIP-42", "tulip-42", false},
		"empty typed":  {"", "tulip-42", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := sameCode(tt.typed, tt.code); got != tt.want {
				t.Errorf("sameCode(%q, %q) = %v, want %v", tt.typed, tt.code, got, tt.want)
			}
		})
	}
}

func TestParseAuthorizedKeys(t *testing.T) {
	a, b := newKey(t), newKey(t)
	line := func(s gossh.Signer) string {
		return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
	}
	tests := map[string]struct {
		src     string
		want    int
		wantErr string
	}{
		"two keys, comments, blanks": {src: "# class of March\n\n" + line(a) + " ana@laptop\n  " + line(b) + "\n", want: 2},
		"options before the key":     {src: `no-pty,command="x" ` + line(a) + "\n", want: 1},
		"a typo names its line":      {src: line(a) + "\nssh-ed25519 AAAAnot-base64\n", wantErr: "keys:2: not a public key"},
		"nothing in it":              {src: "# nobody yet\n", wantErr: "no public keys"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			keys, err := ParseAuthorizedKeys(strings.NewReader(tt.src), "keys")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(keys) != tt.want {
				t.Fatalf("got %d keys, %v; want %d", len(keys), err, tt.want)
			}
		})
	}
}

func TestHostKeyIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", HostKeyFile)
	first, created, err := LoadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v", created, err)
	}
	again, created, err := LoadHostKey(path)
	if err != nil || created {
		t.Fatalf("second load: created=%v err=%v", created, err)
	}
	if !bytes.Equal(first.PublicKey().Marshal(), again.PublicKey().Marshal()) {
		t.Fatal("the host key changed between runs")
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s, want ed25519", first.PublicKey().Type())
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil || !bytes.Equal(pub, gossh.MarshalAuthorizedKey(first.PublicKey())) {
		t.Errorf("public half %q (%v) does not match the key", pub, err)
	}
	if fp := Fingerprint(first); !strings.HasPrefix(fp, "SHA256:") {
		t.Errorf("fingerprint %q", fp)
	}
}

func TestNewRefusesUnsafeConfigurations(t *testing.T) {
	store, err := results.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base := func() Config {
		return Config{HostKey: testHostKey(t), ClassCode: testCode, Scenarios: []*scenario.Scenario{fixture(t)},
			Results: store, Limits: DefaultLimits()}
	}
	tests := map[string]struct {
		edit func(*Config)
		want error
	}{
		"no authentication":      {edit: func(c *Config) { c.ClassCode = "" }, want: ErrNoAuth},
		"open beyond loopback":   {edit: func(c *Config) { c.ClassCode, c.Open, c.Addr = "", true, "0.0.0.0:2222" }, want: ErrOpenNetwork},
		"open on all interfaces": {edit: func(c *Config) { c.ClassCode, c.Open, c.Addr = "", true, ":2222" }, want: ErrOpenNetwork},
		"no scenarios":           {edit: func(c *Config) { c.Scenarios = nil }, want: ErrNoScenarios},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := base()
			tt.edit(&cfg)
			if _, err := New(cfg); !errors.Is(err, tt.want) {
				t.Fatalf("New: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:2222": true,
		"127.0.0.2:22":   true,
		"[::1]:2222":     true,
		"localhost:2222": true,
		"0.0.0.0:2222":   false,
		":2222":          false,
		"10.0.0.5:2222":  false,
		"example.org:22": false,
	}
	for addr, want := range tests {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
