// Package server serves Rapport to a classroom over SSH: every trainee
// types one ssh command, enters their name and plays the scenarios the
// trainer assigned, each connection in its own Bubble Tea program drawn for
// the trainee's own terminal. Every attempt is saved as a record in the
// results folder, and small presence files tell the trainer's dashboard
// (rapport class) who is connected and where they are.
//
// The server is Charm's wish (pinned at v1.4.7) on charmbracelet/ssh. The
// middleware, outermost first:
//
//	recover → logging → authentication re-check → rate limit →
//	access control (no commands) → active terminal (a PTY is required) →
//	session (limits, records, presence, goodbye) → Bubble Tea
//
// Nothing but the player is offered: exec requests, sessions without a
// terminal, subsystems, port forwarding, agent and X11 forwarding are all
// refused, and a connection may open one session.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/accesscontrol"
	"github.com/charmbracelet/wish/activeterm"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/charmbracelet/wish/logging"
	"github.com/charmbracelet/wish/ratelimiter"
	rm "github.com/charmbracelet/wish/recover"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/tui"
)

// DefaultAddr is where the server listens unless told otherwise: this
// machine only. Serving a network is a choice the trainer makes explicitly.
const DefaultAddr = "127.0.0.1:2222"

// DefaultColorQuery is how long a new session waits for the trainee's
// terminal to say its background colour. Terminals answer within one round
// trip; one that does not answer costs the trainee this much once.
const DefaultColorQuery = 500 * time.Millisecond

// ShutdownGrace is how long Shutdown is given by the rapport-server serve command:
// trainees are told, attempts saved and connections closed within it.
const ShutdownGrace = 5 * time.Second

// Limits keep one trainee, or one misbehaving client, from spoiling the
// class for everyone else. Past a limit the client is told why in plain
// words and the server carries on serving the others.
type Limits struct {
	// MaxSessions is how many trainees can be connected at once.
	MaxSessions int
	// ConnsPerMinute is how many connections one address may open in a
	// minute (a token bucket: that many at once, refilled over the
	// minute). A class behind one NAT address shares it.
	ConnsPerMinute int
	// IdleTimeout closes a session when no key was pressed for this long.
	IdleTimeout time.Duration
	// MaxSession is the longest a session may last.
	MaxSession time.Duration
	// MaxLine is the most characters a trainee can type in one go (a
	// name, a free-text answer, a paste); the rest is left out, with a
	// note.
	MaxLine int
}

// DefaultLimits are the limits rapport-server serve starts with.
func DefaultLimits() Limits {
	return Limits{
		MaxSessions:    64,
		ConnsPerMinute: 30,
		IdleTimeout:    10 * time.Minute,
		MaxSession:     90 * time.Minute,
		MaxLine:        tui.MaxTypedLength,
	}
}

// Validate says what is wrong with a set of limits, if anything.
func (l Limits) Validate() error {
	switch {
	case l.MaxSessions < 1:
		return fmt.Errorf("limits: at least one session must be allowed (got %d)", l.MaxSessions)
	case l.ConnsPerMinute < 1:
		return fmt.Errorf("limits: at least one connection a minute must be allowed (got %d)", l.ConnsPerMinute)
	case l.IdleTimeout <= 0:
		return fmt.Errorf("limits: the idle timeout must be positive (got %s)", l.IdleTimeout)
	case l.MaxSession <= 0:
		return fmt.Errorf("limits: the session length must be positive (got %s)", l.MaxSession)
	case l.MaxLine < 1:
		return fmt.Errorf("limits: the line length must be at least 1 (got %d)", l.MaxLine)
	}
	return nil
}

// Config is everything the server needs. The caller loads the scenarios,
// opens the results store and reads the host key; the server keeps no
// global state, so tests run several servers side by side.
type Config struct {
	// Addr is the TCP address to listen on (ListenAndServe only).
	Addr string
	// HostKey signs the server's side of every handshake. LoadHostKey
	// reads or creates the persistent one.
	HostKey gossh.Signer

	// ClassCode, when set, admits anyone who types it (password or
	// keyboard-interactive authentication).
	ClassCode string
	// AuthorizedKeys, when set, admits these public keys.
	AuthorizedKeys []gossh.PublicKey
	// Open admits everyone without authentication. It is only allowed on a
	// loopback address.
	Open bool

	// Scenarios are what trainees can play, in picker order.
	Scenarios []*scenario.Scenario
	// Results is where every attempt is saved.
	Results *results.Store
	// Live is the folder for presence files (see Presence); empty means
	// none are written.
	Live string
	// Assigned lists the assigned scenario ids for the dashboard; empty
	// means every scenario offered.
	Assigned []string

	Limits Limits
	// Timed is the time allowed for each decision in every conversation;
	// zero is untimed practice.
	Timed time.Duration
	// NoAnimation shows the customer's lines whole instead of typing them
	// out.
	NoAnimation bool
	// ColorQuery is how long to wait for a terminal to report its
	// background colour; zero means do not ask and assume a dark one.
	ColorQuery time.Duration

	// Logger receives connections, refusals and errors. Nil discards them.
	Logger *log.Logger
	// Now is the wall clock for records; nil means time.Now.
	Now func() time.Time
}

