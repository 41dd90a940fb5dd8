package runtime

import "unsafe"

// The hooks of internal/reflectlite and reflect into the runtime (gc's runtime1.go,
// mbarrier.go, malloc.go, chan.go, map.go): reflect declares these without bodies.

// mallocgc allocates size bytes of type typ (nil: no pointers), zeroed if needzero.
func mallocgc(size uintptr, typ unsafe.Pointer, needzero bool) unsafe.Pointer

// memmove copies n bytes from src to dst; the ranges may overlap.
func memmove(dst, src unsafe.Pointer, n uintptr)

// chanlen returns the number of elements queued in channel c (0 for nil).
func chanlen(c unsafe.Pointer) int

// typeSize is the size of the type whose descriptor is at typ (its first word).
func typeSize(typ unsafe.Pointer) uintptr { return *(*uintptr)(typ) }

// maplen returns the number of entries of map m (its header's first word; 0 for nil).
func maplen(m unsafe.Pointer) int {
	if m == nil {
		return 0
	}
	return *(*int)(m)
}

// typedmemmove copies a value of type typ from src to dst.
func typedmemmove(typ, dst, src unsafe.Pointer) {
	if dst != src {
		memmove(dst, src, typeSize(typ))
	}
}

//go:linkname reflectlite_unsafe_New internal/reflectlite.unsafe_New
func reflectlite_unsafe_New(typ unsafe.Pointer) unsafe.Pointer {
	return mallocgc(typeSize(typ), typ, true)
}

//go:linkname reflect_unsafe_New reflect.unsafe_New
func reflect_unsafe_New(typ unsafe.Pointer) unsafe.Pointer {
	return mallocgc(typeSize(typ), typ, true)
}

//go:linkname reflectlite_typedmemmove internal/reflectlite.typedmemmove
func reflectlite_typedmemmove(typ, dst, src unsafe.Pointer) { typedmemmove(typ, dst, src) }

//go:linkname reflect_typedmemmove reflect.typedmemmove
func reflect_typedmemmove(typ, dst, src unsafe.Pointer) { typedmemmove(typ, dst, src) }

//go:linkname reflectlite_chanlen internal/reflectlite.chanlen
func reflectlite_chanlen(c unsafe.Pointer) int { return chanlen(c) }

//go:linkname reflect_chanlen reflect.chanlen
func reflect_chanlen(c unsafe.Pointer) int { return chanlen(c) }

//go:linkname reflectlite_maplen internal/reflectlite.maplen
func reflectlite_maplen(m unsafe.Pointer) int { return maplen(m) }

//go:linkname reflect_maplen reflect.maplen
func reflect_maplen(m unsafe.Pointer) int { return maplen(m) }

// ---------------------------------------------------------------------------------------------
// Descriptor layouts reflect's hooks read (gc 1.19's type.go; decision 21).

// _type is gc's runtime._type (reflect.rtype).
type _type struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	equal      unsafe.Pointer
	gcdata     *byte
	str        int32
	ptrToThis  int32
}

// maptype is gc's runtime.maptype.
type maptype struct {
	typ        _type
	key        *_type
	elem       *_type
	bucket     *_type
	hasher     unsafe.Pointer
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32
}

// chantype is gc's runtime.chantype.
type chantype struct {
	typ  _type
	elem *_type
	dir  uintptr
}

// hiter is the map iterator (gc's runtime.hiter; reflect's hiter has the same layout).
type hiter struct {
	key         unsafe.Pointer
	elem        unsafe.Pointer
	t           unsafe.Pointer
	h           unsafe.Pointer
	buckets     unsafe.Pointer
	bptr        unsafe.Pointer
	overflow    unsafe.Pointer
	oldoverflow unsafe.Pointer
	startBucket uintptr
	offset      uint8
	wrapped     bool
	B           uint8
	i           uint8
	bucket      uintptr
	checkBucket uintptr
}

// sliceHeader is a slice's representation (reflect's unsafeheader.Slice).
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// The Rust runtime's entries compiled code calls (runtime_abi.rs), declared for the hooks.

