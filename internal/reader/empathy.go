package reader

// Mechanism is one of Sharma et al.'s three empathy mechanisms as read in a
// response: its level and the behaviour whose words showed it.
type Mechanism struct {
	Level  int
	Source Behavior
}

// Mechanisms grades emotional reaction, interpretation and exploration from
// the behaviours of one response:
//
//   - emotional reaction: the emotional_reaction strength; an apology with
//     no emotional reaction counts as a weak one ("sorry about that");
//   - interpretation: the interpretation strength, raised to strong when a
//     check of understanding follows it; a strong acknowledgement that names
//     what was heard counts as a weak one;
//   - exploration: the exploration strength.
func Mechanisms(bs []Behavior) (er, interp, explore Mechanism) {
	var hasCheck bool
	for _, b := range bs {
		switch b.ID {
		case EmotionalReaction:
			er = Mechanism{b.Strength, b}
		case Interpretation:
			interp = Mechanism{b.Strength, b}
		case Exploration:
			explore = Mechanism{b.Strength, b}
		case CheckUnderstand:
			hasCheck = true
		}
	}
	for _, b := range bs {
		switch {
		case b.ID == Apology && er.Level == 0:
			er = Mechanism{1, b}
		case b.ID == Acknowledge && b.Strength == 2 && interp.Level == 0:
			interp = Mechanism{1, b}
		}
	}
	if hasCheck && interp.Level == 1 && interp.Source.ID == Interpretation {
		interp.Level = 2
	}
	return er, interp, explore
}

// empathyOf scores one response's empathy.
func empathyOf(bs []Behavior) Empathy {
	er, in, ex := Mechanisms(bs)
	e := Empathy{EmotionalReaction: er.Level, Interpretation: in.Level, Exploration: ex.Level}
	// A Mechanism shown only by a stock phrase is graded (it is there) but
	// adds nothing to the response's score: it is not about this customer.
	s := 0
	if !er.Source.Stock {
		s += respER * er.Level
	}
	if !in.Source.Stock {
		s += respInterp * in.Level
	}
	s += respExplore * ex.Level
	ack := false
	for _, b := range bs {
		switch b.ID {
		case CustomerName:
			s += respName
		case ModeMatch:
			s += respMode
		case Acknowledge, CheckUnderstand:
			ack = true
		case Invalidate:
			s -= respInval * b.Strength
		case Blame:
			s -= respBlame * b.Strength
		case Sarcasm:
			s -= respSarcasm * b.Strength
		case Defensive:
			s -= respDefend * b.Strength
		}
	}
	if ack {
		s += respAck
	}
	e.Score = max(0, min(maxRespScore, s))
	return e
}

// Response empathy (Analysis.Empathy.Score), per response.
const (
	respER       = 18 // per level of emotional reaction (0–2)
	respInterp   = 14 // per level of interpretation
	respExplore  = 12 // per level of exploration
	respName     = 4  // the customer's name
	respMode     = 4  // matching their mode
	respAck      = 4  // acknowledgement or a check of understanding
	respInval    = 20 // per strength of invalidation, subtracted
	respBlame    = 12
	respSarcasm  = 12
	respDefend   = 8
	maxRespScore = 100
)
