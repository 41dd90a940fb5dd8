/* Calls the runtime's print functions the way compiled println statements will, mirroring
 * println_calls.go; also checks that goclift.main runs on the main goroutine (goroutine 1,
 * not g0) with its g in the g register. */
#include <math.h>
#include <string.h>
#include "runtime_abi.h"

static void str(const char *s) { printstring(s, (intptr_t)strlen(s)); }

static uint64_t next(uint64_t *x) {
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Exits 3 with a message unless g is the main goroutine with a sane stack around the current
 * sp: this program defines no goclift.stackcheck, so the main goroutine has the 8 MiB stack
 * of code without stack checks. */
static void check_g(void) {
	struct g *g = getg();
	uintptr_t sp = getsp();
	if (g == &runtime_g0 || g->goid != 1) {
		str("g register does not hold the main goroutine\n");
		runtime_exit(3);
	}
	if (!(g->stack_lo < sp && sp < g->stack_hi && g->stack_hi - g->stack_lo == 8 << 20)) {
		str("main goroutine stack bounds do not enclose sp\n");
		runtime_exit(3);
	}
	/* sysmon may have asked the goroutine to yield (it runs for more than 10 ms under qemu):
	 * then stackguard0 holds the preemption request instead of the guard. */
	uintptr_t stack_preempt = (uintptr_t)0xfffffffffffffade;
	if (g->stackguard0 != g->stack_lo + GOCLIFT_STACK_GUARD && g->stackguard0 != stack_preempt) {
		str("main goroutine stack guard is wrong\n");
		runtime_exit(3);
	}
}

static void floats(double *v, int n) {
	printlock();
	for (int i = 0; i < n; i++) {
		if (i > 0) printsp();
		printfloat(v[i]);
	}
	printnl();
	printunlock();
}

void goclift_main(void) {
	check_g();
	double f1[] = {0.0, -0.0, 1.5, 1e100, 1e-300, NAN, INFINITY, -INFINITY};
	floats(f1, 8);
	double f2[] = {1.7976931348623157e308, 5e-324, 9.9999999, 0.1, 123456789.0, -2.5e-10};
	floats(f2, 6);

	printlock();
	printint(0); printsp(); printint(-1); printsp(); printint(INT64_MAX); printsp();
	printint(INT64_MIN); printsp(); printuint(UINT64_MAX); printnl();
	printunlock();

	printlock();
	printcomplex(1, 2); printsp(); printcomplex(-0.5, INFINITY); printnl();
	printunlock();

	printlock();
	printbool(1); printsp(); printbool(0); printsp(); str("str"); printsp(); printstring("", 0);
	printnl();
	printunlock();

	printlock();
	printpointer(0); printsp(); printpointer((void *)0xdeadbeef); printnl();
	printunlock();

	printlock();
	printslice(0, 0, 0); printnl();
	printunlock();

	printlock();
	str("no newline"); printint(1); printint(2); str("\n");
	printunlock();

	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 2000; i++) {
		uint64_t bits = next(&x);
		double f;
		memcpy(&f, &bits, sizeof f);
		printlock();
		printfloat(f); printsp();
		printfloat(f * 1e-300); printsp();
		printfloat((double)(int64_t)bits / 1e9); printsp();
		printint((int64_t)bits); printsp();
		printuint(bits); printnl();
		printunlock();
	}
	check_g();
}
