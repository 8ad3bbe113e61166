package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/rapport-sim/rapport/internal/analysis"
	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
)

func newCmd() *command {
	return &command{
		name:  "new",
		args:  "ID [--channel phone|chat|in-person] [--difficulty easy|medium|hard] [--dir DIR]",
		short: "write a commented starter scenario",
		long: `Write ID.toml: a small, complete, commented scenario that passes
'rapport check --strict', to rewrite into your own. It never overwrites a file.

  rapport new late-parcel --channel chat --difficulty medium --dir my-scenarios
  rapport check --strict my-scenarios/late-parcel.toml`,
		define: func(flags *flag.FlagSet) func(*env, []string) int {
			channel, difficulty, dir := string(scenario.Phone), string(scenario.Medium), "."
			flags.StringVar(&channel, "channel", channel, "`channel`: phone, chat or in-person")
			flags.StringVar(&difficulty, "difficulty", difficulty, "`difficulty`: easy, medium or hard (sets the customer's starting mood)")
			flags.StringVar(&dir, "dir", dir, "folder to write the file in")
			return func(e *env, args []string) int {
				if len(args) != 1 {
					fmt.Fprintln(e.stderr, "rapport new: give the new scenario's id, such as late-parcel")
					return ExitUsage
				}
				id := args[0]
				if !idPattern.Get().MatchString(id) {
					fmt.Fprintf(e.stderr, "rapport new: id %q is not kebab-case\n  hint: use lower-case letters, digits and hyphens, starting with a letter: late-parcel\n", id)
					return ExitUsage
				}
				if !slices.Contains(scenario.Channels, scenario.Channel(channel)) {
					fmt.Fprintf(e.stderr, "rapport new: unknown channel %q (use phone, chat or in-person)\n", channel)
					return ExitUsage
				}
				if !slices.Contains(scenario.Difficulties, scenario.Difficulty(difficulty)) {
					fmt.Fprintf(e.stderr, "rapport new: unknown difficulty %q (use easy, medium or hard)\n", difficulty)
					return ExitUsage
				}
				src, err := starter(id, scenario.Channel(channel), scenario.Difficulty(difficulty))
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport new: %v\n", err)
					return ExitFailure
				}
				path := filepath.Join(dir, id+".toml")
				// Scenario files are for sharing: readable by all, like any
				// source file. Never replaces a file already there.
				if err := config.WriteFileAtomic(path, src, 0o644, config.NoReplace()); err != nil {
					fmt.Fprintf(e.stderr, "rapport new: %v\n", err)
					if errors.Is(err, fs.ErrExist) {
						fmt.Fprintln(e.stderr, "  hint: choose another id, or move the existing file away first")
					}
					return ExitFailure
				}
				fmt.Fprintf(e.stdout, "wrote %s\n", path)
				fmt.Fprintf(e.stdout, "next: rapport check --strict %s && rapport paths %s && rapport play %s\n", path, path, path)
				return ExitOK
			}
		},
	}
}

var idPattern = lazy.Value[*regexp.Regexp]{New: func() *regexp.Regexp { return regexp.MustCompile(analysis.IDPattern) }}

func starter(id string, ch scenario.Channel, diff scenario.Difficulty) ([]byte, error) {
	// The customer's starting mood by difficulty, and the channel's words
	// for the starter's lines (made here, not at start-up).
	starterMood := map[scenario.Difficulty]scenario.Mood{
		scenario.Easy:   {Apprehension: 60, Anger: 15, Trust: 50, Patience: 80},
		scenario.Medium: {Apprehension: 65, Anger: 45, Trust: 35, Patience: 60},
		scenario.Hard:   {Apprehension: 70, Anger: 70, Trust: 20, Patience: 45},
	}
	starterWords := map[scenario.Channel]struct{ Thanks, Greeting, Pause string }{
		scenario.Phone:    {"thank you for calling", "Good morning, you're through to Northgate Home", "[sighs]"},
		scenario.Chat:     {"thank you for getting in touch", "Good morning, welcome to Northgate Home chat", "[typing]"},
		scenario.InPerson: {"thank you for coming in", "Good morning, welcome to Northgate Home", "[sighs]"},
	}
	words := starterWords[ch]
	title := strings.ToUpper(id[:1]) + strings.ReplaceAll(id[1:], "-", " ")
	data := struct {
		ID, Title, Channel, Difficulty string
		Mood                           scenario.Mood
		Thanks, Greeting, Pause        string
	}{id, title, string(ch), string(diff), starterMood[diff], words.Thanks, words.Greeting, words.Pause}
	var b bytes.Buffer
	if err := starterTemplate.Get().Execute(&b, data); err != nil {
		return nil, fmt.Errorf("starter scenario: %w", err)
	}
	return b.Bytes(), nil
}

