//! Pledges and joint operations over HTTP: a Cyclone-Nargis-like operation
//! from pledges to close, every refused step saying why, and pledges and
//! operations staying inside their audiences (lists, reads and plans).

use axum::http::Method;
use serde_json::{Value, json};
use store::{Store, backends};

use crate::harness::{NOW_MS, Reply, TestApp};

backends!(
    a_nargis_like_operation_runs_from_pledges_to_close,
    refused_steps_say_why,
    pledges_and_operations_stay_inside_their_audience,
);

const HOUR_MS: i64 = 3_600_000;

/// The Irrawaddy delta.
fn delta() -> Value {
    json!({"type": "Polygon", "coordinates": [[[94.5, 15.5], [96.5, 15.5], [96.5, 17.0], [94.5, 17.0], [94.5, 15.5]]]})
}

fn pledge(asset_type: &str, quantity: f64, lat: f64, lon: f64, speed: f64) -> Value {
    json!({
        "asset_type": asset_type,
        "quantity": quantity,
        "readiness_hours": 24.0,
        "speed_knots": speed,
        "base": {"type": "Point", "coordinates": [lon, lat]},
    })
}

/// An operation in ASEAN hosted by Myanmar, which declines foreign
/// military ships; now is 2026-11-25T12:00Z.
fn nargis() -> Value {
    json!({
        "title": "Cyclone relief, Irrawaddy delta",
        "area": delta(),
        "forum": "asean",
        "window": {"start": "2026-11-25T12:00:00Z", "end": "2026-12-25T00:00:00Z"},
        "hosts": ["MMR"],
        "consent": {"declined_asset_classes": ["military-ship"], "note": "no foreign warships"},
        "requirements": [
            {"asset_type": "medium-helicopter", "quantity": 4, "deadline": "2026-11-28T12:00:00Z", "priority": 10},
            {"asset_type": "amphibious-ship", "quantity": 1, "deadline": "2026-12-05T00:00:00Z", "priority": 5}
        ],
        "decision_deadline": "2026-11-25T18:00:00Z"
    })
}

async fn call(app: &TestApp, method: Method, uri: &str, who: &str, body: Option<Value>) -> Reply {
    let body = body.map(|b| b.to_string());
    app.send(method, uri, Some(app.token(who)), body.as_deref())
        .await
}

#[track_caller]
fn ok(r: &Reply, status: u16) -> &Value {
    assert_eq!(r.status, status, "{}", r.body);
    &r.body
}

#[track_caller]
fn refused(r: &Reply, status: u16, words: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let message = r.body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "{words:?} not in {message:?}");
}

async fn app_with(store: Store, members: &[&str]) -> TestApp {
    let mut app = TestApp::new(store).await;
    for m in members {
        app.add_analyst(m).await;
    }
    app
}

