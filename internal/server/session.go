package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/results"
	play "github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui"
)

// endReason is why a session ended; it picks the goodbye line.
type endReason int

const (
	endNone     endReason = iota
	endQuit               // the trainee left
	endClosed             // the client hung up
	endIdle               // no key for Limits.IdleTimeout
	endTime               // Limits.MaxSession reached
	endShutdown           // the server is stopping
)

// session is one connected trainee: their program, their attempts, their
// presence file and their timers.
type session struct {
	srv       *Server
	sess      ssh.Session
	id        string
	remote    string
	connected time.Time
	ctx       context.Context
	cancel    context.CancelFunc
	in        *input
	// program is set once start has built it (under mu: end may run
	// before).
	program *tea.Program

	// wake asks the presence writer to rewrite the presence file.
	wake chan struct{}
	// writerDone is closed when the presence writer has stopped.
	writerDone chan struct{}

	mu       sync.Mutex
	reason   endReason
	trainee  string
	activity string
	// cur is the newest attempt; unsaved holds every attempt with changes
	// not yet in the results folder (cur among them, usually).
	cur     *attempt
	curSeq  int
	unsaved map[*attempt]bool
	// abandoned lists the titles of unfinished attempts saved as
	// abandoned, for the goodbye line.
	abandoned []string
	// unsavable holds the attempts whose last save failed: the goodbye
	// must not then say that they were saved.
	unsavable map[*attempt]bool
	// saveMu serialises saves, so an older version of an attempt can never
	// be renamed over a newer one.
	saveMu sync.Mutex
}

// attempt is one conversation a trainee started. The model reports it
// through track; it is saved under one record id, first when it ends (or
// the session does) and again if it changed since.
type attempt struct {
	id string
	// a is the attempt as last read from the player; a.Ended is set once
	// it is over.
	a play.Attempt
	// over means the player reported it ended: finished, or abandoned by
	// the trainee.
	over bool
	// version counts changes; saved is the version last written.
	version, saved int
	path           string
	// toldAbandoned says the goodbye already lists it as unfinished.
	toldAbandoned bool
}

func newSessionID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms; a time-based
		// id is still unique enough for presence files.
		return fmt.Sprintf("t%x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

// sessionMiddleware admits a session within the limits, prepares its
// program for the Bubble Tea middleware (next), and afterwards saves what
// is unsaved, removes the presence file and says goodbye.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		remote := sess.RemoteAddr().String()
		if s.isClosing() {
			wish.Println(sess, "Rapport is closing for now. Ask your trainer when to connect again.")
			_ = sess.Exit(1)
			return
		}
		select {
		case s.slots <- struct{}{}:
		default:
			s.log.Warn("limit hit: sessions", "remote", remote, "limit", s.cfg.Limits.MaxSessions)
			wish.Println(sess, fmt.Sprintf("Rapport is full: %d trainees are connected, the most this server takes. Try again in a few minutes, or tell your trainer.",
				s.cfg.Limits.MaxSessions))
			_ = sess.Exit(1)
			return
		}
		defer func() { <-s.slots }()
		if tc := connOf(sess.Context()); tc != nil {
			tc.active.Store(true)
		}

		ss := s.newSession(sess)
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			wish.Println(sess, "Rapport is closing for now. Ask your trainer when to connect again.")
			_ = sess.Exit(1)
			return
		}
		s.sessions[sess] = ss
		s.handlers.Add(1)
		s.mu.Unlock()
		defer s.handlers.Done()

		s.log.Info("session started", "session", ss.id, "remote", remote)
		ss.start()
		next(sess)
		ss.finish()

		s.mu.Lock()
		delete(s.sessions, sess)
		s.mu.Unlock()
	}
}

func (s *Server) newSession(sess ssh.Session) *session {
	// Not the connection's context: when the client hangs up, the session
	// ends through its input (end(endClosed)) and the Bubble Tea
	// middleware's Quit, cleanly; cancelling is the last resort.
	ctx, cancel := context.WithCancel(context.Background())
	ss := &session{
		srv:        s,
		sess:       sess,
		id:         newSessionID(),
		remote:     sess.RemoteAddr().String(),
		connected:  s.now(),
		ctx:        ctx,
		cancel:     cancel,
		wake:       make(chan struct{}, 1),
		writerDone: make(chan struct{}),
		activity:   presence.ActivityNaming,
		unsaved:    map[*attempt]bool{},
		unsavable:  map[*attempt]bool{},
	}
	ss.in = newInput(sess, time.Now, func() { ss.endAndSave(endClosed) })
	return ss
}

