//! Tests of the slice functions.
