//! Facts about the real architecture, checked against public sources (cited
//! per test) rather than against the project's own data files.