// start reads the trainee's terminal, builds their program and starts the
// timers and the presence writer.
func (ss *session) start() {
	go ss.in.pump()
	r := ss.renderer()
	m := newModel(ss, ss.srv.cfg, r)
	pty, _, _ := ss.sess.Pty()
	p := tea.NewProgram(m,
		tea.WithInput(ss.in),
		tea.WithOutput(ss.sess),
		tea.WithContext(ss.ctx),
		tea.WithEnvironment(sessionEnv(ss.sess, pty)),
		// The server's signals are the server's: they must not reach
		// every trainee's program.
		tea.WithoutSignalHandler(),
		tea.WithAltScreen(),
	)
	ss.mu.Lock()
	ss.program = p
	ended := ss.reason != endNone
	ss.mu.Unlock()
	if ended {
		// The session ended while the terminal was being asked about:
		// the program stops as soon as it starts.
		go p.Send(endMsg{})
	}
	go ss.watch()
	go ss.presenceWriter()
}

// renderer builds the session's Lip Gloss renderer: the colour profile
// from the client's TERM (and COLORTERM or NO_COLOR, when the client sends
// them), and the background asked of the terminal now, before the
// program owns the input. Asking later, as the renderer would on first
// use, would wait on a reply the program had already read.
func (ss *session) renderer() *lipgloss.Renderer {
	pty, _, _ := ss.sess.Pty()
	env := sessionEnv(ss.sess, pty)
	if pty.Term == "" || pty.Term == "dumb" {
		r := lipgloss.NewRenderer(ss.sess, termenv.WithProfile(termenv.Ascii))
		r.SetHasDarkBackground(true)
		return r
	}
	r := lipgloss.NewRenderer(ss.sess,
		termenv.WithEnvironment(env),
		// The session is not a TTY; without this termenv would fall back
		// to no colour at all.
		termenv.WithUnsafe(),
		termenv.WithColorCache(true),
	)
	dark := true
	if wait := ss.srv.cfg.ColorQuery; wait > 0 {
		if d, ok := ss.in.askBackground(ss.sess, wait); ok {
			dark = d
		}
	}
	r.SetHasDarkBackground(dark)
	return r
}

// sessionEnv is the client's environment as termenv and Bubble Tea read
// it: the variables the client sent, and TERM from the PTY request.
type sshEnviron []string

func sessionEnv(sess ssh.Session, pty ssh.Pty) sshEnviron {
	return sshEnviron(append(sess.Environ(), "TERM="+pty.Term))
}

// Environ implements termenv.Environ.
func (e sshEnviron) Environ() []string { return e }

// Getenv implements termenv.Environ; the last value sent wins.
func (e sshEnviron) Getenv(k string) string {
	v := ""
	for _, kv := range e {
		if rest, ok := strings.CutPrefix(kv, k+"="); ok {
			v = rest
		}
	}
	return v
}

// endGrace is how long a program asked to stop may take before it is
// killed. Stopping cleanly restores the trainee's terminal; killing is
// for a client that stopped reading, whose screen cannot be written.
const endGrace = 2 * time.Second

// end stops the session for a reason; the first reason given is the one
// the trainee is told. The program is asked to quit, and killed if it has
// not within endGrace.
func (ss *session) end(r endReason) {
	ss.mu.Lock()
	first := ss.reason == endNone
	if first {
		ss.reason = r
	}
	p := ss.program
	ss.mu.Unlock()
	if !first {
		return
	}
	if p != nil {
		// Send waits for the program to take the message (or to stop):
		// never from the caller, which may be the program's own input.
		go p.Send(endMsg{})
	}
	time.AfterFunc(endGrace, ss.cancel)
}

