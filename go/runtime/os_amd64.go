package runtime

// System call numbers of linux/amd64 that the Go side of the runtime uses.
const (
	sysGetpid        = 39
	sysGettid        = 186
	sysTgkill        = 234
	sysRtSigaction   = 13
	sysRtSigprocmask = 14
)