func makemap(t *maptype, hint int, h unsafe.Pointer) unsafe.Pointer
func mapaccess2(t *maptype, h, key unsafe.Pointer) (unsafe.Pointer, bool)
func mapassign(t *maptype, h, key unsafe.Pointer) unsafe.Pointer
func mapdelete(t *maptype, h, key unsafe.Pointer)
func mapiterinit(t *maptype, h unsafe.Pointer, it *hiter)
func mapiternext(it *hiter)
func makechan(elemsize uintptr, size int) unsafe.Pointer
func chancap(c unsafe.Pointer) int
func closechan(c unsafe.Pointer)
func chansend1(c, elem unsafe.Pointer)
func chanrecv2(c, elem unsafe.Pointer) bool
func selectnbsend(c, elem unsafe.Pointer) bool
func selectnbrecv(elem, c unsafe.Pointer) (selected, received bool)
func assertE2I(inter, t unsafe.Pointer) unsafe.Pointer

// memclr zeroes n bytes at p.
func memclr(p unsafe.Pointer, n uintptr) {
	for i := uintptr(0); i < n; i++ {
		*(*byte)(unsafe.Add(p, i)) = 0
	}
}

//go:linkname reflect_unsafe_NewArray reflect.unsafe_NewArray
func reflect_unsafe_NewArray(typ *_type, n int) unsafe.Pointer {
	if n < 0 || (typ.size > 0 && uintptr(n) > ^uintptr(0)/typ.size) {
		panic("runtime: allocation size out of range")
	}
	return mallocgc(typ.size*uintptr(n), unsafe.Pointer(typ), true)
}

//go:linkname reflectlite_unsafe_NewArray internal/reflectlite.unsafe_NewArray
func reflectlite_unsafe_NewArray(typ *_type, n int) unsafe.Pointer {
	return reflect_unsafe_NewArray(typ, n)
}

//go:linkname reflect_typedmemmovepartial reflect.typedmemmovepartial
func reflect_typedmemmovepartial(typ *_type, dst, src unsafe.Pointer, off, size uintptr) {
	memmove(dst, src, size)
}

//go:linkname reflect_typedmemclr reflect.typedmemclr
func reflect_typedmemclr(typ *_type, ptr unsafe.Pointer) { memclr(ptr, typ.size) }

//go:linkname reflect_typedmemclrpartial reflect.typedmemclrpartial
func reflect_typedmemclrpartial(typ *_type, ptr unsafe.Pointer, off, size uintptr) {
	memclr(ptr, size)
}

//go:linkname reflect_typedslicecopy reflect.typedslicecopy
func reflect_typedslicecopy(elemType *_type, dst, src sliceHeader) int {
	n := dst.len
	if src.len < n {
		n = src.len
	}
	if n > 0 && dst.data != src.data {
		memmove(dst.data, src.data, uintptr(n)*elemType.size)
	}
	return n
}

//go:linkname reflect_memmove reflect.memmove
func reflect_memmove(dst, src unsafe.Pointer, n uintptr) { memmove(dst, src, n) }

//go:linkname reflect_verifyNotInHeapPtr reflect.verifyNotInHeapPtr
func reflect_verifyNotInHeapPtr(p uintptr) bool { return true }

// Maps (gc's map.go reflect_* functions).

//go:linkname reflect_makemap reflect.makemap
func reflect_makemap(t *maptype, cap int) unsafe.Pointer { return makemap(t, cap, nil) }

//go:linkname reflect_mapaccess reflect.mapaccess
func reflect_mapaccess(t *maptype, h, key unsafe.Pointer) unsafe.Pointer {
	elem, ok := mapaccess2(t, h, key)
	if !ok {
		elem = nil // reflect wants nil for a missing key, not the zero value
	}
	return elem
}

//go:linkname reflect_mapaccess_faststr reflect.mapaccess_faststr
func reflect_mapaccess_faststr(t *maptype, h unsafe.Pointer, key string) unsafe.Pointer {
	return reflect_mapaccess(t, h, unsafe.Pointer(&key))
}

