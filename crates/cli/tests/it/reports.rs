//! `easf report`, `easf group` and `easf verify` as an operator uses them.

use std::io::Write;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::{easf, fails, node, ok};

const ASAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/piracy/asam-2022-06-21.csv"
);
const PIRATE_ATTACKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/piracy/pirate_attacks.csv"
);

fn new_report(dir: &std::path::Path, who: &str, draft: &Value) -> Value {
    let mut child = easf()
        .arg("--data-dir")
        .arg(dir)
        .args(["report", "new", "--file", "-", "--json", "--as", who])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(draft.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn draft(title: &str, audience: Value) -> Value {
    json!({
        "kind": "outbreak",
        "title": title,
        "observed_at": "2026-11-01T00:00:00Z",
        "location": {"type": "Polygon", "coordinates": [[[100, 10], [102, 10], [102, 12], [100, 12], [100, 10]]]},
        "body": {"pathogen": "Influenza A(H5N1)", "cases": 4, "deaths": 1, "ihr_notification": "notified"},
        "distribution": {"tlp": "AMBER", "audience": audience}
    })
}

#[test]
fn both_piracy_data_sets_import_once() {
    let dir = node();
    let first: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "report", "import", "--format", "asam", ASAM, "--as", "USA", "--json",
        ],
    ))
    .unwrap();
    assert_eq!(first["rows"], 8642);
    assert_eq!(first["added"], 8640);
    assert_eq!(first["rejected"], 2);
    assert_eq!(first["rejected_by_reason"]["duplicate-reference"], 2);
    let again: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "report", "import", "--format", "asam", ASAM, "--as", "USA", "--json",
        ],
    ))
    .unwrap();
    assert_eq!(
        (again["added"].as_u64(), again["already_present"].as_u64()),
        (Some(0), Some(8640))
    );
    let text = ok(
        dir.path(),
        &[
            "report",
            "import",
            "--format",
            "pirate-attacks",
            PIRATE_ATTACKS,
            "--as",
            "SGP",
        ],
    );
    assert!(
        text.contains(
            "7511 rows, 7511 mapped to piracy reports, 7511 added, 0 already present, 0 rejected"
        ),
        "{text}"
    );
    let text = ok(
        dir.path(),
        &[
            "report",
            "import",
            "--format",
            "pirate-attacks",
            PIRATE_ATTACKS,
            "--as",
            "SGP",
        ],
    );
    assert!(text.contains("0 added, 7511 already present"), "{text}");
    // Public data: anyone sees it, filters work on it.
    let page: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "report",
            "list",
            "--as",
            "CHN",
            "--member",
            "SGP",
            "--from",
            "2015-01-01",
            "--to",
            "2015-12-31",
            "--bbox",
            "95,-10,141,25",
            "--facets",
            "--json",
        ],
    ))
    .unwrap();
    assert!(page["total"].as_u64().unwrap() > 50, "{}", page["total"]);
    assert_eq!(page["facets"]["tlp"]["CLEAR"], page["total"]);
    let verify: Value = serde_json::from_str(&ok(dir.path(), &["verify", "--json"])).unwrap();
    assert_eq!(verify["clean"], true);
    assert_eq!(verify["rows"], 8640 + 7511);
    // The wrong format is a clear error, not a partial import.
    let (code, err) = fails(
        dir.path(),
        &[
            "report",
            "import",
            "--format",
            "pirate-attacks",
            ASAM,
            "--as",
            "SGP",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("cannot import"), "{err}");
}

