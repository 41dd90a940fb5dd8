//! Go scanner (placeholder, being written).
