package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// maxScoreLine is the longest JSON line `rapport score --jsonl` accepts; a
// longer line gets an error object and is skipped.
const maxScoreLine = 1 << 20

const scoreUsage = `Usage:
  rapport score [--channel phone|chat|in-person] [--customer TEXT] [--name NAME] [--mode see|hear|feel] [--turn N] [--anger N] "TEXT"
  rapport score --jsonl < responses.jsonl

Explains what the scoring model reads in one response: every behaviour it
shows, with the words that showed it, the empathy grades (emotional
reaction, interpretation, exploration: 0 none, 1 weak, 2 strong), and the
points the response earns on each score at that point of a conversation,
every point explained (the same code as the debrief).

First 30 seconds is judged at turn 0; Difficult customers when --anger is
40 or more, or, without --anger, when the customer's line is a complaint.

With --jsonl, reads JSON lines from stdin, one response each:
  {"response": "...", "customer": "...", "channel": "phone", "turn": 2, "anger": 70}
("customer", "channel", "name", "mode", "turn" and "anger" are optional) and
writes one JSON object per line:
  {"behaviors": [{"id": "...", "polarity": "+", "strength": 2, "evidence": "..."}],
   "empathy": {"emotional_reaction": 2, "interpretation": 0, "exploration": 1, "score": 56},
   "points": {"opening": 0, "empathy": 35, "difficult": 4, "total": 39},
   "explained": [{"score": "Empathy", "behavior": "emotional_reaction", "delta": 35, "explanation": "..."}]}
A line that cannot be read gets {"error": "..."} and the rest go on; blank
lines are skipped. Lines are scored on every core (GOMAXPROCS) and written
in input order.

A response is read as the opening line (turn 0) unless --turn (or "turn")
says otherwise: asking for an account number or putting someone on hold
counts against a response only early in a conversation.

The behaviour ids and what counts for each are in docs/scoring.md.
`

// behaviorList lists the behaviour ids for `rapport score --help`: what a
// scenario's tags may name (and what RP103 points authors to).
func behaviorList() string {
	var pos, neg []string
	for _, b := range reader.Behaviors() {
		if b.Polarity == reader.Negative {
			neg = append(neg, string(b.ID))
		} else {
			pos = append(pos, string(b.ID))
		}
	}
	wrap := func(ids []string) string {
		var b strings.Builder
		col := len("  good: ")
		for i, id := range ids {
			if i > 0 {
				b.WriteString(",")
				col++
				if col+1+len(id) > 78 {
					b.WriteString("\n        ")
					col = 8
				} else {
					b.WriteString(" ")
					col++
				}
			}
			b.WriteString(id)
			col += len(id)
		}
		return b.String()
	}
	return "\nBehaviour ids (what a choice's tags may name):\n  good: " + wrap(pos) + "\n  poor: " + wrap(neg) + "\n"
}

// scoreOptions are the flags of `rapport score`.
type scoreOptions struct {
	channel  string
	customer string
	name     string
	mode     string
	turn     int
	anger    int
	jsonl    bool
}

