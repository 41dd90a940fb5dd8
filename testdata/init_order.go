// init functions run in source order before main; calls of parameterless functions; return.
package main

func init() {
	println("init 1")
}

func main() {
	println("main")
	helper()
	{
		println("nested block")
	}
	early()
	println("done")
}

func init() {
	println("init 2")
}

func helper() {
	print("helper ", 1, "\n")
}

func early() {
	println("before return")
	return
	println("never printed")
}
