package hugeheap

import "testing"

func TestHugePageSize(t *testing.T) {
	const madvise = "always [madvise] never\n"
	for _, c := range []struct {
		name, enabled, pmd, godebug string
		want                        int
	}{
		{"madvise: ask", madvise, "2097152\n", "", 2 << 20},
		{"always: the kernel gives them already", "[always] madvise never\n", "2097152\n", "", 0},
		{"never: asking gets nothing", "always madvise [never]\n", "2097152\n", "", 0},
		{"GODEBUG turns them off", madvise, "2097152\n", "disablethp=1", 0},
		{"GODEBUG among other settings", madvise, "2097152\n", "gctrace=1, disablethp=1", 0},
		{"GODEBUG leaves them on", madvise, "2097152\n", "disablethp=0,gctrace=1", 2 << 20},
		{"64 KB base pages: 512 MB huge pages", madvise, "536870912\n", "", 512 << 20},
		{"size unreadable", madvise, "two megabytes", "", 0},
		{"size not a power of two", madvise, "3000000", "", 0},
		{"no size", madvise, "", "", 0},
	} {
		if got := hugePageSize(c.enabled, c.pmd, c.godebug); got != c.want {
			t.Errorf("%s: hugePageSize(%q, %q, %q) = %d, want %d", c.name, c.enabled, c.pmd, c.godebug, got, c.want)
		}
	}
}
