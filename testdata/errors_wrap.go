package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

type NotFound struct{ Name string }

func (e *NotFound) Error() string { return e.Name + ": not found" }

type Temporary interface{ Temporary() bool }

type tempErr struct{}

func (tempErr) Error() string   { return "temp" }
func (tempErr) Temporary() bool { return true }

type isErr struct{ target error }

func (e isErr) Error() string          { return "isErr" }
func (e isErr) Is(target error) bool   { return target == e.target }

var ErrBase = errors.New("base")

func find(name string) error {
	if name == "" {
		return fmt.Errorf("find: %w", ErrBase)
	}
	return fmt.Errorf("find %q: %w", name, &NotFound{name})
}

func main() {
	e := find("x")
	fmt.Println(e)
	var nf *NotFound
	fmt.Println(errors.As(e, &nf), nf.Name)
	fmt.Println(errors.Is(find(""), ErrBase), errors.Is(e, ErrBase))
	var tmp Temporary
	w := fmt.Errorf("outer: %w", fmt.Errorf("mid: %w", tempErr{}))
	fmt.Println(errors.As(w, &tmp), tmp.Temporary(), w)
	fmt.Println(errors.Is(isErr{ErrBase}, ErrBase), errors.Is(isErr{nil}, ErrBase))
	fmt.Println(errors.Unwrap(ErrBase) == nil, errors.Unwrap(e) != nil)
	_, err := os.Open("/nonexistent/file")
	fmt.Println(err, errors.Is(err, fs.ErrNotExist), errors.Is(err, os.ErrNotExist))
	var pe *fs.PathError
	if errors.As(err, &pe) {
		fmt.Println(pe.Op, pe.Path, pe.Err)
	}
	fmt.Printf("%v|%s|%q|%+v|%T\n", e, e, ErrBase, ErrBase, e)
	defer func() {
		r := recover()
		fmt.Println("recovered:", r)
		fmt.Println(fmt.Sprint(r) == "boom")
	}()
	panic(fmt.Sprintf("%s", "boom"))
}
