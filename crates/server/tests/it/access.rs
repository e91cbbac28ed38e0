//! Authentication, roles, user and token administration, request limits.

use axum::http::Method;
use store::{Store, backends};

use crate::harness::TestApp;

backends!(
    health_is_public_everything_else_needs_a_token,
    roles_are_enforced_and_refusals_recorded,
    admin_manages_users_and_tokens,
    bad_bodies_are_rejected_without_writes,
);

async fn health_is_public_everything_else_needs_a_token(store: Store) {
    let app = TestApp::new(store).await;
    let r = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["database"], "ok");
    for uri in [
        "/api/v1/forums",
        "/api/v1/openapi.json",
        "/api/v1/me",
        "/api/v1/users",
    ] {
        let r = app.send(Method::GET, uri, None, None).await;
        assert_eq!(
            (r.status.as_u16(), r.error_code()),
            (401, "unauthorized"),
            "{uri}"
        );
        let r = app
            .send(Method::GET, uri, Some("easf_not-a-real-token"), None)
            .await;
        assert_eq!(r.status, 401, "{uri}");
    }
    let r = app.get("/api/v1/me").await;
    assert_eq!(r.body["user"]["name"], "JPN/analyst");
    assert_eq!(r.body["user"]["member"], "JPN");
}

async fn roles_are_enforced_and_refusals_recorded(store: Store) {
    let app = TestApp::new(store).await;
    let viewer = app.token("CHN/viewer");
    let r = app
        .send(Method::GET, "/api/v1/users", Some(viewer), None)
        .await;
    assert_eq!((r.status.as_u16(), r.error_code()), (403, "forbidden"));
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("admin")
    );
    let body = r#"{"name":"x","member":"CHN","agency":"a","role":"admin"}"#;
    let r = app
        .send(Method::POST, "/api/v1/users", Some(viewer), Some(body))
        .await;
    assert_eq!(r.status, 403);
    assert!(
        app.store.user_by_name("x").await.is_err(),
        "a refused request wrote nothing"
    );
    let events = app.store.audit_events(10, None).await.unwrap();
    let denied: Vec<_> = events.iter().filter(|e| e.outcome == "denied").collect();
    assert_eq!(denied.len(), 2);
    assert_eq!(denied[0].actor, "user:CHN/viewer");
    assert_eq!(denied[0].target, "/api/v1/users");
}

async fn admin_manages_users_and_tokens(store: Store) {
    let app = TestApp::new(store).await;
    let admin = app.token("IDN/admin").to_owned();
    let body = r#"{"name":"PHL/coordinator","member":"phl","agency":"Philippine Coast Guard","role":"coordinator"}"#;
    let r = app
        .send(Method::POST, "/api/v1/users", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["member"], "PHL");
    let r = app
        .send(Method::POST, "/api/v1/users", Some(&admin), Some(body))
        .await;
    assert_eq!((r.status.as_u16(), r.error_code()), (409, "conflict"));

    let r = app
        .send(
            Method::POST,
            "/api/v1/users/PHL%2Fcoordinator/tokens",
            Some(&admin),
            Some(r#"{"label":"laptop","expires_in_days":30}"#),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = r.body["token"].as_str().unwrap().to_owned();
    let token_id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.body["expires_ms"],
        crate::harness::NOW_MS + 30 * 86_400_000
    );

    let r = app
        .send(Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(r.body["user"]["role"], "coordinator");
    let r = app
        .send(
            Method::GET,
            "/api/v1/tokens?user=PHL%2Fcoordinator",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert!(
        !r.body.to_string().contains(&token),
        "token lists never show secrets"
    );

    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .send(Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(r.status, 401, "a revoked token stops working at once");
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app
        .send(Method::DELETE, "/api/v1/tokens/nope", Some(&admin), None)
        .await;
    assert_eq!((r.status.as_u16(), r.error_code()), (404, "not_found"));

    let r = app
        .send(Method::GET, "/api/v1/audit?limit=50", Some(&admin), None)
        .await;
    let actions: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"user.add")
            && actions.contains(&"token.issue")
            && actions.contains(&"token.revoke")
    );
    assert!(
        !r.body.to_string().contains(&token),
        "the audit table never holds secrets"
    );
    let r = app
        .send(Method::GET, "/api/v1/audit?limit=0", Some(&admin), None)
        .await;
    assert_eq!(r.status, 400);
}

async fn bad_bodies_are_rejected_without_writes(store: Store) {
    let app = TestApp::new(store).await;
    let admin = app.token("IDN/admin").to_owned();
    let before = app.store.users().await.unwrap().len();
    let cases: [(&str, u16, &str); 8] = [
        ("{not json", 400, "body"),
        (r#"{"name":"a","member":"JPN","agency":"x"}"#, 400, "body"),
        (
            r#"{"name":"a","member":"JPN","agency":"x","role":"king"}"#,
            400,
            "body",
        ),
        (
            r#"{"name":"a","member":"JPN","agency":"x","role":"viewer","extra":1}"#,
            400,
            "body",
        ),
        (
            r#"{"name":"a","member":"XYZ","agency":"x","role":"viewer"}"#,
            400,
            "member",
        ),
        (
            r#"{"name":"a b","member":"JPN","agency":"x","role":"viewer"}"#,
            400,
            "name",
        ),
        (
            r#"{"name":"a","member":"JPN","agency":"  ","role":"viewer"}"#,
            400,
            "agency",
        ),
        (r#"[]"#, 400, "body"),
    ];
    for (body, status, field) in cases {
        let r = app
            .send(Method::POST, "/api/v1/users", Some(&admin), Some(body))
            .await;
        assert_eq!(r.status.as_u16(), status, "{body}: {}", r.body);
        assert_eq!(r.body["error"]["field"], field, "{body}: {}", r.body);
    }
    let huge = format!(
        r#"{{"name":"a","member":"JPN","agency":"{}","role":"viewer"}}"#,
        "x".repeat(100_000)
    );
    let r = app
        .send(Method::POST, "/api/v1/users", Some(&admin), Some(&huge))
        .await;
    assert_eq!(
        (r.status.as_u16(), r.error_code()),
        (413, "payload_too_large")
    );
    let r = app
        .send(
            Method::POST,
            "/api/v1/users/JPN%2Fanalyst/tokens",
            Some(&admin),
            Some(r#"{"expires_in_days":0}"#),
        )
        .await;
    assert_eq!(r.body["error"]["field"], "expires_in_days");
    let r = app
        .send(Method::PUT, "/api/v1/users", Some(&admin), Some("{}"))
        .await;
    assert_eq!(
        (r.status.as_u16(), r.error_code()),
        (405, "method_not_allowed")
    );
    assert_eq!(app.store.users().await.unwrap().len(), before);
}
