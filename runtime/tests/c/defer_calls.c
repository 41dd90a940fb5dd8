/* Deferred calls and runtime.Goexit, made the way compiled Go code makes them (see the
 * "Frames with defers" note in panic.rs): each function with defers runs its body through
 * goclift.deferframe, defers func values with goclift.deferproc and runs its deferred calls
 * with goclift.deferreturn. The equivalent Go program:
 *
 *	func inner() {
 *		defer println("inner deferred")
 *		runtime.Goexit()
 *	}
 *
 *	func main() {
 *		defer println("first deferred")
 *		defer println("second deferred")
 *		println("main body")
 *		inner()
 *		println("not reached")
 *	}
 *
 * gc 1.19 prints "main body", the three deferred lines (inner's first), then "fatal error: no
 * goroutines (main called runtime.Goexit) - deadlock!", and exits with status 2. */
#include "runtime_abi.h"

uintptr_t deferframe(uintptr_t *ck, void (*code)(void *), void *arg) __asm__("goclift.deferframe");
void deferproc(uintptr_t *frame, const void *fv, _Bool wrapped) __asm__("goclift.deferproc");
void deferreturn(uintptr_t *frame) __asm__("goclift.deferreturn");

/* A func value: the code, then what the closure captured (here, the line to print). */
struct funcval {
	void (*code)(void *closure);
	const char *line;
};

static void say(const char *s) {
	const char *e = s;
	while (*e) e++;
	printlock();
	printstring(s, e - s);
	printnl();
	printunlock();
}

/* The deferred function: the closure pointer is its only argument. */
static void say_closure(void *closure) { say(((struct funcval *)closure)->line); }

static const struct funcval first = {say_closure, "first deferred"};
static const struct funcval second = {say_closure, "second deferred"};
static const struct funcval inner_line = {say_closure, "inner deferred"};

static void inner_body(void *frame) {
	deferproc(frame, &inner_line, 0);
	go_goexit();
	say("Goexit returned");
}

static void inner(void) {
	uintptr_t ck;
	deferframe(&ck, inner_body, &ck);
	deferreturn(&ck);
}

static void main_body(void *frame) {
	deferproc(frame, &first, 0);
	deferproc(frame, &second, 0);
	say("main body");
	inner();
	say("not reached");
}

void goclift_main(void) {
	uintptr_t ck;
	deferframe(&ck, main_body, &ck);
	deferreturn(&ck);
}
