package reader

import (
	"testing"
	"time"
)

func TestRulesCompile(t *testing.T) {
	// Package init compiles every rule; reaching here means none panicked.
	// Every behaviour must have at least one rule or detector.
	custom := map[BehaviorID]bool{OwnName: true, CustomerName: true, ModeMatch: true, AccountFirst: true, HoldFirst: true,
		Answer: true, Deflect: true}
	for _, b := range Behaviors() {
		if custom[b.ID] {
			continue
		}
		n := 0
		for _, d := range showRules {
			if d.id == b.ID {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s has no rule", b.ID)
		}
	}
}

func TestAnalyzeExamples(t *testing.T) {
	tests := map[string]struct {
		text string
		ctx  Context
		want map[BehaviorID]int // id → strength
		none []BehaviorID
	}{
		"curly contraction": {
			text: "I’m so sorry we kept you waiting.",
			want: map[BehaviorID]int{Apology: 2},
		},
		"not sorry": {
			text: "I'm not sorry, that's the rule.",
			none: []BehaviorID{Apology},
		},
		"sorry but policy": {
			text: "Sorry, but that's our policy.",
			want: map[BehaviorID]int{Apology: 1, PolicyHiding: 2},
		},
		"understand but takes it back": {
			text: "I understand, but rules are rules.",
			want: map[BehaviorID]int{PolicyHiding: 2},
			none: []BehaviorID{Acknowledge},
		},
		"dismissive don't worry": {
			text: "Don't worry about it.",
			want: map[BehaviorID]int{Invalidate: 1},
		},
		"calm down": {
			text: "Calm down, please.",
			want: map[BehaviorID]int{Invalidate: 2},
		},
		"blame": {
			text: "You should have read the letter.",
			want: map[BehaviorID]int{Blame: 2},
		},
		"account first early": {
			text: "Account number?",
			ctx:  Context{Turn: 0},
			want: map[BehaviorID]int{AccountFirst: 2},
		},
		"account later is fine": {
			text: "Could I take your account number?",
			ctx:  Context{Turn: 3, Elapsed: 2 * time.Minute},
			none: []BehaviorID{AccountFirst, Exploration},
		},
		"account after acknowledging": {
			text: "I'm sorry about the charge. Could I take your account number?",
			ctx:  Context{Turn: 0},
			none: []BehaviorID{AccountFirst},
		},
		"customer name": {
			text: "Thank you, Grace.",
			ctx:  Context{CustomerName: "Grace Okafor"},
			want: map[BehaviorID]int{CustomerName: 2, Thanks: 1},
		},
		"mode from customer words": {
			text: "It sounds like nobody has listened to you.",
			ctx:  Context{Customer: "I keep telling you people and nobody hears me."},
			want: map[BehaviorID]int{ModeMatch: 2},
		},
		"department is not a name": {
			text: "Good morning, this is Harbour Bank.",
			want: map[BehaviorID]int{Greeting: 2},
			none: []BehaviorID{OwnName},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a := Analyze(tc.text, tc.ctx)
			for id, s := range tc.want {
				b, ok := a.Has(id)
				if !ok {
					t.Errorf("%s not found in %q (got %v)", id, tc.text, a.Behaviors)
					continue
				}
				if b.Strength != s {
					t.Errorf("%s strength %d, want %d", id, b.Strength, s)
				}
				if b.Offset < 0 || tc.text[b.Offset:b.Offset+len(b.Evidence)] != b.Evidence {
					t.Errorf("%s evidence %q is not the text at offset %d", id, b.Evidence, b.Offset)
				}
			}
			for _, id := range tc.none {
				if b, ok := a.Has(id); ok {
					t.Errorf("%s found (%q), want none", id, b.Evidence)
				}
			}
		})
	}
}
