//! TAXII 2.1: discovery, collections, objects with paging and filters,
//! manifest, versions, one object, errors, and the distribution policy on
//! every one of them.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use model::export::stix;
use serde_json::{Value, json};
use server::routes::taxii::{TAXII_MEDIA_TYPE, collection_id};
use store::{Store, backends};
use tower::ServiceExt;

use crate::harness::TestApp;

backends!(
    discovery_root_and_collections,
    objects_page_with_limit_next_and_added_after,
    match_filters_select_objects_and_versions,
    manifest_lists_what_objects_return,
    one_object_and_its_versions,
    retracted_records_are_revoked_objects,
    no_taxii_response_shows_a_record_outside_its_audience,
    errors_are_taxii_messages,
);

const ROOT: &str = "/taxii2/api1";

fn piracy_collection() -> String {
    format!(
        "{ROOT}/collections/{}",
        collection_id(model::Function::Piracy)
    )
}

struct Taxii {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

/// GET `uri` with `Authorization: <auth>` and `Accept: <accept>` when given.
async fn get(app: &TestApp, uri: &str, auth: Option<&str>, accept: Option<&str>) -> Taxii {
    let mut req = Request::builder().method(Method::GET).uri(uri);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    let resp = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "{uri}: response is not JSON: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(
        headers[header::CONTENT_TYPE],
        TAXII_MEDIA_TYPE,
        "{uri}: {body}"
    );
    Taxii {
        status,
        headers,
        body,
    }
}

/// GET as `who` (a harness user) with the TAXII Accept header.
async fn get_as(app: &TestApp, who: &str, uri: &str) -> Taxii {
    let auth = format!("Bearer {}", app.token(who));
    get(app, uri, Some(&auth), Some(TAXII_MEDIA_TYPE)).await
}

fn piracy(title: &str, audience: Value, located: bool) -> String {
    let mut d = json!({
        "kind": "piracy",
        "title": title,
        "observed_at": "2026-11-20T21:30:00Z",
        "body": {"attack_type": "boarded"},
        "distribution": {"tlp": "AMBER", "audience": audience}
    });
    if located {
        d["location"] = json!({"type": "Point", "coordinates": [104.1, 1.25]});
    }
    d.to_string()
}

fn disaster() -> String {
    json!({
        "kind": "disaster", "title": "Typhoon landfall, Samar",
        "observed_at": "2026-11-18T03:00:00Z",
        "body": {"hazard": "tropical_cyclone", "affected_population": 250000},
        "distribution": {"tlp": "AMBER", "audience": {"type": "all-members"}}
    })
    .to_string()
}

/// Files a report as `who`; returns its record id.
async fn file(app: &TestApp, who: &str, body: &str) -> String {
    let r = app
        .send(
            Method::POST,
            "/api/v1/reports",
            Some(app.token(who)),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

fn incident_of(record: &str) -> String {
    stix::incident_id(record.parse().unwrap())
}

fn objects(t: &Taxii) -> &[Value] {
    t.body["objects"].as_array().map_or(&[], Vec::as_slice)
}

fn of_type<'a>(t: &'a Taxii, kind: &str) -> Vec<&'a Value> {
    objects(t).iter().filter(|o| o["type"] == kind).collect()
}

fn record_version(o: &Value) -> u64 {
    o["extensions"][stix::RECORD_EXTENSION]["record_version"]
        .as_u64()
        .unwrap()
}

