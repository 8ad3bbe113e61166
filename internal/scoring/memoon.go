package scoring

import "github.com/rapport-sim/rapport/internal/reader"

// MemoOn is a Memo that reads lines through r: for a caller that has read
// some lines already and told r their readings (reader.Memo.Know), as
// `check` does for the choices it reads for its tag check and grades.
func MemoOn(r *reader.Memo) *Memo {
	m := NewMemo() // whatever else a Memo keeps, as NewMemo makes it
	m.r = r
	return m
}