// runScore implements `rapport score`. It returns the exit code: 0, or 2
// for a usage error.
func runScore(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o scoreOptions
	fs := flag.NewFlagSet("rapport score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fs.StringVar(&o.channel, "channel", string(scenario.Phone), "the channel: phone, chat or in-person")
	fs.StringVar(&o.customer, "customer", "", "the customer's last line, the response's context")
	fs.StringVar(&o.name, "name", "", "the customer's name, to check that the response uses it")
	fs.StringVar(&o.mode, "mode", "", "the customer's mode (see, hear or feel); default: read from --customer")
	fs.IntVar(&o.turn, "turn", 0, "the 0-based turn of the response; 0, the default, reads it as the opening line")
	fs.IntVar(&o.anger, "anger", -1, "the customer's anger (0–100) when the response is said; default: unknown")
	fs.BoolVar(&o.jsonl, "jsonl", false, "read JSON lines from stdin, write one JSON object per line")

	// Flags may come before or after the text.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, scoreUsage)
				fmt.Fprint(stdout, behaviorList())
				return ExitOK
			}
			fmt.Fprintf(stderr, "%s", scoreUsage)
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	ch, err := parseChannel(o.channel)
	if err != nil {
		return scoreUsageError(stderr, err.Error())
	}
	if o.mode != "" && o.mode != "see" && o.mode != "hear" && o.mode != "feel" {
		return scoreUsageError(stderr, fmt.Sprintf("--mode must be see, hear or feel, not %q", o.mode))
	}
	if o.turn < 0 {
		return scoreUsageError(stderr, "--turn must be 0 or more")
	}
	if o.anger < -1 || o.anger > 100 {
		return scoreUsageError(stderr, "--anger must be from 0 to 100")
	}
	if o.jsonl {
		if len(pos) > 0 {
			return scoreUsageError(stderr, "give either --jsonl or the text to score, not both")
		}
		if err := scoreJSONL(stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "rapport score: %v\n", err)
			return ExitFailure
		}
		return ExitOK
	}
	text := strings.TrimSpace(strings.Join(pos, " "))
	if text == "" {
		return scoreUsageError(stderr, "nothing to score: give the response text in quotes, or use --jsonl")
	}
	ctx := reader.Context{
		Customer: textsafe.Text(o.customer), Channel: ch, CustomerName: o.name,
		Mode: o.mode, Turn: o.turn,
	}
	mood := scoring.LineMood{}
	if o.anger >= 0 {
		mood = scoring.LineMood{Anger: o.anger, Known: true}
	}
	explainScore(stdout, textsafe.Text(text), ctx, mood)
	return ExitOK
}

func scoreUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "rapport score: %s\n\n%s", msg, scoreUsage)
	return ExitUsage
}

