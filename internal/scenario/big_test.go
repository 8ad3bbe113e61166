package scenario

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// bigTOML writes a valid scenario of n nodes with three choices each, laid
// out the way a trainer's very large branching conversation is: layers
// that widen by three up to 300 nodes, each choice leading into the next
// layer, the last layer's choices to the endings. It uses the constructs a
// long file has (a briefing, reply variants, conditions, flags, multi-line
// strings, comments, author tests), and a multi-line string that holds a
// "[[node]]" line, which must never be taken for a header. 5,000 nodes are
// about 4 MB.
func bigTOML(n int) []byte {
	var b bytes.Buffer
	q := strconv.Quote
	b.WriteString(`# A generated scenario for timing the loader.
id = "big"
title = "A very long call"
summary = "Generated: every node has three choices."
channel = "phone"
difficulty = "hard"
tags = ["complaint", "generated"]
walkout = "gone"

[briefing]
role = "{agent}, adviser on the complaints line"
goal = "Keep Robin on the line and fix the order"
may_offer = ["a refund", "a callback today"]

[customer]
name = "Robin Hale"
persona = """Robin has called
[[node]]
four times.""" # the line above is text, not a header
apprehension = 70
anger = 60
trust = 30
patience = 90

`)
	items := []string{"parcel", "refund", "engineer visit", "invoice", "replacement", "booking", "repair", "order"}
	var layers [][]int
	for made, w := 0, 1; made < n; w = min(w*3, 300) {
		w = min(w, n-made)
		var layer []int
		for range w {
			layer = append(layer, made)
			made++
		}
		layers = append(layers, layer)
	}
	for li, layer := range layers {
		for j, k := range layer {
			item := items[k%len(items)]
			next := func(c int, fallback string) string {
				if li+1 < len(layers) {
					nl := layers[li+1]
					// Every node of the next layer is reached by some choice.
					return "n" + strconv.Itoa(nl[(3*j+c)%len(nl)])
				}
				return fallback
			}
			fmt.Fprintf(&b, "[[node]]\nid = \"n%d\"\nsay = %s\n", k, q(fmt.Sprintf("This is the %dth time I've called about the %s, ticket %d, and nothing has happened.", 2+k%5, item, 1000+k)))
			if k%7 == 3 {
				fmt.Fprintf(&b, "\n  [[node.variant]]\n  when = \"anger >= 70\"\n  say = [%s, %s]\n",
					q(fmt.Sprintf("Ticket %d. Again.", 1000+k)), q("[sighs] I'm still waiting."))
			}
			fmt.Fprintf(&b, "\n  [[node.choice]]\n  say = %s\n  next = %q\n  effects = { apprehension = -10, anger = -15, trust = 10 }\n  feedback = '''\nTakes up the %s and ticket %d.'''\n",
				q(fmt.Sprintf("I'm so sorry about the %s, Robin, that must be exhausting after ticket %d. I'll sort it out myself and call you by %d pm today.", item, 1000+k, 2+k%4)), next(0, "fixed"), item, 1000+k)
			if k%5 == 0 {
				b.WriteString("  sets = [\"promised_callback\"]\n")
			}
			fmt.Fprintf(&b, "\n  [[node.choice]]\n  id = \"look-%d\"\n  say = %s\n  reply = \"Go on then.\"\n  next = %q\n  effects = { apprehension = 5 }\n",
				k, q(fmt.Sprintf("Let me look at ticket %d for the %s and see what the notes say.", 1000+k, item)), next(1, "later"))
			if k%11 == 2 {
				b.WriteString("\n    [[node.choice.variant]]\n    when = \"promised_callback and anger < 50\"\n    reply = \"You said that last time.\"\n")
			}
			fmt.Fprintf(&b, "\n  [[node.choice]]\n  say = %s\n  next = %q\n  tags = [\"passing_the_buck\"]\n  effects = { anger = 20, trust = -15, patience = -10 }\n\n",
				q(fmt.Sprintf("That's not our fault, the %s team handles ticket %d, you'll have to ring them.", item, 1000+k)), next(2, "gone"))
		}
	}
	b.WriteString(`[[ending]]
id = "fixed"
outcome = "resolved"
say = "Thank you, that's sorted."

[[ending]]
id = "later"
outcome = "follow-up"
say = ["Fine, call me then."]

[[ending]]
id = "gone"
outcome = "lost"
say = "I'm taking my business elsewhere."
`)
	return b.Bytes()
}

// BenchmarkLoad5000 is the loader on a 5,000-node file, read whole on one
// core and in pieces on every core; $RAPPORT_GENERATED names another file
// to load instead (the one internal/analysis's TestWriteGenerated writes):
//
//	go test ./internal/scenario -run '^$' -bench Load5000 -benchmem
func BenchmarkLoad5000(b *testing.B) {
	src := bigTOML(5000)
	if f := os.Getenv("RAPPORT_GENERATED"); f != "" {
		var err error
		if src, err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		sp   split
	}{{"whole", whole}, {"pieces", defaultSplit}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if sc, _ := parse("big.toml", src, c.sp); sc == nil {
					b.Fatal("not parsed")
				}
			}
		})
	}
}

// BenchmarkSnapshot5000 reads back the snapshot of a 5,000-node file,
// which is what the CLI's cache does instead of parsing it:
//
//	go test ./internal/scenario -run '^$' -bench Snapshot5000 -benchmem
func BenchmarkSnapshot5000(b *testing.B) {
	snap := EncodeSnapshot(Parse("big.toml", bigTOML(5000)))
	b.SetBytes(int64(len(snap)))
	b.ReportAllocs()
	for b.Loop() {
		if sc, _, err := DecodeSnapshot(snap); err != nil || sc == nil {
			b.Fatal(err)
		}
	}
}
