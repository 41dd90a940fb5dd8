// The architecture goclift builds for.

package runtime

const goarch = "arm64"