func parseChannel(s string) (scenario.Channel, error) {
	for _, c := range scenario.Channels {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown channel %q (want phone, chat or in-person)", s)
}

// explainScore writes, in words, what the model reads in one response.
func explainScore(w io.Writer, text string, ctx reader.Context, mood scoring.LineMood) {
	a := reader.Analyze(text, ctx)
	pts := scoring.LinePointsOf(a, text, ctx, mood, scoring.CompanyRules{})
	fmt.Fprintf(w, "Response: %q\n", text)
	fmt.Fprintf(w, "Channel: %s. Turn: %d", ctx.Channel, ctx.Turn)
	if ctx.Turn <= 1 {
		fmt.Fprint(w, " (the opening)")
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintln(w)
	if len(a.Behaviors) == 0 {
		fmt.Fprintln(w, "No behaviours found: the line neither helps nor hurts on its own.")
	} else {
		fmt.Fprintf(w, "Behaviours (%d):\n", len(a.Behaviors))
		for _, b := range a.Behaviors {
			info, _ := reader.Info(b.ID)
			fmt.Fprintf(w, "  %s %s, %s: %q %s (%s).\n", b.Polarity, b.ID, strengthWord(b.Strength), b.Evidence, info.Phrase, info.Principle)
		}
	}
	fmt.Fprintln(w)
	e := a.Empathy
	fmt.Fprintf(w, "Empathy %d/100:\n", e.Score)
	fmt.Fprintf(w, "  emotional reaction  %d of 2 (%s)\n", e.EmotionalReaction, levelWord(e.EmotionalReaction))
	fmt.Fprintf(w, "  interpretation      %d of 2 (%s)\n", e.Interpretation, levelWord(e.Interpretation))
	fmt.Fprintf(w, "  exploration         %d of 2 (%s)\n", e.Exploration, levelWord(e.Exploration))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Points %+d: First 30 seconds %s, Empathy %+d, Difficult customers %s.\n", pts.Total,
		judged(pts.Opening, pts.Opening30, "not judged after the opening"), pts.Empathy,
		judged(pts.Difficult, pts.DifficultNow, "not assessed: the customer is not angry"))
	for _, p := range pts.Why {
		fmt.Fprintf(w, "  %s: %s\n", p.Score, p.Explanation)
	}
	var tips []string
	if ctx.CustomerName == "" {
		tips = append(tips, "--name to check the customer's name is used")
	}
	if ctx.Mode == "" && ctx.Customer == "" {
		tips = append(tips, "--customer or --mode to check the response matches how they speak")
	}
	if len(tips) > 0 {
		fmt.Fprintf(w, "\nAdd %s.\n", strings.Join(tips, ", and "))
	}
}

// judged formats one score's points, or why the line was not judged on it.
func judged(n int, ok bool, why string) string {
	if !ok {
		return why
	}
	return fmt.Sprintf("%+d", n)
}

func strengthWord(s int) string {
	if s >= 2 {
		return "strong"
	}
	return "weak"
}

func levelWord(l int) string {
	switch l {
	case 0:
		return "none"
	case 1:
		return "weak"
	}
	return "strong"
}

// scoreInput is one line of `rapport score --jsonl` input.
type scoreInput struct {
	Response *string `json:"response"`
	Customer string  `json:"customer"`
	Channel  string  `json:"channel"`
	Name     string  `json:"name"`
	Mode     string  `json:"mode"`
	Turn     *int    `json:"turn"`
	Anger    *int    `json:"anger"`
}

type scoreBehavior struct {
	ID       reader.BehaviorID `json:"id"`
	Polarity string            `json:"polarity"`
	Strength int               `json:"strength"`
	Evidence string            `json:"evidence"`
}

// scorePoints are the points of one response, as `"points"` in --jsonl.
type scorePoints struct {
	Opening   int `json:"opening"`
	Empathy   int `json:"empathy"`
	Difficult int `json:"difficult"`
	Total     int `json:"total"`
}

type scoreExplained struct {
	Score       string            `json:"score"`
	Behavior    reader.BehaviorID `json:"behavior"`
	Delta       int               `json:"delta"`
	Explanation string            `json:"explanation"`
}

type scoreOutput struct {
	Behaviors []scoreBehavior  `json:"behaviors"`
	Empathy   reader.Empathy   `json:"empathy"`
	Points    scorePoints      `json:"points"`
	Explained []scoreExplained `json:"explained"`
}

type scoreError struct {
	Error string `json:"error"`
}

// scoreBatch is how many input lines a worker reads, scores and writes
// at a time: big enough that taking turns costs little next to scoring,
// small enough that output starts at once.
const scoreBatch = 256

// jsonlBatch is one run of consecutive input lines and, once a worker has
// scored them, their output lines in the same order. Batches are used
// again once written (batchPool), buffers and all: allocating them afresh
// was a third of what --jsonl allocated, and every collection and fresh
// heap page costs both cores.
type jsonlBatch struct {
	// text holds the lines' bytes one after another; lines index it.
	text  []byte
	lines []jsonlLine
	// buf holds each line's JSON, newline included, one after another,
	// line i ending at ends[i]. The workers encode, not the one writing:
	// encoding was a third of the work.
	buf  []byte
	ends []int
}

// jsonlLine is one non-blank input line: its 1-based line number and its
// bytes, batch.text[start:end].
type jsonlLine struct {
	n          int
	start, end int
	tooLong    bool
}

var batchPool = sync.Pool{New: func() any { return new(jsonlBatch) }}

// newBatch is an empty batch, from the pool when one is free.
func newBatch() *jsonlBatch {
	b := batchPool.Get().(*jsonlBatch)
	b.text, b.lines = b.text[:0], b.lines[:0]
	return b
}

// scoreJSONL scores JSON lines from r on every core and writes the results in
// input order. Blank lines are skipped; any other line gets exactly one
// output line, and an error on one line never stops the rest. Only a failure
// to read or write is an error.
//
// There is no reader or writer goroutine: each worker reads the next batch
// itself, scores it, and writes whatever is due (jsonlRun). So no worker
// sleeps waiting for another goroutine to hand it work or take its
// results (on a busy machine, for that goroutine's thread to get a core
// back), and with one core one goroutine does everything, with no
// hand-offs at all.
func scoreJSONL(r io.Reader, w io.Writer) error {
	run := &jsonlRun{
		br: bufio.NewReaderSize(r, 64<<10),
		// A batch's output goes out in one write, or a few: 4 KB writes
		// were 4,600 system calls for 60,000 lines.
		bw:    bufio.NewWriterSize(w, 64<<10),
		ready: make(map[int]*jsonlBatch, scoreAhead),
	}
	run.room = sync.NewCond(&run.wmu)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run.work()
		}()
	}
	run.work()
	wg.Wait()
	if run.writeErr != nil {
		return run.writeErr
	}
	if err := run.bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return run.readErr
}

