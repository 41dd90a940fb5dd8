/* The scheduler's C ABI end to end: goroutines, channels, select, timers, semaphores,
 * GOMAXPROCS, LockOSThread, and stack growth from a function with the compiler's stack check,
 * all called the way compiled Go code calls them. The program declares goclift.stackcheck, so
 * goroutines start on small (8 KiB) stacks and grow. Prints one line per passed check; exits 3
 * with a message on the first failure. */
#include "runtime_abi.h"

/* This program's functions (the assembly below) check the stack: goroutines start small. */
const unsigned char goclift_stackcheck __asm__("goclift.stackcheck") = 1;

static void str(const char *s) {
	const char *e = s;
	while (*e) e++;
	printlock();
	printstring(s, e - s);
	printunlock();
}

static void fail(const char *what, int64_t v) {
	say_int(what, v);
	runtime_exit(3);
}

/* ---- ping-pong ---- */

struct pingpong { struct hchan *ping, *pong; };

static void ponger(void *arg) {
	struct pingpong *pp = arg;
	int64_t v;
	while (go_chanrecv2(pp->ping, &v)) {
		v *= 3;
		go_chansend1(pp->pong, &v);
	}
}

static void test_pingpong(void) {
	struct pingpong pp = {go_makechan(8, 0), go_makechan(8, 0)};
	go_newproc(ponger, &pp);
	for (int64_t i = 0; i < 100000; i++) {
		int64_t v = i, r = 0;
		go_chansend1(pp.ping, &v);
		go_chanrecv1(pp.pong, &r);
		if (r != 3 * i) fail("pingpong got ", r);
	}
	go_closechan(pp.ping);
	str("pingpong ok\n");
}

/* ---- a ring of goroutines ---- */

#define RING 500
static struct hchan *ring[RING + 1];

static void ring_node(void *arg) {
	intptr_t i = (intptr_t)arg;
	int64_t v;
	while (go_chanrecv2(ring[i], &v)) {
		v++;
		go_chansend1(ring[i + 1], &v);
	}
	go_closechan(ring[i + 1]);
}

static void test_ring(void) {
	for (int i = 0; i <= RING; i++) ring[i] = go_makechan(8, 0);
	for (intptr_t i = 0; i < RING; i++) go_newproc(ring_node, (void *)i);
	int64_t v = 0;
	for (int lap = 0; lap < 20; lap++) {
		go_chansend1(ring[0], &v);
		go_chanrecv1(ring[RING], &v);
	}
	if (v != 20 * RING) fail("ring token ", v);
	go_closechan(ring[0]);
	if (go_chanrecv2(ring[RING], &v)) fail("ring not closed", v);
	str("ring ok\n");
}

/* ---- spawn storm ---- */

static uint32_t storm_sema;
static int64_t storm_sum;

static void storm_child(void *arg) {
	__atomic_fetch_add(&storm_sum, (int64_t)(intptr_t)arg, __ATOMIC_SEQ_CST);
	go_semrelease1(&storm_sema, 0);
}

static void test_storm(void) {
	const int64_t n = 100000;
	for (intptr_t i = 0; i < n; i++) go_newproc(storm_child, (void *)i);
	for (int64_t i = 0; i < n; i++) go_semacquire1(&storm_sema, 0);
	if (storm_sum != n * (n - 1) / 2) fail("storm sum ", storm_sum);
	str("storm ok\n");
}

/* ---- select ---- */

struct sender { struct hchan *c; int64_t v; };

static void delayed_send(void *arg) {
	struct sender *s = arg;
	go_timesleep(2000000);
	go_chansend1(s->c, &s->v);
}

static void test_select(void) {
	struct hchan *a = go_makechan(8, 1), *b = go_makechan(8, 1);
	int64_t one = 1, va = 0, vb = 0;
	int counts[2] = {0, 0};
	uint16_t order[4];
	for (int i = 0; i < 10000; i++) {
		if (go_chanlen(a) == 0) go_chansend1(a, &one);
		if (go_chanlen(b) == 0) go_chansend1(b, &one);
		struct scase cases[2] = {{a, &va}, {b, &vb}};
		struct pair r = go_selectgo(cases, order, 0, 2, 1);
		if (r.r0 < 0 || r.r0 > 1 || r.r1 != 1) fail("select case ", r.r0);
		counts[r.r0]++;
	}
	if (counts[0] < 4500 || counts[1] < 4500) fail("select unfair: case 0 chosen ", counts[0]);
	/* Default case when nothing is ready. */
	struct hchan *c = go_makechan(8, 0);
	struct scase none[1] = {{c, &va}};
	if (go_selectgo(none, order, 0, 1, 0).r0 != -1) fail("select default", 0);
	/* A blocked select woken by a sender. */
	struct sender s = {c, 77};
	go_newproc(delayed_send, &s);
	struct scase wait[2] = {{0, &vb}, {c, &va}};
	struct pair r = go_selectgo(wait, order, 0, 2, 1);
	if (r.r0 != 1 || !r.r1 || va != 77) fail("select wakeup ", va);
	/* Non-blocking operations. */
	if (go_selectnbsend(c, &one)) fail("selectnbsend on unbuffered", 0);
	r = go_selectnbrecv(&va, c);
	if (r.r0 || r.r1) fail("selectnbrecv on empty", 0);
	go_closechan(c);
	r = go_selectnbrecv(&va, c);
	if (!r.r0 || r.r1 || va != 0) fail("selectnbrecv on closed", va);
	str("select ok\n");
}