async fn a_nargis_like_operation_runs_from_pledges_to_close(store: Store) {
    let app = app_with(store, &["THA", "SGP", "USA", "MMR", "PHL", "MYS"]).await;
    let mut ids = std::collections::BTreeMap::new();
    for (who, p) in [
        ("THA", pledge("medium-helicopter", 3.0, 13.9, 100.6, 120.0)),
        ("SGP", pledge("medium-helicopter", 2.0, 1.35, 103.8, 130.0)),
        ("USA", pledge("amphibious-ship", 1.0, 13.4, 144.7, 18.0)),
        ("USA", pledge("medium-helicopter", 4.0, 13.4, 144.7, 130.0)),
    ] {
        let r = call(
            &app,
            Method::POST,
            "/api/v1/pledges",
            &format!("{who}/analyst"),
            Some(p.clone()),
        )
        .await;
        let body = ok(&r, 201);
        assert_eq!(body["kind"], "pledge");
        assert_eq!(body["originator"]["member"], who);
        ids.insert(
            format!("{who}:{}", p["asset_type"].as_str().unwrap()),
            body["id"].as_str().unwrap().to_owned(),
        );
    }
    let usa_ship = ids["USA:amphibious-ship"].clone();
    let r = call(&app, Method::GET, "/api/v1/pledges", "JPN/analyst", None).await;
    assert_eq!(ok(&r, 200)["total"], 4);
    let r = call(
        &app,
        Method::GET,
        "/api/v1/pledges?asset_type=medium-helicopter&member=SGP",
        "JPN/analyst",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["total"], 1);

    // Thailand proposes in ASEAN.
    let r = call(
        &app,
        Method::POST,
        "/api/v1/operations",
        "THA/analyst",
        Some(nargis()),
    )
    .await;
    let body = ok(&r, 201);
    assert_eq!(body["state"], "proposed");
    assert_eq!(body["record"]["distribution"]["audience"]["forum"], "asean");
    let id = body["record"]["id"].as_str().unwrap().to_owned();
    let op = format!("/api/v1/operations/{id}");
    for who in ["THA/analyst", "MMR/analyst", "SGP/analyst", "IDN/admin"] {
        let r = call(
            &app,
            Method::POST,
            &format!("{op}/votes"),
            who,
            Some(json!({"position": "support"})),
        )
        .await;
        ok(&r, 200);
    }
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/votes"),
        "MYS/analyst",
        Some(json!({"position": "abstain", "comment": "assets committed elsewhere"})),
    )
    .await;
    assert_eq!(ok(&r, 200)["votes"].as_array().unwrap().len(), 5);
    // The US is not in ASEAN: its vote is refused (and it cannot even see
    // the proposal, shared with the forum).
    let r = call(&app, Method::GET, &op, "USA/analyst", None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // Before the deadline, with members silent, the decision waits.
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/decision"),
        "THA/analyst",
        None,
    )
    .await;
    refused(&r, 409, "have not answered");
    // Only the proposer decides.
    app.set_now(NOW_MS + 7 * HOUR_MS);
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/decision"),
        "SGP/analyst",
        None,
    )
    .await;
    refused(&r, 403, "only the proposing member (THA)");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/votes"),
        "PHL/analyst",
        Some(json!({"position": "object"})),
    )
    .await;
    refused(&r, 409, "decision deadline");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/decision"),
        "THA/analyst",
        None,
    )
    .await;
    let body = ok(&r, 200);
    assert_eq!(body["state"], "approved");
    let tally = &body["record"]["body"]["tally"];
    assert_eq!(tally["rule"], "consensus");
    assert_eq!(tally["support"], json!(["IDN", "MMR", "SGP", "THA"]));
    assert_eq!(tally["abstain"], json!(["MYS"]));
    assert!(tally["silent"].as_array().unwrap().contains(&json!("PHL")));

    // The plan uses no foreign military ship.
    let r = call(
        &app,
        Method::GET,
        &format!("{op}/plan?policy=inclusive"),
        "THA/analyst",
        None,
    )
    .await;
    let plan = ok(&r, 200);
    assert_eq!(plan["pledges_considered"], 4);
    let assignments = plan["assignments"].as_array().unwrap();
    assert!(!assignments.is_empty(), "{plan}");
    assert!(
        assignments.iter().all(|a| a["pledge"] != usa_ship.as_str()),
        "{plan}"
    );
    let helicopters: f64 = assignments
        .iter()
        .filter(|a| a["asset_type"] == "medium-helicopter")
        .map(|a| a["quantity"].as_f64().unwrap())
        .sum();
    assert_eq!(helicopters, 4.0);
    let unmet = plan["unmet"].as_array().unwrap();
    let ship = unmet
        .iter()
        .find(|u| u["asset_type"] == "amphibious-ship")
        .unwrap_or_else(|| panic!("the ship requirement is unmet: {plan}"));
    assert!(ship["closest"].to_string().contains(&usa_ship), "{ship}");
    let r = call(
        &app,
        Method::GET,
        &format!("{op}/plan?policy=cheapest"),
        "THA/analyst",
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["error"]["field"], "policy");
    // Well inside its time limit, the plan is proven optimal.
    assert_eq!(plan["status"], "optimal");
    let r = call(
        &app,
        Method::GET,
        &format!("{op}/plan?policy=inclusive&time_limit=5"),
        "THA/analyst",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["assignments"], plan["assignments"]);
    for bad in ["0", "-1", "26", "NaN", "soon"] {
        let r = call(
            &app,
            Method::GET,
            &format!("{op}/plan?time_limit={bad}"),
            "THA/analyst",
            None,
        )
        .await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert_eq!(r.body["error"]["field"], "time_limit", "{bad}");
    }

    // Tasking: the host's refusal holds; a helicopter task makes it active.
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/tasks"),
        "THA/analyst",
        Some(json!({"member": "USA", "asset_type": "amphibious-ship", "quantity": 1})),
    )
    .await;
    refused(&r, 409, "decline military ship from USA");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/tasks"),
        "THA/analyst",
        Some(json!({"member": "SGP", "asset_type": "medium-helicopter", "quantity": 2})),
    )
    .await;
    let body = ok(&r, 200);
    assert_eq!(body["state"], "active");
    assert_eq!(body["record"]["body"]["tasks"][0]["member"], "SGP");

    // Situation reports from participants only.
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/sitreps"),
        "SGP/analyst",
        Some(json!({"text": "Two helicopters flying from Yangon", "figures": {"sorties": 14}})),
    )
    .await;
    assert_eq!(ok(&r, 200)["sitreps"][0]["figures"]["sorties"], 14.0);
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/sitreps"),
        "PHL/analyst",
        Some(json!({"text": "We saw it on the news"})),
    )
    .await;
    refused(&r, 409, "PHL takes no part");

    let r = call(
        &app,
        Method::POST,
        &format!("{op}/close"),
        "THA/analyst",
        Some(json!({"after_action": "Relief reached 40 villages; airlift was the bottleneck"})),
    )
    .await;
    let body = ok(&r, 200);
    assert_eq!(body["state"], "closed");
    assert_eq!(body["version_count"], 4, "propose, decide, task, close");

    // Nothing follows a close.
    let r = call(
        &app,
        Method::GET,
        &format!("{op}/plan"),
        "THA/analyst",
        None,
    )
    .await;
    refused(&r, 409, "cannot plan an operation that is closed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/sitreps"),
        "SGP/analyst",
        Some(json!({"text": "late"})),
    )
    .await;
    refused(&r, 409, "cannot report on an operation that is closed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/tasks"),
        "THA/analyst",
        Some(json!({"member": "SGP", "asset_type": "medium-helicopter", "quantity": 1})),
    )
    .await;
    refused(&r, 409, "cannot task an operation that is closed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/votes"),
        "MMR/analyst",
        Some(json!({"position": "support"})),
    )
    .await;
    refused(&r, 409, "cannot vote on an operation that is closed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/decision"),
        "THA/analyst",
        None,
    )
    .await;
    refused(&r, 409, "cannot decide");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/close"),
        "THA/analyst",
        Some(json!({"after_action": "again"})),
    )
    .await;
    refused(&r, 409, "cannot close");

    let r = call(&app, Method::GET, &op, "IDN/admin", None).await;
    let body = ok(&r, 200);
    assert_eq!(body["state"], "closed");
    assert_eq!(body["votes"].as_array().unwrap().len(), 5);
    assert_eq!(body["sitreps"].as_array().unwrap().len(), 1);
    let r = call(
        &app,
        Method::GET,
        "/api/v1/operations?state=closed&forum=asean",
        "IDN/admin",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["total"], 1);

    // A withdrawn pledge leaves the list; withdrawing is its member's alone.
    let uri = format!("/api/v1/pledges/{}", ids["SGP:medium-helicopter"]);
    let reason = Some(json!({"reason": "helicopters back to base"}));
    let r = call(&app, Method::DELETE, &uri, "THA/analyst", reason.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&app, Method::DELETE, &uri, "SGP/analyst", reason.clone()).await;
    assert_eq!(ok(&r, 200)["status"], "retracted");
    let r = call(&app, Method::DELETE, &uri, "SGP/analyst", reason).await;
    refused(&r, 409, "already withdrawn");
    let r = call(&app, Method::GET, "/api/v1/pledges", "JPN/analyst", None).await;
    assert_eq!(ok(&r, 200)["total"], 3);
    // It is listed among the withdrawn ones, as a tombstone.
    let withdrawn = "/api/v1/pledges?status=withdrawn";
    let r = call(&app, Method::GET, withdrawn, "JPN/analyst", None).await;
    let body = ok(&r, 200);
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["id"], ids["SGP:medium-helicopter"]);
    assert_eq!(body["items"][0]["status"], "retracted");
    let r = call(
        &app,
        Method::GET,
        "/api/v1/pledges?status=all",
        "JPN/analyst",
        None,
    )
    .await;
    let body = ok(&r, 200);
    assert_eq!(body["total"], 4);
    let statuses: Vec<&Value> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["status"])
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "retracted").count(), 1);
    let r = call(
        &app,
        Method::GET,
        &format!("{withdrawn}&asset_type=medium-helicopter"),
        "JPN/analyst",
        None,
    )
    .await;
    refused(&r, 400, "hides what was pledged");
    let r = call(
        &app,
        Method::GET,
        "/api/v1/pledges?status=gone",
        "JPN/analyst",
        None,
    )
    .await;
    refused(&r, 400, "expected standing, withdrawn or all");
}