// jsonlRun is one run of score --jsonl: the input, read a batch at a time
// by whichever worker is free, and the output, written in input order by
// whichever worker finishes the batch that is due.
type jsonlRun struct {
	rmu sync.Mutex // guards what follows, up to wmu
	br  *bufio.Reader
	n   int // the number of the last line read
	// seq counts the batches read; done is set at the end of the input, a
	// read error (readErr) or a write error.
	seq     int
	done    bool
	readErr error

	wmu  sync.Mutex // guards what follows
	room *sync.Cond // a batch was written (or writing failed)
	bw   *bufio.Writer
	// next is the number of the batch due; ready holds the batches
	// scored before it.
	next     int
	ready    map[int]*jsonlBatch
	writeErr error
}

// scoreAhead is how many batches a worker may read ahead of the one due,
// at some 100 KB each: when the machine is busy the thread scoring the
// batch due can be off its core for milliseconds, and the other workers
// go on meanwhile.
const scoreAhead = 32

// work reads, scores and writes batches until the input ends or writing
// fails.
func (run *jsonlRun) work() {
	for {
		b, seq := run.read()
		if b == nil {
			return
		}
		run.wmu.Lock()
		for seq-run.next >= scoreAhead && run.writeErr == nil {
			// The batch due is another worker's, and that worker never
			// waits here, so the wait ends.
			run.room.Wait()
		}
		run.wmu.Unlock()
		scoreBatchLines(b)
		run.emit(seq, b)
	}
}

// read reads the next batch of non-blank lines; b is nil when nothing is
// left to read.
func (run *jsonlRun) read() (b *jsonlBatch, seq int) {
	run.rmu.Lock()
	defer run.rmu.Unlock()
	if run.done {
		return nil, 0
	}
	b = newBatch()
	for len(b.lines) < scoreBatch {
		run.n++
		start := len(b.text)
		var tooLong bool
		var err error
		b.text, tooLong, err = appendLine(b.text, run.br, maxScoreLine)
		if err != nil && !errors.Is(err, io.EOF) {
			b.text = b.text[:start]
			run.readErr = fmt.Errorf("read line %d: %w", run.n, err)
			run.done = true
			break
		}
		if len(bytes.TrimSpace(b.text[start:])) > 0 || tooLong {
			b.lines = append(b.lines, jsonlLine{n: run.n, start: start, end: len(b.text), tooLong: tooLong})
		} else {
			b.text = b.text[:start]
		}
		if err != nil {
			run.done = true
			break
		}
	}
	if len(b.lines) == 0 {
		batchPool.Put(b)
		return nil, 0
	}
	run.seq++
	return b, run.seq - 1
}

// emit files batch seq as scored and writes every batch now due, in
// order. After a failed write the rest are dropped and reading stops.
func (run *jsonlRun) emit(seq int, b *jsonlBatch) {
	run.wmu.Lock()
	defer run.wmu.Unlock()
	run.ready[seq] = b
	for {
		b, ok := run.ready[run.next]
		if !ok {
			break
		}
		delete(run.ready, run.next)
		run.next++
		if run.writeErr == nil {
			if n, err := run.bw.Write(b.buf); err != nil {
				// Name the first line that was not taken whole.
				i := min(sort.SearchInts(b.ends, n+1), len(b.ends)-1)
				run.writeErr = fmt.Errorf("write line %d: %w", b.lines[i].n, err)
				run.rmu.Lock()
				run.done = true
				run.rmu.Unlock()
			}
		}
		batchPool.Put(b)
	}
	run.room.Broadcast()
}

// scoreBatchLines scores and encodes the lines of one batch.
func scoreBatchLines(b *jsonlBatch) {
	buf, ends := b.buf[:0], b.ends[:0]
	for _, l := range b.lines {
		res := scoreOne(l, b.text[l.start:l.end])
		if res.err != "" {
			buf = appendScoreError(buf, res.err)
		} else {
			buf = appendScored(buf, &res.a, &res.pts)
		}
		ends = append(ends, len(buf))
	}
	b.buf, b.ends = buf, ends
}

