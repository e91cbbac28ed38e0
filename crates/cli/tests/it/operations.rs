//! `easf op plan` on the shipped scenarios, and `easf serve` refusing bad configuration.

use serde_json::Value;

use crate::easf;

fn plan(scenario: &str, policy: &str) -> Value {
    let out = easf()
        .args(["op", "plan", scenario, "--policy", policy, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn plans_list_assignments_and_respect_deadlines() {
    let p = plan("haiyan-2013", "fast");
    let assignments = p["assignments"].as_array().unwrap();
    assert!(!assignments.is_empty());
    for a in assignments {
        for key in [
            "pledge",
            "member",
            "asset_type",
            "quantity",
            "requirement",
            "arrival_hours",
        ] {
            assert!(!a[key].is_null(), "{key} missing in {a}");
        }
        assert!(
            a["arrival_hours"].as_f64().unwrap() <= a["deadline_hours"].as_f64().unwrap() + 1e-9
        );
    }
    assert!(
        p["participants"].as_array().is_some()
            && p["objectives"].is_object()
            && p["unmet"].is_array()
    );
    let table = easf()
        .args(["op", "plan", "nargis-2008", "--policy", "lean"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("Members:"), "{text}");
}

#[test]
fn lean_uses_no_more_members_than_inclusive() {
    let lean = plan("tohoku-2011", "lean");
    let inclusive = plan("tohoku-2011", "inclusive");
    assert!(
        lean["participants"].as_array().unwrap().len()
            <= inclusive["participants"].as_array().unwrap().len()
    );
    assert!(
        (lean["objectives"]["coverage"].as_f64().unwrap()
            - inclusive["objectives"]["coverage"].as_f64().unwrap())
        .abs()
            < 1e-6
    );
}

#[test]
fn bad_scenarios_and_policies_are_refused() {
    let out = easf()
        .args(["op", "plan", "no-such-scenario"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no shipped scenario named no-such-scenario")
    );
    let out = easf()
        .args(["op", "plan", "nargis-2008", "--policy", "cheapest"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[operation]\nfunction = \"piracy\"\n").unwrap();
    let out = easf()
        .args(["op", "plan", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.toml"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn serve_refuses_a_bad_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("node.toml");
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\ncolour = \"blue\"\n").unwrap();
    let out = easf()
        .args(["serve", "--config", cfg.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid config") && err.contains("colour"),
        "{err}"
    );
    let out = easf()
        .args([
            "serve",
            "--log-format",
            "xml",
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown log format"));
}
