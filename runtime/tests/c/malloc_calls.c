/* runtime.mallocgc, runtime.newobject and goclift.mallocgc_untyped called the way compiled Go
 * code calls them: from goclift.main, with g0 in the g register. Prints what a test can
 * compare; any failed check prints "FAIL ..." and exits 1. */
#include "runtime_abi.h"

static void say(const char *s) {
	intptr_t n = 0;
	while (s[n])
		n++;
	printstring(s, n);
}

static void fail(const char *what, uintptr_t v) {
	printlock();
	say("FAIL ");
	say(what);
	printsp();
	printhex(v);
	printnl();
	printunlock();
	runtime_exit(1);
}

static void check_zero_and_fill(unsigned char *p, uintptr_t n, unsigned char tag) {
	for (uintptr_t i = 0; i < n; i++)
		if (p[i] != 0)
			fail("not zeroed", (uintptr_t)p + i);
	for (uintptr_t i = 0; i < n; i++)
		p[i] = tag;
}

static void check_tag(unsigned char *p, uintptr_t n, unsigned char tag) {
	for (uintptr_t i = 0; i < n; i++)
		if (p[i] != tag)
			fail("overwritten", (uintptr_t)p + i);
}

/* gc's guarantees: objects of 16 bytes or more are 16-aligned; tiny ones by their size. */
static int misaligned(void *p, uintptr_t size) {
	uintptr_t a = (uintptr_t)p;
	if (size >= 16)
		return a % 16 != 0;
	if (size % 8 == 0)
		return a % 8 != 0;
	if (size % 4 == 0)
		return a % 4 != 0;
	if (size % 2 == 0)
		return a % 2 != 0;
	return 0;
}

#define NOBJ 3000
static unsigned char *objs[NOBJ];
static uintptr_t sizes[NOBJ];

void goclift_main(void) {
	/* The first object starts the first heap arena, at gc's first hint. */
	uintptr_t first = (uintptr_t)mallocgc(64, 0, 1);
	printlock();
	say("first object ");
	printhex(first);
	printnl();
	printunlock();

	/* Every size up to 40000 in steps of 13, scan and noscan, zeroed and disjoint. */
	int n = 0;
	for (uintptr_t size = 1; size <= 40000 && n < NOBJ; size += 13, n++) {
		sizes[n] = size;
		objs[n] = (n & 1) ? mallocgc(size, 0, 1) : mallocgc_untyped(size, 0, 1);
		if (misaligned(objs[n], size))
			fail("misaligned", (uintptr_t)objs[n]);
		check_zero_and_fill(objs[n], size, (unsigned char)(n | 1));
	}
	for (int i = 0; i < n; i++)
		check_tag(objs[i], sizes[i], (unsigned char)(i | 1));
	say("sizes ok\n");

	/* 100000 16-byte objects: all distinct and 16-byte aligned. */
	uintptr_t prev = 0;
	for (int i = 0; i < 100000; i++) {
		uintptr_t p = (uintptr_t)mallocgc(16, 0, 1);
		if (p == prev || p % 16 != 0)
			fail("16-byte object", p);
		*(uintptr_t *)p = prev;
		prev = p;
	}
	say("small ok\n");

	/* A large object gets zeroed pages of its own. */
	unsigned char *big = mallocgc(5 << 20, 0, 1);
	if ((uintptr_t)big % 8192 != 0)
		fail("large object alignment", (uintptr_t)big);
	check_zero_and_fill(big, 5 << 20, 7);
	say("large ok\n");

	/* newobject reads the size from the type descriptor. */
	static const struct gotype t = {.size = 40, .ptrdata = 8, .align = 8, .field_align = 8, .kind = 25};
	uintptr_t *o = newobject(&t);
	for (int i = 0; i < 5; i++)
		if (o[i] != 0)
			fail("newobject not zeroed", (uintptr_t)o);
	say("newobject ok\n");

	if (mallocgc(0, 0, 1) != (void *)&runtime_zerobase)
		fail("zero-size object", 0);
	say("zerobase ok\n");

	if (runtime_g0.stack_lo == 0 || getg() == &runtime_g0 || getg()->goid != 1)
		fail("g register", (uintptr_t)getg());
}
