package yoga82

// Rollup maps class names of a finer level to their parent at Level.
type Rollup struct {
	Level  Level
	Parent func(name string) string // names it does not know pass through
}

// Rollups are the coarser levels a prediction at level from can be scored
// at: 20 and 6 for 82, 6 for 20, none for 6.
func (h *Hierarchy) Rollups(from Level) []Rollup {
	id := map[string]int{}
	for i, n := range h.Names(from) {
		id[n] = i
	}
	var out []Rollup
	for _, to := range []Level{Level20, Level6} {
		if to >= from {
			continue
		}
		out = append(out, Rollup{to, func(name string) string {
			i, ok := id[name]
			if !ok {
				return name
			}
			if from == Level82 {
				return h.Name(to, h.Parent(to, i))
			}
			return h.Name(to, h.parent20to6(i))
		}})
	}
	return out
}

// parent20to6 finds a level-20 class's level-6 parent through any of its
// level-82 children.
func (h *Hierarchy) parent20to6(id20 int) int {
	for i := range h.Names(Level82) {
		if h.Parent(Level20, i) == id20 {
			return h.Parent(Level6, i)
		}
	}
	return -1
}
