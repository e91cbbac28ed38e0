//! Reports over HTTP: every read path honours the audience, writes follow
//! the originator rule, bad drafts are named field by field, and the log's
//! heads and proofs verify.

use axum::http::Method;
use serde_json::{Value, json};
use store::{Store, backends};

use crate::harness::TestApp;

backends!(
    reports_are_created_read_updated_and_retracted,
    no_path_shows_a_record_outside_its_audience,
    bad_drafts_are_named_field_by_field,
    search_filters_and_pages,
    exports_carry_only_visible_records,
    tree_heads_and_proofs_verify,
    sharing_groups_widen_an_audience,
);

fn draft(title: &str, audience: Value) -> String {
    let tlp = if audience["type"] == "public" {
        "CLEAR"
    } else {
        "AMBER"
    };
    json!({
        "kind": "piracy",
        "title": title,
        "observed_at": "2026-11-20T21:30:00Z",
        "location": {"type": "Point", "coordinates": [104.1, 1.25]},
        "place": "Singapore Strait",
        "body": {"attack_type": "boarded", "perpetrators": 4, "weapons": "knives"},
        "distribution": {"tlp": tlp, "audience": audience}
    })
    .to_string()
}

async fn post(app: &TestApp, who: &str, body: &str) -> crate::harness::Reply {
    app.send(
        Method::POST,
        "/api/v1/reports",
        Some(app.token(who)),
        Some(body),
    )
    .await
}

