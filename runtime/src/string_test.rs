//! Tests of the string functions on a private heap (see malloc_test.rs).
