//! Integration tests of the model crate: loading and querying reference data.

mod architecture;
mod export;
mod import;
mod loading;
mod policy;
mod properties;
mod reports;
