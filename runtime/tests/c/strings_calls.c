/* Strings and slices through the exported entry points, called the way compiled Go code calls
 * them (including the stubs of the many-argument functions, and those stubs growing the stack
 * through runtime.morestack). The program declares goclift.stackcheck, so the main goroutine
 * starts on a small stack. Prints one line per passed check; exits 3 with a message on the
 * first failure. */
#include "runtime_abi.h"

const unsigned char goclift_stackcheck __asm__("goclift.stackcheck") = 1;

static const struct gotype byte_type = {1, 0, 0, 0, 1, 1, 8, 0, 0, 0, 0};
static const struct gotype int_type = {8, 0, 0, 0, 8, 8, 2, 0, 0, 0, 0};
static const struct gotype ptr_type = {8, 8, 0, 0, 8, 8, 22, 0, 0, 0, 0};
static const struct gotype three_ints = {24, 0, 0, 0, 8, 8, 17, 0, 0, 0, 0};

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

static intptr_t len(const char *s) {
	const char *e = s;
	while (*e) e++;
	return e - s;
}

static int eq(struct gostring s, const char *want) {
	intptr_t n = len(want);
	if (s.n != n) return 0;
	for (intptr_t i = 0; i < n; i++)
		if (s.p[i] != want[i]) return 0;
	return 1;
}

static void check(struct gostring s, const char *want, const char *what) {
	if (!eq(s, want)) {
		printlock();
		printstring(what, len(what));
		printstring(": got ", 6);
		printstring(s.p, s.n);
		printnl();
		printunlock();
		runtime_exit(3);
	}
}

#define S(x) x, (intptr_t)(sizeof(x) - 1)

static void test_strings(void) {
	check(go_concatstring2(S("ab"), S("cd")), "abcd", "concat2");
	check(go_concatstring3(S("a"), S(""), S("ccc")), "accc", "concat3");
	check(go_concatstring4(S("1"), S("22"), S("333"), S("4444")), "1223334444", "concat4");
	check(go_concatstring5(S("a"), S("b"), S("c"), S("d"), S("eeeee")), "abcdeeeee", "concat5");
	struct gostring parts[3] = {{S("x")}, {S("yy")}, {S("zzz")}};
	check(go_concatstrings(parts, 3), "xyyzzz", "concatstrings");
	static const char only[] = "only";
	struct gostring one = go_concatstring3(S(""), only, 4, S(""));
	if (one.p != only) fail("a single operand is returned as is ", 0);
	if (go_cmpstring(S("abc"), S("abd")) != -1 || go_cmpstring(S("b"), S("abc")) != 1 ||
	    go_cmpstring(S("ab"), S("ab")) != 0 || go_cmpstring(S("ab"), S("abc")) != -1)
		fail("cmpstring ", 0);
	if (!go_memequal("hello", "hello", 5) || go_memequal("hello", "hellO", 5)) fail("memequal ", 0);
	check(go_intstring(0x4e16), "\xe4\xb8\x96", "intstring");
	check(go_intstring(-1), "\xef\xbf\xbd", "intstring(-1)");
	check(go_intstring((1ll << 32) + 'a'), "\xef\xbf\xbd", "intstring(1<<32+'a')");
	check(go_slicebytetostring(S("bytes")), "bytes", "slicebytetostring");
	struct goslice b;
	go_stringtoslicebyte(&b, S("hello"));
	if (b.len != 5 || b.cap != 8 || ((char *)b.p)[4] != 'o' || ((char *)b.p)[5] != 0)
		fail("stringtoslicebyte cap ", b.cap);
	struct goslice r;
	go_stringtoslicerune(&r, S("a\xe4\xb8\x96\xff"));
	int32_t *runes = r.p;
	if (r.len != 3 || r.cap != 4 || runes[0] != 'a' || runes[1] != 0x4e16 || runes[2] != 0xfffd)
		fail("stringtoslicerune ", r.len);
	check(go_slicerunetostring(runes, 3), "a\xe4\xb8\x96\xef\xbf\xbd", "slicerunetostring");
	struct runepos rp = go_decoderune(S("a\xe4\xb8\x96"), 1);
	if (rp.r != 0x4e16 || rp.pos != 4) fail("decoderune ", rp.r);
	rp = go_decoderune(S("\xe4\xb8"), 0);
	if (rp.r != 0xfffd || rp.pos != 1) fail("decoderune of a truncated rune ", rp.pos);
	if (go_countrunes(S("a\xe4\xb8\x96\xff")) != 3) fail("countrunes ", 0);
	str("strings ok\n");
}