#[test]
fn reports_are_filed_shown_retracted_and_exported_by_audience() {
    let dir = node();
    ok(
        dir.path(),
        &[
            "group",
            "add",
            "mekong-health",
            "--name",
            "Mekong health",
            "--members",
            "LAO,KHM",
            "--as",
            "THA",
        ],
    );
    let shared = new_report(
        dir.path(),
        "THA",
        &draft(
            "H5N1 cluster, Mekong",
            json!({"type": "group", "group": "mekong-health"}),
        ),
    );
    let private = new_report(
        dir.path(),
        "THA",
        &draft("internal note", json!({"type": "originator"})),
    );
    let id = shared["id"].as_str().unwrap();
    let private_id = private["id"].as_str().unwrap();
    assert_eq!(shared["originator"]["member"], "THA");
    // LAO is in the group, JPN is not.
    let lao: Value = serde_json::from_str(&ok(
        dir.path(),
        &["report", "list", "--as", "LAO", "--json"],
    ))
    .unwrap();
    assert_eq!(lao["total"], 1);
    let jpn: Value = serde_json::from_str(&ok(
        dir.path(),
        &["report", "list", "--as", "JPN", "--json"],
    ))
    .unwrap();
    assert_eq!(jpn["total"], 0);
    let (_, err) = fails(dir.path(), &["report", "show", id, "--as", "JPN"]);
    assert!(err.contains("not found"), "{err}");
    let (_, err) = fails(dir.path(), &["report", "show", private_id, "--as", "LAO"]);
    assert!(err.contains("not found"), "{err}");
    for format in ["stix", "geojson", "csv"] {
        let out = ok(
            dir.path(),
            &["report", "export", "--format", format, "--as", "LAO"],
        );
        assert!(!out.contains("internal note"), "{format} export leaks");
        assert!(
            out.contains("Mekong") || format == "stix",
            "{format}: {out}"
        );
    }
    let csv = ok(
        dir.path(),
        &["report", "export", "--format", "csv", "--as", "THA"],
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // Only the originator retracts.
    let (_, err) = fails(
        dir.path(),
        &[
            "report", "retract", id, "--reason", "mine now", "--as", "LAO",
        ],
    );
    assert!(err.contains("only the originating member"), "{err}");
    ok(
        dir.path(),
        &[
            "report",
            "retract",
            id,
            "--reason",
            "lab result negative",
            "--as",
            "THA",
        ],
    );
    let shown: Value = serde_json::from_str(&ok(
        dir.path(),
        &["report", "show", id, "--as", "LAO", "--json"],
    ))
    .unwrap();
    assert_eq!(shown["record"]["status"], "retracted");
    assert_eq!(shown["version_count"], 2);
    // A draft with faults is refused, naming them, and nothing is stored.
    let mut child = easf()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["report", "new", "--file", "-", "--as", "THA"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"{"kind":"outbreak","title":"x","observed_at":"2026-11-01T00:00:00Z","body":{"pathogen":"x","cases":-1,"deaths":0,"ihr_notification":"notified"},"distribution":{"tlp":"RED","audience":{"type":"all-members"}}}"#).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("body.cases") && err.contains("distribution"),
        "{err}"
    );
    let verify: Value = serde_json::from_str(&ok(dir.path(), &["verify", "--json"])).unwrap();
    assert_eq!(verify["rows"], 3);
}

#[test]
fn verify_names_rows_changed_behind_the_nodes_back() {
    let dir = node();
    for i in 0..4 {
        new_report(
            dir.path(),
            "KOR",
            &draft(
                &format!("report {i}"),
                json!({"type": "forum", "forum": "apt"}),
            ),
        );
    }
    ok(dir.path(), &["verify"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("node.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let url = store::sqlite_url(dir.path());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = store::Store::open(&url).await.unwrap();
        store
            .execute_unchecked("UPDATE record_log SET document = REPLACE(document, '\"cases\":4', '\"cases\":40') WHERE seq = 1")
            .await
            .unwrap();
        store.execute_unchecked("UPDATE records SET tlp = 'CLEAR', audience_type = 'public' WHERE seq = 3").await.unwrap();
        store.close().await;
    });
    let out = easf()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("verify")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("record_log seq 1 (record"), "{stdout}");
    assert!(stdout.contains("signature does not verify"), "{stdout}");
    assert!(stdout.contains("column tlp differs"), "{stdout}");
    // And the widened columns did not leak the record to a non-member.
    let page: Value = serde_json::from_str(&ok(
        dir.path(),
        &["report", "list", "--as", "USA", "--json"],
    ))
    .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
}
