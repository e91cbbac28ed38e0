//! The layer boundaries of docs/ARCHITECTURE.md, checked from the manifests.

use std::path::Path;

/// Dependencies (normal, not dev) of a workspace crate.
fn dependencies(krate: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn pure_crates_do_no_io() {
    const IO: [&str; 7] = [
        "tokio",
        "sqlx",
        "axum",
        "reqwest",
        "hyper",
        "tower",
        "async-nats",
    ];
    for krate in ["model", "ledger", "ais", "ops", "mda"] {
        for dep in dependencies(krate) {
            assert!(
                !IO.contains(&dep.as_str()),
                "{krate} must stay free of I/O but depends on {dep}"
            );
        }
    }
}

#[test]
fn dependencies_point_inward() {
    const WORKSPACE: [&str; 8] = [
        "model", "ledger", "store", "ops", "ais", "mda", "server", "cli",
    ];
    let inward = |krate: &str, allowed: &[&str]| {
        for dep in dependencies(krate) {
            if WORKSPACE.contains(&dep.as_str()) {
                assert!(
                    allowed.contains(&dep.as_str()),
                    "{krate} may not depend on {dep}"
                );
            }
        }
    };
    inward("ais", &[]);
    inward("model", &[]);
    inward("ledger", &["model"]);
    inward("ops", &["model"]);
    inward("mda", &["model", "ais"]);
    inward("store", &["model", "ledger"]);
    inward("server", &["model", "ledger", "store", "ops", "ais", "mda"]);
}
