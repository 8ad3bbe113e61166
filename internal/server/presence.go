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
// next beat, and dozens of sessions should not queue on the disk.
func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	dir, name := filepath.Split(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, config.TempPrefix+name+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(append(data, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ReadLive reads the presence folder: the server's file (nil when no
// server is running) and the connected trainees, oldest connection first.
// Stale, unreadable and foreign files are left out; a missing folder means
// nobody is connected.
func ReadLive(live string, now time.Time) (*ServerInfo, []Presence, error) {
	var info *ServerInfo
	var si ServerInfo
	if readJSON(filepath.Join(live, "server.json"), &si) && si.Schema >= 1 && fresh(si.Updated, now) {
		info = &si
	}
	entries, err := os.ReadDir(sessionsDir(live))
	if errors.Is(err, fs.ErrNotExist) {
		return info, nil, nil
	}
	if err != nil {
		return info, nil, fmt.Errorf("read presence: %w", err)
	}
	var out []Presence
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") {
			continue
		}
		var p Presence
		if !readJSON(filepath.Join(sessionsDir(live), n), &p) || p.Schema < 1 || p.Session == "" || !fresh(p.Updated, now) {
			continue
		}
		if p.Attempt != nil && p.Attempt.Validate() != nil {
			p.Attempt = nil
		}
		out = append(out, p)
	}
	sortPresence(out)
	return info, out, nil
}

func sortPresence(ps []Presence) {
	slices.SortFunc(ps, func(a, b Presence) int {
		return cmp.Or(a.Connected.Compare(b.Connected), strings.Compare(a.Session, b.Session))
	})
}

func fresh(updated, now time.Time) bool {
	return !updated.IsZero() && now.Sub(updated) < StaleAfter
}

// readJSON decodes a small file into v; false when it cannot.
func readJSON(path string, v any) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	// Presence files are a few kilobytes; a larger one is not ours.
	dec := json.NewDecoder(&limitedReader{f: f, n: 1 << 20})
	return dec.Decode(v) == nil
}

type limitedReader struct {
	f *os.File
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("presence file too large")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.f.Read(p)
	l.n -= int64(n)
	return n, err
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
		readJSON(path, &p)
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
