package server

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
// live in a "live" folder inside the results folder (LiveDir), which the
// record readers never look into:
//
//	<results>/live/server.json          the server: address, assigned scenarios
//	<results>/live/sessions/<id>.json   one connected trainee
//
// Each is JSON, replaced atomically (temporary file, rename) whenever it
// changes and at least every PresenceBeat, and removed when the session or
// the server ends. A file not refreshed for StaleAfter was left by a
// server that stopped without cleaning up, and readers ignore it. The
// format is documented in docs/classroom.md.

// PresenceSchema is the version of the presence file format.
const PresenceSchema = 1

// PresenceBeat is how often presence files are rewritten while nothing
// changes, so readers can tell a live server from a dead one.
const PresenceBeat = 30 * time.Second

// StaleAfter is how old a presence file's Updated time may be before
// readers treat it as left over.
const StaleAfter = 2 * time.Minute

// What a connected trainee is doing (Presence.Activity).
const (
	ActivityNaming   = "naming"   // typing their name
	ActivityChoosing = "choosing" // at the scenario picker
	ActivityPlaying  = "playing"  // in a conversation
	ActivityDebrief  = "debrief"  // reading the end screen of one
)

// Presence is one connected trainee.
type Presence struct {
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

// ServerInfo describes the running server.
type ServerInfo struct {
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

// LiveDir is the presence folder inside a results folder.
func LiveDir(resultsDir string) string { return filepath.Join(resultsDir, "live") }

func sessionsDir(live string) string { return filepath.Join(live, "sessions") }

// writeJSON replaces path with v's JSON, atomically but without the fsyncs
// records get: a presence file lost in a power cut is rewritten by the
// next beat, and dozens of sessions should not queue on the disk. Its mode
// and its folders' follow the results folder (config.Modes): private
// unless the folder is shared with a group.
func writeJSON(path string, v any) error {
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
func ReadLive(live string, now time.Time) (*ServerInfo, []Presence, error) {
	l, err := ReadPresence(live, now)
	return l.Server, l.Sessions, err
}

// Live is what a presence folder says.
type Live struct {
	// Server is nil when no server is running.
	Server *ServerInfo
	// Sessions are the connected trainees, oldest connection first.
	Sessions []Presence
	// Skipped are files that are not regular files (a named pipe, a
	// device, a socket), which are never opened for reading, with the
	// reason. Stale and foreign presence files are left out silently: a
	// server killed without cleaning up leaves them.
	Skipped []results.Skipped
}

// ReadPresence reads the presence folder like ReadLive, and also says
// which files were skipped for not being regular files. Every text field
// read is sanitised (textsafe): presence files are in the shared results
// folder, so they are untrusted input like records.
func ReadPresence(live string, now time.Time) (Live, error) {
	var l Live
	read := func(path string, v any) bool {
		err := readPresence(path, v)
		if errors.Is(err, config.ErrNotRegular) {
			l.Skipped = append(l.Skipped, results.Skipped{Path: path, Reason: strings.TrimPrefix(err.Error(), path+": ")})
		}
		return err == nil
	}
	var si ServerInfo
	if read(filepath.Join(live, "server.json"), &si) && si.Schema >= 1 && fresh(si.Updated, now) {
		si.sanitize()
		l.Server = &si
	}
	entries, err := os.ReadDir(sessionsDir(live))
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
		var p Presence
		if !read(filepath.Join(sessionsDir(live), n), &p) || p.Schema < 1 || p.Session == "" || !fresh(p.Updated, now) {
			continue
		}
		p.sanitize()
		l.Sessions = append(l.Sessions, p)
	}
	sortPresence(l.Sessions)
	return l, nil
}

// sanitize makes the server's fields safe to draw.
func (si *ServerInfo) sanitize() {
	si.Addr = textsafe.Line(si.Addr)
	for i, a := range si.Assigned {
		si.Assigned[i] = textsafe.Line(a)
	}
}

// sanitize makes a trainee's fields safe to draw, and drops an attempt
// that is not a valid record.
func (p *Presence) sanitize() {
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

func sortPresence(ps []Presence) {
	slices.SortFunc(ps, func(a, b Presence) int {
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

// recoverStale deals with presence files left by a server that was killed
// (kill -9, a power cut) before it could save its sessions. Each holds the
// attempt in progress as it was a moment before: it is saved as an
// abandoned record, as a shutdown would have, and the file is removed only
// once that worked. A file whose record is already in the results folder
// (the attempt ended, and was saved, just before the crash) is removed.
// Files still fresh may belong to a server running right now on the same
// folder, so they are left until they go stale; the heartbeat calls this
// again, so a restart within StaleAfter recovers them a little later.
func (s *Server) recoverStale(now time.Time) {
	dir := sessionsDir(s.cfg.Live)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < StaleAfter {
			continue
		}
		var p Presence
		_ = readPresence(path, &p) // unreadable: nothing to recover, the file goes
		if r := p.Attempt; r != nil && r.ID != "" {
			if _, err := os.Stat(s.cfg.Results.Path(r.ID)); err != nil {
				r.Status = results.Abandoned
				if _, err := s.cfg.Results.Save(r); err != nil {
					s.saveFailures.Add(1)
					s.log.Error("attempt left by a stopped server not recovered; its presence file is kept",
						"file", path, "err", err)
					continue
				}
				s.log.Info("attempt left by a stopped server saved as abandoned", "record", r.ID, "trainee", r.Trainee)
			}
		}
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			s.log.Warn("presence", "err", err)
		}
	}
}

// startHeartbeat writes the server's presence file and keeps it fresh
// until stopHeartbeat.
func (s *Server) startHeartbeat(addr string) {
	if s.cfg.Live == "" {
		return
	}
	s.recoverStale(time.Now())
	info := ServerInfo{Schema: PresenceSchema, Addr: addr, Started: s.now(), Assigned: s.cfg.Assigned}
	if len(info.Assigned) == 0 {
		for _, sc := range s.cfg.Scenarios {
			info.Assigned = append(info.Assigned, sc.ID)
		}
	}
	path := filepath.Join(s.cfg.Live, "server.json")
	write := func() {
		info.Updated = s.now()
		info.Sessions = s.Sessions()
		if err := writeJSON(path, info); err != nil {
			s.log.Warn("presence", "err", err)
		}
	}
	write()
	done := make(chan struct{})
	s.mu.Lock()
	s.beatDone = done
	s.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTicker(PresenceBeat)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				write()
				s.recoverStale(time.Now())
			case <-s.stopBeat:
				os.Remove(path)
				return
			}
		}
	}()
}

// stopHeartbeat stops the beat and waits for the server's presence file
// to be removed.
func (s *Server) stopHeartbeat() {
	s.beatOnce.Do(func() { close(s.stopBeat) })
	s.mu.Lock()
	done := s.beatDone
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}
