// Panics recovered in a tight loop for a few hundred milliseconds: the runtime's 10 ms
// preemption requests land in the prologues of deferred calls, which morestack then re-enters;
// recover must still see the deferred call as the one the panic runs.
package main

func f(i int) (r int) {
	defer func() {
		if recover() != nil {
			r = i
		}
	}()
	var s []int
	return s[i]
}

func g(i int) (r int) {
	defer func() {
		r = recover().(int)
	}()
	panic(i)
}

func main() {
	sum := 0
	for i := 0; i < 300000; i++ {
		sum += f(i) + g(i)
	}
	println(sum)
}