async fn reports_are_created_read_updated_and_retracted(store: Store) {
    let app = TestApp::new(store).await;
    let r = post(
        &app,
        "JPN/analyst",
        &draft("Boarding, eastbound lane", json!({"type": "all-members"})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["originator"]["member"], "JPN");
    assert_eq!(r.body["originator"]["agency"], "test agency");
    assert_eq!(r.body["body"]["weapons"], "knives");
    // A viewer may read but not file.
    let r = post(
        &app,
        "CHN/viewer",
        &draft("x", json!({"type": "all-members"})),
    )
    .await;
    assert_eq!(r.status, 403);
    // Only the originating member may change it.
    let uri = format!("/api/v1/reports/{id}");
    let update = draft(
        "Boarding, eastbound lane (4 robbers)",
        json!({"type": "all-members"}),
    );
    let r = app
        .send(
            Method::PUT,
            &uri,
            Some(app.token("IDN/admin")),
            Some(&update),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .send(
            Method::PUT,
            &uri,
            Some(app.token("JPN/analyst")),
            Some(&update),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    let r = app
        .send(Method::GET, &uri, Some(app.token("CHN/viewer")), None)
        .await;
    assert_eq!(r.body["version_count"], 2);
    assert_eq!(r.body["versions"].as_array().unwrap().len(), 2);
    let reason = json!({"reason": "duplicate of an IMB report"}).to_string();
    let r = app
        .send(
            Method::DELETE,
            &uri,
            Some(app.token("JPN/analyst")),
            Some(&reason),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "retracted");
    assert!(r.body.get("title").is_none());
    let r = app
        .send(Method::GET, &uri, Some(app.token("CHN/viewer")), None)
        .await;
    assert_eq!(
        r.body["versions"].as_array().unwrap().len(),
        1,
        "content hidden after retraction"
    );
    let r = app
        .send(
            Method::DELETE,
            &uri,
            Some(app.token("JPN/analyst")),
            Some(&reason),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app.get("/api/v1/reports").await;
    assert_eq!(
        r.body["total"], 0,
        "retracted records leave ordinary search"
    );
    let r = app.get("/api/v1/reports?status=retracted").await;
    assert_eq!(r.body["total"], 1);
    let r = app.get("/api/v1/reports/not-a-uuid").await;
    assert_eq!(
        (r.status.as_u16(), r.body["error"]["field"].as_str()),
        (400, Some("id"))
    );
}

async fn no_path_shows_a_record_outside_its_audience(store: Store) {
    let app = TestApp::new(store).await;
    // JPN shares with ASEAN (IDN is in it, CHN is not) and with CHN by name.
    let asean = post(
        &app,
        "JPN/analyst",
        &draft("to ASEAN", json!({"type": "forum", "forum": "asean"})),
    )
    .await;
    let named = post(
        &app,
        "JPN/analyst",
        &draft("to China", json!({"type": "members", "members": ["CHN"]})),
    )
    .await;
    let mine = post(
        &app,
        "JPN/analyst",
        &draft("own eyes", json!({"type": "originator"})),
    )
    .await;
    let public = post(
        &app,
        "JPN/analyst",
        &draft("public", json!({"type": "public"})),
    )
    .await;
    let id = |r: &crate::harness::Reply| r.body["id"].as_str().unwrap().to_owned();
    let cases = [
        (
            "IDN/admin",
            vec![id(&asean), id(&public)],
            vec![id(&named), id(&mine)],
        ),
        (
            "CHN/viewer",
            vec![id(&named), id(&public)],
            vec![id(&asean), id(&mine)],
        ),
    ];
    for (who, visible, hidden) in cases {
        let token = app.token(who);
        let r = app
            .send(
                Method::GET,
                "/api/v1/reports?facets=true",
                Some(token),
                None,
            )
            .await;
        let listed: Vec<String> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(r.body["total"], visible.len(), "{who}");
        assert_eq!(
            r.body["facets"]["originator"]["JPN"],
            visible.len(),
            "{who}"
        );
        for v in &visible {
            assert!(listed.contains(v), "{who} should list {v}");
            let r = app
                .send(
                    Method::GET,
                    &format!("/api/v1/reports/{v}"),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(r.status, 200, "{who} reads {v}");
        }
        for h in &hidden {
            assert!(!listed.contains(h), "{who} must not list {h}");
            let r = app
                .send(
                    Method::GET,
                    &format!("/api/v1/reports/{h}"),
                    Some(token),
                    None,
                )
                .await;
            assert_eq!(r.status, 404, "{who} must not read {h}");
            // Nor learn that it exists by trying to change it.
            let r = app
                .send(
                    Method::DELETE,
                    &format!("/api/v1/reports/{h}"),
                    Some(app.token("IDN/admin")),
                    Some(r#"{"reason":"x"}"#),
                )
                .await;
            if who == "IDN/admin" {
                assert_eq!(r.status, 404);
            }
        }
        let (_, _, exported) = app
            .get_text("/api/v1/reports/export?format=csv", Some(token))
            .await;
        for h in &hidden {
            assert!(!exported.contains(h.as_str()), "{who} export leaks {h}");
        }
        assert_eq!(
            exported.lines().count(),
            1 + visible.len(),
            "{who}: {exported}"
        );
    }
    // Anonymous readers get the public feed and nothing else.
    let (status, content_type, feed) = app.get_text("/feeds/public.geojson", None).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/geo+json");
    let feed: Value = serde_json::from_str(&feed).unwrap();
    assert_eq!(feed["features"].as_array().unwrap().len(), 1);
    assert!(feed.to_string().contains(&id(&public)));
    let (status, _, _) = app.get_text("/api/v1/reports", None).await;
    assert_eq!(status, 401);
}

async fn bad_drafts_are_named_field_by_field(store: Store) {
    let app = TestApp::new(store).await;
    let bad = json!({
        "kind": "piracy",
        "title": "",
        "observed_at": "last tuesday",
        "body": {"attack_type": "boarded", "perpetrators": -3, "colour": "red"},
        "distribution": {"tlp": "AMBER", "audience": {"type": "public"}},
        "severity": 3
    })
    .to_string();
    let r = post(&app, "JPN/analyst", &bad).await;
    assert_eq!(r.status, 400);
    let message = r.body["error"]["message"].as_str().unwrap();
    for field in [
        "severity",
        "title",
        "observed_at",
        "distribution",
        "body.colour",
    ] {
        assert!(message.contains(field), "{field} not named in {message}");
    }
    let unknown_forum = draft("x", json!({"type": "forum", "forum": "nato"}));
    let r = post(&app, "JPN/analyst", &unknown_forum).await;
    assert_eq!(
        (r.status.as_u16(), r.body["error"]["field"].as_str()),
        (400, Some("distribution.audience"))
    );
    let future = draft("x", json!({"type": "all-members"})).replace("2026-11-20", "2027-01-01");
    let r = post(&app, "JPN/analyst", &future).await;
    assert_eq!(r.body["error"]["field"], "observed_at");
    let r = app
        .send(
            Method::POST,
            "/api/v1/reports",
            Some(app.token("JPN/analyst")),
            Some("{not json"),
        )
        .await;
    assert_eq!(r.status, 400);
    for query in [
        "bbox=1,2,3",
        "from=yesterday",
        "function=cooking",
        "limit=0",
        "cursor=zzz",
        "member=XXX",
        "status=old",
        "colour=red",
        "from=2026-02-01&to=2026-01-01",
    ] {
        let r = app.get(&format!("/api/v1/reports?{query}")).await;
        assert_eq!(r.status, 400, "{query}: {}", r.body);
    }
    let r = app.get("/api/v1/report-kinds/piracy/schema").await;
    assert!(r.body["properties"]["attack_type"].is_object());
    let r = app.get("/api/v1/report-kinds/poetry/schema").await;
    assert_eq!(r.status, 404);
    // Nothing was stored by any of it.
    let r = app.get("/api/v1/reports?status=all").await;
    assert_eq!(r.body["total"], 0);
}

async fn search_filters_and_pages(store: Store) {
    let app = TestApp::new(store).await;
    for (i, (lon, lat, place)) in [
        (104.1, 1.25, "Singapore Strait"),
        (120.9, 14.6, "Manila"),
        (98.7, 3.8, "Belawan"),
    ]
    .iter()
    .enumerate()
    {
        for day in 1..=4 {
            let body = json!({
                "kind": "piracy",
                "title": format!("Incident {i}-{day} off {place}"),
                "observed_at": format!("2026-10-{:02}T0{i}:00:00Z", day * 5),
                "location": {"type": "Point", "coordinates": [lon, lat]},
                "body": {"attack_type": if day % 2 == 0 { "attempted" } else { "boarded" }},
                "distribution": {"tlp": "GREEN", "audience": {"type": "all-members"}}
            });
            assert_eq!(
                post(&app, "JPN/analyst", &body.to_string()).await.status,
                201
            );
        }
    }
    let total = |q: &str| {
        let q = q.to_owned();
        let app = &app;
        async move {
            let r = app.get(&format!("/api/v1/reports?{q}")).await;
            assert_eq!(r.status, 200, "{q}: {}", r.body);
            r.body["total"].as_u64().unwrap()
        }
    };
    assert_eq!(total("").await, 12);
    assert_eq!(total("bbox=95,0,110,5").await, 8);
    assert_eq!(total("q=manila").await, 4);
    assert_eq!(total("from=2026-10-10&to=2026-10-15").await, 6);
    assert_eq!(total("member=JPN&function=piracy&kind=piracy").await, 12);
    assert_eq!(total("member=CHN").await, 0);
    let polygon = json!({"type": "Polygon", "coordinates": [[[118, 13], [123, 13], [123, 16], [118, 16], [118, 13]]]}).to_string();
    let encoded: String = polygon.bytes().map(|b| format!("%{b:02X}")).collect();
    assert_eq!(total(&format!("polygon={encoded}")).await, 4);
    let mut seen = std::collections::BTreeSet::new();
    let mut next = String::new();
    loop {
        let r = app.get(&format!("/api/v1/reports?limit=5{next}")).await;
        for item in r.body["items"].as_array().unwrap() {
            assert!(
                seen.insert(item["id"].as_str().unwrap().to_owned()),
                "repeated"
            );
        }
        match r.body["next"].as_str() {
            Some(c) => next = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 12);
}

async fn exports_carry_only_visible_records(store: Store) {
    let app = TestApp::new(store).await;
    post(
        &app,
        "JPN/analyst",
        &draft("shared", json!({"type": "all-members"})),
    )
    .await;
    let token = app.token("CHN/viewer");
    let (status, content_type, stix) = app
        .get_text("/api/v1/reports/export?format=stix", Some(token))
        .await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/stix+json"),
        "{content_type}"
    );
    let bundle: Value = serde_json::from_str(&stix).unwrap();
    assert_eq!(bundle["type"], "bundle");
    let types: Vec<&str> = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["type"].as_str().unwrap())
        .collect();
    for t in [
        "incident",
        "location",
        "identity",
        "report",
        "sighting",
        "marking-definition",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    let (_, content_type, geojson) = app
        .get_text("/api/v1/reports/export?format=geojson", Some(token))
        .await;
    assert_eq!(content_type, "application/geo+json");
    let fc: Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), 1);
    let (status, _, body) = app
        .get_text("/api/v1/reports/export?format=pdf", Some(token))
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _, _) = app
        .get_text("/api/v1/reports?format=csv", Some(token))
        .await;
    assert_eq!(status, 400);
}

async fn tree_heads_and_proofs_verify(store: Store) {
    let app = TestApp::new(store).await;
    let r = app.get("/api/v1/log/tree-head").await;
    assert_eq!(r.status, 404);
    let mut seqs = Vec::new();
    for i in 0..5 {
        let r = post(
            &app,
            "JPN/analyst",
            &draft(&format!("r{i}"), json!({"type": "all-members"})),
        )
        .await;
        seqs.push(r.body["seq"].as_u64().unwrap());
    }
    assert_eq!(seqs, [0, 1, 2, 3, 4]);
    let head = app.get("/api/v1/log/tree-head").await.body;
    assert_eq!(head["tree_size"], 5);
    let key = ledger::NodePublicKey::parse_hex(head["public_key"].as_str().unwrap()).unwrap();
    let signed = ledger::SignedTreeHead {
        head: ledger::TreeHead {
            tree_size: 5,
            root_hash: ledger::Hash::parse_hex(head["root_hash"].as_str().unwrap()).unwrap(),
            timestamp_ms: head["timestamp_ms"].as_u64().unwrap(),
        },
        signature: ledger::Signature::parse_hex(head["signature"].as_str().unwrap()).unwrap(),
    };
    signed.verify(&key).unwrap();
    let proof = app.get("/api/v1/log/proof/inclusion?seq=2").await.body;
    let path: Vec<ledger::Hash> = proof["audit_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| ledger::Hash::parse_hex(h.as_str().unwrap()).unwrap())
        .collect();
    let leaf = ledger::Hash::parse_hex(proof["leaf_hash"].as_str().unwrap()).unwrap();
    ledger::verify_inclusion(&leaf, 2, 5, &path, &signed.head.root_hash).unwrap();
    let r = app.get("/api/v1/log/proof/consistency?old_size=2").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["new_size"], 5);
    let r = app.get("/api/v1/log/proof/inclusion?seq=9").await;
    assert_eq!(r.status, 404);
    let r = app.get("/api/v1/log/proof/consistency?old_size=9").await;
    assert_eq!(r.status, 422, "{}", r.body);
}

async fn sharing_groups_widen_an_audience(store: Store) {
    let app = TestApp::new(store).await;
    let group =
        json!({"id": "strait-watch", "name": "Strait watch", "members": ["CHN"]}).to_string();
    let r = app
        .send(
            Method::POST,
            "/api/v1/groups",
            Some(app.token("JPN/analyst")),
            Some(&group),
        )
        .await;
    assert_eq!(r.status, 403, "analysts cannot make groups");
    let r = app
        .send(
            Method::POST,
            "/api/v1/groups",
            Some(app.token("IDN/admin")),
            Some(&group),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["members"], json!(["CHN", "IDN"]));
    let r = app
        .send(
            Method::POST,
            "/api/v1/groups",
            Some(app.token("IDN/admin")),
            Some(&group),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = post(
        &app,
        "IDN/admin",
        &draft(
            "group only",
            json!({"type": "group", "group": "strait-watch"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .send(
            Method::GET,
            "/api/v1/reports",
            Some(app.token("CHN/viewer")),
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1);
    let r = app.get("/api/v1/reports").await;
    assert_eq!(r.body["total"], 0, "JPN is not in the group");
    let r = app
        .send(
            Method::GET,
            "/api/v1/groups",
            Some(app.token("CHN/viewer")),
            None,
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    let r = post(
        &app,
        "IDN/admin",
        &draft("x", json!({"type": "group", "group": "nobody"})),
    )
    .await;
    assert_eq!(r.status, 400);
}
