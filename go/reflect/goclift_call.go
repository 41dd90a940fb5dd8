// goclift's additions to package reflect (see EXTENDS_GOROOT): the bridge from reflect's call
// frames, laid out by funcLayout for gc's register ABI, to goclift's calling convention
// (docs/decisions.md, decision 31: the target's C convention, each argument split into its
// machine scalars, values that do not split passed by pointer, the closure context last).

package reflect

import (
	"internal/abi"
	"internal/goarch"
	"runtime"
	"sync"
	"unsafe"
)

// gocliftMaxScalars is the most machine scalars a value splits into before goclift passes
// it in memory (compiler/src/ir/ty.rs, MAX_SCALARS).
const gocliftMaxScalars = 4

// gocliftMaxStackWords bounds the argument words a bridged call passes on the stack: the
// machine-call primitive pushes them below the caller's frame without a stack check.
const gocliftMaxStackWords = 64

// gocliftScalar is one machine scalar of a value: where it sits in the value, its size, and
// whether it travels in a floating-point register.
type gocliftScalar struct {
	off, size uintptr
	float     bool
}

// gocliftScalars appends the machine scalars of a value of type t at offset off to out, as
// goclift's compiler splits values (compiler/src/ir/ty.rs); false when the value does not
// split (an array of more than one element somewhere in it).
func gocliftScalars(t *rtype, off uintptr, out []gocliftScalar) ([]gocliftScalar, bool) {
	switch t.Kind() {
	case Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr,
		Pointer, UnsafePointer, Chan, Map, Func:
		return append(out, gocliftScalar{off, t.size, false}), true
	case Float32, Float64:
		return append(out, gocliftScalar{off, t.size, true}), true
	case Complex64, Complex128:
		h := t.size / 2
		return append(out, gocliftScalar{off, h, true}, gocliftScalar{off + h, h, true}), true
	case String, Interface:
		return append(out, gocliftScalar{off, 8, false}, gocliftScalar{off + 8, 8, false}), true
	case Slice:
		return append(out, gocliftScalar{off, 8, false}, gocliftScalar{off + 8, 8, false}, gocliftScalar{off + 16, 8, false}), true
	case Array:
		at := (*arrayType)(unsafe.Pointer(t))
		switch at.len {
		case 0:
			return out, true
		case 1:
			return gocliftScalars(at.elem, off, out)
		}
		return out, false
	case Struct:
		st := (*structType)(unsafe.Pointer(t))
		for i := range st.fields {
			f := &st.fields[i]
			var ok bool
			if out, ok = gocliftScalars(f.typ, off+f.offset, out); !ok {
				return out, false
			}
		}
		return out, true
	}
	panic("reflect: goclift: no machine scalars for kind " + t.Kind().String())
}

// gocliftSplit is the machine form of a value of type t: its scalars, or ok=false when
// goclift passes it in memory (more than gocliftMaxScalars scalars, or one that does not split).
func gocliftSplit(t *rtype) (scalars []gocliftScalar, ok bool) {
	scalars, ok = gocliftScalars(t, 0, nil)
	return scalars, ok && len(scalars) <= gocliftMaxScalars
}

// gocliftMachineFrame is what the machine-call primitive reads and writes: the argument
// registers, the stack arguments, the return area and the result registers of one call.
// runtime/src/reflectcall.rs knows its layout. Integer slots are pointers so that the
// collector sees the pointers among them.
type gocliftMachineFrame struct {
	code    uintptr
	ints    [8]unsafe.Pointer // rdi, rsi, rdx, rcx, r8, r9 / x0-x7
	floats  [8]uint64         // xmm0-7 / d0-d7 (a float32 in the low half)
	stack   unsafe.Pointer    // nstack words pushed as the stack arguments
	nstack  uintptr
	retArea unsafe.Pointer    // the return area: x8 on arm64 (on amd64 the first argument)
	rints   [8]unsafe.Pointer // rax, rdx / x0-x7
	rfloats [8]uint64         // xmm0, xmm1 / d0-d7
}