// Errors New reports for a configuration that must not run.
var (
	ErrNoAuth      = errors.New("no way to authenticate trainees: give a class code or authorized keys, or --open on a loopback address")
	ErrOpenNetwork = errors.New("open access (no authentication) is only allowed on a loopback address")
	ErrNoScenarios = errors.New("no scenarios to offer")
)

// grace is added to the idle and session limits for the connection-level
// deadlines, which only catch what the session timers could not (a client
// that stopped reading, so even the goodbye cannot be written).
const grace = 30 * time.Second

// Server is a running (or ready) classroom server.
type Server struct {
	cfg     Config
	log     *log.Logger
	srv     *ssh.Server
	limiter *addrLimiter
	now     func() time.Time

	// slots holds one token per connected session (Limits.MaxSessions).
	slots chan struct{}
	// conns counts open TCP connections, authenticated or not.
	conns    atomic.Int64
	maxConns int64
	// guard slows and locks out addresses that guess the class code.
	guard *codeGuard
	// refusals keeps refused connections from flooding the log.
	refusals refusalLog
	// saveFailures counts attempts that could not be saved (SaveFailures).
	saveFailures atomic.Int64

	mu      sync.Mutex
	closing bool
	// preAuth counts the connections logging in by address (see
	// admitPreAuth); preAuthTotal all of them, up to maxPreAuth.
	preAuth      map[string]int
	preAuthTotal int
	maxPreAuth   int
	sessions     map[ssh.Session]*session
	ln           net.Listener
	// handlers counts session handlers still running, for Shutdown.
	handlers sync.WaitGroup
	// stopBeat ends the goroutine that keeps the server's presence file
	// fresh.
	stopBeat chan struct{}
	beatOnce sync.Once
	beatDone chan struct{}
}

// New checks the configuration and builds the server. It does not listen.
func New(cfg Config) (*Server, error) {
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	if err := cfg.Limits.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Scenarios) == 0 {
		return nil, ErrNoScenarios
	}
	if cfg.Results == nil {
		return nil, errors.New("no results folder to save attempts in")
	}
	if cfg.HostKey == nil {
		return nil, errors.New("no host key")
	}
	if cfg.ClassCode == "" && len(cfg.AuthorizedKeys) == 0 && !cfg.Open {
		return nil, ErrNoAuth
	}
	if cfg.Open && cfg.Addr != "" && !IsLoopback(cfg.Addr) {
		return nil, fmt.Errorf("%w (got %s)", ErrOpenNetwork, cfg.Addr)
	}
	s := &Server{
		cfg:        cfg,
		log:        cfg.Logger,
		now:        cfg.Now,
		limiter:    newAddrLimiter(cfg.Limits.ConnsPerMinute, time.Now),
		slots:      make(chan struct{}, cfg.Limits.MaxSessions),
		maxConns:   int64(max(2*cfg.Limits.MaxSessions, 16)),
		preAuth:    map[string]int{},
		maxPreAuth: max(cfg.Limits.MaxSessions, minPreAuth),
		sessions:   map[ssh.Session]*session{},
		stopBeat:   make(chan struct{}),
	}
	if s.log == nil {
		s.log = log.New(io.Discard)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.guard = newCodeGuard(time.Now, s.log)

	mw := []wish.Middleware{
		// Listed innermost first: wish composes h = m(h), so the last
		// one listed runs first.
		bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
		s.sessionMiddleware,
		activeterm.Middleware(),
		accesscontrol.Middleware(),
		ratelimiter.Middleware(s.limiter),
		s.authMiddleware,
		logging.StructuredMiddlewareWithLogger(s.log, log.InfoLevel),
	}
	opts := []ssh.Option{
		wish.WithAddress(cfg.Addr),
		wish.WithMiddleware(rm.MiddlewareWithLogger(s.log, mw...)),
		wish.WithIdleTimeout(cfg.Limits.IdleTimeout + grace),
		wish.WithMaxTimeout(cfg.Limits.MaxSession + grace),
		wish.WithBannerHandler(s.banner),
		// The terminal is emulated: the server never opens a real PTY or
		// starts a process.
		ssh.EmulatePty(),
		func(srv *ssh.Server) error {
			srv.AddHostKey(cfg.HostKey)
			return nil
		},
	}
	if cfg.ClassCode != "" {
		opts = append(opts, wish.WithPasswordAuth(s.passwordAuth), wish.WithKeyboardInteractiveAuth(s.keyboardAuth))
	}
	if len(cfg.AuthorizedKeys) > 0 {
		opts = append(opts, wish.WithPublicKeyAuth(s.publicKeyAuth))
	}
	srv, err := wish.NewServer(opts...)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	srv.ConnCallback = s.onConn
	srv.ConnectionFailedCallback = s.onConnFailed
	srv.ServerConfigCallback = s.serverConfig
	srv.SessionRequestCallback = s.allowRequest
	// Only session channels: no direct-tcpip (local forwarding), and no
	// global request handlers (so tcpip-forward, remote forwarding, is
	// refused too).
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	s.srv = srv
	return s, nil
}

