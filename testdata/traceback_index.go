package main

// An index out of range in a value method, under a function literal and a function with
// deferred calls (goclift splits it in two).

type table struct {
	rows [][]int
}

func (t table) cell(r, c int) int {
	return t.rows[r][c]
}

func sum(t table, coords [][2]int) (total int) {
	defer func() {
		println("sum done:", total)
	}()
	for _, rc := range coords {
		get := func(r int) int {
			return t.cell(r, rc[1])
		}
		total += get(rc[0])
	}
	return total
}

func main() {
	t := table{rows: [][]int{{1, 2}, {3, 4}}}
	println(sum(t, [][2]int{{0, 1}, {1, 0}}))
	println(sum(t, [][2]int{{1, 1}, {1, 2}}))
}
