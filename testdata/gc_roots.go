// Objects reachable only through one kind of root or container each (a package-level
// variable, a closure, an interface, a map, a channel buffer, a blocked goroutine's stack, a
// pending deferred call, a large array) must survive many collections triggered by garbage.
package main

type Item struct {
	id   int
	name string
	next *Item
}

func mk(id int) *Item {
	return &Item{id: id, name: "item", next: &Item{id: id + 1000, name: "tail"}}
}

func good(it *Item, id int) bool {
	return it != nil && it.id == id && it.name == "item" && it.next != nil && it.next.id == id+1000 && it.next.name == "tail"
}

var global *Item
var globalSlice []*Item

func garbage(rounds int) int {
	s := 0
	for i := 0; i < rounds; i++ {
		x := make([]*Item, 64)
		for j := range x {
			x[j] = &Item{id: j}
		}
		b := make([]byte, 4096)
		b[i%4096] = 1
		s += len(x) + int(b[0])
	}
	return s
}

type Getter interface{ get() *Item }
type holder struct{ it *Item }

func (h holder) get() *Item { return h.it }

func blocked(in chan int, it *Item, out chan bool) {
	<-in
	out <- good(it, 6)
}

func withDefer(res *bool) {
	it := mk(7)
	defer func() { *res = good(it, 7) }()
	garbage(3000)
}

func main() {
	global = mk(1)
	globalSlice = []*Item{mk(2)}
	it3 := mk(3)
	closure := func() *Item { return it3 }
	var iface Getter = holder{mk(4)}
	var anyv interface{} = mk(5)
	m := map[int]*Item{}
	for i := 0; i < 100; i++ {
		m[i] = mk(100 + i)
	}
	mk2 := map[string][]*Item{"a": {mk(300)}}
	ch := make(chan *Item, 10)
	for i := 0; i < 10; i++ {
		ch <- mk(200 + i)
	}
	in := make(chan int)
	out := make(chan bool)
	go blocked(in, mk(6), out)
	bp := make([]*Item, 20000)
	bp[19999] = mk(8)

	garbage(5000)
	dres := false
	withDefer(&dres)
	garbage(5000)

	bad := 0
	check := func(b bool, what string) {
		if !b {
			println("lost:", what)
			bad++
		}
	}
	check(good(global, 1), "global")
	check(good(globalSlice[0], 2), "global slice")
	check(good(closure(), 3), "closure")
	check(good(iface.get(), 4), "interface")
	check(good(anyv.(*Item), 5), "empty interface")
	in <- 1
	check(<-out, "goroutine argument")
	check(dres, "deferred closure")
	check(good(bp[19999], 8), "large slice")
	for i := 0; i < 100; i++ {
		check(good(m[i], 100+i), "map value")
	}
	check(good(mk2["a"][0], 300), "map of slices")
	for i := 0; i < 10; i++ {
		check(good(<-ch, 200+i), "channel buffer")
	}
	println("bad:", bad)
}