// endAndSave ends the session and saves its attempts at once, without
// waiting for the program to stop: a client that stopped reading can hold
// the program up, but not the records. finish saves again if the program
// changed anything meanwhile.
func (ss *session) endAndSave(r endReason) {
	ss.end(r)
	ss.saveCurrent()
}

// finish runs after the program has stopped.
func (ss *session) finish() {
	ss.end(endQuit)
	ss.cancel()
	ss.in.close()
	ss.saveCurrent()
	<-ss.writerDone
	ss.removePresence()

	ss.mu.Lock()
	reason, name, abandoned, unsaved := ss.reason, ss.trainee, ss.abandoned, len(ss.unsaved)
	ss.mu.Unlock()
	ss.srv.log.Info("session ended", "session", ss.id, "remote", ss.remote, "why", reason.String(),
		"after", ss.srv.now().Sub(ss.connected).Round(time.Second))
	if line := goodbye(reason, name, abandoned, unsaved, ss.srv.cfg.Limits); line != "" {
		wish.Println(ss.sess, line)
	}
}

func (r endReason) String() string {
	switch r {
	case endQuit:
		return "left"
	case endClosed:
		return "client closed"
	case endIdle:
		return "idle timeout"
	case endTime:
		return "session length limit"
	case endShutdown:
		return "server shutdown"
	}
	return "running"
}

// goodbye is the line a trainee reads after the player closes. unsaved
// counts the attempts whose records could not be written: then nothing
// claims the attempts are saved.
func goodbye(r endReason, name string, abandoned []string, unsaved int, l Limits) string {
	var saved string
	switch {
	case unsaved == 1:
		saved = " One of your attempts could not be saved: tell your trainer."
	case unsaved > 1:
		saved = fmt.Sprintf(" %d of your attempts could not be saved: tell your trainer.", unsaved)
	case len(abandoned) == 0:
	case len(abandoned) == 1:
		saved = fmt.Sprintf(" Your unfinished conversation (%s) was saved, so your trainer can see how far you got.", abandoned[0])
	default:
		saved = fmt.Sprintf(" Your %d unfinished conversations were saved, so your trainer can see how far you got.", len(abandoned))
	}
	switch r {
	case endQuit:
		switch {
		case name == "" && unsaved == 0:
			return "Goodbye from Rapport."
		case name == "":
			return "Goodbye from Rapport." + saved
		case unsaved > 0:
			return fmt.Sprintf("Thank you for practising, %s.%s Goodbye!", name, saved)
		}
		return fmt.Sprintf("Thank you for practising, %s. Your attempts are saved for your trainer. Goodbye!", name)
	case endIdle:
		return fmt.Sprintf("Rapport closed this session after %s without a key press.%s Connect again to carry on.", human(l.IdleTimeout), saved)
	case endTime:
		return fmt.Sprintf("This session reached its %s limit.%s Connect again to carry on.", human(l.MaxSession), saved)
	case endShutdown:
		return "Your trainer has closed Rapport for now." + saved + " Goodbye!"
	}
	return ""
}

// human says a duration the way people do: "10 minutes", "90 minutes",
// "45 seconds".
func human(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return debrief.Plural(int(d/time.Minute), "minute", "minutes")
	case d >= time.Second && d%time.Second == 0:
		return debrief.Plural(int(d/time.Second), "second", "seconds")
	}
	return d.String()
}

