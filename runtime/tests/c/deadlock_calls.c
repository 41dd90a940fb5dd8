/* A deadlock: one goroutine in select {}, main waiting on a channel nobody sends to. The
 * runtime must report it as gc does and exit 2. */
#include "runtime_abi.h"

static void forever(void *arg) {
	(void)arg;
	go_block();
}

void goclift_main(void) {
	struct hchan *c = go_makechan(8, 0);
	go_newproc(forever, 0);
	int64_t v;
	go_chanrecv1(c, &v);
}
