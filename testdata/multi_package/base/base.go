// Package base is imported by lib and by main: it is initialised once, first.
package base

var Order []string

var Greeting = greet("base")

func greet(who string) string {
	Order = append(Order, who)
	return "hello from " + who
}

func init() { Order = append(Order, "base.init") }

// Counter is embedded by lib.Tally.
type Counter struct{ n int }

func (c *Counter) Inc() int { c.n++; return c.n }

func (c Counter) Value() int { return c.n }
