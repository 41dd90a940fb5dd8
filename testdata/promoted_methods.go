// Method sets with promoted methods: interface conversions and type switches see methods
// promoted through embedded structs, embedded pointers and embedded interfaces (value and
// pointer receivers, several levels deep, unnamed struct types); method expressions of
// promoted and interface methods; method values and deferred calls of interface methods.
package main

type Namer interface{ Name() string }
type Setter interface{ Set(string) }
type NameSetter interface {
	Namer
	Setter
}

type Base struct{ name string }

func (b Base) Name() string     { return "base:" + b.name }
func (b *Base) Set(name string) { b.name = name }

type Mid struct{ Base }       // value embedding: Name on Mid, Set on *Mid
type Ptr struct{ *Base }      // pointer embedding: Name and Set on Ptr
type Deep struct{ Mid }       // two levels
type Iface struct{ Namer }    // embedded interface
type Shadow struct {          // Name declared on the outer type wins
	Base
}

func (Shadow) Name() string { return "shadow" }

type Empty struct{}

func (Empty) Name() string { return "empty" }

type ZeroPtr struct{ *Empty }

func describe(x interface{}) string {
	switch v := x.(type) {
	case NameSetter:
		return "NameSetter " + v.Name()
	case Namer:
		return "Namer " + v.Name()
	default:
		return "neither"
	}
}

func main() {
	m := Mid{Base{"m"}}
	println(describe(m), describe(&m))
	var ns NameSetter = &m
	ns.Set("m2")
	println(ns.Name(), m.name)

	p := Ptr{&Base{"p"}}
	println(describe(p), describe(&p))
	var s Setter = p
	s.Set("p2")
	println(p.Name())

	d := &Deep{Mid{Base{"d"}}}
	var n Namer = d
	println(n.Name(), describe(*d), describe(d))

	println(describe(Iface{Base{"i"}}), describe(Iface{Shadow{}}))
	println(describe(Shadow{Base{"s"}}), describe(&Shadow{}))

	anon := struct{ Base }{Base{"anon"}}
	println(describe(anon), describe(&anon))
	var an Namer = struct{ *Base }{&Base{"anonptr"}}
	println(an.Name())

	// Method expressions.
	fName := Mid.Name
	fSet := (*Mid).Set
	fSet(&m, "expr")
	println(fName(m))
	fIface := Namer.Name
	println(fIface(d), fIface(Empty{}))
	fPtr := (*Deep).Name
	println(fPtr(d))
	fNS := NameSetter.Set
	fNS(&m, "via iface expr")
	println(m.Name())

	// Method values bind the receiver now; a nil interface panics at once.
	get := ns.Name
	m.name = "later"
	println(get())
	func() {
		defer func() { println("recovered:", recover() != nil) }()
		var nilIface Namer
		f := nilIface.Name
		println("not reached", f == nil)
	}()
	// A value method promoted through a nil embedded pointer panics when called.
	func() {
		defer func() { println("recovered:", recover() != nil) }()
		var z ZeroPtr
		var zn Namer = z
		println("not reached", zn.Name())
	}()
	// Deferred interface method calls evaluate the receiver at the defer statement.
	func() {
		defer func() { println("recovered:", recover() != nil) }()
		var nilIface Namer
		defer nilIface.Name()
		println("not reached")
	}()
	func() {
		var x Namer = Empty{}
		defer println("deferred runs after", x.Name())
		defer x.Name()
		x = nil
	}()
}
