package main

// A deferred call that panics when its function returns normally: gc shows the function
// at its return statement below the deferred call (no panic frame: no panic was running).

func lookup(keys []string, n int) int {
	defer func() {
		var seen map[string]bool
		seen[keys[0]] = true
	}()
	println("lookup", n)
	return n + 1
}

func main() {
	println(lookup([]string{"a"}, 1))
}