//go:linkname reflect_mapassign reflect.mapassign
func reflect_mapassign(t *maptype, h, key, elem unsafe.Pointer) {
	p := mapassign(t, h, key)
	typedmemmove(unsafe.Pointer(t.elem), p, elem)
}

//go:linkname reflect_mapassign_faststr reflect.mapassign_faststr
func reflect_mapassign_faststr(t *maptype, h unsafe.Pointer, key string, elem unsafe.Pointer) {
	reflect_mapassign(t, h, unsafe.Pointer(&key), elem)
}

//go:linkname reflect_mapdelete reflect.mapdelete
func reflect_mapdelete(t *maptype, h, key unsafe.Pointer) { mapdelete(t, h, key) }

//go:linkname reflect_mapdelete_faststr reflect.mapdelete_faststr
func reflect_mapdelete_faststr(t *maptype, h unsafe.Pointer, key string) {
	mapdelete(t, h, unsafe.Pointer(&key))
}

//go:linkname reflect_mapiterinit reflect.mapiterinit
func reflect_mapiterinit(t *maptype, h unsafe.Pointer, it *hiter) { mapiterinit(t, h, it) }

//go:linkname reflect_mapiternext reflect.mapiternext
func reflect_mapiternext(it *hiter) { mapiternext(it) }

//go:linkname reflect_mapiterkey reflect.mapiterkey
func reflect_mapiterkey(it *hiter) unsafe.Pointer { return it.key }

//go:linkname reflect_mapiterelem reflect.mapiterelem
func reflect_mapiterelem(it *hiter) unsafe.Pointer { return it.elem }

// Channels (gc's chan.go reflect_* functions).

//go:linkname reflect_makechan reflect.makechan
func reflect_makechan(t *chantype, size int) unsafe.Pointer {
	return makechan(t.elem.size, size)
}

//go:linkname reflect_chancap reflect.chancap
func reflect_chancap(c unsafe.Pointer) int { return chancap(c) }

//go:linkname reflect_chanclose reflect.chanclose
func reflect_chanclose(c unsafe.Pointer) { closechan(c) }

//go:linkname reflect_chansend reflect.chansend
func reflect_chansend(c, elem unsafe.Pointer, nb bool) bool {
	if nb {
		return selectnbsend(c, elem)
	}
	chansend1(c, elem)
	return true
}

//go:linkname reflect_chanrecv reflect.chanrecv
func reflect_chanrecv(c unsafe.Pointer, nb bool, elem unsafe.Pointer) (selected, received bool) {
	if nb {
		return selectnbrecv(elem, c)
	}
	return true, chanrecv2(c, elem)
}

// Interfaces.

// reflect_ifaceE2I stores e converted to the non-empty interface type inter at dst (an
// itab word and a data word); panics like a failed type assertion when e's dynamic type
// lacks a method.
//
//go:linkname reflect_ifaceE2I reflect.ifaceE2I
func reflect_ifaceE2I(inter unsafe.Pointer, e any, dst *[2]unsafe.Pointer) {
	ep := (*[2]unsafe.Pointer)(unsafe.Pointer(&e))
	dst[0] = assertE2I(inter, ep[0])
	dst[1] = ep[1]
}

// The reflection offsets of types reflect makes at run time (PtrTo, MapOf, ...): their
// names, descriptors and code pointers get negative ids (gc's reflectOffs). The table keeps
// the objects alive. Ids start at -2: -1 means "unreachable" in descriptors.

var reflectOffs struct {
	lock uint32 // a semaphore used as a mutex
	m    map[int32]unsafe.Pointer
	minv map[unsafe.Pointer]int32
	next int32
}

func init() { reflectOffs.lock = 1 }

