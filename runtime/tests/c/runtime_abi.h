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

/* The scheduler (proc.rs). A goroutine runs fn(arg); the runtime also passes g as a second
 * argument, which compiled code ignores. */
typedef void (*gofn)(void *arg);
void go_newproc(gofn fn, void *arg) __asm__("runtime.newproc");
void go_gosched(void) __asm__("runtime.Gosched");
void go_goexit(void) __asm__("runtime.Goexit");
intptr_t go_numgoroutine(void) __asm__("runtime.NumGoroutine");
intptr_t go_gomaxprocs(intptr_t n) __asm__("runtime.GOMAXPROCS");
intptr_t go_numcpu(void) __asm__("runtime.NumCPU");
void go_lockosthread(void) __asm__("runtime.LockOSThread");
void go_unlockosthread(void) __asm__("runtime.UnlockOSThread");
void go_entersyscall(void) __asm__("runtime.entersyscall");
void go_exitsyscall(void) __asm__("runtime.exitsyscall");
intptr_t go_setmaxstack(intptr_t n) __asm__("runtime.setMaxStack");

/* Channels and select (chan.rs, select.rs). Two results come back in two registers. */
struct hchan;
struct pair { intptr_t r0, r1; };
struct scase { struct hchan *c; void *elem; };
struct hchan *go_makechan(uintptr_t elemsize, intptr_t size) __asm__("runtime.makechan");
void go_chansend1(struct hchan *c, const void *elem) __asm__("runtime.chansend1");
void go_chanrecv1(struct hchan *c, void *elem) __asm__("runtime.chanrecv1");
_Bool go_chanrecv2(struct hchan *c, void *elem) __asm__("runtime.chanrecv2");
void go_closechan(struct hchan *c) __asm__("runtime.closechan");
intptr_t go_chanlen(struct hchan *c) __asm__("runtime.chanlen");
intptr_t go_chancap(struct hchan *c) __asm__("runtime.chancap");
void go_block(void) __asm__("runtime.block");
struct pair go_selectgo(struct scase *cas0, uint16_t *order0, intptr_t nsends, intptr_t nrecvs,
			_Bool block) __asm__("runtime.selectgo");
_Bool go_selectnbsend(struct hchan *c, const void *elem) __asm__("runtime.selectnbsend");
struct pair go_selectnbrecv(void *elem, struct hchan *c) __asm__("runtime.selectnbrecv");

/* Time and semaphores (time.rs, sema.rs). */
void go_timesleep(int64_t ns) __asm__("runtime.timeSleep");
int64_t go_nanotime(void) __asm__("runtime.nanotime");
void go_semacquire1(uint32_t *addr, _Bool lifo) __asm__("runtime.semacquire1");
void go_semrelease1(uint32_t *addr, _Bool handoff) __asm__("runtime.semrelease1");

/* Strings (string.rs, utf8.rs). A string is two arguments; string results come back in two
 * registers, slices through an out-pointer passed first. */
struct gostring { const char *p; intptr_t n; };
struct goslice { void *p; intptr_t len, cap; };
struct runepos { int32_t r; intptr_t pos; };
struct gostring go_concatstring2(const char *a, intptr_t an, const char *b, intptr_t bn)
	__asm__("runtime.concatstring2");
struct gostring go_concatstring3(const char *a, intptr_t an, const char *b, intptr_t bn,
				 const char *c, intptr_t cn) __asm__("runtime.concatstring3");
struct gostring go_concatstring4(const char *a, intptr_t an, const char *b, intptr_t bn,
				 const char *c, intptr_t cn, const char *d, intptr_t dn)
	__asm__("runtime.concatstring4");
struct gostring go_concatstring5(const char *a, intptr_t an, const char *b, intptr_t bn,
				 const char *c, intptr_t cn, const char *d, intptr_t dn,
				 const char *e, intptr_t en) __asm__("runtime.concatstring5");