// gocliftMachineCall calls frame.code with frame's registers and stack arguments and stores
// its result registers in frame (runtime/src/reflectcall.rs).
//
//go:noescape
func gocliftMachineCall(frame *gocliftMachineFrame)

// gocliftAssigner hands out goclift's argument or result locations in order: the next
// integer or float register, else the next 8-byte stack (or return-area) slot.
type gocliftAssigner struct {
	ints, floats       int // registers used
	maxInts, maxFloats int
	slots              []unsafe.Pointer // words beyond the registers
}

// put places one scalar word in the next location of its class.
func (a *gocliftAssigner) put(f *gocliftMachineFrame, word uint64, float bool) {
	switch {
	case float && a.floats < a.maxFloats:
		f.floats[a.floats] = word
		a.floats++
	case !float && a.ints < a.maxInts:
		f.ints[a.ints] = unsafe.Pointer(uintptr(word))
		a.ints++
	default:
		a.slots = append(a.slots, unsafe.Pointer(uintptr(word)))
	}
}

// gocliftWord reads a scalar of the given size at p, zero-extended.
func gocliftWord(p unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// gocliftStoreWord stores the low size bytes of w at p.
func gocliftStoreWord(p unsafe.Pointer, size uintptr, w uint64) {
	switch size {
	case 1:
		*(*uint8)(p) = uint8(w)
	case 2:
		*(*uint16)(p) = uint16(w)
	case 4:
		*(*uint32)(p) = uint32(w)
	default:
		*(*uint64)(p) = w
	}
}

// gocliftFrameFuncs remembers which function type (and receiver) each frame type funcLayout
// made belongs to.
var gocliftFrameFuncs sync.Map // *rtype -> layoutKey

// gocliftFrameFunc returns the function type and receiver type of the call frame type
// frametype: reflect's call passes only the frame type, and goclift's convention needs the
// function's types. funcLayout made it and cached it in layoutCache under that key.
func gocliftFrameFunc(frametype *rtype) layoutKey {
	if k, ok := gocliftFrameFuncs.Load(frametype); ok {
		return k.(layoutKey)
	}
	var key layoutKey
	found := false
	layoutCache.Range(func(k, v any) bool {
		if v.(layoutType).t == frametype {
			key, found = k.(layoutKey), true
			return false
		}
		return true
	})
	if !found {
		panic("reflect: goclift: call with a frame type that funcLayout did not make")
	}
	gocliftFrameFuncs.Store(frametype, key)
	return key
}

// gocliftReflectcall is reflect's call (gc's runtime.reflectcall): it calls fn with the
// arguments laid out in stackArgs and regArgs as funcLayout describes them, and stores the
// results back in that layout.
//
//go:linkname gocliftReflectcall runtime.reflectcall
func gocliftReflectcall(frametype *rtype, fn, stackArgs unsafe.Pointer, stackArgsSize, stackRetOffset, frameSize uint32, regArgs *abi.RegArgs) {
	key := gocliftFrameFunc(frametype)
	_, _, abid := funcLayout(key.ftyp, key.rcvr)

	// Functions made by reflect take reflect's frame as it is; their pointer results come
	// back in the integer registers only, and Value.call reads them from Ptrs (gc's
	// reflectcall copies them by the ReturnIsPtr bitmap).
	code := *(*uintptr)(fn)
	isFunc, isMethod := code == abi.FuncPCABI0(makeFuncStub), code == methodValueCallCodePtr()
	if isFunc || isMethod {
		var retValid bool
		if isFunc {
			callReflect((*makeFuncImpl)(fn), stackArgs, &retValid, regArgs)
		} else {
			callMethod((*methodValue)(fn), stackArgs, &retValid, regArgs)
		}
		for i := range regArgs.Ints {
			if regArgs.ReturnIsPtr.Get(i) {
				regArgs.Ptrs[i] = unsafe.Pointer(regArgs.Ints[i])
			}
		}
		return
	}
	gocliftCallMachine(key.ftyp, key.rcvr, code, fn, stackArgs, regArgs, &abid)
}

// gocliftValue copies value i of sequence seq (a function's arguments or results) out of
// reflect's layout into dst, a value of type t.
func gocliftValue(seq *abiSeq, i int, t *rtype, dst, stackArgs unsafe.Pointer, regArgs *abi.RegArgs) {
	for _, st := range seq.stepsForValue(i) {
		switch st.kind {
		case abiStepStack:
			typedmemmove(t, dst, add(stackArgs, st.stkOff, "goclift: stack argument"))
			return
		case abiStepIntReg, abiStepPointer:
			intFromReg(regArgs, st.ireg, st.size, add(dst, st.offset, "goclift: register part"))
		case abiStepFloatReg:
			floatFromReg(regArgs, st.freg, st.size, add(dst, st.offset, "goclift: register part"))
		}
	}
}

// gocliftSetValue stores src, a value of type t, as value i of sequence seq in reflect's layout.
func gocliftSetValue(seq *abiSeq, i int, t *rtype, src, stackArgs unsafe.Pointer, regArgs *abi.RegArgs) {
	for _, st := range seq.stepsForValue(i) {
		part := add(src, st.offset, "goclift: register part")
		switch st.kind {
		case abiStepStack:
			typedmemmove(t, add(stackArgs, st.stkOff, "goclift: stack result"), src)
			return
		case abiStepPointer:
			regArgs.Ptrs[st.ireg] = *(*unsafe.Pointer)(part)
			intToReg(regArgs, st.ireg, st.size, part)
		case abiStepIntReg:
			intToReg(regArgs, st.ireg, st.size, part)
		case abiStepFloatReg:
			floatToReg(regArgs, st.freg, st.size, part)
		}
	}
}

// gocliftResultShape says how goclift returns results of types out: each result's scalars
// (nil for one returned in memory, through an address leading the arguments), which results
// are in memory, and how many scalar words overflow the result registers into the return
// area (2 integer and 2 float registers on amd64, 8 and 8 on arm64).
func gocliftResultShape(out []*rtype) (scalars [][]gocliftScalar, inMem []bool, retSlots int) {
	maxInts, maxFloats := gocliftResultRegs()
	scalars = make([][]gocliftScalar, len(out))
	inMem = make([]bool, len(out))
	ints, floats := 0, 0
	for i, t := range out {
		ss, ok := gocliftSplit(t)
		if !ok {
			inMem[i] = true
			continue
		}
		scalars[i] = ss
		for _, s := range ss {
			if s.float && floats < maxFloats {
				floats++
			} else if !s.float && ints < maxInts {
				ints++
			} else {
				retSlots++
			}
		}
	}
	return scalars, inMem, retSlots
}

// gocliftResultRegs is the number of integer and float registers goclift returns scalar
// results in on this target.
func gocliftResultRegs() (ints, floats int) {
	if goarch.GOARCH == "amd64" {
		return 2, 2
	}
	return 8, 8
}

// gocliftCallMachine calls code (closure fn) of a function of type ft (with receiver type
// rcvr, or nil) by goclift's convention, with the arguments reflect laid out per abid.
func gocliftCallMachine(ft *funcType, rcvr *rtype, code uintptr, fn, stackArgs unsafe.Pointer, regArgs *abi.RegArgs, abid *abiDesc) {
	amd64 := goarch.GOARCH == "amd64"
	in, out := ft.in(), ft.out()

	// Results: those in memory get buffers whose addresses lead the arguments; the others
	// come back in registers, beyond them in the return area.
	outBufs := make([]unsafe.Pointer, len(out))
	outScalars, outMem, retSlots := gocliftResultShape(out)
	var memResults []unsafe.Pointer
	for i, t := range out {
		outBufs[i] = unsafe_New(t)
		if outMem[i] {
			memResults = append(memResults, outBufs[i])
		}
	}

	var frame gocliftMachineFrame
	frame.code = code
	a := gocliftAssigner{maxInts: 8, maxFloats: 8}
	if amd64 {
		a.maxInts = 6
	}
	var retArea []unsafe.Pointer
	if retSlots > 0 {
		retArea = make([]unsafe.Pointer, retSlots)
		frame.retArea = unsafe.Pointer(&retArea[0])
		if amd64 {
			a.put(&frame, uint64(uintptr(frame.retArea)), false)
		}
	}
	for _, p := range memResults {
		a.put(&frame, uint64(uintptr(p)), false)
	}

	// Arguments: the receiver word, then each argument's scalars or the address of a copy.
	v := 0
	if rcvr != nil {
		var w unsafe.Pointer
		gocliftValue(&abid.call, 0, gocliftWordType, unsafe.Pointer(&w), stackArgs, regArgs)
		a.put(&frame, uint64(uintptr(w)), false)
		v = 1
	}
	inBufs := make([]unsafe.Pointer, len(in))
	for i, t := range in {
		buf := unsafe_New(t)
		inBufs[i] = buf
		gocliftValue(&abid.call, v+i, t, buf, stackArgs, regArgs)
		ss, ok := gocliftSplit(t)
		if !ok {
			a.put(&frame, uint64(uintptr(buf)), false)
			continue
		}
		for _, s := range ss {
			a.put(&frame, gocliftWord(add(buf, s.off, "goclift: scalar"), s.size), s.float)
		}
	}
	a.put(&frame, uint64(uintptr(fn)), false) // the closure context
	if len(a.slots) > gocliftMaxStackWords {
		panic("reflect: goclift: Call with more than 64 words of stack arguments is not supported")
	}
	if len(a.slots) > 0 {
		frame.stack = unsafe.Pointer(&a.slots[0])
		frame.nstack = uintptr(len(a.slots))
	}

	gocliftMachineCall(&frame)

	// Results back into their buffers, then into reflect's layout.
	maxRetInts, maxRetFloats := gocliftResultRegs()
	ri, rf, rs := 0, 0, 0
	for i, ss := range outScalars {
		for _, s := range ss {
			var w uint64
			if s.float && rf < maxRetFloats {
				w = frame.rfloats[rf]
				rf++
			} else if !s.float && ri < maxRetInts {
				w = uint64(uintptr(frame.rints[ri]))
				ri++
			} else {
				w = uint64(uintptr(retArea[rs]))
				rs++
			}
			gocliftStoreWord(add(outBufs[i], s.off, "goclift: result scalar"), s.size, w)
		}
	}
	for i, t := range out {
		gocliftSetValue(&abid.ret, i, t, outBufs[i], stackArgs, regArgs)
	}
	runtime.KeepAlive(inBufs)
}

// gocliftWordType is the descriptor of unsafe.Pointer, the type of a receiver word.
var gocliftWordType = gocliftRtypeOf(unsafe.Pointer(nil))

// gocliftRtypeOf is the descriptor of x's dynamic type.
func gocliftRtypeOf(x any) *rtype { return (*emptyInterface)(unsafe.Pointer(&x)).typ }

// gocliftMakeFuncEntry keeps gocliftMakeFuncCall in every program that has package reflect:
// only the stubs' assembly calls it (goclift compiles what Go code refers to, decision 35).
var gocliftMakeFuncEntry = gocliftMakeFuncCall

// gocliftReader takes goclift's argument locations in order from a spilled machine frame:
// the next integer or float register, else the next 8-byte word of the stack arguments.
type gocliftReader struct {
	f                  *gocliftMachineFrame
	ints, floats       int
	maxInts, maxFloats int
	slot               uintptr
}

// take returns the next word of its class.
func (r *gocliftReader) take(float bool) uint64 {
	switch {
	case float && r.floats < r.maxFloats:
		r.floats++
		return r.f.floats[r.floats-1]
	case !float && r.ints < r.maxInts:
		r.ints++
		return uint64(uintptr(r.f.ints[r.ints-1]))
	}
	w := *(*uint64)(add(r.f.stack, r.slot*8, "goclift: stack argument"))
	r.slot++
	return w
}

// gocliftMakeFuncCall runs a call of a function reflect made (MakeFunc, or a method value
// made by Value.Method(i).Interface() and the like): the stubs in runtime/src/reflectcall.rs
// spill the machine arguments into frame, with the closure context in frame.code. It decodes
// the arguments by the function's type into reflect's layout, runs callReflect or callMethod,
// and leaves the results in frame's result registers, its return area or the memory results.
func gocliftMakeFuncCall(frame *gocliftMachineFrame) {
	ctx := unsafe.Pointer(frame.code)
	isMethod := *(*uintptr)(ctx) == methodValueCallCodePtr()
	var ft *funcType
	if isMethod {
		mv := (*methodValue)(ctx)
		_, ft, _ = methodReceiver("call", mv.rcvr, mv.method)
	} else {
		ft = (*makeFuncImpl)(ctx).ftyp
	}
	frametype, _, abid := funcLayout(ft, nil)
	in, out := ft.in(), ft.out()
	amd64 := goarch.GOARCH == "amd64"

	// Where the results go: memory results to the addresses leading the arguments, the
	// others to the result registers, beyond them to the return area.
	outScalars, outMem, retSlots := gocliftResultShape(out)
	r := gocliftReader{f: frame, maxInts: 8, maxFloats: 8}
	if amd64 {
		r.maxInts = 6
		if retSlots > 0 {
			frame.retArea = unsafe.Pointer(uintptr(r.take(false)))
		}
	}
	memOut := make([]unsafe.Pointer, len(out))
	for i := range out {
		if outMem[i] {
			memOut[i] = unsafe.Pointer(uintptr(r.take(false)))
		}
	}

	// The arguments, into reflect's layout.
	var stackArgs unsafe.Pointer
	if frametype.size != 0 {
		stackArgs = unsafe_New(frametype)
	}
	var regs abi.RegArgs
	for i, t := range in {
		ss, ok := gocliftSplit(t)
		var buf unsafe.Pointer
		if !ok {
			buf = unsafe.Pointer(uintptr(r.take(false)))
		} else {
			buf = unsafe_New(t)
			for _, s := range ss {
				gocliftStoreWord(add(buf, s.off, "goclift: scalar"), s.size, r.take(s.float))
			}
		}
		gocliftSetValue(&abid.call, i, t, buf, stackArgs, &regs)
	}

	var retValid bool
	if isMethod {
		callMethod((*methodValue)(ctx), stackArgs, &retValid, &regs)
	} else {
		callReflect((*makeFuncImpl)(ctx), stackArgs, &retValid, &regs)
	}

	// The results, out of reflect's layout.
	maxRetInts, maxRetFloats := gocliftResultRegs()
	ri, rf, rs := 0, 0, 0
	for i, t := range out {
		if outMem[i] {
			gocliftValue(&abid.ret, i, t, memOut[i], stackArgs, &regs)
			continue
		}
		buf := unsafe_New(t)
		gocliftValue(&abid.ret, i, t, buf, stackArgs, &regs)
		for _, s := range outScalars[i] {
			w := gocliftWord(add(buf, s.off, "goclift: result scalar"), s.size)
			switch {
			case s.float && rf < maxRetFloats:
				frame.rfloats[rf] = w
				rf++
			case !s.float && ri < maxRetInts:
				frame.rints[ri] = unsafe.Pointer(uintptr(w))
				ri++
			default:
				*(*uint64)(add(frame.retArea, uintptr(rs)*8, "goclift: return area")) = w
				rs++
			}
		}
	}
}
