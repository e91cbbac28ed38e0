//! The published OpenAPI document describes exactly the routes served.

use axum::http::Method;
use store::{Store, backends};

use crate::harness::TestApp;

backends!(every_documented_operation_is_served);

async fn every_documented_operation_is_served(store: Store) {
    let app = TestApp::new(store).await;
    let admin = app.token("IDN/admin").to_owned();
    let r = app
        .send(Method::GET, "/api/v1/openapi.json", Some(&admin), None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = r.body["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{:?}", paths.keys());
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path
            .replace("{code}", "JPN")
            .replace("{id}/compare/{other}", "apt/compare/eas")
            .replace("/tokens/{id}", "/tokens/unknown-token")
            .replace("{id}", "asean")
            .replace("{name}", "JPN%2Fanalyst");
        let query = if path.ends_with("/combine") {
            "?op=union&forums=asean"
        } else {
            ""
        };
        for method in item.as_object().unwrap().keys() {
            let m: Method = method.to_uppercase().parse().unwrap();
            let body = (m == Method::POST).then_some("{}");
            let r = app
                .send(m.clone(), &format!("{concrete}{query}"), Some(&admin), body)
                .await;
            assert_ne!(r.status, 405, "{method} {path}");
            if r.status == 404 {
                assert_ne!(
                    r.error_code(),
                    "no_route",
                    "{method} {path} is documented but not served"
                );
            }
            operations += 1;
        }
    }
    assert!(operations >= 17);
    // And an undocumented path is not served.
    let r = app
        .send(Method::GET, "/api/v1/secret", Some(&admin), None)
        .await;
    assert_eq!(r.error_code(), "no_route");
}