// watch ends the session at the idle and length limits, with a warning
// shortly before each.
func (ss *session) watch() {
	l := ss.srv.cfg.Limits
	step := min(l.IdleTimeout, l.MaxSession) / 20
	step = max(10*time.Millisecond, min(step, 5*time.Second))
	idleWarn := min(time.Minute, l.IdleTimeout/5)
	lengthWarn := min(5*time.Minute, l.MaxSession/10)
	deadline := time.Now().Add(l.MaxSession)
	var warnedIdle, warnedLength bool
	t := time.NewTicker(step)
	defer t.Stop()
	for {
		select {
		case <-ss.ctx.Done():
			return
		case <-t.C:
		}
		idle := ss.in.idle()
		left := time.Until(deadline)
		switch {
		case idle >= l.IdleTimeout:
			ss.srv.log.Info("limit hit: idle", "session", ss.id, "remote", ss.remote, "limit", l.IdleTimeout)
			ss.endAndSave(endIdle)
			return
		case left <= 0:
			ss.srv.log.Info("limit hit: session length", "session", ss.id, "remote", ss.remote, "limit", l.MaxSession)
			ss.endAndSave(endTime)
			return
		case left <= lengthWarn && !warnedLength:
			warnedLength = true
			ss.mu.Lock()
			asYouGo := " Your attempts are saved as you go."
			if len(ss.unsavable) > 0 {
				asYouGo = ""
			}
			ss.mu.Unlock()
			ss.program.Send(noticeMsg(fmt.Sprintf("This session ends in %s (the %s limit).%s",
				human(left.Round(time.Second)), human(l.MaxSession), asYouGo)))
		case idle >= l.IdleTimeout-idleWarn && !warnedIdle:
			warnedIdle = true
			ss.program.Send(noticeMsg(fmt.Sprintf("No key pressed for a while: this session closes in %s. Press any key to stay.",
				human((l.IdleTimeout - idle).Round(time.Second)))))
		case idle < l.IdleTimeout-idleWarn:
			warnedIdle = false
		}
	}
}

// The model's side: what the trainee is doing, reported from Update. These
// only store values and nudge the presence writer; the files are written
// by presenceWriter and the records by the model's save command.

func (ss *session) setTrainee(name string) {
	ss.mu.Lock()
	ss.trainee = name
	ss.mu.Unlock()
	ss.poke()
}

func (ss *session) setActivity(a string) {
	ss.mu.Lock()
	ss.activity = a
	ss.mu.Unlock()
	ss.poke()
}

// track records the state of attempt number seq (numbered by the model)
// as the player reports it. over says the attempt has ended. It returns
// the attempt for the model's save command.
func (ss *session) track(seq int, res tui.Result, over bool) *attempt {
	now := ss.srv.now()
	st := res.State
	ss.mu.Lock()
	a := ss.cur
	if a == nil || a.a.Scenario != res.Scenario || ss.curSeq != seq {
		started := res.Started
		if started.IsZero() {
			started = now
		}
		id, err := results.NewID(started, nil)
		if err != nil {
			id = ss.id + "-" + fmt.Sprint(seq)
		}
		a = &attempt{id: id}
		ss.cur, ss.curSeq = a, seq
	}
	if a.version == 0 || len(a.a.State.Steps) != len(st.Steps) || a.a.Finished() != res.Finished() ||
		a.over != over || a.a.Rewinds != res.Rewinds {
		a.version++
		started := a.a.Started
		a.a, a.over = res.Attempt, over
		if !started.IsZero() {
			a.a.Started = started
		} else if a.a.Started.IsZero() {
			a.a.Started = now
		}
		a.a.Ended = time.Time{}
		if over {
			a.a.Ended = res.Ended
			if a.a.Ended.IsZero() {
				a.a.Ended = now
			}
		}
		ss.unsaved[a] = true
	}
	ss.mu.Unlock()
	ss.poke()
	return a
}

// record scores the attempt and builds its record, under the attempt's
// own id (results.RecordOf: an attempt that has not reached an ending is
// abandoned).
func (a attempt) record(trainee string, ended time.Time) (*results.Record, error) {
	at := a.a
	at.Ended = ended
	r, err := results.RecordOf(at, trainee)
	if err != nil {
		return nil, err
	}
	r.ID = a.id
	return r, nil
}