//go:linkname reflect_addReflectOff reflect.addReflectOff
func reflect_addReflectOff(ptr unsafe.Pointer) int32 {
	semacquire1(&reflectOffs.lock, false)
	if reflectOffs.m == nil {
		reflectOffs.m = make(map[int32]unsafe.Pointer)
		reflectOffs.minv = make(map[unsafe.Pointer]int32)
		reflectOffs.next = -2
	}
	id, found := reflectOffs.minv[ptr]
	if !found {
		id = reflectOffs.next
		reflectOffs.next--
		reflectOffs.m[id] = ptr
		reflectOffs.minv[ptr] = id
	}
	semrelease1(&reflectOffs.lock, false)
	return id
}

// reflectOff returns the object registered under id by addReflectOff, or nil.
func reflectOff(id int32) unsafe.Pointer {
	semacquire1(&reflectOffs.lock, false)
	p := reflectOffs.m[id]
	semrelease1(&reflectOffs.lock, false)
	return p
}

// The compiler's offsets (decision 21), resolved by the Rust runtime.
func resolveNameOff(off int32) unsafe.Pointer
func resolveTypeOff(off int32) unsafe.Pointer
func resolveTextOff(off int32) unsafe.Pointer

//go:linkname reflect_resolveNameOff reflect.resolveNameOff
func reflect_resolveNameOff(ptrInModule unsafe.Pointer, off int32) unsafe.Pointer {
	if off < -1 {
		return reflectOff(off)
	}
	return resolveNameOff(off)
}

//go:linkname reflect_resolveTypeOff reflect.resolveTypeOff
func reflect_resolveTypeOff(rtype unsafe.Pointer, off int32) unsafe.Pointer {
	if off < -1 {
		return reflectOff(off)
	}
	return resolveTypeOff(off)
}

//go:linkname reflect_resolveTextOff reflect.resolveTextOff
func reflect_resolveTextOff(rtype unsafe.Pointer, off int32) unsafe.Pointer {
	if off < -1 {
		return reflectOff(off)
	}
	return resolveTextOff(off)
}

// typesBase is the start of the descriptor blob goclift.types, or nil.
func typesBase() unsafe.Pointer

// reflect_typelinks lists the program's descriptors, sorted by type string, for reflect's
// lookups (PtrTo, SliceOf, MapOf, ... find the program's own descriptors): one section, the
// blob, whose first word holds the table's offset and length (codegen/typedesc.rs).
//
//go:linkname reflect_typelinks reflect.typelinks
func reflect_typelinks() ([]unsafe.Pointer, [][]int32) {
	base := typesBase()
	if base == nil {
		return nil, nil
	}
	hdr := (*[2]uint32)(base)
	if hdr[1] == 0 {
		return nil, nil
	}
	offs := unsafe.Slice((*int32)(unsafe.Add(base, hdr[0])), hdr[1])
	return []unsafe.Pointer{base}, [][]int32{offs}
}

// Calls through reflect: reflect lays out arguments for gc's register ABI (abi.RegArgs plus a
// stack frame); goclift's functions take the target's C convention with the closure context
// last (decision 31). goclift's additions to package reflect (go/reflect/goclift_call.go)
// bridge the two: they provide runtime.reflectcall, and the Rust runtime's stubs
// reflect.makeFuncStub and reflect.methodValueCall (runtime/src/reflectcall.rs) hand calls of
// the functions reflect makes to them.

// abi_FuncPCABI0 is internal/abi.FuncPCABI0 (an intrinsic in gc): the code address of the
// function value f, the first word of the closure object its data word points at.
//
//go:linkname abi_FuncPCABI0 internal/abi.FuncPCABI0
func abi_FuncPCABI0(f any) uintptr {
	ep := (*[2]unsafe.Pointer)(unsafe.Pointer(&f))
	return *(*uintptr)(ep[1])
}

//go:linkname abi_FuncPCABIInternal internal/abi.FuncPCABIInternal
func abi_FuncPCABIInternal(f any) uintptr { return abi_FuncPCABI0(f) }

//go:linkname reflectlite_ifaceE2I internal/reflectlite.ifaceE2I
func reflectlite_ifaceE2I(inter unsafe.Pointer, e any, dst *[2]unsafe.Pointer) {
	reflect_ifaceE2I(inter, e, dst)
}
