package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/config"
)

// HostKeyFile is the host key's file name in the data dir.
const HostKeyFile = "ssh_host_ed25519_key"

// LoadHostKey reads the server's host key from path, or creates one
// (ed25519) when there is none, so trainees' known_hosts entries stay
// valid from one class to the next. The private key is written with mode
// 0600 and its public half beside it as path.pub. created reports whether
// the key is new.
func LoadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		signer, err := gossh.ParsePrivateKey(data)
		if err != nil {
			return nil, false, fmt.Errorf("host key %s: %w", path, err)
		}
		return signer, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, fmt.Errorf("host key: generate: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "rapport host key")
	if err != nil {
		return nil, false, fmt.Errorf("host key: encode: %w", err)
	}
	signer, err = gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if err := config.MkdirAll(filepath.Dir(path)); err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if err := config.WriteFileAtomic(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	pub := gossh.MarshalAuthorizedKey(signer.PublicKey())
	if err := config.WriteFileAtomic(path+".pub", pub, 0o644); err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	return signer, true, nil
}

// Fingerprint is the SHA-256 fingerprint of a host key as ssh shows it
// ("SHA256:..."), for the trainer to read out when a trainee's client asks
// whether to trust the server.
func Fingerprint(s gossh.Signer) string {
	return gossh.FingerprintSHA256(s.PublicKey())
}