// save writes an attempt's record, unless this version is already saved.
func (ss *session) save(a *attempt) (string, error) {
	ss.saveMu.Lock()
	defer ss.saveMu.Unlock()
	ss.mu.Lock()
	if a.saved == a.version {
		path := a.path
		ss.mu.Unlock()
		return path, nil
	}
	snap := *a
	name := ss.trainee
	ss.mu.Unlock()
	if results.Empty(snap.a.State) {
		// Left before a word was said: nothing to keep.
		ss.mu.Lock()
		a.saved = snap.version
		if a.saved == a.version {
			delete(ss.unsaved, a)
		}
		ss.mu.Unlock()
		return "", nil
	}

	ended := snap.a.Ended
	if ended.IsZero() {
		ended = ss.srv.now()
	}
	r, err := snap.record(name, ended)
	if err != nil {
		return "", fmt.Errorf("record attempt at %s: %w", snap.a.Scenario.ID, err)
	}
	path, err := ss.srv.cfg.Results.Save(r)
	if err != nil {
		ss.srv.log.Error("attempt not saved", "session", ss.id, "scenario", snap.a.Scenario.ID, "err", err)
		ss.mu.Lock()
		if !ss.unsavable[a] {
			ss.unsavable[a] = true
			ss.srv.saveFailures.Add(1)
		}
		ss.mu.Unlock()
		return "", err
	}
	ss.mu.Lock()
	if ss.unsavable[a] { // saved at a later try after all
		delete(ss.unsavable, a)
		ss.srv.saveFailures.Add(-1)
	}
	a.saved, a.path = snap.version, path
	if a.saved == a.version {
		delete(ss.unsaved, a)
	}
	if r.Status == results.Abandoned && !snap.over && !a.toldAbandoned {
		a.toldAbandoned = true
		ss.abandoned = append(ss.abandoned, textsafe.Text(snap.a.Scenario.Title))
	}
	ss.mu.Unlock()
	ss.srv.log.Info("attempt saved", "session", ss.id, "scenario", snap.a.Scenario.ID, "status", r.Status, "turns", len(r.Turns))
	ss.poke()
	return path, nil
}

// saveCurrent saves every attempt with unsaved changes: at the end of the
// session, an unfinished one is saved as abandoned.
func (ss *session) saveCurrent() {
	ss.mu.Lock()
	pending := make([]*attempt, 0, len(ss.unsaved))
	for a := range ss.unsaved {
		pending = append(pending, a)
	}
	ss.mu.Unlock()
	for _, a := range pending {
		_, _ = ss.save(a)
	}
}

// poke asks the presence writer for a new file, without waiting.
func (ss *session) poke() {
	select {
	case ss.wake <- struct{}{}:
	default:
	}
}

// presenceWriter keeps the session's presence file up to date until the
// session ends: when poked (at most once per presenceGap) and every
// PresenceBeat.
func (ss *session) presenceWriter() {
	defer close(ss.writerDone)
	if ss.srv.cfg.Live == "" {
		return
	}
	const presenceGap = time.Second
	beat := time.NewTicker(presence.Beat)
	defer beat.Stop()
	for {
		ss.writePresence()
		select {
		case <-ss.ctx.Done():
			return
		case <-time.After(presenceGap):
		}
		select {
		case <-ss.ctx.Done():
			return
		case <-ss.wake:
		case <-beat.C:
		}
	}
}

func (ss *session) presencePath() string {
	return filepath.Join(presence.SessionsDir(ss.srv.cfg.Live), ss.id+".json")
}

func (ss *session) writePresence() {
	ss.mu.Lock()
	p := presence.Session{
		Schema: presence.Schema, Session: ss.id, Trainee: ss.trainee, Activity: ss.activity,
		Connected: ss.connected, Updated: ss.srv.now(),
	}
	var snap attempt
	live := ss.cur != nil && !ss.cur.over
	if live {
		snap = *ss.cur
	}
	if a := ss.cur; a != nil && ss.activity != presence.ActivityChoosing {
		p.Scenario, p.Title = a.a.Scenario.ID, textsafe.Text(a.a.Scenario.Title)
		if live {
			p.Node = a.a.State.Node
		}
	}
	ss.mu.Unlock()
	if live {
		if r, err := snap.record(p.Trainee, p.Updated); err == nil {
			r.Explanations = nil
			p.Attempt = r
		}
	}
	if err := presence.Write(ss.presencePath(), p); err != nil {
		ss.srv.log.Warn("presence", "session", ss.id, "err", err)
	}
}

func (ss *session) removePresence() {
	if ss.srv.cfg.Live == "" {
		return
	}
	if err := os.Remove(ss.presencePath()); err != nil && !os.IsNotExist(err) {
		ss.srv.log.Warn("presence", "session", ss.id, "err", err)
	}
}
