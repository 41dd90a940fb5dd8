/* The runtime ABI as compiled Go code sees it, declared for C tests of the staticlib. */
#include <stdint.h>

void printlock(void) __asm__("runtime.printlock");
void printunlock(void) __asm__("runtime.printunlock");
void printstring(const char *p, intptr_t len) __asm__("runtime.printstring");
void printint(int64_t v) __asm__("runtime.printint");
void printuint(uint64_t v) __asm__("runtime.printuint");
void printhex(uint64_t v) __asm__("runtime.printhex");
void printbool(uint8_t v) __asm__("runtime.printbool");
void printfloat(double v) __asm__("runtime.printfloat");
void printcomplex(double re, double im) __asm__("runtime.printcomplex");
void printpointer(const void *p) __asm__("runtime.printpointer");
void printslice(const void *p, intptr_t len, intptr_t cap) __asm__("runtime.printslice");
void printsp(void) __asm__("runtime.printsp");
void printnl(void) __asm__("runtime.printnl");
void runtime_exit(int32_t code) __asm__("runtime.exit");

/* gc 1.19's runtime._type header (type.rs). */
struct gotype {
	uintptr_t size, ptrdata;
	uint32_t hash;
	uint8_t tflag, align, field_align, kind;
	void *equal;
	const uint8_t *gcdata;
	int32_t str, ptr_to_this;
};

/* The allocator (malloc.rs). Booleans are read from their low byte. */
void *mallocgc(uintptr_t size, const struct gotype *typ, _Bool needzero) __asm__("runtime.mallocgc");
void *newobject(const struct gotype *typ) __asm__("runtime.newobject");
void *mallocgc_untyped(uintptr_t size, _Bool noscan, _Bool needzero) __asm__("goclift.mallocgc_untyped");
extern uintptr_t runtime_zerobase __asm__("runtime.zerobase");

/* gc's leading layout of runtime.g, then goclift's goid, m and the morestack fields that a
 * failing stack check fills in (runtime2.rs). */
struct g {
	uintptr_t stack_lo, stack_hi, stackguard0, stackguard1;
	int64_t goid;
	void *m;
	void *morestack_fn;
	uintptr_t morestack_argsize, morestack_framesize;
};

/* Bytes between a goroutine's stack.lo and stackguard0 (stack.rs STACK_GUARD). */
#define GOCLIFT_STACK_GUARD 2048
extern struct g runtime_g0 __asm__("runtime.g0");

/* The program entry the compiler emits; the runtime's C main calls it with g in the g register. */
void goclift_main(void) __asm__("goclift.main");

/* The g register. The test is compiled with -ffixed-r15 / -ffixed-x21 so that gcc never
 * uses it, as Cranelift's pinned register is never allocated. */
static inline struct g *getg(void) {
	struct g *g;
#if defined(__x86_64__)
	__asm__ volatile("mov %%r15, %0" : "=r"(g));
#elif defined(__aarch64__)
	__asm__ volatile("mov %0, x21" : "=r"(g));
#else
#error "unsupported architecture"
#endif
	return g;
}

static inline uintptr_t getsp(void) {
	uintptr_t sp;
#if defined(__x86_64__)
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#else
	__asm__ volatile("mov %0, sp" : "=r"(sp));
#endif
	return sp;
}
