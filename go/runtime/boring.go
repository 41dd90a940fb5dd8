package runtime

import _ "unsafe"

// crypto/internal/boring/sig's markers: gc assembles each as a recognisable instruction
// sequence that a binary scanner can find and that otherwise just returns; goclift has no
// scanner to serve, so they only return.

//go:linkname sig_BoringCrypto crypto/internal/boring/sig.BoringCrypto
func sig_BoringCrypto() {}

//go:linkname sig_FIPSOnly crypto/internal/boring/sig.FIPSOnly
func sig_FIPSOnly() {}

//go:linkname sig_StandardCrypto crypto/internal/boring/sig.StandardCrypto
func sig_StandardCrypto() {}
