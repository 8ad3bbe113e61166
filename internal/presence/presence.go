// Package presence is the classroom server's live presence files: who is
// connected right now and what they are doing. The server writes them
// (Write), and `rapport class` reads them (Read) for the trainer's
// dashboard, in the format docs/classroom.md documents.
package presence

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// Presence files tell the trainer's dashboard who is connected right now,
// which records cannot (a record is written when an attempt ends). They
// live in a "live" folder inside the results folder (Dir), which the
// record readers never look into:
//
//	<results>/live/server.json          the server: address, assigned scenarios
//	<results>/live/sessions/<id>.json   one connected trainee
//
// Each is JSON, replaced atomically (temporary file, rename) whenever it
// changes and at least every Beat, and removed when the session or
// the server ends. A file not refreshed for StaleAfter was left by a
// server that stopped without cleaning up, and readers ignore it. The
// format is documented in docs/classroom.md.

// Schema is the version of the presence file format.
const Schema = 1

// Beat is how often presence files are rewritten while nothing
// changes, so readers can tell a live server from a dead one.
const Beat = 30 * time.Second

// StaleAfter is how old a presence file's Updated time may be before
// readers treat it as left over.
const StaleAfter = 2 * time.Minute

// What a connected trainee is doing (Session.Activity).
const (
	ActivityNaming   = "naming"   // typing their name
	ActivityChoosing = "choosing" // at the scenario picker
	ActivityPlaying  = "playing"  // in a conversation
	ActivityDebrief  = "debrief"  // reading the end screen of one
)

// Session is one connected trainee.
type Session struct {
	Schema  int    `json:"schema"`
	Session string `json:"session"`
	// Trainee is empty until the trainee has typed a name.
	Trainee   string    `json:"trainee"`
	Activity  string    `json:"activity"`
	Connected time.Time `json:"connected"`
	Updated   time.Time `json:"updated"`
	// Scenario and Title name the conversation being played or, at the
	// debrief, just played; Node is the decision point the trainee is at.
	Scenario string `json:"scenario,omitempty"`
	Title    string `json:"title,omitempty"`
	Node     string `json:"node,omitempty"`
	// Attempt is the conversation in progress, scored so far, in the
	// results record format without its explanations. Its status reads
	// "abandoned" because it has not ended; it is absent once the attempt
	// ends, when the real record is in the results folder.
	Attempt *results.Record `json:"attempt,omitempty"`
}

