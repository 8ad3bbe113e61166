// Package scoring is the scorer of Rapport's scoring model: it turns what
// the reader (internal/reader) found in each line into the three scores.
//
// Evaluate folds a whole conversation (an engine.State) into "First 30
// seconds", "Empathy" and "Difficult customers" with a point-by-point
// explanation, the best alternative at every turn, key moments on the
// conversation clock and the customer's mood over time. LinePoints is the
// same per-line arithmetic for one response, Pace is the conversation
// clock, and RulesOf reads a scenario's company rules ([scoring]). It is
// pure: no I/O, no clock, no randomness and no dependence on map order.
package scoring
