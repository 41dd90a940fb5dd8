package main

import (
	"reflect"
	"sort"
)

type Point struct {
	X, Y int
	name string
}

func (p Point) Sum() int        { return p.X + p.Y }
func (p *Point) Scale(k int)    { p.X *= k; p.Y *= k }
func (p Point) String() string  { return "pt" }

type Inner struct{ A int }
type Outer struct {
	Inner
	B  []string
	M  map[string]int
	P  *Point
	I  interface{}
	F  float64
	T  [3]byte `json:"t"`
}

type MyInt int

type T struct{ A int }

func main() {
	var x interface{} = 42
	t := reflect.TypeOf(x)
	println(t.String(), t.Kind().String(), t.Size(), t.Name(), t.PkgPath())

	p := Point{1, 2, "a"}
	pt := reflect.TypeOf(p)
	println(pt.String(), pt.Name(), pt.PkgPath(), pt.NumField(), pt.NumMethod())
	for i := 0; i < pt.NumField(); i++ {
		f := pt.Field(i)
		println(" field", i, f.Name, f.Type.String(), f.Offset, f.PkgPath, f.IsExported())
	}
	for i := 0; i < pt.NumMethod(); i++ {
		m := pt.Method(i)
		println(" method", i, m.Name, m.Type.String())
	}
	ppt := reflect.TypeOf(&p)
	println(ppt.String(), ppt.Kind().String(), ppt.Elem().Name(), ppt.NumMethod())
	for i := 0; i < ppt.NumMethod(); i++ {
		println(" pmethod", ppt.Method(i).Name, ppt.Method(i).Type.String())
	}
	if m, ok := ppt.MethodByName("Scale"); ok {
		println("MethodByName", m.Name, m.Index)
	}

	ot := reflect.TypeOf(Outer{})
	for i := 0; i < ot.NumField(); i++ {
		f := ot.Field(i)
		println(" ofield", f.Name, f.Type.String(), f.Anonymous, string(f.Tag), f.Tag.Get("json"))
	}
	println(reflect.TypeOf(MyInt(3)).String(), reflect.TypeOf(MyInt(3)).Kind().String())

	v := reflect.ValueOf(&p).Elem()
	v.Field(0).SetInt(10)
	println(p.X, v.Field(1).Int(), v.Field(2).String(), v.Field(2).CanSet(), v.Field(0).CanSet())

	m := map[string]int{"b": 2, "a": 1, "c": 3}
	mv := reflect.ValueOf(m)
	keys := mv.MapKeys()
	var ks []string
	for _, k := range keys {
		ks = append(ks, k.String())
	}
	sort.Strings(ks)
	for _, k := range ks {
		println(" key", k, mv.MapIndex(reflect.ValueOf(k)).Int())
	}
	it := mv.MapRange()
	sum := 0
	for it.Next() {
		sum += int(it.Value().Int())
	}
	println("sum", sum, mv.Len())
	mv.SetMapIndex(reflect.ValueOf("d"), reflect.ValueOf(4))
	println(m["d"], len(m))
	mv.SetMapIndex(reflect.ValueOf("a"), reflect.Value{})
	println(len(m))

	s := []int{1, 2, 3}
	sv := reflect.ValueOf(s)
	println(sv.Len(), sv.Index(1).Int(), sv.Type().Elem().String())
	sv2 := reflect.Append(sv, reflect.ValueOf(4))
	println(sv2.Len(), sv2.Index(3).Int())
	ms := reflect.MakeSlice(reflect.TypeOf(s), 2, 5)
	ms.Index(0).SetInt(7)
	println(ms.Len(), ms.Cap(), ms.Index(0).Int())
	nm := reflect.MakeMap(reflect.TypeOf(m))
	nm.SetMapIndex(reflect.ValueOf("z"), reflect.ValueOf(26))
	println(nm.Len(), nm.MapIndex(reflect.ValueOf("z")).Int())
	np := reflect.New(pt)
	np.Elem().Field(1).SetInt(5)
	println(np.Elem().Interface().(Point).Y)

	println(reflect.DeepEqual([]int{1, 2}, []int{1, 2}), reflect.DeepEqual(map[string]int{"a": 1}, map[string]int{"a": 2}), reflect.DeepEqual(Outer{B: []string{"x"}}, Outer{B: []string{"x"}}))

	var e error
	println(reflect.TypeOf(&e).Elem().Kind().String(), reflect.TypeOf(&e).Elem().String(), reflect.TypeOf(&e).Elem().NumMethod())
	println(pt.Implements(reflect.TypeOf((*interface{ Sum() int })(nil)).Elem()))
	iv := reflect.ValueOf(p).Interface()
	if q, ok := iv.(interface{ String() string }); ok {
		println("stringer", q.String())
	}
	c := make(chan int, 3)
	cv := reflect.ValueOf(c)
	cv.Send(reflect.ValueOf(5))
	r, ok := cv.Recv()
	println(r.Int(), ok, cv.Cap(), reflect.TypeOf(c).String(), reflect.TypeOf(c).ChanDir().String())
	fv := reflect.TypeOf(func(int, ...string) (bool, error) { return false, nil })
	println(fv.String(), fv.NumIn(), fv.NumOut(), fv.IsVariadic(), fv.In(1).String(), fv.Out(1).String())
	println(reflect.PtrTo(reflect.TypeOf(MyInt(0))).String(), reflect.SliceOf(pt).String(), reflect.MapOf(reflect.TypeOf(""), pt).String())
	println(reflect.ValueOf(uint8(200)).Uint(), reflect.ValueOf(2.5).Float(), reflect.ValueOf(true).Bool(), reflect.ValueOf(3+4i).Complex() == 3+4i)
	println(reflect.Zero(pt).Field(0).Int(), reflect.ValueOf(nil).IsValid(), reflect.ValueOf((*int)(nil)).IsNil())
	var arr [4]int16
	av := reflect.ValueOf(&arr).Elem()
	av.Index(2).SetInt(-3)
	println(arr[2], av.Len(), av.Type().String())
	println(reflect.ValueOf(p).FieldByName("Y").Int(), reflect.ValueOf(Outer{Inner: Inner{9}}).FieldByName("A").Int())
}

func init() {
	typelinksCheck()
	var mi MyInt = 4
	pv := reflect.New(reflect.TypeOf(mi))
	if q, ok := pv.Interface().(*MyInt); ok {
		println("New gives *MyInt", *q)
	}
	println(reflect.PtrTo(reflect.TypeOf(mi)) == reflect.TypeOf(&mi), reflect.TypeOf(uint8(0)).Name(), reflect.TypeOf('x').Name())
}

func typelinksCheck() {
	var s []T
	var m map[string]T
	var c chan T
	var f func(T) int
	var a [3]T
	st := reflect.TypeOf(T{})
	println(reflect.SliceOf(st) == reflect.TypeOf(s), reflect.MapOf(reflect.TypeOf(""), st) == reflect.TypeOf(m))
	println(reflect.ChanOf(reflect.BothDir, st) == reflect.TypeOf(c), reflect.ArrayOf(3, st) == reflect.TypeOf(a))
	println(reflect.FuncOf([]reflect.Type{st}, []reflect.Type{reflect.TypeOf(0)}, false) == reflect.TypeOf(f))
	x := reflect.MakeSlice(reflect.SliceOf(st), 1, 1).Interface().([]T)
	println(len(x))
	nm := reflect.MakeMap(reflect.MapOf(reflect.TypeOf(""), st)).Interface().(map[string]T)
	nm["a"] = T{1}
	println(len(nm))
	println(reflect.SliceOf(reflect.TypeOf(1.5)).String())
}