// Server describes the running server.
type Server struct {
	Schema  int       `json:"schema"`
	Addr    string    `json:"addr"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
	// Assigned are the ids of the scenarios trainees can play, in picker
	// order.
	Assigned []string `json:"assigned"`
	// Sessions is how many trainees were connected at Updated.
	Sessions int `json:"sessions"`
}

// Dir is the presence folder inside a results folder.
func Dir(resultsDir string) string { return filepath.Join(resultsDir, "live") }

// SessionsDir is the folder of the connected trainees' files.
func SessionsDir(live string) string { return filepath.Join(live, "sessions") }

// Write replaces path with v's JSON, atomically but without the fsyncs
// records get: a presence file lost in a power cut is rewritten by the
// next beat, and dozens of sessions should not queue on the disk. Its mode
// and its folders' follow the results folder (config.Modes): private
// unless the folder is shared with a group.
func Write(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	dir := filepath.Dir(path)
	if err := config.MkdirAll(dir); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode, _ := config.Modes(dir)
	return config.WriteFileAtomic(path, append(data, '\n'), mode, config.NoSync())
}

// ReadLive reads the presence folder: the server's file (nil when no
// server is running) and the connected trainees, oldest connection first.
// Stale, unreadable and foreign files are left out; a missing folder means
// nobody is connected.
func ReadLive(live string, now time.Time) (*Server, []Session, error) {
	l, err := Read(live, now)
	return l.Server, l.Sessions, err
}

// Live is what a presence folder says.
type Live struct {
	// Server is nil when no server is running.
	Server *Server
	// Sessions are the connected trainees, oldest connection first.
	Sessions []Session
	// Skipped are files that are not regular files (a named pipe, a
	// device, a socket), which are never opened for reading, with the
	// reason. Stale and foreign presence files are left out silently: a
	// server killed without cleaning up leaves them.
	Skipped []results.Skipped
}

// Read reads the presence folder like ReadLive, and also says
// which files were skipped for not being regular files. Every text field
// read is sanitised (textsafe): presence files are in the shared results
// folder, so they are untrusted input like records.
func Read(live string, now time.Time) (Live, error) {
	var l Live
	read := func(path string, v any) bool {
		err := readPresence(path, v)
		if errors.Is(err, config.ErrNotRegular) {
			l.Skipped = append(l.Skipped, results.Skipped{Path: path, Reason: strings.TrimPrefix(err.Error(), path+": ")})
		}
		return err == nil
	}
	var si Server
	if read(filepath.Join(live, "server.json"), &si) && si.Schema >= 1 && fresh(si.Updated, now) {
		si.sanitize()
		l.Server = &si
	}
	entries, err := os.ReadDir(SessionsDir(live))
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("read presence: %w", err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") {
			continue
		}
		var p Session
		if !read(filepath.Join(SessionsDir(live), n), &p) || p.Schema < 1 || p.Session == "" || !fresh(p.Updated, now) {
			continue
		}
		p.sanitize()
		l.Sessions = append(l.Sessions, p)
	}
	sortSessions(l.Sessions)
	return l, nil
}

// sanitize makes the server's fields safe to draw.
func (si *Server) sanitize() {
	si.Addr = textsafe.Line(si.Addr)
	for i, a := range si.Assigned {
		si.Assigned[i] = textsafe.Line(a)
	}
}

// sanitize makes a trainee's fields safe to draw, and drops an attempt
// that is not a valid record.
func (p *Session) sanitize() {
	for _, s := range []*string{&p.Session, &p.Trainee, &p.Activity, &p.Scenario, &p.Title, &p.Node} {
		*s = textsafe.Line(*s)
	}
	if p.Attempt != nil && p.Attempt.Validate() != nil {
		p.Attempt = nil
	}
	if p.Attempt != nil {
		p.Attempt.Sanitize()
	}
}

func sortSessions(ps []Session) {
	slices.SortFunc(ps, func(a, b Session) int {
		return cmp.Or(a.Connected.Compare(b.Connected), strings.Compare(a.Session, b.Session))
	})
}

func fresh(updated, now time.Time) bool {
	return !updated.IsZero() && now.Sub(updated) < StaleAfter
}

// maxPresenceSize is the largest presence file read. They are a few
// kilobytes; a larger one is not ours.
const maxPresenceSize = 1 << 20

// readPresence decodes a presence file into v. Only a regular file is
// read (config.ReadRegular): a named pipe in the folder must not hang the
// dashboard.
func readPresence(path string, v any) error {
	data, err := config.ReadRegular(path, nil, maxPresenceSize)
	if err != nil {
		return err
	}
	if len(data) > maxPresenceSize {
		return fmt.Errorf("%s: larger than %d KiB", path, maxPresenceSize>>10)
	}
	return json.Unmarshal(data, v)
}

// Leftover is a session presence file not rewritten for StaleAfter: left
// by a server that was killed before it could save its sessions.
type Leftover struct {
	Path string
	// Session is the file's content; its Attempt, when set, is the
	// attempt that was in progress. Err says why the file could not be
	// read, when it could not (it holds nothing to recover then).
	Session Session
	Err     error
}

// Leftovers lists the stale session files in live. The caller recovers
// what they hold (the server saves their attempts as abandoned records)
// and removes them. Fresh files may belong to a server running now, and
// are not listed.
func Leftovers(live string, now time.Time) []Leftover {
	entries, err := os.ReadDir(SessionsDir(live))
	if err != nil {
		return nil
	}
	var out []Leftover
	for _, e := range entries {
		path := filepath.Join(SessionsDir(live), e.Name())
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < StaleAfter {
			continue
		}
		l := Leftover{Path: path}
		l.Err = readPresence(path, &l.Session)
		out = append(out, l)
	}
	return out
}
