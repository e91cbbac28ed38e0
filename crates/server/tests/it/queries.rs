//! Reference queries through the API give the same answers as the library.

use store::{Store, backends};

use crate::harness::{TestApp, codes};

backends!(
    forum_members_as_of,
    forum_list_filters,
    compare_and_combine,
    member_profile,
    bad_query_input
);

async fn forum_members_as_of(store: Store) {
    let app = TestApp::new(store).await;
    let r = app.get("/api/v1/forums/eas/members?as_of=2008-06-01").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(codes(&r.body["members"]).len(), 16);
    let r = app.get("/api/v1/forums/EAS/members?as_of=2012-06-01").await;
    let eas = codes(&r.body["members"]);
    assert_eq!(eas.len(), 18);
    assert!(eas.contains(&"USA".to_owned()) && eas.contains(&"RUS".to_owned()));
    let r = app.get("/api/v1/forums/asean?as_of=2025-10-25").await;
    assert_eq!(r.body["member_count"], 10);
    assert_eq!(r.body["exists_on_date"], true);
    assert_eq!(r.body["decision"]["rule"], "consensus");
    // Default as_of is the clock's today.
    let r = app.get("/api/v1/forums/asean").await;
    assert_eq!(r.body["as_of"], "2026-11-25");
    assert_eq!(r.body["member_count"], 11);
}

async fn forum_list_filters(store: Store) {
    let app = TestApp::new(store).await;
    let r = app.get("/api/v1/forums").await;
    assert_eq!(r.status, 200);
    assert!(r.body["forums"].as_array().unwrap().len() >= 20);
    let r = app
        .get("/api/v1/forums?members=CHN,JPN&as_of=2026-11-25")
        .await;
    let ids: Vec<&str> = r.body["forums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"apt") && ids.contains(&"six-party") && !ids.contains(&"psi-asia-pacific"),
        "{ids:?}"
    );
    let r = app.get("/api/v1/forums?function=finance&members=HKG").await;
    let ids: Vec<&str> = r.body["forums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["apec", "cmim"],
        "APEC has a finance ministers' process"
    );
    let r = app.get("/api/v1/members/JPN/forums?as_of=1960-01-01").await;
    let ids: Vec<&str> = r.body["forums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"us-jpn"), "{ids:?}");
    assert!(!ids.contains(&"apec"), "{ids:?}");
}

async fn compare_and_combine(store: Store) {
    let app = TestApp::new(store).await;
    let r = app
        .get("/api/v1/forums/apt/compare/cmim?as_of=2024-01-01")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(codes(&r.body["only_second"]), ["HKG"]);
    assert_eq!(codes(&r.body["both"]).len(), 13);
    let r = app
        .get("/api/v1/memberships/combine?op=difference&forums=eas,apt&as_of=2012-06-01")
        .await;
    assert_eq!(
        codes(&r.body["members"]),
        ["AUS", "IND", "NZL", "RUS", "USA"]
    );
    let r = app
        .get("/api/v1/memberships/combine?op=intersection&forums=six-party,jck&as_of=2005-01-01")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        codes(&r.body["members"]).is_empty(),
        "JCK summits began in 2008"
    );
}

async fn member_profile(store: Store) {
    let app = TestApp::new(store).await;
    let r = app.get("/api/v1/members/tls?as_of=2025-10-27").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["member"]["code"], "TLS");
    let current: Vec<&str> = r.body["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        current.contains(&"asean") && current.contains(&"arf"),
        "{current:?}"
    );
    let eas = r.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["forum"] == "eas")
        .unwrap();
    assert_eq!(eas["periods"][0]["via"], "asean");
    assert_eq!(eas["periods"][0]["from"], "2025-10-26");
}

async fn bad_query_input(store: Store) {
    let app = TestApp::new(store).await;
    let cases = [
        ("/api/v1/forums/nope/members", 404, "forum"),
        ("/api/v1/members/XYZ", 404, "member"),
        ("/api/v1/members/J1N", 404, "member"),
        ("/api/v1/forums/eas/members?as_of=2012-13-01", 400, "as_of"),
        ("/api/v1/forums/eas/members?as_of=yesterday", 400, "as_of"),
        ("/api/v1/forums/eas/members?asof=2012-01-01", 400, "query"),
        ("/api/v1/forums?function=piracyy", 400, "function"),
        ("/api/v1/forums?members=CHN,XYZ", 400, "members"),
        ("/api/v1/memberships/combine?op=xor&forums=eas", 400, "op"),
        (
            "/api/v1/memberships/combine?op=union&forums=,",
            400,
            "forums",
        ),
        ("/api/v1/memberships/combine?op=union", 400, "query"),
        (
            "/api/v1/memberships/combine?op=union&forums=eas,nope",
            404,
            "forum",
        ),
        ("/api/v1/forums/eas/compare/nope", 404, "forum"),
    ];
    for (uri, status, field) in cases {
        let r = app.get(uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        assert_eq!(r.body["error"]["field"], field, "{uri}: {}", r.body);
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
    }
    let r = app.get("/api/v1/nothing-here").await;
    assert_eq!((r.status.as_u16(), r.error_code()), (404, "no_route"));
}
