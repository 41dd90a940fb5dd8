//! goclift runtime (placeholder).
#![cfg_attr(not(test), no_std)]