// IsLoopback reports whether a listen address only reaches this machine.
// An empty host means every interface, which is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ListenAndServe listens on Config.Addr and serves until Shutdown or Close.
func (s *Server) ListenAndServe() error {
	addr := s.cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.Serve(ln)
}

// Listen opens the listener Serve will use, so the caller can learn the
// address (a port of 0 picks a free one) before serving.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return ln, nil
}

// Serve serves connections from ln until Shutdown or Close. It returns
// nil after a shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if s.cfg.Open && !IsLoopback(ln.Addr().String()) {
		ln.Close()
		return fmt.Errorf("%w (listening on %s)", ErrOpenNetwork, ln.Addr())
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ssh.ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()
	s.startHeartbeat(ln.Addr().String())
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) || s.isClosing() && errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Addr returns the address being served, or nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// SaveFailures returns how many attempts could not be saved (sessions'
// attempts whose last save failed, and attempts left by a stopped server
// that could not be recovered). The serve command exits non-zero when
// there are any.
func (s *Server) SaveFailures() int { return int(s.saveFailures.Load()) }

// Sessions returns how many trainees are connected.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Shutdown stops the class: no new connections are accepted, every
// trainee sees a goodbye line, every attempt in progress is saved as
// abandoned, and the connections are closed. When ctx ends first,
// whatever is left is closed at once and ctx's error is returned; the
// attempts are saved before anything waits on a client, so a client that
// stopped reading cannot hold them back.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	live := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		live = append(live, ss)
	}
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		// Stop accepting; the ssh server's own Shutdown would also wait
		// for every client to hang up, which is not ours to wait for.
		ln.Close()
	}
	s.log.Info("shutting down", "sessions", len(live))
	var saved sync.WaitGroup
	for _, ss := range live {
		saved.Add(1)
		go func() {
			defer saved.Done()
			ss.endAndSave(endShutdown)
		}()
	}
	done := make(chan struct{})
	go func() {
		saved.Wait()
		s.handlers.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("shutdown: %w", ctx.Err())
	}
	s.stopHeartbeat()
	if cerr := s.srv.Close(); cerr != nil && err == nil && !errors.Is(cerr, net.ErrClosed) {
		err = fmt.Errorf("shutdown: %w", cerr)
	}
	return err
}

// Close closes the listener and every connection at once, without
// goodbyes. Attempts in progress are still saved by their sessions as
// the connections drop.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	ln := s.ln
	s.mu.Unlock()
	s.stopHeartbeat()
	err := s.srv.Close()
	// The SSH server closes only the listeners its Serve has reached; a
	// Close that comes while Serve is still recovering old attempts would
	// otherwise leave Serve waiting in Accept for ever.
	if ln != nil {
		ln.Close()
	}
	return err
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// program is the Bubble Tea middleware's handler: the program the session
// middleware prepared for this session, or nil when there is none (the
// middleware then does nothing).
func (s *Server) program(sess ssh.Session) *tea.Program {
	s.mu.Lock()
	ss := s.sessions[sess]
	s.mu.Unlock()
	if ss == nil {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.program
}