async fn refused_steps_say_why(store: Store) {
    let app = app_with(store, &["THA", "MMR"]).await;
    let propose = |body: Value| {
        let app = &app;
        async move {
            call(
                app,
                Method::POST,
                "/api/v1/operations",
                "THA/analyst",
                Some(body),
            )
            .await
        }
    };
    let with = |path: &[&str], value: Value| {
        let mut b = nargis();
        let mut at = &mut b;
        for p in &path[..path.len() - 1] {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        at[path[path.len() - 1]] = value;
        b
    };
    for (body, field) in [
        (
            with(&["decision_deadline"], json!("2026-11-25T11:00:00Z")),
            "decision_deadline",
        ),
        (
            {
                let mut b = with(
                    &["window"],
                    json!({"start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z"}),
                );
                b["decision_deadline"] = json!("2026-10-02T00:00:00Z");
                for r in b["requirements"].as_array_mut().unwrap() {
                    r["deadline"] = json!("2026-10-05T00:00:00Z");
                }
                b
            },
            "window.end",
        ),
        (
            with(&["window", "start"], json!("2026-11-01T00:00:00Z")),
            "window.start",
        ),
        (
            with(&["requirements", "0", "quantity"], json!(-2)),
            "requirements[0].quantity",
        ),
        (
            with(&["requirements", "0", "quantity"], json!(2.5)),
            "requirements[0].quantity",
        ),
        (
            with(&["requirements", "1", "asset_type"], json!("submarine")),
            "requirements[1].asset_type",
        ),
        (
            with(&["area"], json!({"type": "Polygon", "coordinates": []})),
            "area",
        ),
        (
            with(
                &["area"],
                json!({"type": "Point", "coordinates": [95.0, 16.0]}),
            ),
            "area",
        ),
        (with(&["hosts"], json!(["XYZ"])), "hosts"),
        (with(&["state"], json!("active")), "state"),
        (with(&["colour"], json!("red")), "colour"),
    ] {
        let r = propose(body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let named = r.body["error"]["field"].as_str().unwrap_or_default();
        assert!(named.starts_with(field), "{field} expected, got {}", r.body);
    }
    // A member proposes only in a forum it belongs to.
    let r = call(
        &app,
        Method::POST,
        "/api/v1/operations",
        "JPN/analyst",
        Some(nargis()),
    )
    .await;
    refused(&r, 422, "JPN is not a member of asean");
    assert_eq!(r.body["error"]["field"], "forum");
    // Shared where its proposer could not read the votes: refused.
    let mut elsewhere = nargis();
    elsewhere["distribution"] =
        json!({"tlp": "AMBER", "audience": {"type": "forum", "forum": "jpn-kor-usa"}});
    let r = propose(elsewhere).await;
    refused(&r, 422, "THA is not in the forum jpn-kor-usa");
    assert_eq!(r.body["error"]["field"], "distribution.audience");

    // Bad pledges name their field.
    for (p, field) in [
        (
            pledge("medium-helicopter", -1.0, 13.9, 100.6, 120.0),
            "quantity",
        ),
        (
            pledge("medium-helicopter", 1.5, 13.9, 100.6, 120.0),
            "quantity",
        ),
        (pledge("submarine", 1.0, 13.9, 100.6, 20.0), "asset_type"),
        (pledge("medium-helicopter", 1.0, 95.0, 100.6, 120.0), "base"),
        (
            json!({"asset_type": "medium-helicopter", "quantity": 1, "readiness_hours": 2}),
            "base",
        ),
    ] {
        let r = call(
            &app,
            Method::POST,
            "/api/v1/pledges",
            "THA/analyst",
            Some(p.clone()),
        )
        .await;
        assert_eq!(r.status, 400, "{p}: {}", r.body);
        assert_eq!(r.body["error"]["field"], field, "{p}: {}", r.body);
    }
    // Viewers read but do not pledge.
    let r = call(
        &app,
        Method::POST,
        "/api/v1/pledges",
        "CHN/viewer",
        Some(pledge("medium-helicopter", 1.0, 39.9, 116.4, 120.0)),
    )
    .await;
    assert_eq!(r.status, 403);
    // Joint records do not go around their rules through /reports.
    let mut body = nargis();
    body.as_object_mut()
        .unwrap()
        .retain(|k, _| k != "title" && k != "area");
    let draft = json!({"kind": "operation", "title": "x", "observed_at": "2026-11-25T00:00:00Z",
        "body": body, "distribution": {"tlp": "GREEN", "audience": {"type": "all-members"}}});
    let r = call(
        &app,
        Method::POST,
        "/api/v1/reports",
        "THA/analyst",
        Some(draft),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["error"]["field"], "kind");

    // Lifecycle refusals on a proposed operation.
    let r = propose(nargis()).await;
    let id = ok(&r, 201)["record"]["id"].as_str().unwrap().to_owned();
    let op = format!("/api/v1/operations/{id}");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/tasks"),
        "THA/analyst",
        Some(json!({"member": "MMR", "asset_type": "medium-helicopter", "quantity": 1})),
    )
    .await;
    refused(&r, 409, "cannot task an operation that is proposed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/close"),
        "THA/analyst",
        Some(json!({"after_action": "x"})),
    )
    .await;
    refused(&r, 409, "cannot close an operation that is proposed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/sitreps"),
        "MMR/analyst",
        Some(json!({"text": "x"})),
    )
    .await;
    refused(&r, 409, "cannot report on an operation that is proposed");
    let r = call(
        &app,
        Method::POST,
        &format!("{op}/votes"),
        "MMR/analyst",
        Some(json!({"position": "maybe"})),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    // A non-member of the forum cannot vote even where it can see.
    let public = with(
        &["distribution"],
        json!({"tlp": "GREEN", "audience": {"type": "all-members"}}),
    );
    let r = propose(public).await;
    let open = ok(&r, 201)["record"]["id"].as_str().unwrap().to_owned();
    let r = call(
        &app,
        Method::POST,
        &format!("/api/v1/operations/{open}/votes"),
        "JPN/analyst",
        Some(json!({"position": "support"})),
    )
    .await;
    refused(&r, 403, "JPN is not a member of asean");
    // A rejected operation: one objection under consensus.
    let r = call(
        &app,
        Method::POST,
        &format!("/api/v1/operations/{open}/votes"),
        "MMR/analyst",
        Some(json!({"position": "object", "comment": "we manage alone"})),
    )
    .await;
    ok(&r, 200);
    app.set_now(NOW_MS + 7 * HOUR_MS);
    let r = call(
        &app,
        Method::POST,
        &format!("/api/v1/operations/{open}/decision"),
        "THA/analyst",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["state"], "rejected");
    let r = call(
        &app,
        Method::GET,
        &format!("/api/v1/operations/{open}/plan"),
        "THA/analyst",
        None,
    )
    .await;
    refused(&r, 409, "cannot plan an operation that is rejected");
    // A pledge id is not an operation; an unknown id is not found.
    let r = call(
        &app,
        Method::POST,
        "/api/v1/pledges",
        "THA/analyst",
        Some(pledge("medium-helicopter", 1.0, 13.9, 100.6, 120.0)),
    )
    .await;
    let pid = ok(&r, 201)["id"].as_str().unwrap().to_owned();
    let r = call(
        &app,
        Method::GET,
        &format!("/api/v1/operations/{pid}"),
        "THA/analyst",
        None,
    )
    .await;
    refused(&r, 404, "not an operation");
    let r = call(
        &app,
        Method::GET,
        "/api/v1/operations/019a8a5e-4a00-7000-8000-000000000009",
        "THA/analyst",
        None,
    )
    .await;
    assert_eq!(r.status, 404);
}

