//! Integration tests of the `ops` crate: one binary (STYLE.md §6).
//!
//! - `data`: the shipped catalogue and scenarios parse, check and plan.
//! - `errors`: bad input gets a clear error naming the place.
//! - `limits`: plans under a time limit.
//! - `policies`: each policy does what it says on hand-made instances.
//! - `props`: on random small instances the optimiser matches exhaustive
//!   search, never breaks a constraint, and is deterministic.

mod data;
mod errors;
mod fixtures;
mod limits;
mod policies;
mod props;
