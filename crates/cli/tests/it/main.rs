//! The `easf` binary as a user runs it.

use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

mod demo;
mod maritime;
mod operations;
mod parity;
mod reports;
mod tidy;

fn easf() -> Command {
    let mut cmd = Command::cargo_bin("easf").unwrap();
    cmd.env_remove("EASF_DATA_DIR")
        .env_remove("EASF_DATABASE_URL");
    cmd
}

/// Runs `easf --data-dir DIR ARGS`, expecting success; returns stdout.
#[track_caller]
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = easf()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "easf {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs and expects failure; returns (exit code, stderr).
#[track_caller]
fn fails(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = easf()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "easf {args:?} should fail");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn node() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["refdata", "load"]);
    dir
}

fn codes(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect()
}

#[test]
fn queries_answer_as_of_a_date() {
    let dir = node();
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &["forum", "members", "eas", "--as-of", "2008-06-01", "--json"],
    ))
    .unwrap();
    assert_eq!(codes(&v["members"]).len(), 16);
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "forum",
            "members",
            "asean",
            "--as-of",
            "2025-10-27",
            "--json",
        ],
    ))
    .unwrap();
    assert!(codes(&v["members"]).contains(&"TLS"));
    let v: Value =
        serde_json::from_str(&ok(dir.path(), &["member", "forums", "CHN", "--json"])).unwrap();
    assert!(
        v["forums"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "six-party")
    );
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "forum",
            "compare",
            "apt",
            "cmim",
            "--as-of",
            "2024-01-01",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(codes(&v["only_second"]), ["HKG"]);
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "forum",
            "combine",
            "--op",
            "difference",
            "eas",
            "apt",
            "--as-of",
            "2012-06-01",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(codes(&v["members"]), ["AUS", "IND", "NZL", "RUS", "USA"]);
    let table = ok(dir.path(), &["forum", "members", "apec"]);
    assert!(table.starts_with("code  name\n"), "{table}");
    assert!(table.contains("21 members of apec"), "{table}");
    let show = ok(dir.path(), &["forum", "show", "cmim"]);
    assert!(
        show.contains("weighted-majority") || show.contains("consensus"),
        "{show}"
    );
    let list = ok(
        dir.path(),
        &[
            "forum",
            "list",
            "--function",
            "piracy",
            "--members",
            "JPN,PHL",
        ],
    );
    assert!(list.contains("recaap"), "{list}");
}

#[test]
fn bad_input_names_the_problem() {
    let dir = node();
    let (code, err) = fails(dir.path(), &["forum", "members", "nope"]);
    assert_eq!((code, err.trim()), (1, "error: unknown forum \"nope\""));
    let (code, err) = fails(dir.path(), &["member", "show", "XYZ"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown member \"XYZ\""), "{err}");
    let (code, err) = fails(
        dir.path(),
        &["forum", "members", "eas", "--as-of", "2012-02-30"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--as-of"), "{err}");
    let (code, err) = fails(
        dir.path(),
        &[
            "user", "add", "x", "--member", "XYZ", "--agency", "a", "--role", "viewer",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("member: unknown member"), "{err}");
    let (code, _) = fails(
        dir.path(),
        &[
            "user", "add", "x", "--member", "JPN", "--agency", "a", "--role", "king",
        ],
    );
    assert_eq!(code, 2);
    let empty = tempfile::tempdir().unwrap();
    let (_, err) = fails(&empty.path().join("typo"), &["forum", "list"]);
    assert!(err.contains("no node database"), "{err}");
}

#[test]
fn refdata_check_names_file_and_line_and_load_is_all_or_nothing() {
    let dir = node();
    let data = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for f in ["members.csv", "forums.toml", "memberships.csv"] {
        std::fs::copy(root.join(f), data.path().join(f)).unwrap();
    }
    let ok_msg = ok(
        dir.path(),
        &["refdata", "check", data.path().to_str().unwrap()],
    );
    assert!(ok_msg.contains("valid"), "{ok_msg}");
    let path = data.path().join("memberships.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("asean,XYZ,2020-01-01,,https://example.org,\n");
    let bad_line = text.lines().count();
    std::fs::write(&path, text).unwrap();
    let (code, err) = fails(
        dir.path(),
        &["refdata", "load", data.path().to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "memberships.csv:{bad_line}: unknown member code XYZ"
        )),
        "{err}"
    );
    // Nothing was half-loaded: the node still answers from the old data.
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "forum",
            "members",
            "asean",
            "--as-of",
            "2020-01-01",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(codes(&v["members"]).len(), 10);
}

#[test]
fn users_and_tokens_from_the_console() {
    let dir = node();
    let v: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "user",
            "add",
            "VNM/duty",
            "--member",
            "vnm",
            "--agency",
            "Viet Nam Coast Guard",
            "--role",
            "analyst",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(v["member"], "VNM");
    let (_, err) = fails(
        dir.path(),
        &[
            "user", "add", "VNM/duty", "--member", "VNM", "--agency", "x", "--role", "viewer",
        ],
    );
    assert!(err.contains("user VNM/duty already exists"), "{err}");
    let issued: Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "token",
            "issue",
            "VNM/duty",
            "--expires-in-days",
            "7",
            "--json",
        ],
    ))
    .unwrap();
    let id = issued["id"].as_str().unwrap();
    let secret = issued["token"].as_str().unwrap();
    let list = ok(dir.path(), &["token", "list", "--user", "VNM/duty"]);
    assert!(list.contains(id) && !list.contains(secret), "{list}");
    ok(dir.path(), &["token", "revoke", id]);
    let (_, err) = fails(dir.path(), &["token", "revoke", id]);
    assert!(
        err.contains("already exists") || err.contains("revocation"),
        "{err}"
    );
    let audit = ok(dir.path(), &["audit", "list", "--json"]);
    assert!(audit.contains("token.revoke") && !audit.contains(secret));
    let (_, err) = fails(
        dir.path(),
        &["token", "issue", "VNM/duty", "--expires-in-days", "0"],
    );
    assert!(err.contains("expires_in_days"), "{err}");
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["serve", "--help"],
        vec!["forum", "members", "--help"],
        vec!["forum", "compare", "--help"],
        vec!["member", "show", "--help"],
        vec!["token", "issue", "--help"],
        vec!["refdata", "check", "--help"],
    ] {
        let out = easf().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example"), "{args:?}: {text}");
    }
}
