package main

func main() {
	println("hello, world", 42, true, -7)
}
