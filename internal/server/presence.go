package server

import (
	"os"
	"path/filepath"
	"time"

	"github.com/rapport-sim/rapport/internal/presence"
)

// startHeartbeat writes the server's presence file and keeps it fresh
// until stopHeartbeat.
func (s *Server) startHeartbeat(addr string) {
	if s.cfg.Live == "" {
		return
	}
	presence.RemoveStale(s.cfg.Live, time.Now())
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
