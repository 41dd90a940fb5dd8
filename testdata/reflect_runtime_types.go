package main

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Types reflect makes at run time (MapOf, StructOf, ArrayOf of types the program never
// names) carry Go closures as their hash and equality functions.

type K struct {
	a, b int32
	c    float64
	s    string
}

func main() {
	mt := reflect.MapOf(reflect.TypeOf(K{}), reflect.TypeOf(0))
	m := reflect.MakeMap(mt)
	for i := 0; i < 20; i++ {
		m.SetMapIndex(reflect.ValueOf(K{int32(i), 2, 3.5, fmt.Sprint(i)}), reflect.ValueOf(i*i))
	}
	fmt.Println(mt, m.Len(), m.MapIndex(reflect.ValueOf(K{7, 2, 3.5, "7"})).Int(), m.MapIndex(reflect.ValueOf(K{7, 2, 3.5, "8"})).IsValid())

	st := reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeOf("")},
		{Name: "B", Type: reflect.TypeOf(0)},
	})
	x, y := reflect.New(st).Elem(), reflect.New(st).Elem()
	x.Field(0).SetString("s")
	y.Field(0).SetString("s")
	fmt.Println(st, x.Interface() == y.Interface())
	y.Field(1).SetInt(1)
	fmt.Println(x.Interface() == y.Interface(), fmt.Sprintf("%+v", y.Interface()))

	at := reflect.ArrayOf(2, reflect.TypeOf(""))
	a, b := reflect.New(at).Elem(), reflect.New(at).Elem()
	a.Index(1).SetString("z")
	fmt.Println(at, a.Interface() == b.Interface(), a.Interface())
	b.Index(1).SetString("z")
	fmt.Println(a.Interface() == b.Interface())

	sm := reflect.MakeMap(reflect.MapOf(st, reflect.TypeOf(true)))
	sm.SetMapIndex(x, reflect.ValueOf(true))
	fmt.Println(sm.MapIndex(x).Bool(), sm.Len())

	t := reflect.TypeOf(unsafe.Pointer(nil))
	fmt.Println(t.Name(), t.PkgPath(), t.String(), reflect.TypeOf(0).PkgPath() == "")
}
