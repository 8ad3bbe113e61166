package server

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Terminal queries sent once per session, before the program starts: the
// background colour (OSC 11) and, as a fence every terminal answers, the
// primary device attributes (DA1). When the DA1 reply arrives, any
// background reply has arrived before it.
const (
	queryBackground = "\x1b]11;?\x07"
	queryAttributes = "\x1b[c"
)

// input is a session's keyboard as its program reads it. One goroutine
// (pump) reads the SSH channel; the program reads from input. Putting a
// pump in between lets the session
//
//   - answer the background-colour question itself, before the program
//     owns the input, and drop the terminal's replies (a late reply would
//     otherwise reach the player as typed text);
//   - know when a key was last pressed, for the idle timeout (the
//     program's own writes, a blinking cursor, must not count as
//     activity);
//   - notice the client hanging up and end the session;
//   - stop the program's reader when the session ends, which a plain
//     SSH channel would not do until the client sent something.
type input struct {
	src    io.Reader
	chunks chan []byte
	done   chan struct{}
	once   sync.Once
	// pending is what is left of the chunk being read; only the program's
	// read loop touches it.
	pending []byte
	now     func() time.Time
	lastKey atomic.Int64
	// onEOF is called when the client closes its side.
	onEOF func()

	replyOnce sync.Once
	answered  chan struct{}
	bgMu      sync.Mutex
	bgKnown   bool
	bgDark    bool
}

func newInput(src io.Reader, now func() time.Time, onEOF func()) *input {
	in := &input{
		src:      src,
		chunks:   make(chan []byte),
		done:     make(chan struct{}),
		now:      now,
		onEOF:    onEOF,
		answered: make(chan struct{}),
	}
	in.lastKey.Store(now().UnixNano())
	return in
}

// pump copies the session's input to the program until the session ends.
func (in *input) pump() {
	buf := make([]byte, 1024)
	for {
		n, err := in.src.Read(buf)
		if n > 0 {
			if b := in.filter(buf[:n]); len(b) > 0 {
				in.lastKey.Store(in.now().UnixNano())
				select {
				case in.chunks <- b:
				case <-in.done:
					return
				}
			}
		}
		if err != nil {
			close(in.chunks)
			if in.onEOF != nil {
				in.onEOF()
			}
			return
		}
	}
}

// Read gives the program the next keys. It returns io.EOF once the session
// has ended or the client has closed its side.
func (in *input) Read(p []byte) (int, error) {
	if len(in.pending) == 0 {
		select {
		case b, ok := <-in.chunks:
			if !ok {
				return 0, io.EOF
			}
			in.pending = b
		case <-in.done:
			return 0, io.EOF
		}
	}
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	return n, nil
}

// close ends reading: the program's reader and the pump both stop.
func (in *input) close() {
	in.once.Do(func() { close(in.done) })
}

// idle returns how long ago a key was last pressed.
func (in *input) idle() time.Duration {
	return in.now().Sub(time.Unix(0, in.lastKey.Load()))
}

// askBackground sends the colour queries to the terminal and waits up to
// wait for the answer. known is false when the terminal said nothing in
// time (or has no background colour to report).
func (in *input) askBackground(w io.Writer, wait time.Duration) (dark, known bool) {
	if _, err := io.WriteString(w, queryBackground+queryAttributes); err != nil {
		return false, false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-in.answered:
	case <-t.C:
	case <-in.done:
	}
	in.bgMu.Lock()
	defer in.bgMu.Unlock()
	return in.bgDark, in.bgKnown
}

// filter returns b without the terminal's replies to the queries: OSC
// strings (ESC ] ... BEL or ESC \) and DA1 reports (ESC [ ? ... c), which
// a keyboard never sends. A reply split across two reads is passed on
// as it is; terminals write each reply whole, so in practice it is not.
// The result is a new slice: b is the pump's buffer.
func (in *input) filter(b []byte) []byte {
	if bytes.IndexByte(b, 0x1b) < 0 {
		return bytes.Clone(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if b[i] == 0x1b && i+1 < len(b) {
			switch b[i+1] {
			case ']':
				if end, body, ok := oscString(b, i+2); ok {
					in.sawOSC(body)
					i = end
					continue
				}
			case '[':
				if end, ok := da1Report(b, i+2); ok {
					in.replyOnce.Do(func() { close(in.answered) })
					i = end
					continue
				}
			}
		}
		out = append(out, b[i])
		i++
	}
	return out
}

// oscString finds the end of an OSC string whose body starts at j.
func oscString(b []byte, j int) (end int, body []byte, ok bool) {
	for k := j; k < len(b); k++ {
		switch {
		case b[k] == 0x07:
			return k + 1, b[j:k], true
		case b[k] == 0x1b && k+1 < len(b) && b[k+1] == '\\':
			return k + 2, b[j:k], true
		}
	}
	return 0, nil, false
}

// da1Report finds the end of a primary device attributes report, "?"
// then digits and semicolons then "c", whose parameters start at j.
func da1Report(b []byte, j int) (end int, ok bool) {
	if j >= len(b) || b[j] != '?' {
		return 0, false
	}
	for k := j + 1; k < len(b); k++ {
		switch c := b[k]; {
		case c == 'c':
			return k + 1, true
		case c == ';' || c >= '0' && c <= '9':
		default:
			return 0, false
		}
	}
	return 0, false
}

func (in *input) sawOSC(body []byte) {
	rest, ok := bytes.CutPrefix(body, []byte("11;"))
	if !ok {
		return
	}
	l, ok := lightness(string(rest))
	if !ok {
		return
	}
	in.bgMu.Lock()
	in.bgKnown, in.bgDark = true, l < 0.5
	in.bgMu.Unlock()
}

// lightness reads an X11 colour spec as terminals report it
// ("rgb:RRRR/GGGG/BBBB", 1 to 4 hex digits a channel; "rgba:" with a
// fourth) and returns its HSL lightness, 0 (black) to 1 (white).
func lightness(spec string) (float64, bool) {
	var body string
	switch {
	case strings.HasPrefix(spec, "rgb:"):
		body = spec[4:]
	case strings.HasPrefix(spec, "rgba:"):
		body = spec[5:]
	default:
		return 0, false
	}
	parts := strings.Split(body, "/")
	if len(parts) < 3 {
		return 0, false
	}
	var ch [3]float64
	for i := range 3 {
		p := parts[i]
		if len(p) < 1 || len(p) > 4 {
			return 0, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return 0, false
		}
		ch[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	hi := max(ch[0], ch[1], ch[2])
	lo := min(ch[0], ch[1], ch[2])
	return (hi + lo) / 2, true
}
