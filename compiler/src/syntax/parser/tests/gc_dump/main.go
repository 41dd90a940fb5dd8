// gc_dump parses Go files with a copy of gc's own syntax package and prints each file's
// syntax tree in a canonical form, which the parser tests compare with goclift's tree.
// The test copies $GOROOT/src/cmd/compile/internal/syntax next to this file (as package
// "gcdump/syntax") and builds it; see compiler/src/syntax/parser/tests/gc_tree.rs.
//
// Usage: gc_dump [-errors] file.go...  For each file: "path\n", the dump's length in bytes
// and "\n", then the dump (or "ERROR" if there were errors, or "NIL" without a tree with
// -errors) and "\n"; with -errors, the trees of erroneous files are printed too, followed
// by the errors' length, "\n", the errors ("line:col: msg" lines) and "\n".
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"unicode/utf8"

	"gcdump/syntax"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	args := os.Args[1:]
	withErrors := len(args) > 0 && args[0] == "-errors"
	if withErrors {
		args = args[1:]
	}
	for _, path := range args {
		var buf, errs bytes.Buffer
		w := bufio.NewWriter(&buf)
		f, err := syntax.ParseFile(path, func(err error) {
			if e, ok := err.(syntax.Error); ok {
				fmt.Fprintf(&errs, "%d:%d: %s\n", e.Pos.Line(), e.Pos.Col(), strings.ReplaceAll(e.Msg, "\n", "\\n"))
			}
		}, nil, syntax.CheckBranches)
		switch {
		case f == nil && withErrors:
			w.WriteString("NIL")
		case f == nil || err != nil && !withErrors:
			w.WriteString("ERROR")
		default:
			d := dumper{w: w, groups: map[*syntax.Group]int{}}
			d.node(f)
		}
		w.Flush()
		fmt.Fprintf(out, "%s\n%d\n%s\n", path, buf.Len(), buf.Bytes())
		if withErrors {
			fmt.Fprintf(out, "%d\n%s\n", errs.Len(), errs.Bytes())
		}
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
		// The length in runes, unless there are invalid bytes (the Rust side sees
		// replacement characters, which may stand for several bytes).
		if str := v.String(); !utf8.ValidString(str) || strings.ContainsRune(str, utf8.RuneError) {
			fmt.Fprintf(d.w, "?:%s", str)
		} else {
			fmt.Fprintf(d.w, "%d:%s", utf8.RuneCountInString(str), str)
		}
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
