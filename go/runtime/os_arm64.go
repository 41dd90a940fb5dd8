package runtime

// System call numbers of linux/arm64 that the Go side of the runtime uses.
const (
	sysGetpid        = 172
	sysGettid        = 178
	sysTgkill        = 131
	sysRtSigaction   = 134
	sysRtSigprocmask = 135
)
