/* A runtime error inside the runtime reports "fatal error: ..." and exits 2, as gc's throw. */
#include "runtime_abi.h"

void goclift_main(void) {
	printstring("before throw\n", 13);
	printunlock(); /* without printlock: a compiler bug the runtime refuses */
	printstring("after throw\n", 12);
}
