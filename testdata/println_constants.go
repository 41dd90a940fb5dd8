// println and print with constant arguments of every basic kind, formatted as gc's runtime does.
package main

func main() {
	println()
	println("")
	println("a", "b", 'c', 0x7fffffffffffffff, -0x8000000000000000)
	println(1.5, -2.25, 1e100, 1e-300, 0.0, 3)
	println(true, false, !true)
	println(+5, -(-5), 1_000_000, 0b1010, 0o17, 017, 0xFF)
	println(2i, 1.5+0i)
	println("tab\tnewline\\n quote\" unicode \u00e9 \U0001F600 hex \x41 octal \101")
	println(`raw
string`)
	print("no", "spaces", 1, 2, true, "\n")
	print()
	println('x', '\n', '\'', 'é')
}