// starterTemplate is parsed on first use: at start-up it cost every run.
var starterTemplate = lazy.Value[*template.Template]{New: func() *template.Template {
	return template.Must(template.New("starter").Parse(`# {{.Title}}: a starter scenario written by 'rapport new'. Rewrite every line
# into your own conversation, keeping the shape: a warm, careful path that
# scores high and careless paths that score low. The guide is docs/authoring.md.
#
# Check as you go:  rapport check --strict {{.ID}}.toml
# See every path:   rapport paths {{.ID}}.toml
# Play it:          rapport play {{.ID}}.toml
# Editor help:      rapport schema > rapport.schema.json, then make the first
#                   line of this file: #:schema ./rapport.schema.json

id = "{{.ID}}"                      # kebab-case; keep it the same as the file name
title = "{{.Title}}"                # shown in the picker
summary = "Dana's new kettle stopped working after a week, and the replacement she was promised never arrived."
channel = "{{.Channel}}"            # phone | chat | in-person: the pace of the conversation clock
difficulty = "{{.Difficulty}}"      # easy | medium | hard
tags = ["returns", "repeat-problem"]
author = "Your name"
version = "0.1"
walkout = "gives-up"               # the ending used if her patience runs out (outcome "lost")

# What the trainee reads before the call. In any line, {agent} becomes the
# trainee's first name ("Sam" when it is not known).
[briefing]
role = "{agent}, customer adviser on the Northgate Home helpline"
company = "Northgate Home"
goal = "Get Dana a working kettle, and leave her sure that this time it will come."
may_offer = ["a replacement by next-day delivery, free of charge", "a full refund", "a callback from you the next day"]

[customer]
name = "Dana Brooks"
persona = "Nurse on night shifts; bought a kettle that broke within a week and was promised a replacement."
voice = "Tired and direct; short sentences when she is annoyed."
# Her starting mood, 0-100. Anger at 40 or more makes the "Difficult
# customers" score count; patience is how much mishandling she takes.
apprehension = {{.Mood.Apprehension}}
anger = {{.Mood.Anger}}
trust = {{.Mood.Trust}}
patience = {{.Mood.Patience}}
# What she says when a typed answer matches none of the choices well enough.
clarify = "Sorry, I'm not following. What do you mean?"

# The conversation starts at the first [[node]]. Each choice says where it
# leads (next) and how it moves her mood (effects). Tag the behaviours a
# line shows: 'rapport check' warns when the scoring model reads the text
# differently, so the tags keep you honest. A reply is her reaction to that
# line, said before the next node's line, so choices that lead to the same
# node still get different answers.
[[node]]
id = "opening"
say = "{{.Pause}} Hi. My kettle broke after a week, I was promised a new one, and nothing has come."

  # A variant replaces the line when its condition holds (first match wins).
  [[node.variant]]
  when = "anger >= 70"
  say = "A week. The kettle lasted a week, and the replacement you promised never came. I'm fed up."

  # Write the poor choices as lines a real adviser might say, about as long
  # as the best one, and move the best one around the list: 'rapport check'
  # warns when the best line is always the longest or in the same place.
  [[node.choice]]
  say = "{{.Thanks}}. Before I can look into anything at all I'll need your order number, the full postcode on the account, the date you ordered and the email address you used, please."
  reply = "{{.Pause}} KT-4471, NG5 2AB, the third. Again."
  next = "details"
  effects = { apprehension = 5, anger = 10, trust = -5, patience = -15 }
  feedback = "Asking for details before acknowledging the problem treats her as a case number."
  tags = ["thanks", "account_first"]

  [[node.choice]]
  say = "Well, it's not our fault the courier lost it. You'll have to chase them."
  reply = "Chase them? I bought it from you, not from the courier."
  next = "details"
  effects = { apprehension = 10, anger = 25, trust = -20, patience = -30 }
  feedback = "Defending the company and handing the work back to her: the fastest way to lose her."
  tags = ["defensive", "pass_the_buck"]

    # A reply variant replaces the reply when its condition holds, tested
    # once the line has landed (effects applied). Like every [[...]] block,
    # it goes after the choice's own keys: keys below it belong to it.
    [[node.choice.variant]]
    when = "anger >= 80"
    reply = "Are you serious? I'm the one who paid you."

  [[node.choice]]
  id = "warm-welcome"              # optional: names the choice in results (default: its first words and a hash)
  say = "{{.Greeting}}, I'm {agent}. I'm so sorry the replacement never arrived; that must be really frustrating. I'll sort this out for you now."
  reply = "Thank you, {agent}. That's the first time anyone's said sorry."
  next = "details"
  effects = { apprehension = -25, anger = -20, trust = 20 }
  feedback = "Greeting, your name, a real apology and ownership: she knows a person has taken this on."
  tags = ["greeting", "own_name", "apology", "emotional_reaction", "ownership"]

[[node]]
id = "details"
say = "It was meant to come last Tuesday. I've got no kettle on nights, and I'm worried I'll just be fobbed off again."

  [[node.choice]]
  say = "Replacements can take up to fourteen working days from the date the claim is logged, and it's company policy that we don't speed them up, I'm afraid, even when the first one went missing on the way."
  next = "fix"
  effects = { apprehension = 10, anger = 15, trust = -10, patience = -15 }
  feedback = "Hiding behind policy tells her the rule matters more than she does."
  tags = ["policy_hiding"]

  [[node.choice]]
  say = "So the replacement was due last Tuesday, and you've been left without a kettle while working nights. That's a lot to deal with. What matters most to you now: a new kettle quickly, or your money back?"
  next = "fix"
  effects = { apprehension = -15, anger = -10, trust = 15 }
  feedback = "You restated what happened in your own words and asked what she needs: she feels understood."
  tags = ["interpretation", "emotional_reaction", "exploration"]

  [[node.choice]]
  say = "Calm down, it's only a kettle."
  next = "gives-up"
  effects = { anger = 30, trust = -25, patience = -40 }
  feedback = "Dismissing her feelings ends the conversation."
  tags = ["invalidate"]

[[node]]
id = "fix"
say = "A new one, please. But how do I know it'll actually turn up this time?"

  [[node.variant]]
  when = "trust >= 60"
  say = "Thank you. A new one would be great. When will it come?"

  [[node.choice]]
  say = "I'll take care of this myself: a new kettle goes out today by next-day delivery, free, arriving tomorrow before 1 pm. I'll email you the tracking link within the hour."
  next = "resolved"
  effects = { apprehension = -20, anger = -15, trust = 20 }
  feedback = "A concrete promise you can keep: what, when, and how she will know."
  tags = ["ownership", "expectation", "follow_up"]

  [[node.choice]]
  say = "You'll need to contact the courier about that one, I'm afraid, because once a parcel leaves our warehouse it's out of my hands, and they do all the tracking and the redeliveries themselves."
  next = "kept"
  effects = { apprehension = 10, anger = 15, trust = -15 }
  feedback = "Passing her on after she has already waited a week."
  tags = ["pass_the_buck"]

[[ending]]
id = "resolved"
outcome = "resolved"               # resolved | kept | follow-up | escalated | lost
say = "Tomorrow before one. Great, thank you, {agent}. That's a relief."

[[ending]]
id = "kept"
outcome = "kept"
say = "Right. I'll ring the courier, then. Again."

[[ending]]
id = "gives-up"
outcome = "lost"
say = "Forget it. I'll buy one in town and ask my bank for the money back."

# Author tests: 'rapport check' plays each path (choice numbers from the
# start) and fails when it misses its ending or score bounds.
[[test]]
name = "caring path"
choices = [3, 2, 1]
ending = "resolved"
min = { empathy = 60, overall = 85 }

[[test]]
name = "careless path"
choices = [2, 3]
ending = "lost"
max = { overall = 40 }
`))
}}
