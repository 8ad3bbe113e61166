package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

func listCmd() *command {
	return &command{
		name:  "list",
		args:  "[--format table|json] [--scenarios DIR]",
		short: "list the scenarios",
		long:  "List the scenarios in the library with their channel and difficulty.",
		define: func(fs *flag.FlagSet) func(*env, []string) int {
			var dir string
			format := "table"
			scenariosFlag(fs, &dir)
			fs.StringVar(&format, "format", format, "output `format`: table or json")
			return func(e *env, args []string) int {
				if len(args) > 0 {
					fmt.Fprintf(e.stderr, "rapport list: unexpected argument %q\n", args[0])
					return ExitUsage
				}
				if format != "table" && format != "json" {
					fmt.Fprintf(e.stderr, "rapport list: unknown format %q (use table or json)\n", format)
					return ExitUsage
				}
				scs, diags, err := loadLibrary(dir)
				if err != nil {
					fmt.Fprintf(e.stderr, "rapport list: %v\n", err)
					return ExitFailure
				}
				if errs := diags.Errors(); len(errs) > 0 {
					printDiagnostics(e.stderr, errs)
					fmt.Fprintf(e.stderr, "rapport list: some scenarios have errors and are not listed\n")
				}
				if format == "json" {
					return listJSON(e, scs)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tCHANNEL\tDIFFICULTY\tTITLE")
				for _, sc := range scs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sc.ID, sc.Channel, sc.Difficulty, textsafe.Text(sc.Title))
				}
				tw.Flush()
				if len(diags.Errors()) > 0 {
					return ExitFailure
				}
				return ExitOK
			}
		},
	}
}

// listEntry is the JSON shape of one scenario in `rapport list --format json`.
type listEntry struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Channel    string   `json:"channel"`
	Difficulty string   `json:"difficulty"`
	Summary    string   `json:"summary"`
	Tags       []string `json:"tags"`
	Author     string   `json:"author,omitempty"`
	Version    string   `json:"version,omitempty"`
	Customer   string   `json:"customer"`
	File       string   `json:"file"`
	Hash       string   `json:"hash"`
}

func listJSON(e *env, scs []*scenario.Scenario) int {
	out := make([]listEntry, 0, len(scs))
	for _, sc := range scs {
		tags := sc.Tags
		if tags == nil {
			tags = []string{}
		}
		out = append(out, listEntry{
			ID: sc.ID, Title: sc.Title, Channel: string(sc.Channel), Difficulty: string(sc.Difficulty),
			Summary: strings.TrimSpace(sc.Summary), Tags: tags, Author: sc.Author, Version: sc.Version,
			Customer: sc.Customer.Name, File: sc.File, Hash: sc.Hash,
		})
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(e.stderr, "rapport list: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}
