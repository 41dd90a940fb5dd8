/* Closing a closed channel panics with gc's message and exit status 2. */
#include "runtime_abi.h"

void goclift_main(void) {
	struct hchan *c = go_makechan(8, 1);
	go_closechan(c);
	printlock();
	printstring("closed once\n", 12);
	printunlock();
	go_closechan(c);
}
