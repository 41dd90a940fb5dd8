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
