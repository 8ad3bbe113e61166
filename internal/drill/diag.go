package drill

import (
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Drill files share scenario's codes for problems that mean the same thing
// in both formats (syntax, unknown keys, types, missing keys, bad values,
// empty text, control characters, ids), so a trainer learns them once.
// Problems only a drill can have are numbered from RP200.
const (
	CodeFewOpeners     scenario.Code = "RP200" // fewer than MinOpeners openers
	CodeResponseCount  scenario.Code = "RP201" // an opener without exactly four responses
	CodeNoBest         scenario.Code = "RP202" // an opener with no best response
	CodeTwoBest        scenario.Code = "RP203" // an opener with more than one best response
	CodeSameResponse   scenario.Code = "RP204" // two responses of one opener say the same
	CodeUnknownTag     scenario.Code = "RP205" // a tag that is not a behaviour id
	CodeBestSameSlot   scenario.Code = "RP206" // the best response sits in one slot too often
	CodeLongResponse   scenario.Code = "RP207" // a response longer than an opening
	CodeBestNegative   scenario.Code = "RP208" // a best response tagged with a negative behaviour
	CodeDuplicateLine  scenario.Code = "RP209" // two openers share the customer's first line
	CodeRatingsRepeats scenario.Code = "RP210" // an opener repeats a rating other than best
	CodeTooManyOpeners scenario.Code = "RP211" // more openers than MaxOpeners
	CodeBestLongest    scenario.Code = "RP212" // the best response is the longest too often
)

// severities fixes each drill code's severity in one place; codes not
// listed are errors.
var severities = lazy.Value[map[scenario.Code]scenario.Severity]{New: func() map[scenario.Code]scenario.Severity {
	return map[scenario.Code]scenario.Severity{
		CodeFewOpeners:     scenario.Warning,
		CodeUnknownTag:     scenario.Warning,
		CodeBestSameSlot:   scenario.Warning,
		CodeLongResponse:   scenario.Warning,
		CodeBestNegative:   scenario.Warning,
		CodeRatingsRepeats: scenario.Warning,
		CodeBestLongest:    scenario.Warning,
	}
}}

// Codes lists the codes only drill files have, in order.
func Codes() []scenario.Code {
	return []scenario.Code{CodeFewOpeners, CodeResponseCount, CodeNoBest, CodeTwoBest, CodeSameResponse, CodeUnknownTag,
		CodeBestSameSlot, CodeLongResponse, CodeBestNegative, CodeDuplicateLine, CodeRatingsRepeats, CodeTooManyOpeners, CodeBestLongest}
}

// SeverityOf returns the severity a code is reported with in a drill file.
func SeverityOf(c scenario.Code) scenario.Severity {
	if s, ok := severities.Get()[c]; ok {
		return s
	}
	return scenario.SeverityOf(c)
}
