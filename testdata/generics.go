// Generics by instantiation: generic functions (explicit and inferred type arguments,
// as values, with closures), generic types with value and pointer methods, method values
// and expressions of instances, embedding, type parameters in conversions, assertions,
// type switches, comparisons, arithmetic and built-ins on core types, composite literals,
// zero values, and instantiated types in interfaces and panics.
package main

type Number interface {
	~int | ~int32 | ~int64 | ~float64
}

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func AbsDiff[T Number](a, b T) T {
	d := a - b
	if d < 0 {
		return -d
	}
	return d
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for i := range xs {
		if keep(xs[i]) {
			out = append(out, xs[i])
		}
	}
	return out
}

func Index[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// Counter returns a closure over a value of the type parameter.
func Counter[T Number](step T) func() T {
	var n T
	return func() T {
		n += step
		return n
	}
}

func Keys[K comparable, V any](m map[K]V) int {
	n := 0
	for range m {
		n++
	}
	return n
}

type List[T any] struct {
	items []T
}

func (l *List[T]) Push(x T) { l.items = append(l.items, x) }
func (l List[T]) Len() int  { return len(l.items) }
func (l *List[T]) At(i int) T {
	return l.items[i]
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func MakePair[K comparable, V any](k K, v V) Pair[K, V] {
	return Pair[K, V]{Key: k, Val: v}
}

// Stack embeds a generic type: its methods are promoted.
type Stack struct {
	List[string]
	name string
}

type Lener interface{ Len() int }

// Wrapper embeds an instance of a generic type in a generic type.
type Wrapper[T any] struct {
	List[T]
	Pair[string, T]
}

type Celsius float64

func (c Celsius) String() string { return "celsius" }

type Stringer interface{ String() string }

func Describe[T Stringer](x T) string { return x.String() }

func Convert[To, From Number](x From) To { return To(x) }

func Is[T any](x any) bool {
	_, ok := x.(T)
	return ok
}

func Kind[T any](x T) string {
	switch any(x).(type) {
	case int:
		return "int"
	case string:
		return "string"
	case List[int]:
		return "List[int]"
	case T:
		return "T"
	}
	return "?"
}

func Zero[T any]() T {
	var zero T
	return zero
}

func Make[S ~[]E, E any](n int) S {
	return make(S, n)
}

func Fill[T any](v T) [3]T {
	return [3]T{v, v, v}
}

func Max[T ~int | ~float64 | ~string](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func Must[T any](x T, ok bool) T {
	if !ok {
		panic(x)
	}
	return x
}

func main() {
	println(Sum([]int{1, 2, 3}), Sum([]float64{1.5, 2.25}), Sum[int32]([]int32{4, 5}))
	println(AbsDiff(3, 10), AbsDiff(2.5, 1.0))
	strs := Map([]int{1, 2, 3}, func(x int) string { return string(rune('a' + x)) })
	println(len(strs), strs[0], strs[2])
	evens := Filter([]int{1, 2, 3, 4, 5, 6}, func(x int) bool { return x%2 == 0 })
	println(len(evens), evens[0], evens[2])
	println(Index([]string{"x", "y", "z"}, "z"), Index([]float64{1, 2}, 3))
	next := Counter(10)
	next()
	println(next(), Counter[float64](0.5)())
	println(Keys(map[string]int{"a": 1, "b": 2}))

	// Generic function values.
	sumInts := Sum[int]
	var absf func(float64, float64) float64 = AbsDiff[float64]
	println(sumInts([]int{7, 8}), absf(1, 4))

	// Generic types and their methods, method values and expressions.
	var l List[int]
	l.Push(3)
	l.Push(4)
	push := l.Push
	push(5)
	println(l.Len(), l.At(2))
	length := List[int].Len
	at := (*List[int]).At
	println(length(l), at(&l, 0))
	p := MakePair("k", 2.5)
	println(p.Key, p.Val)
	q := Pair[int, []string]{Key: 1, Val: []string{"v"}}
	println(q.Key, q.Val[0])

	// Embedding a generic type.
	var s Stack
	s.Push("a")
	s.Push("b")
	s.name = "stack"
	println(s.name, s.Len(), s.At(1))

	// Instantiated types in interfaces.
	var ln Lener = l
	println(ln.Len())
	ln = s
	println(ln.Len())
	ln = &s
	println(ln.Len())
	var nested Lener = Wrapper[float64]{}
	println(nested.Len())
	var x any = l
	if lv, ok := x.(List[int]); ok {
		println("List[int] with", lv.Len())
	}
	println(Describe(Celsius(3)))

	// Conversions, assertions and type switches on type parameters.
	println(Convert[int](3.75), Convert[float64](int32(7)))
	println(Is[int](1), Is[string](1), Is[List[int]](l))
	println(Kind(1), Kind("s"), Kind(l), Kind(2.5))
	println(Zero[int](), Zero[string]() == "", Zero[*int]() == nil, Zero[Pair[int, int]]().Key)
	bs := Make[[]byte](3)
	println(len(bs), cap(bs))
	arr := Fill(7)
	println(len(arr), arr[2])
	println(Max(3, 9), Max(2.5, -1.0), Max("abc", "abd"))

	// Panics with values of instantiated types; failed assertions to them.
	defer func() {
		r := recover()
		pr, ok := r.(Pair[string, int])
		println("recovered", ok, pr.Key)
		defer func() {
			println("assertion failed:", recover() != nil)
		}()
		println(x.(Pair[string, int]).Key)
	}()
	Must(MakePair("boom", 1), false)
}
