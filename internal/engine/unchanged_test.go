package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// playthroughsDigest is the SHA-256 of every state TestPlaythroughsUnchanged
// reaches, as the engine played them before its step was made cheaper
// (fewer copies and allocations). A change to how a conversation plays
// changes it: update it only for a change meant to alter play.
const playthroughsDigest = "0f97508faa892a1c87437e4fe38bb061c107630cba5e9137ce7778527cc79b93"

// TestPlaythroughsUnchanged plays every shipped scenario many times with
// seeded choices (picked, typed with reactions, after dead air, unheard),
// restores from a saved state part way and previews silences, and hashes
// every state and error on the way.
func TestPlaythroughsUnchanged(t *testing.T) {
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil || len(names) == 0 {
		t.Fatal("no scenarios", err)
	}
	pace := func(who Speaker, s string) time.Duration {
		d := time.Duration(len(s)) * 40 * time.Millisecond
		if who == Trainee {
			d /= 2
		}
		return d
	}
	heard := [][]string{nil, {"acknowledge"}, {"blame"}, {"emotional_reaction", "acknowledge"}, {"sarcasm", "emotional_reaction"}, {"invalidate", "invalidate"}}
	h := sha256.New()
	write := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	plays := 0
	for _, name := range names {
		sc, ds, err := scenario.Load(scenarios.FS, name)
		if err != nil || sc == nil || ds.HasErrors() || len(sc.Nodes) == 0 {
			continue
		}
		for seed := range uint64(40) {
			rng := rand.New(rand.NewPCG(seed, 7))
			opts := Options{Pace: pace}
			if seed%3 == 0 {
				opts.Agent = "Robin"
			}
			e, err := New(sc, opts)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			plays++
			for turn := 0; !e.Done() && turn < 80; turn++ {
				offered := e.Choices()
				write(len(offered))
				if len(offered) == 0 {
					break
				}
				c := offered[rng.IntN(len(offered))]
				s := Step{Choice: c.Number, Hesitation: time.Duration(rng.IntN(5000)) * time.Millisecond}
				if rng.IntN(2) == 0 {
					s = Step{ID: c.ID, Hesitation: s.Hesitation}
				}
				switch rng.IntN(8) {
				case 0:
					s.Text, s.Match, s.Heard = "typed: "+c.Say, 0.3+rng.Float64()*0.7, heard[rng.IntN(len(heard))]
				case 1:
					s.DeadAir = time.Duration(1+rng.IntN(20)) * time.Second
					s.Hesitation += s.DeadAir
				case 2:
					s = Step{Unheard: true, Text: "what?", Heard: heard[rng.IntN(len(heard))], Hesitation: s.Hesitation}
				case 3:
					write(e.AfterSilence(time.Duration(1+rng.IntN(20)) * time.Second))
				case 4:
					if e, err = Restore(sc, opts, e.State()); err != nil {
						t.Fatalf("%s: restore: %v", name, err)
					}
				}
				if err := e.Choose(s); err != nil {
					write(err.Error())
				}
				write(e.Node() != nil)
			}
			write(e.State())
			en, ok := e.Ending()
			write(fmt.Sprint(en, ok))
			if err := e.Choose(Step{Choice: 1}); err != nil {
				write(err.Error())
			}
			again, err := Replay(sc, opts, e.State().Steps)
			if err != nil {
				write(err.Error())
			} else {
				write(again.State())
			}
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != playthroughsDigest {
		t.Errorf("%d playthroughs of %d files: digest %s, want %s", plays, len(names), got, playthroughsDigest)
	}
}

// TestStatesShareNothing: the engine changes its flags, steps and
// transcript in place, so no State handed in (Restore) or out (State,
// AfterSilence) may share memory with it.
func TestStatesShareNothing(t *testing.T) {
	sc := build(t, calm)
	e, err := New(sc, benchOpts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Choose(Step{Choice: 1}); err != nil { // sets "greeted"
		t.Fatal(err)
	}
	in := e.State()
	// Room to grow, so a change made in place would show.
	in.Flags = append(make([]string, 0, 8), in.Flags...)
	in.Steps = append(make([]Step, 0, 8), in.Steps...)
	in.Transcript = append(make([]Entry, 0, 32), in.Transcript...)
	saved := in.clone()
	flags := slices.Clone(in.Flags[:cap(in.Flags)])
	steps := slices.Clone(in.Steps[:cap(in.Steps)])
	lines := slices.Clone(in.Transcript[:cap(in.Transcript)])
	r, err := Restore(sc, benchOpts, in)
	if err != nil {
		t.Fatal(err)
	}
	out := r.State()
	want := out.clone()
	preview := r.AfterSilence(5 * time.Second)
	if err := r.Choose(Step{Choice: 2}); err != nil { // clears "greeted"
		t.Fatal(err)
	}
	if got := r.State(); slices.Contains(got.Flags, "greeted") || len(got.Steps) != 2 {
		t.Fatalf("choice 2 did not play: %+v", got)
	}
	if !reflect.DeepEqual(in, saved) || !slices.Equal(in.Flags[:cap(in.Flags)], flags) ||
		!reflect.DeepEqual(in.Steps[:cap(in.Steps)], steps) || !reflect.DeepEqual(in.Transcript[:cap(in.Transcript)], lines) {
		t.Errorf("playing on changed the state handed to Restore:\n got %+v\nwant %+v", in, saved)
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("playing on changed a state State returned")
	}
	out.Flags[0] = "changed"
	out.Transcript[0].Text = "changed"
	if got := r.State(); slices.Contains(got.Flags, "changed") || got.Transcript[0].Text == "changed" {
		t.Errorf("changing a returned state changed the engine: %v %q", got.Flags, got.Transcript[0].Text)
	}
	if len(preview.Transcript) != len(want.Transcript)+1 {
		t.Errorf("the preview has %d lines, want %d", len(preview.Transcript), len(want.Transcript)+1)
	}
}