/// Every object of `uri` (which has no other query) as `who`, a page of
/// `limit` at a time; checks the paging invariants on the way.
async fn all_pages(app: &TestApp, who: &str, uri: &str, limit: usize) -> Vec<Value> {
    let mut all = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..100 {
        let sep = if uri.contains('?') { '&' } else { '?' };
        let page_uri = match &next {
            None => format!("{uri}{sep}limit={limit}"),
            Some(n) => format!("{uri}{sep}limit={limit}&next={n}"),
        };
        let page = get_as(app, who, &page_uri).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let got = objects(&page);
        assert!(got.len() <= limit);
        if page.body["more"] == true {
            assert_eq!(got.len(), limit, "a page with more is full");
        }
        if !got.is_empty() {
            assert!(page.headers.contains_key("x-taxii-date-added-first"));
            assert!(page.headers.contains_key("x-taxii-date-added-last"));
        }
        all.extend(got.iter().cloned());
        match page.body["next"].as_str() {
            Some(n) => {
                assert_eq!(page.body["more"], true);
                next = Some(n.to_owned());
            }
            None => {
                assert_eq!(page.body["more"], false);
                return all;
            }
        }
    }
    panic!("paging did not end");
}

async fn discovery_root_and_collections(store: Store) {
    let app = TestApp::new(store).await;
    let d = get_as(&app, "CHN/viewer", "/taxii2/").await;
    assert_eq!(d.status, 200);
    assert!(d.body["title"].is_string());
    assert_eq!(d.body["default"], "/taxii2/api1/");
    assert_eq!(d.body["api_roots"], json!(["/taxii2/api1/"]));

    let r = get_as(&app, "CHN/viewer", "/taxii2/api1/").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["versions"], json!([TAXII_MEDIA_TYPE]));
    assert!(r.body["max_content_length"].as_u64().unwrap() > 0);
    assert!(r.body["title"].is_string());

    let c = get_as(&app, "CHN/viewer", "/taxii2/api1/collections/").await;
    assert_eq!(c.status, 200);
    let list = c.body["collections"].as_array().unwrap();
    assert_eq!(list.len(), model::Function::ALL.len());
    let ids: BTreeSet<&str> = list.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), list.len(), "ids are distinct");
    for c in list {
        let id = c["id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id} is a UUID");
        assert_eq!(c["can_read"], true);
        assert_eq!(c["can_write"], false);
        assert_eq!(
            c["media_types"],
            json!(["application/stix+json;version=2.1"])
        );
        assert!(c["title"].is_string());
        let one = get_as(&app, "CHN/viewer", &format!("{ROOT}/collections/{id}/")).await;
        assert_eq!(one.status, 200);
        assert_eq!(&one.body, c);
    }
    // The alias (the function id) names the same collection.
    let by_alias = get_as(&app, "CHN/viewer", &format!("{ROOT}/collections/piracy/")).await;
    assert_eq!(by_alias.body["id"], collection_id(model::Function::Piracy));
}

async fn objects_page_with_limit_next_and_added_after(store: Store) {
    let app = TestApp::new(store).await;
    let mut incidents = BTreeSet::new();
    for i in 0..3 {
        let id = file(
            &app,
            "JPN/analyst",
            &piracy(
                &format!("boarding {i}"),
                json!({"type": "all-members"}),
                true,
            ),
        )
        .await;
        incidents.insert(incident_of(&id));
    }
    // One without a location: incident, sighting and report only.
    file(
        &app,
        "JPN/analyst",
        &piracy("no position", json!({"type": "all-members"}), false),
    )
    .await;
    file(&app, "JPN/analyst", &disaster()).await;

    let uri = format!("{}/objects/", piracy_collection());
    let whole = get_as(&app, "CHN/viewer", &uri).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body["more"], false);
    assert!(whole.body.get("next").is_none());
    assert_eq!(objects(&whole).len(), 3 * 5 + 3);
    for limit in [1, 4, 5, 7, 18, 1000] {
        let paged = all_pages(&app, "CHN/viewer", &uri, limit).await;
        assert_eq!(paged, objects(&whole), "limit {limit}");
    }
    let got: BTreeSet<String> = of_type(&whole, "incident")
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(incidents.is_subset(&got));
    for o in objects(&whole) {
        assert_eq!(o["spec_version"], "2.1");
    }
    let first = whole.headers["x-taxii-date-added-first"].to_str().unwrap();
    assert_eq!(first, "2026-11-25T12:00:00.000Z");

    // added_after: strictly after.
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{uri}?added_after=2026-11-25T12:00:00Z"),
    )
    .await;
    assert_eq!(t.status, 200);
    assert!(objects(&t).is_empty());
    assert_eq!(t.body["more"], false);
    assert!(!t.headers.contains_key("x-taxii-date-added-first"));
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{uri}?added_after=2026-11-25T11:59:59.999Z"),
    )
    .await;
    assert_eq!(objects(&t).len(), 18);

    // The disaster collection holds only the disaster report.
    let d = get_as(
        &app,
        "CHN/viewer",
        &format!(
            "{ROOT}/collections/{}/objects/",
            collection_id(model::Function::Disaster)
        ),
    )
    .await;
    assert_eq!(of_type(&d, "incident").len(), 1);
    assert_eq!(
        of_type(&d, "incident")[0]["name"],
        "Typhoon landfall, Samar"
    );
    // An empty collection is an envelope without objects.
    let e = get_as(
        &app,
        "CHN/viewer",
        &format!(
            "{ROOT}/collections/{}/objects/",
            collection_id(model::Function::Finance)
        ),
    )
    .await;
    assert_eq!(e.body, json!({"more": false}));
}