async fn pledges_and_operations_stay_inside_their_audience(store: Store) {
    let app = app_with(store, &["THA", "PHL", "MMR"]).await;
    // Thailand shares this pledge with the Philippines only.
    let mut p = pledge("medium-helicopter", 4.0, 13.9, 100.6, 120.0);
    p["distribution"] =
        json!({"tlp": "AMBER", "audience": {"type": "members", "members": ["PHL"]}});
    let r = call(
        &app,
        Method::POST,
        "/api/v1/pledges",
        "THA/analyst",
        Some(p),
    )
    .await;
    let hidden = ok(&r, 201)["id"].as_str().unwrap().to_owned();
    let r = call(
        &app,
        Method::POST,
        "/api/v1/pledges",
        "MMR/analyst",
        Some(pledge("medium-helicopter", 1.0, 16.8, 96.2, 120.0)),
    )
    .await;
    ok(&r, 201);
    for (who, sees) in [
        ("JPN/analyst", false),
        ("PHL/analyst", true),
        ("THA/analyst", true),
    ] {
        let r = call(&app, Method::GET, "/api/v1/pledges", who, None).await;
        let listed = ok(&r, 200)["items"].to_string().contains(&hidden);
        assert_eq!(listed, sees, "{who} list");
        let r = call(
            &app,
            Method::GET,
            &format!("/api/v1/pledges/{hidden}"),
            who,
            None,
        )
        .await;
        assert_eq!(r.status == 200, sees, "{who} get: {}", r.body);
    }
    // Nobody outside the audience learns it exists by withdrawing it.
    let r = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/pledges/{hidden}"),
        "JPN/analyst",
        Some(json!({"reason": "x"})),
    )
    .await;
    assert_eq!(r.status, 404);
    // An operation all members can see: each plans with what it may see.
    let mut body = nargis();
    body["distribution"] = json!({"tlp": "GREEN", "audience": {"type": "all-members"}});
    let r = call(
        &app,
        Method::POST,
        "/api/v1/operations",
        "THA/analyst",
        Some(body),
    )
    .await;
    let id = ok(&r, 201)["record"]["id"].as_str().unwrap().to_owned();
    let plan_as = |who: &'static str| {
        let app = &app;
        let uri = format!("/api/v1/operations/{id}/plan?policy=fast");
        async move { call(app, Method::GET, &uri, who, None).await }
    };
    let r = plan_as("JPN/analyst").await;
    let jpn = ok(&r, 200);
    assert_eq!(jpn["pledges_considered"], 1);
    assert!(!jpn.to_string().contains(&hidden), "{jpn}");
    let r = plan_as("PHL/analyst").await;
    let phl = ok(&r, 200);
    assert_eq!(phl["pledges_considered"], 2);
    assert!(phl["assignments"].to_string().contains(&hidden), "{phl}");
    // An operation shared with its forum is invisible to outsiders.
    let r = call(
        &app,
        Method::POST,
        "/api/v1/operations",
        "THA/analyst",
        Some(nargis()),
    )
    .await;
    let forum_only = ok(&r, 201)["record"]["id"].as_str().unwrap().to_owned();
    for uri in [
        format!("/api/v1/operations/{forum_only}"),
        format!("/api/v1/operations/{forum_only}/plan"),
    ] {
        let r = call(&app, Method::GET, &uri, "JPN/analyst", None).await;
        assert_eq!(r.status, 404, "{uri}: {}", r.body);
    }
    let r = call(&app, Method::GET, "/api/v1/operations", "JPN/analyst", None).await;
    let listed = ok(&r, 200)["items"].to_string();
    assert!(listed.contains(&id) && !listed.contains(&forum_only));
    // Votes on it are shared like the operation: an outsider sees none.
    let r = call(
        &app,
        Method::POST,
        &format!("/api/v1/operations/{forum_only}/votes"),
        "MMR/analyst",
        Some(json!({"position": "support"})),
    )
    .await;
    ok(&r, 200);
    let r = call(
        &app,
        Method::GET,
        "/api/v1/reports?kind=vote",
        "JPN/analyst",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["total"], 0);
    let r = call(
        &app,
        Method::GET,
        "/api/v1/reports?kind=vote",
        "PHL/analyst",
        None,
    )
    .await;
    assert_eq!(ok(&r, 200)["total"], 1);
}
