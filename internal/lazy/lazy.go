// Package lazy holds values made the first time they are asked for.
//
// A package-level Value written as a composite literal costs nothing when
// the program starts: the compiler lays it out in the binary, so the
// package needs no initialisation code, and a run that never asks for the
// value never runs New nor touches its code. sync.OnceValue does the same
// work on first use, but calling it in a package-level declaration is
// itself code that every run executes before main (README.md, on the
// first frame).
package lazy

import (
	"sync"
	"sync/atomic"
)

// Value is the result of New, made on the first call to Get. New must not
// be nil, and must not call Get on the same Value. A Value must not be
// copied after first use.
type Value[T any] struct {
	New func() T

	once sync.Once
	done atomic.Bool // set once v is made: Get's fast path, small enough to inline
	v    T
}

// Get returns the value, making it on the first call. Concurrent first
// calls wait for the one that makes it.
func (l *Value[T]) Get() T {
	if !l.done.Load() {
		l.make()
	}
	return l.v
}

func (l *Value[T]) make() {
	l.once.Do(func() {
		l.v = l.New()
		l.done.Store(true)
	})
}
