package main

import (
	"bytes"
	"errors"
	"os/exec"
	"syscall"
	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PROBE_BINS="name=path,name=path" PROBE_RUNS=20
func TestProbeFrame(t *testing.T) {
	bins := os.Getenv("PROBE_BINS")
	if bins == "" {
		t.Skip()
	}
	runs, _ := strconv.Atoi(os.Getenv("PROBE_RUNS"))
	cfg := t.TempDir()
	os.WriteFile(cfg+"/config.toml", []byte("name = \"First Frame\"\n"), 0o600)
	environ := append(env(t, "xterm-256color"), "RAPPORT_CONFIG_DIR="+cfg)
	type prog struct {
		name, ready string
		argv        []string
		took, cpu   []time.Duration
	}
	var ps []*prog
	for _, b := range strings.Split(bins, ",") {
		name, path, _ := strings.Cut(b, "=")
		argv := strings.Fields(path)
		ready := "choose a conversation"
		if strings.Contains(name, "minimal") {
			ready = "minimal program ready"
		} else if len(argv) > 1 {
			ready = "Before the call"
		}
		ps = append(ps, &prog{name: name, ready: ready, argv: argv})
	}
	for i := 0; i <= runs; i++ {
		for _, p := range ps {
			d, cpu, err := firstFrameCPU(environ, p.argv, p.ready)
			if err != nil {
				t.Fatal(p.name, err)
			}
			if i > 0 {
				p.took = append(p.took, d)
				p.cpu = append(p.cpu, cpu)
			}
		}
	}
	base := time.Duration(0)
	cbase := time.Duration(0)
	for _, p := range ps {
		slices.Sort(p.cpu)
		c := p.cpu[len(p.cpu)/2]
		if cbase == 0 {
			cbase = c
		}
		t.Logf("%-20s CPU median %v  %.2fx", p.name, c.Round(100*time.Microsecond), float64(c)/float64(cbase))
	}
	for _, p := range ps {
		slices.Sort(p.took)
		m := p.took[len(p.took)/2]
		if base == 0 {
			base = m
		}
		t.Logf("%-20s median %v  q1 %v q3 %v  %.2fx", p.name, m.Round(100*time.Microsecond), p.took[len(p.took)/4].Round(100*time.Microsecond), p.took[3*len(p.took)/4].Round(100*time.Microsecond), float64(m)/float64(base))
	}
}

func firstFrameCPU(environ, argv []string, ready string) (time.Duration, time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = environ
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		return 0, 0, err
	}
	var took time.Duration
	fd := int(tty.Fd())
	var out bytes.Buffer
	buf := make([]byte, 8192)
	for took == 0 {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 20); n == 0 || errors.Is(err, unix.EINTR) {
			continue
		}
		n, err := unix.Read(fd, buf)
		if n <= 0 || err != nil {
			return 0, 0, err
		}
		chunk := buf[:n]
		out.Write(chunk)
		if bytes.Contains(chunk, []byte("\x1b]11;?")) {
			tty.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(chunk, []byte("\x1b[6n")) {
			tty.WriteString("\x1b[1;1R")
		}
		if strings.Contains(ansi.Strip(out.String()), ready) {
			took = time.Since(start)
		}
	}
	cmd.Process.Signal(syscall.SIGSTOP)
	cmd.Process.Kill()
	tty.Close()
	cmd.Wait()
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return took, cpu, nil
}
