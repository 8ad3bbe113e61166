package cli

func scoreCmd() *command {
	return &command{
		name:  "score",
		args:  `[--channel C] [--customer TEXT] "TEXT" | --jsonl`,
		short: "explain how the scoring model reads one line",
		long:  scoreUsage,
		// score parses its own flags: its usage text is written for it.
		raw: func(e *env, args []string) int { return runScore(args, e.stdin, e.stdout, e.stderr) },
	}
}