async fn match_filters_select_objects_and_versions(store: Store) {
    let app = TestApp::new(store).await;
    let a = file(
        &app,
        "JPN/analyst",
        &piracy("first", json!({"type": "all-members"}), true),
    )
    .await;
    file(
        &app,
        "JPN/analyst",
        &piracy("second", json!({"type": "all-members"}), true),
    )
    .await;
    // A second version of `a`, without the location.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/reports/{a}"),
            Some(app.token("JPN/analyst")),
            Some(&piracy(
                "first, revised",
                json!({"type": "all-members"}),
                false,
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let uri = format!("{}/objects/", piracy_collection());
    let q = |query: &str| format!("{uri}?{query}");

    let t = get_as(&app, "CHN/viewer", &q("match[type]=incident")).await;
    assert_eq!(t.status, 200);
    assert_eq!(objects(&t).len(), 2);
    assert!(objects(&t).iter().all(|o| o["type"] == "incident"));
    let t = get_as(&app, "CHN/viewer", &q("match[type]=location,sighting")).await;
    // Both sightings; the location of `a` only in version 1, which is its
    // last version.
    assert_eq!(of_type(&t, "sighting").len(), 2);
    assert_eq!(of_type(&t, "location").len(), 2);
    assert_eq!(objects(&t).len(), 4);

    let ia = incident_of(&a);
    let t = get_as(&app, "CHN/viewer", &q(&format!("match[id]={ia}"))).await;
    assert_eq!(objects(&t).len(), 1);
    assert_eq!(objects(&t)[0]["name"], "first, revised");
    assert_eq!(record_version(&objects(&t)[0]), 2);

    let t = get_as(
        &app,
        "CHN/viewer",
        &q(&format!("match[id]={ia}&match[version]=all")),
    )
    .await;
    let versions: Vec<u64> = objects(&t).iter().map(record_version).collect();
    assert_eq!(versions, [1, 2]);
    let t = get_as(
        &app,
        "CHN/viewer",
        &q(&format!("match[id]={ia}&match[version]=first")),
    )
    .await;
    assert_eq!(
        objects(&t).iter().map(record_version).collect::<Vec<_>>(),
        [1]
    );
    let t = get_as(
        &app,
        "CHN/viewer",
        &q(&format!("match[id]={ia}&match[version]=first,last")),
    )
    .await;
    assert_eq!(objects(&t).len(), 2);
    // A `modified` timestamp (both versions were filed at the test's "now").
    let t = get_as(
        &app,
        "CHN/viewer",
        &q(&format!(
            "match[id]={ia}&match[version]=2026-11-25T12:00:00.000Z"
        )),
    )
    .await;
    assert_eq!(objects(&t).len(), 2);
    let t = get_as(
        &app,
        "CHN/viewer",
        &q(&format!(
            "match[id]={ia}&match[version]=2020-01-01T00:00:00Z"
        )),
    )
    .await;
    assert!(objects(&t).is_empty());

    let t = get_as(&app, "CHN/viewer", &q("match[spec_version]=2.0")).await;
    assert!(objects(&t).is_empty());
    let t = get_as(&app, "CHN/viewer", &q("match[spec_version]=2.0,2.1")).await;
    assert_eq!(objects(&t).len(), 3 + 5 + 2);
    // All versions, paged, equal all versions at once.
    let all = get_as(&app, "CHN/viewer", &q("match[version]=all")).await;
    assert_eq!(objects(&all).len(), 5 + 3 + 5);
    let paged = all_pages(&app, "CHN/viewer", &q("match[version]=all"), 2).await;
    assert_eq!(paged, objects(&all));
}

async fn manifest_lists_what_objects_return(store: Store) {
    let app = TestApp::new(store).await;
    for i in 0..2 {
        file(
            &app,
            "JPN/analyst",
            &piracy(&format!("m{i}"), json!({"type": "all-members"}), true),
        )
        .await;
    }
    let objects_page = get_as(
        &app,
        "IDN/admin",
        &format!("{}/objects/", piracy_collection()),
    )
    .await;
    let m = get_as(
        &app,
        "IDN/admin",
        &format!("{}/manifest/", piracy_collection()),
    )
    .await;
    assert_eq!(m.status, 200);
    assert_eq!(m.body["more"], false);
    let entries = m.body["objects"].as_array().unwrap();
    assert_eq!(entries.len(), objects(&objects_page).len());
    for (e, o) in entries.iter().zip(objects(&objects_page)) {
        assert_eq!(e["id"], o["id"]);
        assert_eq!(e["version"], o["modified"]);
        assert_eq!(e["date_added"], "2026-11-25T12:00:00.000Z");
        assert_eq!(e["media_type"], "application/stix+json;version=2.1");
    }
    assert!(m.headers.contains_key("x-taxii-date-added-last"));
    let m = get_as(
        &app,
        "IDN/admin",
        &format!(
            "{}/manifest/?limit=3&match[type]=report",
            piracy_collection()
        ),
    )
    .await;
    assert_eq!(m.body["objects"].as_array().unwrap().len(), 2);
    assert_eq!(m.body["more"], false);
}

async fn one_object_and_its_versions(store: Store) {
    let app = TestApp::new(store).await;
    let a = file(
        &app,
        "JPN/analyst",
        &piracy("one", json!({"type": "all-members"}), true),
    )
    .await;
    let ia = incident_of(&a);
    let base = format!("{}/objects/{ia}", piracy_collection());
    let t = get_as(&app, "CHN/viewer", &format!("{base}/")).await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(objects(&t).len(), 1);
    assert_eq!(objects(&t)[0]["id"], ia);
    let v = get_as(&app, "CHN/viewer", &format!("{base}/versions/")).await;
    assert_eq!(v.status, 200);
    assert_eq!(v.body["versions"], json!(["2026-11-25T12:00:00.000Z"]));
    assert_eq!(v.body["more"], false);

    app.send(
        Method::PUT,
        &format!("/api/v1/reports/{a}"),
        Some(app.token("JPN/analyst")),
        Some(&piracy(
            "one, revised",
            json!({"type": "all-members"}),
            true,
        )),
    )
    .await;
    let t = get_as(&app, "CHN/viewer", &format!("{base}/")).await;
    assert_eq!(objects(&t).len(), 1);
    assert_eq!(objects(&t)[0]["name"], "one, revised");
    let t = get_as(&app, "CHN/viewer", &format!("{base}/?match[version]=all")).await;
    assert_eq!(objects(&t).len(), 2);
    let v = get_as(&app, "CHN/viewer", &format!("{base}/versions/")).await;
    assert_eq!(v.body["versions"].as_array().unwrap().len(), 2);
    let v = get_as(&app, "CHN/viewer", &format!("{base}/versions/?limit=1")).await;
    assert_eq!(v.body["versions"].as_array().unwrap().len(), 1);
    assert_eq!(v.body["more"], true);
    let next = v.body["next"].as_str().unwrap();
    let v = get_as(
        &app,
        "CHN/viewer",
        &format!("{base}/versions/?limit=1&next={next}"),
    )
    .await;
    assert_eq!(v.body["versions"].as_array().unwrap().len(), 1);
    assert_eq!(v.body["more"], false);

    // Unknown objects, and objects of another collection, are not found.
    let other = incident_of("01936f4e-8a2b-7c3d-9e4f-0123456789ab");
    for uri in [
        format!("{}/objects/{other}/", piracy_collection()),
        format!("{}/objects/{other}/versions/", piracy_collection()),
        format!(
            "{ROOT}/collections/{}/objects/{ia}/",
            collection_id(model::Function::Health)
        ),
    ] {
        let t = get_as(&app, "CHN/viewer", &uri).await;
        assert_eq!(t.status, 404, "{uri}");
        assert_eq!(t.body["http_status"], "404");
    }
}

async fn retracted_records_are_revoked_objects(store: Store) {
    let app = TestApp::new(store).await;
    let a = file(
        &app,
        "JPN/analyst",
        &piracy("to withdraw", json!({"type": "all-members"}), true),
    )
    .await;
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/reports/{a}"),
            Some(app.token("JPN/analyst")),
            Some(&json!({"reason": "duplicate"}).to_string()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Still in the piracy collection, as revoked objects, with no content.
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{}/objects/", piracy_collection()),
    )
    .await;
    let kinds: Vec<&str> = objects(&t)
        .iter()
        .map(|o| o["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["incident", "sighting", "report"]);
    assert!(objects(&t).iter().all(|o| o["revoked"] == true));
    assert!(!t.body.to_string().contains("to withdraw"));
    // Every version: only the tombstone, since retraction hides the rest.
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{}/objects/?match[version]=all", piracy_collection()),
    )
    .await;
    assert_eq!(objects(&t).len(), 3);
    let v = get_as(
        &app,
        "CHN/viewer",
        &format!(
            "{}/objects/{}/versions/",
            piracy_collection(),
            incident_of(&a)
        ),
    )
    .await;
    assert_eq!(v.body["versions"].as_array().unwrap().len(), 1);
    // And in no other collection.
    let d = get_as(
        &app,
        "CHN/viewer",
        &format!(
            "{ROOT}/collections/{}/objects/",
            collection_id(model::Function::Disaster)
        ),
    )
    .await;
    assert!(objects(&d).is_empty());
}

async fn no_taxii_response_shows_a_record_outside_its_audience(store: Store) {
    let app = TestApp::new(store).await;
    let secret = file(
        &app,
        "JPN/analyst",
        &piracy(
            "for ASEAN only",
            json!({"type": "forum", "forum": "asean"}),
            true,
        ),
    )
    .await;
    let open = file(
        &app,
        "JPN/analyst",
        &piracy("for everyone", json!({"type": "all-members"}), true),
    )
    .await;
    let is = incident_of(&secret);
    let col = piracy_collection();
    let uris = [
        format!("{col}/objects/"),
        format!("{col}/objects/?match[version]=all"),
        format!("{col}/manifest/"),
        format!("{col}/manifest/?match[version]=all"),
    ];
    // China is not in ASEAN: nothing of the record, anywhere.
    for uri in &uris {
        let t = get_as(&app, "CHN/viewer", uri).await;
        assert_eq!(t.status, 200);
        let text = t.body.to_string();
        assert!(!text.contains(&is), "{uri}: {text}");
        assert!(!text.contains("for ASEAN only"), "{uri}");
        assert!(text.contains(&incident_of(&open)), "{uri}");
    }
    for uri in [
        format!("{col}/objects/{is}/"),
        format!("{col}/objects/{is}/versions/"),
    ] {
        let t = get_as(&app, "CHN/viewer", &uri).await;
        assert_eq!(t.status, 404, "{uri}");
        assert!(!t.body.to_string().contains("for ASEAN only"));
    }
    // Indonesia is in ASEAN, and Japan originated it.
    for who in ["IDN/admin", "JPN/analyst"] {
        for uri in &uris {
            let t = get_as(&app, who, uri).await;
            assert!(t.body.to_string().contains(&is), "{who} {uri}");
        }
        let t = get_as(&app, who, &format!("{col}/objects/{is}/")).await;
        assert_eq!(t.status, 200, "{who}");
        assert_eq!(objects(&t)[0]["name"], "for ASEAN only");
        let v = get_as(&app, who, &format!("{col}/objects/{is}/versions/")).await;
        assert_eq!(v.status, 200, "{who}");
    }
}

async fn errors_are_taxii_messages(store: Store) {
    let app = TestApp::new(store).await;
    let objects_uri = format!("{}/objects/", piracy_collection());
    // No token, a bad token, a bad scheme.
    for auth in [
        None,
        Some("Bearer nope"),
        Some("Digest x"),
        Some("Basic !!!"),
    ] {
        let t = get(&app, &objects_uri, auth, Some(TAXII_MEDIA_TYPE)).await;
        assert_eq!(t.status, 401, "{auth:?}");
        assert_eq!(t.body["http_status"], "401");
        assert!(t.body["title"].is_string());
        assert!(t.body["description"].is_string());
        assert_eq!(t.body["error"]["code"], "unauthorized");
    }
    // HTTP Basic with the token as the password.
    let token = app.token("CHN/viewer").to_owned();
    let basic = format!("Basic {}", base64(&format!("chn:{token}")));
    let t = get(&app, &objects_uri, Some(&basic), Some(TAXII_MEDIA_TYPE)).await;
    assert_eq!(t.status, 200, "{}", t.body);
    // Accept.
    let bearer = format!("Bearer {token}");
    for (accept, status) in [
        (None, 200),
        (Some("*/*"), 200),
        (Some("application/taxii+json"), 200),
        (Some("text/html, application/taxii+json;version=2.1"), 200),
        (Some("application/json"), 406),
        (Some("application/taxii+json;version=2.0"), 406),
    ] {
        let t = get(&app, "/taxii2/", Some(&bearer), accept).await;
        assert_eq!(t.status, status, "{accept:?}");
        if status == 406 {
            assert_eq!(t.body["http_status"], "406");
        }
    }
    // Unknown collection.
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{ROOT}/collections/asean/objects/"),
    )
    .await;
    assert_eq!(t.status, 404);
    assert_eq!(t.body["error"]["code"], "not_found");
    assert!(t.body["description"].as_str().unwrap().contains("asean"));
    // Bad parameters name themselves.
    for (query, parameter) in [
        ("limit=0", Some("limit")),
        ("limit=x", Some("limit")),
        ("next=garbage", Some("next")),
        ("added_after=yesterday", Some("added_after")),
        ("match[version]=newest", Some("match[version]")),
        ("match[spec_version]=two", Some("match[spec_version]")),
        ("match[type]=", Some("match[type]")),
        ("colour=red", None),
    ] {
        let t = get_as(&app, "CHN/viewer", &format!("{objects_uri}?{query}")).await;
        assert_eq!(t.status, 400, "{query}: {}", t.body);
        assert_eq!(t.body["http_status"], "400");
        if let Some(p) = parameter {
            assert_eq!(t.body["details"]["parameter"], p, "{query}");
        }
    }
    // A parameter the versions endpoint does not take.
    let t = get_as(
        &app,
        "CHN/viewer",
        &format!("{objects_uri}x/versions/?match[type]=incident"),
    )
    .await;
    assert_eq!(t.status, 400);
    // A large limit is lowered, not refused.
    let t = get_as(&app, "CHN/viewer", &format!("{objects_uri}?limit=100000")).await;
    assert_eq!(t.status, 200);
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
