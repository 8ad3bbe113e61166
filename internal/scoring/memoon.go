package scoring

import "github.com/rapport-sim/rapport/internal/reader"

// MemoOn is a Memo that reads lines through r: for a caller that has read
// some lines already and told r their readings (reader.Memo.Know), as
// `check` does for the choices it reads for its tag check and grades.
// Unlike NewMemo's, it keeps nothing of its own beyond r: its caller scores
// each line once (check grades each choice once, on a memo per node), and
// what a memo keeps to score a line again was megabytes of garbage there.
func MemoOn(r *reader.Memo) *Memo { return &Memo{r: r} }
