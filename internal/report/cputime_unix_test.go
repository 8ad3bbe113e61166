//go:build unix

package report

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used. On a
// machine shared with other work it tells what a run costs when the wall
// clock cannot.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
