package reader

import "testing"

// TestBixCoversEveryID: every behaviour of the catalogue and every id the
// rules show has exactly one number, and the numbers sort as the
// catalogue does.
func TestBixCoversEveryID(t *testing.T) {
	seen := map[BehaviorID]bool{}
	for _, id := range bixIDs {
		if id == "" || seen[id] {
			t.Fatalf("bixIDs holds %q twice or an empty id", id)
		}
		seen[id] = true
	}
	for _, b := range Behaviors() {
		if !seen[b.ID] {
			t.Errorf("catalogue behaviour %q has no number", b.ID)
		}
	}
	for _, id := range ruleIDs {
		if !seen[id] {
			t.Errorf("rule id %q has no number", id)
		}
		if bixIDs[bixOf(id)] != id {
			t.Errorf("bixOf(%q) is not its number", id)
		}
	}
	for b, id := range bixIDs {
		if bixTables().order[b] != order.Get()[id] || bixTables().polarity[b] != polarity(id) {
			t.Errorf("%q: order %d, polarity %q; the catalogue says %d, %q", id, bixTables().order[b], bixTables().polarity[b], order.Get()[id], polarity(id))
		}
	}
}
