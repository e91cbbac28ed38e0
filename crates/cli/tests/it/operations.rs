//! `easf op plan` on the shipped scenarios, `easf serve` refusing bad
//! configuration, and pledges and operations over a node's records (a
//! Cyclone-Nargis-like flow, refusals, audiences) on SQLite and PostgreSQL.

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
    assert!(text.contains("policy lean (optimal)"), "{text}");
    let limited = easf()
        .args([
            "op",
            "plan",
            "nargis-2008",
            "--policy",
            "lean",
            "--time-limit",
            "30",
            "--json",
        ])
        .output()
        .unwrap();
    let limited: serde_json::Value = serde_json::from_slice(&limited.stdout).unwrap();
    assert_eq!(limited["status"], "optimal");
    assert_eq!(
        limited["assignments"],
        plan("nargis-2008", "lean")["assignments"]
    );
    for bad in ["0", "-2", "forever"] {
        let out = easf()
            .args(["op", "plan", "nargis-2008", &format!("--time-limit={bad}")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("seconds"),
            "{bad}"
        );
    }
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

/// A node as the joint-operations commands see it: SQLite in a temporary
/// directory, or a fresh PostgreSQL database (with the node key in a
/// temporary directory).
struct Node {
    dir: tempfile::TempDir,
    database: Option<store::testing::TestDb>,
}

impl Node {
    fn sqlite() -> Node {
        Node {
            dir: crate::node(),
            database: None,
        }
    }

    fn postgres(rt: &tokio::runtime::Runtime) -> Option<Node> {
        let db = rt.block_on(store::testing::TestDb::create(store::Backend::Postgres))?;
        let node = Node {
            dir: tempfile::tempdir().unwrap(),
            database: Some(db),
        };
        node.ok(&["refdata", "load"], None);
        Some(node)
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        use std::io::Write;
        let mut cmd = easf();
        cmd.arg("--data-dir").arg(self.dir.path());
        if let Some(db) = &self.database {
            cmd.args(["--database", &db.url]);
        }
        cmd.args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    #[track_caller]
    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "easf {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[track_caller]
    fn json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all, stdin)).unwrap()
    }

    /// Runs a command that must fail with exit status 1 and say `words`.
    #[track_caller]
    fn refused(&self, args: &[&str], stdin: Option<&str>, words: &str) {
        let out = self.run(args, stdin);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "easf {args:?}: {err}");
        assert!(err.contains(words), "easf {args:?}: {words:?} not in {err}");
    }

    fn drop_db(self, rt: &tokio::runtime::Runtime) {
        if let Some(db) = self.database {
            rt.block_on(db.drop_db());
        }
    }
}

fn at(hours: i64) -> String {
    model::export::timestamp(chrono::Utc::now() + chrono::Duration::hours(hours))
}

/// A Cyclone-Nargis-like proposal in ASEAN: Myanmar hosts and declines
/// foreign military ships.
fn nargis(decision_hours: i64) -> Value {
    serde_json::json!({
        "title": "Cyclone relief, Irrawaddy delta",
        "forum": "asean",
        "area": {"type": "Polygon", "coordinates": [[[94.5, 15.5], [96.5, 15.5], [96.5, 17.0], [94.5, 17.0], [94.5, 15.5]]]},
        "window": {"start": at(0), "end": at(30 * 24)},
        "hosts": ["MMR"],
        "consent": {"declined_asset_classes": ["military-ship"], "note": "no foreign warships"},
        "requirements": [
            {"asset_type": "medium-helicopter", "quantity": 4, "deadline": at(72), "priority": 10},
            {"asset_type": "amphibious-ship", "quantity": 1, "deadline": at(10 * 24), "priority": 5}
        ],
        "decision_deadline": at(decision_hours)
    })
}

fn pledge_flags<'a>(
    asset: &'a str,
    quantity: &'a str,
    base: &'a str,
    who: &'a str,
) -> Vec<&'a str> {
    vec![
        "pledge",
        "add",
        "--as",
        who,
        "--asset-type",
        asset,
        "--quantity",
        quantity,
        "--agency",
        "armed forces",
        "--base",
        base,
        "--readiness-hours",
        "24",
        "--speed-knots",
        "120",
    ]
}

