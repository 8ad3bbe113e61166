package cli

import (
	"bufio"
	"fmt"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/rapport-sim/rapport/internal/config"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/session"
)

// traineeName works out whose attempt this is: --name, else the name
// remembered in the config file, else (when asking is possible) a name
// typed once and remembered from then on, else the login name. Plain mode
// never asks, because its standard input carries the answers.
func traineeName(e *env, flagName string, mayAsk bool) string {
	if n := config.CleanName(flagName); n != "" {
		return n
	}
	if n := rememberedName(e); n != "" {
		return n
	}
	if mayAsk {
		fmt.Fprint(e.stdout, "Your name, for your practice records (asked once): ")
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if n := config.CleanName(line); n != "" {
			remember(e, n)
			return n
		}
	}
	if u, err := user.Current(); err == nil {
		if n := config.CleanName(u.Username); n != "" {
			return n
		}
	}
	return "trainee"
}

// remember saves the trainee's name in the config file. Failing to
// remember is reported but never stops the practice.
func remember(e *env, name string) {
	dir, err := config.ConfigDir(e.getenv)
	if err == nil {
		err = config.Save(filepath.Join(dir, config.ConfigFile), config.Config{Name: name})
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport: could not remember your name: %v\n", err)
	}
}

// saveAttempt scores the attempt and writes its record in the results
// folder (results.SaveAttempt). It returns the path written, or "" with
// nothing to save (nil error: no scenario, or a call left before the
// trainee said anything, results.Empty) or after reporting why the record
// could not be saved (the error, which makes the command fail).
func saveAttempt(e *env, dir, trainee string, a session.Attempt) (string, error) {
	path, err := quietSave(e, dir, trainee, a)
	if err != nil {
		fmt.Fprintf(e.stderr, "rapport: your attempt was NOT saved: %v\n", err)
	}
	return path, err
}

// saidSaved tells the trainee where the record went and how to see it.
func saidSaved(e *env, path string, a session.Attempt) {
	if path == "" {
		return
	}
	what := "Attempt saved"
	if !a.Finished() {
		what = "Unfinished attempt saved"
	}
	id := strings.TrimSuffix(filepath.Base(path), results.Ext)
	fmt.Fprintf(e.stderr, "%s: %s\n  see it again with: rapport replay %s   all attempts: rapport history\n", what, path, id)
}
