// Method values (bound receivers, through interfaces and embedded fields), method
// expressions, promoted methods of embedded structs and interfaces.

package main

type Counter struct{ n int }

func (c *Counter) Inc()     { c.n++ }
func (c Counter) Get() int  { return c.n }

type Named interface{ Name() string }
type Dog struct{}

func (Dog) Name() string { return "dog" }

type Outer struct {
	Counter
	Named
	label string
}

func apply(f func(), times int) {
	for i := 0; i < times; i++ {
		f()
	}
}

func main() {
	c := &Counter{}
	inc := c.Inc
	apply(inc, 5)
	get := c.Get
	println(c.n, get())
	g := Counter.Get
	println(g(Counter{7}))
	pinc := (*Counter).Inc
	pinc(c)
	println(c.Get())
	o := Outer{Named: Dog{}, label: "x"}
	o.Inc()
	o.Inc()
	println(o.Get(), o.n, o.Name())
	nm := o.Name
	println(nm())
	var n Named = Dog{}
	f := n.Name
	println(f())
}
