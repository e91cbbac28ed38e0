//! Synthetic traffic.
