package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// memoryEnv turns on TestPlayMemory, which builds the real program and
// measures it; it is a measurement, not a check, so it runs only when
// asked: RAPPORT_MEMORY=1 go test ./cmd/rapport -run TestPlayMemory -v
const memoryEnv = "RAPPORT_MEMORY"

// TestPlayMemory measures the resident memory of an interactive session as
// a trainee meets it, on the two ways into a call: `rapport play
// late-delivery`, and `rapport` alone (the name asked once, the picker,
// enter on the first scenario). Each is the program built as users build
// it, in a 100x30 terminal, past the briefing to the play screen, with two
// lines said. It logs VmRSS and VmHWM (the peak) with their anonymous and
// file-backed parts from /proc, and asserts nothing about them: the figure
// depends on the machine, and docs/scoring.md records it with the method.
func TestPlayMemory(t *testing.T) {
	if os.Getenv(memoryEnv) == "" {
		t.Skip("set " + memoryEnv + "=1 to measure the memory of a play session")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc")
	}
	bin := filepath.Join(t.TempDir(), "rapport")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("play ID", func(t *testing.T) {
		measurePlay(t, bin, "rapport play late-delivery", func(r *rapport) {
			r.waitFor(t, "enter start the call")
			io.WriteString(r.in, "\r")
		}, "play", "late-delivery", "--name", "Memory Test", "--results", t.TempDir())
	})
	t.Run("picker", func(t *testing.T) {
		// No arguments and no name remembered: the everyday first run.
		measurePlay(t, bin, "rapport, the picker's first scenario", func(r *rapport) {
			r.waitFor(t, "Your name")
			io.WriteString(r.in, "Memory Test\r")
			r.waitFor(t, "choose a conversation")
			io.WriteString(r.in, "\r")
			r.waitFor(t, "enter start the call")
			io.WriteString(r.in, "\r")
		})
	})
}

// measurePlay starts bin with args in a 100x30 terminal, lets toPlay bring
// it to the play screen, says two lines and logs the memory the program
// holds then.
func measurePlay(t *testing.T, bin, what string, toPlay func(*rapport), args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env(t, "xterm-256color")
	if v := os.Getenv("GODEBUG"); v != "" {
		// gctrace=1 and the like, to see where the memory goes; the
		// trace goes to the program's standard error, on the terminal.
		cmd.Env = append(cmd.Env, "GODEBUG="+v)
	}
	if v := os.Getenv("GOGC"); v != "" {
		cmd.Env = append(cmd.Env, "GOGC="+v)
	}
	r := startOnTTY(t, cmd, &pty.Winsize{Cols: 100, Rows: 30}, true)
	toPlay(r)
	for said := range 2 {
		r.waitFor(t, "What do you say?")
		before := len(r.out.String())
		// The second choice keeps both scenarios' calls going past two
		// lines (a rude first choice can end one).
		io.WriteString(r.in, "2")
		// The screen is redrawn with the line said and the reply; only
		// what changed is sent, so wait for any redraw, then let the
		// program settle (the reply, any work started by the line).
		deadline := time.Now().Add(wait)
		for len(r.out.String()) == before {
			if time.Now().After(deadline) {
				t.Fatalf("line %d: no answer:\n%q", said+1, tail(r.out.String()))
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(1500 * time.Millisecond)
	}
	if strings.Contains(r.out.String(), "Key moments") {
		t.Fatalf("the call ended before the measurement:\n%q", tail(r.out.String()))
	}
	st := procStatus(t, cmd.Process.Pid)
	t.Logf("%s, 100x30, two lines said: VmRSS %s, VmHWM %s (RssAnon %s, RssFile %s)",
		what, mib(st["VmRSS"]), mib(st["VmHWM"]), mib(st["RssAnon"]), mib(st["RssFile"]))
	if fi, err := os.Stat(bin); err == nil {
		t.Logf("binary %.1f MB; resident by mapping: %s", float64(fi.Size())/1e6, residentByFile(t, cmd.Process.Pid, bin))
	}
	if os.Getenv("GODEBUG") != "" {
		for _, l := range strings.Split(strings.ReplaceAll(r.out.String(), "\r", "\n"), "\n") {
			if i := strings.Index(l, "gc "); i >= 0 && strings.Contains(l, "MB goal") {
				t.Log(l[i:])
			}
		}
	}
	io.WriteString(r.in, "\x03")
}

// procStatus reads the memory lines of /proc/PID/status, in kB.
func procStatus(t *testing.T, pid int) map[string]int {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if f := strings.Fields(v); ok && len(f) == 2 && f[1] == "kB" {
			out[k], _ = strconv.Atoi(f[0])
		}
	}
	return out
}

// residentByFile sums the resident memory of a process's mappings by what
// they map: the program's own binary, each shared library, and anonymous
// memory (the Go heap, stacks and runtime structures).
func residentByFile(t *testing.T, pid int, bin string) string {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kb := map[string]int{}
	var order []string
	what := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) >= 5 && strings.Contains(fs[0], "-") && !strings.HasSuffix(fs[0], ":"):
			what = "anonymous"
			if len(fs) >= 6 {
				what = filepath.Base(fs[5])
				if fs[5] == bin {
					what = "binary"
				}
			}
		case len(fs) == 3 && fs[0] == "Rss:":
			n, _ := strconv.Atoi(fs[1])
			if _, ok := kb[what]; !ok {
				order = append(order, what)
			}
			kb[what] += n
		}
	}
	var parts []string
	for _, w := range order {
		if kb[w] >= 100 {
			parts = append(parts, w+" "+strconv.FormatFloat(float64(kb[w])*1024/1e6, 'f', 1, 64)+" MB")
		}
	}
	return strings.Join(parts, ", ")
}

// mib formats kB as MB (10^6 bytes, as the figures are) and MiB.
func mib(kb int) string {
	return strconv.FormatFloat(float64(kb)*1024/1e6, 'f', 1, 64) + " MB (" +
		strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64) + " MiB)"
}