fn nargis_flow(node: &Node) {
    // Pledges from several members; the US offers a military ship.
    let tha = node.json(
        &pledge_flags("medium-helicopter", "3", "13.9,100.6", "THA"),
        None,
    );
    assert_eq!(tha["originator"]["member"], "THA");
    node.json(
        &pledge_flags("medium-helicopter", "2", "1.35,103.8", "SGP"),
        None,
    );
    let ship = serde_json::json!({"asset_type": "amphibious-ship", "quantity": 1, "agency": "US Navy",
        "readiness_hours": 48, "speed_knots": 18, "base": {"type": "Point", "coordinates": [144.7, 13.4]}});
    let ship = node.json(
        &["pledge", "add", "--file", "-", "--as", "USA"],
        Some(&ship.to_string()),
    );
    let ship_id = ship["id"].as_str().unwrap().to_owned();
    node.json(
        &pledge_flags("medium-helicopter", "4", "13.4,144.7", "USA"),
        None,
    );
    let listed = node.json(&["pledge", "list", "--as", "JPN"], None);
    assert_eq!(listed["total"], 4);
    let table = node.ok(&["pledge", "list", "--as", "JPN", "--member", "USA"], None);
    assert!(
        table.contains("amphibious-ship") && !table.contains("SGP"),
        "{table}"
    );

    // Thailand proposes; every ASEAN member answers; Thailand decides.
    let proposed = node.json(
        &["op", "propose", "--file", "-", "--as", "THA"],
        Some(&nargis(6).to_string()),
    );
    assert_eq!(proposed["state"], "proposed");
    let id = proposed["record"]["id"].as_str().unwrap().to_owned();
    node.refused(
        &["op", "decide", &id, "--as", "THA"],
        None,
        "have not answered",
    );
    let members = node.json(&["forum", "members", "asean"], None);
    let members: Vec<String> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(members.len() >= 10, "{members:?}");
    for m in &members {
        let position = if m == "LAO" { "abstain" } else { "support" };
        node.ok(
            &["op", "vote", &id, "--position", position, "--as", m],
            None,
        );
    }
    node.refused(
        &["op", "vote", &id, "--position", "support", "--as", "JPN"],
        None,
        "not found",
    );
    node.refused(
        &["op", "vote", &id, "--position", "perhaps", "--as", "THA"],
        None,
        "expected support, object or abstain",
    );
    node.refused(
        &["op", "decide", &id, "--as", "SGP"],
        None,
        "only the proposing member (THA)",
    );
    let decided = node.json(&["op", "decide", &id, "--as", "THA"], None);
    assert_eq!(decided["state"], "approved");
    assert_eq!(
        decided["record"]["body"]["tally"]["abstain"],
        serde_json::json!(["LAO"])
    );

    // The plan leaves out the US ship: Myanmar declined foreign warships.
    let plan = node.json(
        &["op", "plan", &id, "--policy", "inclusive", "--as", "THA"],
        None,
    );
    let assignments = plan["assignments"].as_array().unwrap();
    assert!(!assignments.is_empty(), "{plan}");
    assert!(assignments.iter().all(|a| a["pledge"] != ship_id.as_str()));
    assert!(
        plan["unmet"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["asset_type"] == "amphibious-ship"),
        "{plan}"
    );
    let text = node.ok(&["op", "plan", &id, "--as", "THA"], None);
    assert!(text.contains("Members:"), "{text}");

    node.refused(
        &[
            "op",
            "task",
            &id,
            "--member",
            "USA",
            "--asset-type",
            "amphibious-ship",
            "--quantity",
            "1",
            "--as",
            "THA",
        ],
        None,
        "decline military ship from USA",
    );
    let tasked = node.json(
        &[
            "op",
            "task",
            &id,
            "--member",
            "SGP",
            "--asset-type",
            "medium-helicopter",
            "--quantity",
            "2",
            "--as",
            "THA",
        ],
        None,
    );
    assert_eq!(tasked["state"], "active");
    node.ok(
        &[
            "op",
            "sitrep",
            &id,
            "--text",
            "Two helicopters flying from Yangon",
            "--figure",
            "sorties=14",
            "--as",
            "SGP",
        ],
        None,
    );
    node.refused(
        &[
            "op",
            "sitrep",
            &id,
            "--text",
            "seen on the news",
            "--as",
            "PHL",
        ],
        None,
        "PHL takes no part",
    );
    let closed = node.json(
        &[
            "op",
            "close",
            &id,
            "--after-action",
            "Relief reached 40 villages",
            "--as",
            "THA",
        ],
        None,
    );
    assert_eq!(closed["state"], "closed");

    // Nothing follows a close.
    node.refused(
        &["op", "plan", &id, "--as", "THA"],
        None,
        "cannot plan an operation that is closed",
    );
    node.refused(
        &["op", "sitrep", &id, "--text", "late", "--as", "SGP"],
        None,
        "cannot report on an operation that is closed",
    );
    node.refused(
        &[
            "op",
            "task",
            &id,
            "--member",
            "SGP",
            "--asset-type",
            "medium-helicopter",
            "--quantity",
            "1",
            "--as",
            "THA",
        ],
        None,
        "cannot task an operation that is closed",
    );
    node.refused(
        &["op", "vote", &id, "--position", "object", "--as", "MMR"],
        None,
        "cannot vote on an operation that is closed",
    );
    let shown = node.json(&["op", "show", &id, "--as", "IDN"], None);
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["votes"].as_array().unwrap().len(), members.len());
    assert_eq!(shown["sitreps"][0]["figures"]["sorties"], 14.0);
    assert_eq!(shown["version_count"], 4);
    let text = node.ok(&["op", "show", &id, "--as", "IDN"], None);
    assert!(
        text.contains("state closed") && text.contains("after action: Relief reached"),
        "{text}"
    );
    let list = node.ok(&["op", "list", "--state", "closed", "--as", "IDN"], None);
    assert!(list.contains(&id), "{list}");

    // Withdrawing: the member's own pledge only; lists and plans drop it.
    let sgp = node.json(&["pledge", "list", "--member", "SGP", "--as", "SGP"], None);
    let sgp_id = sgp["items"][0]["id"].as_str().unwrap().to_owned();
    node.refused(
        &[
            "pledge", "withdraw", &sgp_id, "--reason", "mine now", "--as", "THA",
        ],
        None,
        "only the originating member",
    );
    node.ok(
        &[
            "pledge",
            "withdraw",
            &sgp_id,
            "--reason",
            "back to base",
            "--as",
            "SGP",
        ],
        None,
    );
    assert_eq!(
        node.json(&["pledge", "list", "--as", "JPN"], None)["total"],
        3
    );
    let shown = node.json(&["report", "show", &sgp_id, "--as", "JPN"], None);
    assert_eq!(shown["record"]["status"], "retracted");
    let withdrawn = node.ok(
        &["pledge", "list", "--status", "withdrawn", "--as", "JPN"],
        None,
    );
    assert!(
        withdrawn.contains(&sgp_id) && withdrawn.contains("(withdrawn)"),
        "{withdrawn}"
    );
    // A usage error: exit status 2, the choices named.
    let out = node.run(&["pledge", "list", "--status", "gone", "--as", "JPN"], None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("standing, withdrawn, all"), "{err}");
}