struct gostring go_concatstrings(const struct gostring *a, intptr_t n) __asm__("runtime.concatstrings");
intptr_t go_cmpstring(const char *a, intptr_t an, const char *b, intptr_t bn) __asm__("runtime.cmpstring");
_Bool go_memequal(const void *p, const void *q, uintptr_t size) __asm__("runtime.memequal");
struct gostring go_intstring(int64_t v) __asm__("runtime.intstring");
struct gostring go_slicebytetostring(const void *p, intptr_t n) __asm__("runtime.slicebytetostring");
void go_stringtoslicebyte(struct goslice *out, const char *p, intptr_t n) __asm__("runtime.stringtoslicebyte");
struct gostring go_slicerunetostring(const int32_t *p, intptr_t n) __asm__("runtime.slicerunetostring");
void go_stringtoslicerune(struct goslice *out, const char *p, intptr_t n) __asm__("runtime.stringtoslicerune");
struct runepos go_decoderune(const char *p, intptr_t n, intptr_t k) __asm__("runtime.decoderune");
intptr_t go_countrunes(const char *p, intptr_t n) __asm__("runtime.countrunes");

/* Slices (slice.rs). */
void *go_makeslice(const struct gotype *et, intptr_t len, intptr_t cap) __asm__("runtime.makeslice");
void *go_makeslice64(const struct gotype *et, int64_t len, int64_t cap) __asm__("runtime.makeslice64");
void *go_makeslicecopy(const struct gotype *et, intptr_t tolen, intptr_t fromlen, const void *from)
	__asm__("runtime.makeslicecopy");
void go_growslice(struct goslice *out, const struct gotype *et, void *p, intptr_t len, intptr_t cap,
		  intptr_t needed) __asm__("runtime.growslice");
intptr_t go_slicecopy(void *to, intptr_t tolen, const void *from, intptr_t fromlen, uintptr_t width)
	__asm__("runtime.slicecopy");
intptr_t go_typedslicecopy(const struct gotype *t, void *dst, intptr_t dstlen, const void *src,
			   intptr_t srclen) __asm__("runtime.typedslicecopy");
void go_unsafeslice(const struct gotype *et, const void *p, intptr_t len) __asm__("runtime.unsafeslice");

/* Run-time panics (panic.rs, slice.rs): print gc's message and exit 2. */
#define GO_NORETURN __attribute__((noreturn))
GO_NORETURN void go_panicindex(intptr_t x, intptr_t y) __asm__("runtime.goPanicIndex");
GO_NORETURN void go_panicindexu(uintptr_t x, intptr_t y) __asm__("runtime.goPanicIndexU");
GO_NORETURN void go_panicslicealen(intptr_t x, intptr_t y) __asm__("runtime.goPanicSliceAlen");
GO_NORETURN void go_panicsliceacap(intptr_t x, intptr_t y) __asm__("runtime.goPanicSliceAcap");
GO_NORETURN void go_panicsliceacapu(uintptr_t x, intptr_t y) __asm__("runtime.goPanicSliceAcapU");
GO_NORETURN void go_panicsliceb(intptr_t x, intptr_t y) __asm__("runtime.goPanicSliceB");
GO_NORETURN void go_panicslice3acap(intptr_t x, intptr_t y) __asm__("runtime.goPanicSlice3Acap");
GO_NORETURN void go_panicslice3b(intptr_t x, intptr_t y) __asm__("runtime.goPanicSlice3B");
GO_NORETURN void go_panicslice3c(intptr_t x, intptr_t y) __asm__("runtime.goPanicSlice3C");
GO_NORETURN void go_panicsliceconvert(intptr_t x, intptr_t y) __asm__("runtime.goPanicSliceConvert");
GO_NORETURN void go_panicmakeslicelen(void) __asm__("runtime.panicmakeslicelen");
GO_NORETURN void go_panicmakeslicecap(void) __asm__("runtime.panicmakeslicecap");
GO_NORETURN void go_panicdivide(void) __asm__("runtime.panicdivide");
GO_NORETURN void go_panicshift(void) __asm__("runtime.panicshift");
GO_NORETURN void go_gopanicstring(const char *p, intptr_t n) __asm__("goclift.gopanicstring");

/* Prints a string and an integer from C test code. */
static inline void say_int(const char *s, int64_t v) {
	printlock();
	const char *e = s;
	while (*e) e++;
	printstring(s, e - s);
	printint(v);
	printnl();
	printunlock();
}