// scoredLine is what one input line gets: an error message, or its
// reading and points.
type scoredLine struct {
	err string
	a   reader.Analysis
	pts scoring.Points
}

// lineError is the result of a line that cannot be scored.
func lineError(n int, format string, args ...any) scoredLine {
	return scoredLine{err: fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, args...)}
}

// scoreOne scores one input line. A panic in the model is turned into an
// error object for that line, so one bad line cannot end the run.
func scoreOne(l jsonlLine, text []byte) (out scoredLine) {
	if l.tooLong {
		return lineError(l.n, "longer than %d bytes", maxScoreLine)
	}
	defer func() {
		if r := recover(); r != nil {
			out = lineError(l.n, "internal error in the scoring model: %v", r)
		}
	}()
	return scoreLine(l.n, text)
}

// appendLine appends one line (without its newline) to dst. A line longer
// than max is consumed and reported with tooLong; what is appended of it
// is then only for the caller to drop.
func appendLine(dst []byte, br *bufio.Reader, max int) (_ []byte, tooLong bool, err error) {
	n := 0
	for {
		chunk, isPrefix, err := br.ReadLine()
		if n+len(chunk) > max {
			tooLong = true
		} else {
			dst = append(dst, chunk...)
			n += len(chunk)
		}
		if err != nil || !isPrefix {
			return dst, tooLong, err
		}
	}
}

// decodeScoreInput decodes one input line. A plain line (nearly all) is
// read directly (plainScoreInput); a line that is one JSON value and
// nothing else is decoded with json.Unmarshal; any other
// line, or one Unmarshal refuses, goes through a json.Decoder as before,
// which accepts a value followed by a stray '}' or ']' and says what it
// says about the rest, so the results and the errors are what they were.
func decodeScoreInput(line []byte) (scoreInput, string) {
	if in, ok := plainScoreInput(line); ok {
		return in, ""
	}
	return decodeScoreJSON(line)
}

// decodeScoreJSON is decodeScoreInput through encoding/json (apart, so
// that only lines that come here put their input on the heap).
func decodeScoreJSON(line []byte) (scoreInput, string) {
	var in scoreInput
	if json.Unmarshal(line, &in) == nil {
		return in, ""
	}
	in = scoreInput{}
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Sprintf("not a JSON object: %v", err)
	}
	if dec.More() {
		return in, "more than one JSON value on the line"
	}
	return in, ""
}

// scoreLine scores one input line, or explains why it cannot.
func scoreLine(n int, line []byte) scoredLine {
	in, msg := decodeScoreInput(line)
	if msg != "" {
		return lineError(n, "%s", msg)
	}
	if in.Response == nil || strings.TrimSpace(*in.Response) == "" {
		return lineError(n, "\"response\" is missing or empty")
	}
	ctx := reader.Context{Channel: scenario.Phone, Customer: in.Customer, CustomerName: in.Name}
	if in.Channel != "" {
		ch, err := parseChannel(in.Channel)
		if err != nil {
			return lineError(n, "%v", err)
		}
		ctx.Channel = ch
	}
	switch in.Mode {
	case "", "see", "hear", "feel":
		ctx.Mode = in.Mode
	default:
		return lineError(n, "\"mode\" must be see, hear or feel, not %s", strconv.Quote(in.Mode))
	}
	if in.Turn != nil {
		if *in.Turn < 0 {
			return lineError(n, "\"turn\" must be 0 or more")
		}
		ctx.Turn = *in.Turn
	}
	mood := scoring.LineMood{}
	if in.Anger != nil {
		if *in.Anger < 0 || *in.Anger > 100 {
			return lineError(n, "\"anger\" must be from 0 to 100")
		}
		mood = scoring.LineMood{Anger: *in.Anger, Known: true}
	}
	// One reading serves both the behaviours and the points (LinePoints
	// would read the line again).
	a := reader.Analyze(*in.Response, ctx)
	return scoredLine{a: a, pts: scoring.LinePointsOf(a, *in.Response, ctx, mood, scoring.CompanyRules{})}
}