fn refusals_and_audiences(node: &Node) {
    for (flags, field) in [
        (
            pledge_flags("medium-helicopter", "-1", "13.9,100.6", "THA"),
            "quantity",
        ),
        (
            pledge_flags("medium-helicopter", "1.5", "13.9,100.6", "THA"),
            "quantity",
        ),
        (
            pledge_flags("submarine", "1", "13.9,100.6", "THA"),
            "asset_type",
        ),
        (
            pledge_flags("medium-helicopter", "1", "95,100.6", "THA"),
            "base",
        ),
    ] {
        node.refused(&flags, None, field);
    }
    node.refused(
        &["pledge", "add", "--as", "THA", "--asset-type", "funds"],
        None,
        "a pledge needs --quantity, --base, --readiness-hours",
    );
    let mut past = nargis(6);
    past["decision_deadline"] = Value::String(at(-1));
    node.refused(
        &["op", "propose", "--file", "-", "--as", "THA"],
        Some(&past.to_string()),
        "decision_deadline",
    );
    let mut bad = nargis(6);
    bad["requirements"][0]["quantity"] = serde_json::json!(-3);
    node.refused(
        &["op", "propose", "--file", "-", "--as", "THA"],
        Some(&bad.to_string()),
        "requirements[0].quantity",
    );
    let mut bad = nargis(6);
    bad["area"] = serde_json::json!({"type": "Polygon", "coordinates": [[[94.5, 15.5], [96.5, 15.5], [94.5, 15.5]]]});
    node.refused(
        &["op", "propose", "--file", "-", "--as", "THA"],
        Some(&bad.to_string()),
        "area",
    );
    node.refused(
        &["op", "propose", "--file", "-", "--as", "JPN"],
        Some(&nargis(6).to_string()),
        "JPN is not a member of asean",
    );
    let proposed = node.json(
        &["op", "propose", "--file", "-", "--as", "THA"],
        Some(&nargis(6).to_string()),
    );
    let id = proposed["record"]["id"].as_str().unwrap().to_owned();
    node.refused(
        &[
            "op",
            "task",
            &id,
            "--member",
            "SGP",
            "--asset-type",
            "medium-helicopter",
            "--quantity",
            "1",
            "--as",
            "THA",
        ],
        None,
        "cannot task an operation that is proposed",
    );

    // A pledge shared with the Philippines alone.
    let mut flags = pledge_flags("medium-helicopter", "2", "13.9,100.6", "THA");
    flags.extend(["--audience", "members:PHL", "--tlp", "AMBER"]);
    let hidden = node.json(&flags, None);
    let hidden = hidden["id"].as_str().unwrap().to_owned();
    let jpn = node.ok(&["pledge", "list", "--as", "JPN", "--json"], None);
    assert!(!jpn.contains(&hidden));
    let phl = node.ok(&["pledge", "list", "--as", "PHL", "--json"], None);
    assert!(phl.contains(&hidden));
    node.refused(
        &[
            "pledge", "withdraw", &hidden, "--reason", "x", "--as", "JPN",
        ],
        None,
        "not found",
    );
    // The forum's proposal is hidden from outsiders, plans included.
    node.refused(&["op", "show", &id, "--as", "JPN"], None, "not found");
    node.refused(&["op", "plan", &id, "--as", "JPN"], None, "not found");
    let plan = node.json(&["op", "plan", &id, "--as", "PHL"], None);
    assert!(plan["assignments"].to_string().contains(&hidden), "{plan}");
    let plan = node.json(&["op", "plan", &id, "--as", "MMR"], None);
    assert!(!plan.to_string().contains(&hidden), "{plan}");
    // Joint records cannot be filed around their rules.
    let draft = serde_json::json!({"kind": "pledge", "title": "x", "observed_at": at(0),
        "body": {"asset_type": "funds", "quantity": 1, "agency": "x", "readiness_hours": 0},
        "distribution": {"tlp": "GREEN", "audience": {"type": "all-members"}}});
    node.refused(
        &["report", "new", "--file", "-", "--as", "THA"],
        Some(&draft.to_string()),
        "easf pledge add",
    );
}

#[test]
fn a_nargis_like_operation_from_the_command_line() {
    nargis_flow(&Node::sqlite());
}

#[test]
fn op_and_pledge_refusals_and_audiences_from_the_command_line() {
    refusals_and_audiences(&Node::sqlite());
}

#[test]
fn operations_from_the_command_line_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for case in [nargis_flow, refusals_and_audiences] {
        let Some(node) = Node::postgres(&rt) else {
            return;
        };
        case(&node);
        node.drop_db(&rt);
    }
}

#[test]
fn joint_commands_have_help_with_an_example() {
    for args in [
        ["pledge", "add"],
        ["pledge", "list"],
        ["pledge", "withdraw"],
        ["op", "propose"],
        ["op", "vote"],
        ["op", "decide"],
        ["op", "task"],
        ["op", "sitrep"],
        ["op", "close"],
        ["op", "show"],
        ["op", "list"],
        ["op", "plan"],
    ] {
        let out = easf().args(args).arg("--help").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Example"), "{args:?}: {text}");
    }
}
