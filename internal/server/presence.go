package server

import (
	"os"
	"path/filepath"
	"time"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
)

// startHeartbeat writes the server's presence file and keeps it fresh
// until stopHeartbeat.
func (s *Server) startHeartbeat(addr string) {
	if s.cfg.Live == "" {
		return
	}
	s.recoverStale(time.Now())
	info := presence.Server{Schema: presence.Schema, Addr: addr, Started: s.now(), Assigned: s.cfg.Assigned}
	if len(info.Assigned) == 0 {
		for _, sc := range s.cfg.Scenarios {
			info.Assigned = append(info.Assigned, sc.ID)
		}
	}
	path := filepath.Join(s.cfg.Live, "server.json")
	write := func() {
		info.Updated = s.now()
		info.Sessions = s.Sessions()
		if err := presence.Write(path, info); err != nil {
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
		t := time.NewTicker(presence.Beat)
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

// recoverStale deals with presence files left by a server that was killed
// (kill -9, a power cut) before it could save its sessions. Each holds the
// attempt in progress as it was a moment before: it is saved as an
// abandoned record, as a shutdown would have, and the file is removed only
// once that worked. A file whose record is already in the results folder
// (the attempt ended, and was saved, just before the crash) is removed.
// Files still fresh may belong to a server running right now on the same
// folder, so they are left until they go stale; the heartbeat calls this
// again, so a restart within presence.StaleAfter recovers them a little
// later.
func (s *Server) recoverStale(now time.Time) {
	for _, l := range presence.Leftovers(s.cfg.Live, now) {
		if r := l.Session.Attempt; l.Err == nil && r != nil && r.ID != "" {
			if _, err := os.Stat(s.cfg.Results.Path(r.ID)); err != nil {
				r.Status = results.Abandoned
				if _, err := s.cfg.Results.Save(r); err != nil {
					s.saveFailures.Add(1)
					s.log.Error("attempt left by a stopped server not recovered; its presence file is kept",
						"file", l.Path, "err", err)
					continue
				}
				s.log.Info("attempt left by a stopped server saved as abandoned", "record", r.ID)
			}
		}
		if err := os.Remove(l.Path); err != nil && !os.IsNotExist(err) {
			s.log.Warn("presence", "err", err)
		}
	}
}
