//! Integration tests of the ledger crate: published vectors and properties.

mod audit;
mod canonical;
mod merkle;
mod signing;

/// Decodes hex test data.
#[track_caller]
fn h(text: &str) -> ledger::Hash {
    text.parse().expect("64 hex digits")
}
