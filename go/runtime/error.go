// The runtime's own error values as Go types (gc's runtime/error.go), so that a recovered
// run-time panic satisfies error and runtime.Error. The Rust runtime builds these values
// itself (runtime/src/error.rs boxes them with the data layouts below); init registers
// the compiler-made descriptors, whose method tables carry the methods below.

package runtime

// errorString is a run-time error whose text gets the "runtime error: " prefix.
type errorString string

func (e errorString) RuntimeError() {}

func (e errorString) Error() string { return "runtime error: " + string(e) }

// plainError is a run-time error printed without the prefix ("close of closed channel").
type plainError string

func (e plainError) RuntimeError() {}

func (e plainError) Error() string { return string(e) }

// errorText is a run-time error whose whole text the runtime computed (failed type
// assertions, errors with values in the message).
type errorText string

func (e errorText) RuntimeError() {}

func (e errorText) Error() string { return string(e) }

// A boundsError is a failed index, slice or conversion bounds check; the layout is the
// Rust runtime's BoxedBounds.
type boundsError struct {
	x      int64
	y      int
	signed bool
	code   uint8
}

// The boundsError codes (gc's boundsErrorCode).
const (
	boundsIndex = iota
	boundsSliceAlen
	boundsSliceAcap
	boundsSliceB
	boundsSlice3Alen
	boundsSlice3Acap
	boundsSlice3B
	boundsSlice3C
	boundsConvert
)

// boundsErrorFmts are the messages per code; %x and %y stand for the values.
var boundsErrorFmts = [...]string{
	boundsIndex:      "index out of range [%x] with length %y",
	boundsSliceAlen:  "slice bounds out of range [:%x] with length %y",
	boundsSliceAcap:  "slice bounds out of range [:%x] with capacity %y",
	boundsSliceB:     "slice bounds out of range [%x:%y]",
	boundsSlice3Alen: "slice bounds out of range [::%x] with length %y",
	boundsSlice3Acap: "slice bounds out of range [::%x] with capacity %y",
	boundsSlice3B:    "slice bounds out of range [:%x:%y]",
	boundsSlice3C:    "slice bounds out of range [%x:%y:]",
	boundsConvert:    "cannot convert slice with length %y to pointer to array with length %x",
}

// boundsNegErrorFmts replace the formats when x is negative (y is not reported).
var boundsNegErrorFmts = [...]string{
	boundsIndex:      "index out of range [%x]",
	boundsSliceAlen:  "slice bounds out of range [:%x]",
	boundsSliceAcap:  "slice bounds out of range [:%x]",
	boundsSliceB:     "slice bounds out of range [%x:]",
	boundsSlice3Alen: "slice bounds out of range [::%x]",
	boundsSlice3Acap: "slice bounds out of range [::%x]",
	boundsSlice3B:    "slice bounds out of range [:%x:]",
	boundsSlice3C:    "slice bounds out of range [%x::]",
}

func (e boundsError) RuntimeError() {}

func (e boundsError) Error() string {
	fmt := boundsErrorFmts[e.code]
	if e.signed && e.x < 0 {
		fmt = boundsNegErrorFmts[e.code]
	}
	b := make([]byte, 0, 100)
	b = append(b, "runtime error: "...)
	for i := 0; i < len(fmt); i++ {
		c := fmt[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		i++
		switch fmt[i] {
		case 'x':
			b = appendIntStr(b, e.x, e.signed)
		case 'y':
			b = appendIntStr(b, int64(e.y), true)
		}
	}
	return string(b)
}

// appendIntStr appends v in decimal, as a signed value if signed.
func appendIntStr(b []byte, v int64, signed bool) []byte {
	u := uint64(v)
	if signed && v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	}
	var buf [20]byte
	i := len(buf)
	for u >= 10 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = byte('0' + u)
	return append(b, buf[i:]...)
}

// registerErrorType hands the descriptor of the runtime's error type number which
// (0 errorString, 1 plainError, 2 boundsError, 3 errorText, 4 string) to the Rust runtime.
func registerErrorType(which int, v any)

func init() {
	registerErrorType(0, errorString(""))
	registerErrorType(1, plainError(""))
	registerErrorType(2, boundsError{})
	registerErrorType(3, errorText(""))
	registerErrorType(4, "")
}
