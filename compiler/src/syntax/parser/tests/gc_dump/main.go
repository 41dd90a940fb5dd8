// gc_dump parses Go files with a copy of gc's own syntax package and prints each file's
// syntax tree in a canonical form, which the parser tests compare with goclift's tree.
// The test copies $GOROOT/src/cmd/compile/internal/syntax next to this file (as package
// "gcdump/syntax") and builds it; see compiler/src/syntax/parser/tests/gc_tree.rs.
//
// Usage: gc_dump file.go...  (for each file: "path\n", the dump's length in bytes and "\n",
// then the dump, or "ERROR", and "\n")
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"

	"gcdump/syntax"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, path := range os.Args[1:] {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		f, err := syntax.ParseFile(path, func(error) {}, nil, syntax.CheckBranches)
		if err != nil || f == nil {
			w.WriteString("ERROR")
		} else {
			d := dumper{w: w, groups: map[*syntax.Group]int{}}
			d.node(f)
		}
		w.Flush()
		fmt.Fprintf(out, "%s\n%d\n%s\n", path, buf.Len(), buf.Bytes())
	}
}

type dumper struct {
	w      *bufio.Writer
	groups map[*syntax.Group]int
}

func pos(p syntax.Pos) string { return fmt.Sprintf("%d:%d", p.Line(), p.Col()) }

func (d *dumper) node(n syntax.Node) {
	v := reflect.ValueOf(n)
	if v.IsNil() {
		d.w.WriteString("_")
		return
	}
	if st, ok := n.(*syntax.StructType); ok {
		// Tags are printed with their fields.
		fmt.Fprintf(d.w, "StructType@%s{[", pos(st.Pos()))
		for i, f := range st.FieldList {
			fmt.Fprintf(d.w, " Field@%s{", pos(f.Pos()))
			d.node(f.Name)
			d.w.WriteString(" ")
			d.node(f.Type)
			d.w.WriteString(" ")
			if i < len(st.TagList) && st.TagList[i] != nil {
				d.node(st.TagList[i])
			} else {
				d.w.WriteString("_")
			}
			d.w.WriteString("}")
		}
		d.w.WriteString(" ]}")
		return
	}
	e := v.Elem()
	t := e.Type()
	fmt.Fprintf(d.w, "%s@%s{", t.Name(), pos(n.Pos()))
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous || !f.IsExported() || f.Name == "Pragma" || f.Name == "Target" {
			continue
		}
		d.w.WriteString(" ")
		d.value(e.Field(i))
	}
	d.w.WriteString(" }")
}

func (d *dumper) value(v reflect.Value) {
	switch x := v.Interface().(type) {
	case syntax.Pos:
		d.w.WriteString(pos(x))
		return
	case *syntax.Group:
		if x == nil {
			d.w.WriteString("_")
			return
		}
		id, ok := d.groups[x]
		if !ok {
			id = len(d.groups)
			d.groups[x] = id
		}
		fmt.Fprintf(d.w, "g%d", id)
		return
	case syntax.Operator:
		if x == 0 {
			d.w.WriteString("_")
		} else {
			d.w.WriteString(x.String())
		}
		return
	case syntax.Node:
		d.node(x)
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Ptr:
		if v.IsNil() {
			d.w.WriteString("_")
			return
		}
		d.value(v.Elem())
	case reflect.Slice, reflect.Array:
		d.w.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			d.w.WriteString(" ")
			d.value(v.Index(i))
		}
		d.w.WriteString(" ]")
	case reflect.String:
		fmt.Fprintf(d.w, "%d:%s", v.Len(), v.String())
	case reflect.Bool:
		fmt.Fprintf(d.w, "%v", v.Bool())
	case reflect.Int, reflect.Uint, reflect.Uint8, reflect.Uint32:
		if s, ok := v.Interface().(fmt.Stringer); ok && strings.HasPrefix(v.Type().Name(), "token") {
			d.w.WriteString(s.String())
			return
		}
		fmt.Fprintf(d.w, "%v", v.Interface())
	default:
		fmt.Fprintf(d.w, "?%s", v.Kind())
	}
}
