// A range over a map inside another loop starts afresh on every outer iteration (the
// iterator is zeroed before mapiterinit, as gc's fresh hiter is).
package main

func main() {
	total, sum := 0, 0
	for r := 0; r < 3; r++ {
		m := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
		for range m {
			total++
		}
		for k, v := range m {
			sum += k * v
		}
	}
	println(total, sum)
	m := map[string]int{"a": 1, "b": 2}
	n := 0
	for i := 0; i < 4; i++ {
		for k := range m {
			if k == "" {
				break
			}
			n++
		}
	}
	println(n)
}
