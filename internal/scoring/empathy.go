package scoring

// mechanism is one of Sharma et al.'s three empathy mechanisms as read in a
// response: its level and the behaviour whose words showed it.
type mechanism struct {
	level  int
	source Behavior
}

// mechanisms grades emotional reaction, interpretation and exploration from
// the behaviours of one response:
//
//   - emotional reaction: the emotional_reaction strength; an apology with
//     no emotional reaction counts as a weak one ("sorry about that");
//   - interpretation: the interpretation strength, raised to strong when a
//     check of understanding follows it; a strong acknowledgement that names
//     what was heard counts as a weak one;
//   - exploration: the exploration strength.
func mechanisms(bs []Behavior) (er, interp, explore mechanism) {
	var hasCheck bool
	for _, b := range bs {
		switch b.ID {
		case EmotionalReaction:
			er = mechanism{b.Strength, b}
		case Interpretation:
			interp = mechanism{b.Strength, b}
		case Exploration:
			explore = mechanism{b.Strength, b}
		case CheckUnderstand:
			hasCheck = true
		}
	}
	for _, b := range bs {
		switch {
		case b.ID == Apology && er.level == 0:
			er = mechanism{1, b}
		case b.ID == Acknowledge && b.Strength == 2 && interp.level == 0:
			interp = mechanism{1, b}
		}
	}
	if hasCheck && interp.level == 1 && interp.source.ID == Interpretation {
		interp.level = 2
	}
	return er, interp, explore
}

// empathyOf scores one response's empathy.
func empathyOf(bs []Behavior) Empathy {
	er, in, ex := mechanisms(bs)
	e := Empathy{EmotionalReaction: er.level, Interpretation: in.level, Exploration: ex.level}
	// A mechanism shown only by a stock phrase is graded (it is there) but
	// adds nothing to the response's score: it is not about this customer.
	s := 0
	if !er.source.Stock {
		s += respER * er.level
	}
	if !in.source.Stock {
		s += respInterp * in.level
	}
	s += respExplore * ex.level
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
