package reader_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
)

var updateReading = flag.Bool("update-reading", false, "record the digest of the reading in testdata/reading.sha256")

const readingDigest = "testdata/reading.sha256"

// readingInputs are the lines of every corpus (the project corpus, the
// held-out sets, the labelled corpus and its pairs) in their contexts, each
// also in variants that exercise the tokenizer: shouted, with curly and
// modifier-letter apostrophes and accents, lower-cased with exclamation
// marks on the next turn, with its words shuffled, without a context, and
// with numbers, separators and chat shorthand after a customer's question.
func readingInputs(t *testing.T) ([]string, []reader.Context) {
	var texts []string
	var ctxs []reader.Context
	add := func(text string, ctx reader.Context) {
		texts = append(texts, text)
		ctxs = append(ctxs, ctx)
	}
	r := rand.New(rand.NewPCG(7, 13))
	var names []string
	for _, pattern := range []string{"*.jsonl", "labelled/*.jsonl"} {
		ms, err := filepath.Glob(readertest.Path(pattern))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ms...)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var in struct {
				Text, A, B, Customer, Name, Mode string
				Turn                             int
			}
			if err := json.Unmarshal([]byte(l), &in); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, text := range []string{in.Text, in.A, in.B} {
				if text == "" {
					continue
				}
				ctx := reader.Context{Customer: in.Customer, CustomerName: in.Name, Mode: in.Mode, Turn: in.Turn, Channel: "phone"}
				add(text, ctx)
				add(strings.ToUpper(text), ctx)
				add(strings.ReplaceAll(text, "'", "’"), ctx)
				add(strings.ReplaceAll(strings.ReplaceAll(text, "'", "ʼ"), "e", "é"), ctx)
				next := ctx
				next.Turn = (ctx.Turn + 1) % 4
				add(strings.ReplaceAll(strings.ToLower(text), ".", "!"), next)
				ws := strings.Fields(text)
				r.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
				add(strings.Join(ws, " "), ctx)
				add(text, reader.Context{Channel: "phone"})
				asked := ctx
				asked.Customer += " When will it arrive?"
				add(text+" 3.5% off, 10:30 T&Cs don`t can't ill get it", asked)
			}
		}
	}
	return texts, ctxs
}

// TestReadingUnchanged: how the model reads about 20,000 lines is recorded
// as a digest, so work on the reader's speed or its tables cannot change a
// single reading unnoticed. A change to the rules changes the digest on
// purpose: check the corpus tests, then record it with
// go test ./internal/reader -run TestReadingUnchanged -update-reading
func TestReadingUnchanged(t *testing.T) {
	texts, ctxs := readingInputs(t)
	h := sha256.New()
	for i, text := range texts {
		b, err := json.Marshal(reader.Analyze(text, ctxs[i]))
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	got := hex.EncodeToString(h.Sum(nil))
	if *updateReading {
		if err := os.WriteFile(readingDigest, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(readingDigest)
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("the reading of %d lines changed (digest %s, recorded %s): if the rules changed on purpose, record it with -update-reading", len(texts), got, strings.TrimSpace(string(want)))
	}
}