/* Appends one element at a time from nil and checks the capacities against gc's. */
static void append_one_by_one(const struct gotype *t, int n, const intptr_t *want, int nwant) {
	struct goslice s = {0, 0, 0};
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (s.len + 1 > s.cap) {
			struct goslice out;
			go_growslice(&out, t, s.p, s.len, s.cap, s.len + 1);
			if (out.len != s.len) fail("growslice changed len ", out.len);
			for (intptr_t j = 0; j < s.len * (intptr_t)t->size; j++)
				if (((char *)out.p)[j] != ((char *)s.p)[j]) fail("growslice lost element byte ", j);
			s = out;
			if (k >= nwant || s.cap != want[k]) fail("growslice cap ", s.cap);
			k++;
		}
		/* Store the element (its index) in its first byte. */
		((char *)s.p)[s.len * t->size] = (char)i;
		s.len++;
	}
	if (k != nwant) fail("growslice steps ", k);
}

static void test_slices(void) {
	/* gc 1.19's capacities (see slice_test.rs). */
	static const intptr_t caps1[] = {8, 16, 32, 64, 128, 256, 512, 896, 1408, 2048, 3072, 4096, 5376};
	static const intptr_t caps8[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 848, 1280, 1792, 2560};
	static const intptr_t caps24[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 853, 1365, 2048, 3072};
	append_one_by_one(&byte_type, 5000, caps1, 13);
	append_one_by_one(&ptr_type, 2000, caps8, 14);
	append_one_by_one(&three_ints, 3000, caps24, 14);

	int64_t *m = go_makeslice(&int_type, 3, 10);
	for (int i = 0; i < 10; i++)
		if (m[i]) fail("makeslice not zeroed at ", i);
	int64_t *m64 = go_makeslice64(&int_type, 1, 2);
	if (!m64 || m64[1]) fail("makeslice64 ", 0);
	int64_t src[4] = {1, 2, 3, 4};
	int64_t *mc = go_makeslicecopy(&int_type, 6, 4, src);
	if (mc[0] != 1 || mc[3] != 4 || mc[4] || mc[5]) fail("makeslicecopy ", 0);
	char buf[8] = "abcdefg";
	if (go_slicecopy(buf + 1, 7, buf, 6, 1) != 6 || buf[1] != 'a' || buf[6] != 'f')
		fail("slicecopy overlap ", 0);
	void *ptrs[3] = {0, 0, 0};
	void *from[2] = {buf, src};
	if (go_typedslicecopy(&ptr_type, ptrs, 3, from, 2) != 2 || ptrs[1] != src || ptrs[2])
		fail("typedslicecopy ", 0);
	go_unsafeslice(&int_type, src, 4);
	str("slices ok\n");
}

/* Calls the many-argument entries with less stack left than they reserve, so that their stubs
 * enter runtime.morestack, which must carry the stack arguments over to the new segment. */
__attribute__((noinline)) static void call_near_the_guard(void) {
	check(go_concatstring5(S("m"), S("o"), S("r"), S("e"), S("stack")), "morestack", "concat5 grown");
	check(go_concatstring4(S("a"), S("b"), S("c"), S("d")), "abcd", "concat4 grown");
	struct goslice out;
	int64_t old[2] = {7, 8};
	go_growslice(&out, &int_type, old, 2, 2, 3);
	if (out.cap != 4 || ((int64_t *)out.p)[1] != 8) fail("growslice grown ", out.cap);
}

static void test_stubs_grow_the_stack(void) {
	struct g *me = getg();
	uintptr_t sp = getsp();
	/* Leave about 1 KiB above stackguard0: less than the 4 KiB runtime entries reserve. */
	intptr_t use = (intptr_t)(sp - me->stackguard0) - 1024;
	if (use > 0) {
		volatile char *pad = __builtin_alloca(use);
		pad[0] = 0;
		uintptr_t lo = me->stack_lo;
		call_near_the_guard();
		if (getg()->stack_lo != lo) fail("stack not restored after growth ", 0);
		pad[use - 1] = 1;
	} else {
		call_near_the_guard();
	}
	str("stub growth ok\n");
}

void goclift_main(void) {
	test_strings();
	test_slices();
	test_stubs_grow_the_stack();
}
