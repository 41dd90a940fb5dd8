package runtime

import _ "unsafe"

// Package math's functions that GOROOT writes in assembly for amd64 and arm64 (archFloor
// and the others, bodyless there): each is defined as math's own portable Go version
// (math.floor, ...), which the noasm architectures use. A definition is compiled only when
// the program calls the bodyless function.

//go:linkname math_floor math.floor
func math_floor(x float64) float64

//go:linkname math_archFloor math.archFloor
func math_archFloor(x float64) float64 { return math_floor(x) }

//go:linkname math_ceil math.ceil
func math_ceil(x float64) float64

//go:linkname math_archCeil math.archCeil
func math_archCeil(x float64) float64 { return math_ceil(x) }

//go:linkname math_trunc math.trunc
func math_trunc(x float64) float64

//go:linkname math_archTrunc math.archTrunc
func math_archTrunc(x float64) float64 { return math_trunc(x) }

//go:linkname math_exp math.exp
func math_exp(x float64) float64

//go:linkname math_archExp math.archExp
func math_archExp(x float64) float64 { return math_exp(x) }

//go:linkname math_exp2 math.exp2
func math_exp2(x float64) float64

//go:linkname math_archExp2 math.archExp2
func math_archExp2(x float64) float64 { return math_exp2(x) }

//go:linkname math_log math.log
func math_log(x float64) float64

//go:linkname math_archLog math.archLog
func math_archLog(x float64) float64 { return math_log(x) }

//go:linkname math_modf math.modf
func math_modf(f float64) (float64, float64)

//go:linkname math_archModf math.archModf
func math_archModf(f float64) (float64, float64) { return math_modf(f) }

//go:linkname math_max math.max
func math_max(x, y float64) float64

//go:linkname math_archMax math.archMax
func math_archMax(x, y float64) float64 { return math_max(x, y) }

//go:linkname math_min math.min
func math_min(x, y float64) float64

//go:linkname math_archMin math.archMin
func math_archMin(x, y float64) float64 { return math_min(x, y) }

//go:linkname math_hypot math.hypot
func math_hypot(p, q float64) float64

//go:linkname math_archHypot math.archHypot
func math_archHypot(p, q float64) float64 { return math_hypot(p, q) }

//go:linkname math_sqrt math.sqrt
func math_sqrt(x float64) float64

//go:linkname math_archSqrt math.archSqrt
func math_archSqrt(x float64) float64 { return math_sqrt(x) }
