/* An allocation the OS cannot back: gc's "out of memory" message, then a fatal error. */
#include "runtime_abi.h"

void goclift_main(void) {
	printstring("before\n", 7);
	mallocgc((uintptr_t)1 << 62, 0, 1);
	printstring("after\n", 6);
}
