/* Run-time panics and faults from compiled code: the runtime entry CASE names (the same case
 * names as panic_calls.go) is called the way compiled Go code calls it. Each case ends the
 * process with a panic or fatal error; tests/staticlib.rs compares the output with gc's. */
#include "runtime_abi.h"

static const struct gotype int_type = {8, 0, 0, 0, 8, 8, 2, 0, 0, 0, 0};

/* Loads from nil+8 at the global label nil_fault_pc, where the fault must be reported. */
extern const char nil_fault_pc[] __asm__("nil_fault_pc");
__attribute__((noinline)) static int64_t load_nil_plus_8(void) {
	int64_t v;
#if defined(__x86_64__)
	__asm__ volatile("xor %%eax, %%eax\n.globl nil_fault_pc\nnil_fault_pc:\n\tmov 8(%%rax), %0"
			 : "=r"(v) : : "rax", "memory");
#else
	__asm__ volatile("mov x9, xzr\n.globl nil_fault_pc\nnil_fault_pc:\n\tldr %0, [x9, #8]"
			 : "=r"(v) : : "x9", "memory");
#endif
	return v;
}

static int streq(const char *a, const char *b) {
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}

/* getenv without libc calls that might touch the g register: environ is set by crt1. */
extern char **environ;
static const char *getcase(void) {
	for (char **e = environ; *e; e++) {
		const char *s = *e;
		if (s[0] == 'C' && s[1] == 'A' && s[2] == 'S' && s[3] == 'E' && s[4] == '=') return s + 5;
	}
	return "";
}

static void say_hex(const char *s, const void *p) {
	const char *e = s;
	while (*e) e++;
	printlock();
	printstring(s, e - s);
	printhex((uintptr_t)p);
	printnl();
	printunlock();
}

static struct hchan *never;

static void fault_on_goroutine(void *arg) {
	(void)arg;
	load_nil_plus_8();
}

/* kill(getpid(), SIGSEGV) with raw system calls: a SIGSEGV with si_code SI_USER. */
static void kill_self_with_sigsegv(void) {
#if defined(__x86_64__)
	__asm__ volatile("mov $39, %%eax\n\tsyscall\n\tmov %%rax, %%rdi\n\tmov $11, %%esi\n\t"
			 "mov $62, %%eax\n\tsyscall"
			 : : : "rax", "rdi", "rsi", "rcx", "r11", "memory");
#else
	__asm__ volatile("mov x8, #172\n\tsvc #0\n\tmov x1, #11\n\tmov x8, #129\n\tsvc #0"
			 : : : "x0", "x1", "x8", "memory");
#endif
}

void goclift_main(void) {
	const char *c = getcase();
	int64_t ints[3] = {1, 2, 3};
	if (streq(c, "index")) go_panicindex(5, 3);
	if (streq(c, "index_neg")) go_panicindex(-1, 3);
	if (streq(c, "index_u")) go_panicindexu((1ull << 63) + 5, 3);
	if (streq(c, "slice_alen")) go_panicslicealen(5, 3);
	if (streq(c, "slice_acap")) go_panicsliceacap(5, 3);
	if (streq(c, "slice_acap_u")) go_panicsliceacapu(~0ull, 3);
	if (streq(c, "slice_b")) go_panicsliceb(2, 1);
	if (streq(c, "slice_b_neg")) go_panicsliceb(-1, 3);
	if (streq(c, "slice3_acap")) go_panicslice3acap(5, 3);
	if (streq(c, "slice3_b")) go_panicslice3b(4, 2);
	if (streq(c, "slice3_c")) go_panicslice3c(2, 1);
	if (streq(c, "slice3_c_neg")) go_panicslice3c(-1, 1);
	if (streq(c, "convert")) go_panicsliceconvert(4, 3);
	if (streq(c, "makeslice_len")) go_makeslice(&int_type, -1, -1);
	if (streq(c, "makeslice_cap")) go_makeslice(&int_type, 1, 0);
	if (streq(c, "unsafe_nil")) go_unsafeslice(&int_type, 0, 1);
	if (streq(c, "unsafe_len")) go_unsafeslice(&int_type, ints, -1);
	if (streq(c, "divide")) go_panicdivide();
	if (streq(c, "shift")) go_panicshift();
	if (streq(c, "string")) go_gopanicstring("boom", 4);
	if (streq(c, "string_lines")) go_gopanicstring("two\nlines", 9);
	if (streq(c, "nil")) {
		say_hex("fault pc ", nil_fault_pc);
		load_nil_plus_8();
	}
	if (streq(c, "nil_call")) {
		void (*volatile f)(void) = 0;
		f();
	}
	if (streq(c, "fault")) {
		volatile int64_t *p = (int64_t *)0xdeadbeef000ull;
		(void)*p;
	}
	if (streq(c, "nil_goroutine")) {
		never = go_makechan(8, 0);
		go_newproc(fault_on_goroutine, 0);
		int64_t v;
		go_chanrecv1(never, &v);
	}
	if (streq(c, "locked")) {
		printlock(); /* holds a runtime lock: the fault cannot become a panic */
		load_nil_plus_8();
	}
	if (streq(c, "kill")) kill_self_with_sigsegv();
	printstring("no panic\n", 9);
}
