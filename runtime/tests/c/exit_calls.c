/* runtime.exit ends the process at once with the given status (os.Exit's runtime half). */
#include "runtime_abi.h"

void goclift_main(void) {
	printlock();
	printstring("before exit\n", 12);
	printunlock();
	runtime_exit(7);
	printstring("after exit\n", 11);
}