/* ---- timers, counts, locking ---- */

static void test_sleep_and_counts(void) {
	int64_t t0 = go_nanotime();
	go_timesleep(10000000);
	int64_t dt = go_nanotime() - t0;
	if (dt < 10000000 || dt > 500000000) fail("sleep took ", dt);
	if (go_numcpu() < 1) fail("NumCPU ", go_numcpu());
	intptr_t procs = go_gomaxprocs(0);
	if (procs < 1) fail("GOMAXPROCS ", procs);
	if (go_gomaxprocs(1) != procs || go_gomaxprocs(0) != 1) fail("GOMAXPROCS(1)", 0);
	go_gomaxprocs(procs);
	static struct pingpong blocked;
	struct hchan *c = go_makechan(8, 0);
	blocked.ping = blocked.pong = c;
	intptr_t base = go_numgoroutine();
	for (int i = 0; i < 10; i++) go_newproc(ponger, &blocked);
	for (int i = 0; i < 1000 && go_numgoroutine() != base + 10; i++) go_gosched();
	if (go_numgoroutine() != base + 10) fail("NumGoroutine ", go_numgoroutine());
	go_closechan(c);
	for (int i = 0; i < 100000 && go_numgoroutine() != base; i++) go_gosched();
	if (go_numgoroutine() != base) fail("NumGoroutine after close ", go_numgoroutine());
	go_lockosthread();
	struct g *me = getg();
	void *m = me->m;
	for (int i = 0; i < 20; i++) {
		go_gosched();
		if (getg()->m != m) fail("locked goroutine moved", i);
	}
	go_unlockosthread();
	str("time and counts ok\n");
}

/* ---- stack growth from a function with the compiler's stack check ---- */

/* rec(n, base) = n == 0 ? base : rec(n-1, base+1) + 1, with a stack check and a 100-byte
 * frame (see runtime/README.md "Stack checks"). */
int64_t test_rec(int64_t n, int64_t base) __asm__("test_rec");
#if defined(__x86_64__)
__asm__(
	".globl test_rec\n"
	"test_rec:\n"
	"push %rbp\n"
	"mov %rsp, %rbp\n"
	"sub $96, %rsp\n"
	"mov 16(%r15), %rax\n"
	"cmp %rax, %rsp\n"
	"jbe 8f\n"
	"movq $0, 88(%rsp)\n"
	"test %rdi, %rdi\n"
	"jz 2f\n"
	"dec %rdi\n"
	"inc %rsi\n"
	"call test_rec\n"
	"inc %rax\n"
	"jmp 3f\n"
	"2:\n"
	"mov %rsi, %rax\n"
	"3:\n"
	"mov %rbp, %rsp\n"
	"pop %rbp\n"
	"ret\n"
	"8:\n"
	"lea test_rec(%rip), %rax\n"
	"mov %rax, 48(%r15)\n"
	"movq $0, 56(%r15)\n"
	"movq $0, 64(%r15)\n"
	"call runtime.morestack\n"
	"jmp 3b\n");
#elif defined(__aarch64__)
__asm__(
	".globl test_rec\n"
	"test_rec:\n"
	"stp x29, x30, [sp, #-16]!\n"
	"mov x29, sp\n"
	"sub sp, sp, #96\n"
	"ldr x9, [x21, #16]\n"
	"mov x10, sp\n"
	"cmp x10, x9\n"
	"b.ls 8f\n"
	"str xzr, [sp, #88]\n"
	"cbz x0, 2f\n"
	"sub x0, x0, #1\n"
	"add x1, x1, #1\n"
	"bl test_rec\n"
	"add x0, x0, #1\n"
	"b 3f\n"
	"2:\n"
	"mov x0, x1\n"
	"3:\n"
	"mov sp, x29\n"
	"ldp x29, x30, [sp], #16\n"
	"ret\n"
	"8:\n"
	"adrp x9, test_rec\n"
	"add x9, x9, :lo12:test_rec\n"
	"str x9, [x21, #48]\n"
	"str xzr, [x21, #56]\n"
	"str xzr, [x21, #64]\n"
	"bl runtime.morestack\n"
	"b 3b\n");
#endif

static struct hchan *rec_done;

static void deep(void *arg) {
	int64_t n = (intptr_t)arg;
	int64_t r = test_rec(n, 5);
	go_chansend1(rec_done, &r);
}

static void test_growth(void) {
	rec_done = go_makechan(8, 4);
	struct g *me = getg();
	if (me->stack_hi - me->stack_lo != 8192) fail("main goroutine stack size ", me->stack_hi - me->stack_lo);
	int64_t r = test_rec(200000, 5);
	if (r != 400005) fail("rec on main ", r);
	if (getg()->stack_hi - getg()->stack_lo != 8192) fail("main stack not shrunk back", 0);
	for (intptr_t i = 0; i < 4; i++) go_newproc(deep, (void *)(10000 * (i + 1)));
	int64_t sum = 0;
	for (int i = 0; i < 4; i++) {
		go_chanrecv1(rec_done, &r);
		sum += r;
	}
	if (sum != 2 * 100000 + 4 * 5) fail("rec on goroutines ", sum);
	str("growth ok\n");
}

void goclift_main(void) {
	test_pingpong();
	test_ring();
	test_storm();
	test_select();
	test_sleep_and_counts();
	test_growth();
}
