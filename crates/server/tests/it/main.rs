//! The API as a client sees it, on SQLite and on PostgreSQL.

mod harness;

mod access;
mod openapi;
mod operations;
mod queries;
mod reports;
mod taxii;
