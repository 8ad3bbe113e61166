package server

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"
)

// authExt is the permissions extension the class-code handlers set on
// success. The session re-checks it (or the key) before anything runs,
// as soft-serve's AuthenticationMiddleware does: an auth callback saying
// yes to a key the client only offered is not proof that the connection
// authenticated with it.
const authExt = "rapport-auth"

// authByCode is authExt's value for a connection admitted by class code.
const authByCode = "class-code"

// codeTries is how many times keyboard-interactive asks for the class code
// on one connection before giving up.
const codeTries = 3

// sameCode compares a typed code with the class code in constant time.
// Both are hashed first so that the time does not depend on their
// lengths either.
func sameCode(typed, code string) bool {
	a := sha256.Sum256([]byte(typed))
	b := sha256.Sum256([]byte(code))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// passwordAuth admits a connection whose password is the class code.
func (s *Server) passwordAuth(ctx ssh.Context, password string) bool {
	if refusal(ctx) != "" {
		return false
	}
	host := hostOf(ctx.RemoteAddr())
	if _, locked := s.guard.locked(host); locked {
		return false
	}
	if !sameCode(password, s.cfg.ClassCode) {
		s.penalise(ctx, host)
		return false
	}
	markAuth(ctx, authByCode)
	return true
}

// penalise counts a wrong code and holds the answer back for the delay
// it costs (less if the client hangs up meanwhile).
func (s *Server) penalise(ctx ssh.Context, host string) {
	t := time.NewTimer(s.guard.failed(host))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// keyboardAuth asks for the class code, and says so when it was wrong, so
// a trainee with a typo learns why instead of seeing a bare "permission
// denied". OpenSSH prefers this method to password when both are offered.
func (s *Server) keyboardAuth(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	if refusal(ctx) != "" {
		return false
	}
	host := hostOf(ctx.RemoteAddr())
	instruction := "Rapport classroom: type the class code your trainer gave you."
	for range codeTries {
		if left, locked := s.guard.locked(host); locked {
			_, _ = challenge("", lockedOut(left), nil, nil)
			return false
		}
		answers, err := challenge("", instruction, []string{"Class code: "}, []bool{false})
		if err != nil || len(answers) != 1 {
			return false
		}
		if sameCode(answers[0], s.cfg.ClassCode) {
			markAuth(ctx, authByCode)
			return true
		}
		s.penalise(ctx, host)
		instruction = "That is not the class code. Check it with your trainer and try again."
	}
	return false
}

// lockedOut tells a locked-out address why, and for how long.
func lockedOut(left time.Duration) string {
	return fmt.Sprintf("Too many wrong class codes from your address. Try again in %s.", human(max(left.Round(time.Minute), time.Minute)))
}

// publicKeyAuth admits the keys in the authorized list.
func (s *Server) publicKeyAuth(ctx ssh.Context, key ssh.PublicKey) bool {
	if refusal(ctx) != "" {
		return false
	}
	return s.keyAllowed(key)
}

func (s *Server) keyAllowed(key gossh.PublicKey) bool {
	if key == nil {
		return false
	}
	for _, k := range s.cfg.AuthorizedKeys {
		if ssh.KeysEqual(key, k) {
			return true
		}
	}
	return false
}

func markAuth(ctx ssh.Context, how string) {
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[authExt] = how
}

// authenticated re-checks, once the handshake is over, that the session
// was admitted by a method this server offers.
func (s *Server) authenticated(sess ssh.Session) bool {
	if s.cfg.Open {
		return true
	}
	if pk := sess.PublicKey(); pk != nil && s.keyAllowed(pk) {
		return true
	}
	return s.cfg.ClassCode != "" && sess.Permissions().Extensions[authExt] == authByCode
}

// authMiddleware ends any session that did not authenticate as the server
// requires.
func (s *Server) authMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if !s.authenticated(sess) {
			s.log.Warn("session refused: not authenticated", "remote", sess.RemoteAddr().String(), "user", sess.User())
			wish.Fatalln(sess, "Not authenticated.")
			return
		}
		next(sess)
	}
}

// serverConfig logs failed class-code attempts: who, from where, and by
// which method, never what they typed.
func (s *Server) serverConfig(ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			if err == nil || method == "none" || method == "publickey" {
				// Clients try "none" first and offer several keys in
				// turn; a refused key is reported once the connection
				// fails, by onConnFailed.
				return
			}
			// Wrong class codes are summarised by the guard, per address.
			s.log.Debug("authentication failed", "method", method, "user", conn.User(), "remote", conn.RemoteAddr().String())
		},
	}
}

// ParseAuthorizedKeys reads an authorized_keys file: one key a line,
// blank lines and # comments allowed, options before the key ignored
// (every key admits a trainee, nothing more). An unreadable line is an
// error that names it, so a trainer's typo is not silently a locked-out
// trainee.
func ParseAuthorizedKeys(r io.Reader, name string) ([]gossh.PublicKey, error) {
	var keys []gossh.PublicKey
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 16<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key: %w", name, n, err)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoKeys)
	}
	return keys, nil
}

// ErrNoKeys means an authorized keys file holds no key.
var ErrNoKeys = errors.New("no public keys in the file")

// LoadAuthorizedKeys reads an authorized_keys file from disk.
func LoadAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	defer f.Close()
	return ParseAuthorizedKeys(f, path)
}
