//! A node with reference data, users and tokens, driven through `oneshot`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use model::{MemberCode, Role};
use serde_json::Value;
use server::AppState;
use store::{Actor, NewUser, Store};
use tower::ServiceExt;

/// The fixed "now" of every test: 2026-11-25 12:00 UTC.
pub(crate) const NOW_MS: i64 = 1_795_608_000_000;

pub(crate) struct TestApp {
    pub(crate) router: Router,
    pub(crate) store: Store,
    /// Tokens by "MEMBER/role".
    pub(crate) tokens: std::collections::BTreeMap<String, String>,
    /// The node's "now", in ms; starts at [`NOW_MS`].
    clock: Arc<AtomicI64>,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl Reply {
    #[track_caller]
    pub(crate) fn error_code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error body: {}", self.body))
    }
}

impl TestApp {
    pub(crate) async fn new(store: Store) -> TestApp {
        let data = model::EMBEDDED.parse().unwrap();
        let actor = Actor::console("test");
        store
            .replace_reference(&data, &actor, NOW_MS)
            .await
            .unwrap();
        let mut tokens = std::collections::BTreeMap::new();
        for (member, role) in [
            ("JPN", Role::Analyst),
            ("CHN", Role::Viewer),
            ("IDN", Role::Admin),
        ] {
            let name = format!("{member}/{role}");
            let user = store
                .add_user(
                    &NewUser {
                        name: name.clone(),
                        member: MemberCode::parse(member).unwrap(),
                        agency: "test agency".into(),
                        role,
                    },
                    &actor,
                    NOW_MS,
                )
                .await
                .unwrap();
            let issued = server::routes::admin::issue_token_for(
                &store,
                &user,
                &Default::default(),
                &actor,
                NOW_MS,
            )
            .await
            .unwrap();
            tokens.insert(name, issued.token);
        }
        let now = Arc::new(AtomicI64::new(NOW_MS));
        let read = Arc::clone(&now);
        let clock = Arc::new(move || {
            Utc.timestamp_millis_opt(read.load(Ordering::SeqCst))
                .unwrap()
        });
        let ledger = store::Ledger::open(
            store.clone(),
            ledger::NodeKey::from_seed(&[7; 32]),
            "test-node",
        )
        .await
        .unwrap();
        let state = AppState::with_clock(ledger, data, clock);
        TestApp {
            router: server::app(state),
            store,
            tokens,
            clock: now,
        }
    }

    /// Moves the node's clock to `ms` since the Unix epoch.
    pub(crate) fn set_now(&self, ms: i64) {
        self.clock.store(ms, Ordering::SeqCst);
    }

    /// Adds an analyst acting for `member` ("MEMBER/analyst") with a token.
    pub(crate) async fn add_analyst(&mut self, member: &str) {
        let actor = Actor::console("test");
        let name = format!("{member}/analyst");
        let user = self
            .store
            .add_user(
                &NewUser {
                    name: name.clone(),
                    member: MemberCode::parse(member).unwrap(),
                    agency: format!("{member} agency"),
                    role: Role::Analyst,
                },
                &actor,
                NOW_MS,
            )
            .await
            .unwrap();
        let issued = server::routes::admin::issue_token_for(
            &self.store,
            &user,
            &Default::default(),
            &actor,
            NOW_MS,
        )
        .await
        .unwrap();
        self.tokens.insert(name, issued.token);
    }

    pub(crate) fn token(&self, who: &str) -> &str {
        &self.tokens[who]
    }

    pub(crate) async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(b.to_owned())
            }
            None => Body::empty(),
        };
        let (status, _, bytes) = self.raw(req.body(body).unwrap()).await;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!(
                    "{uri}: response is not JSON: {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Reply { status, body }
    }

    /// Sends a request and returns status, content type and body bytes.
    pub(crate) async fn raw(&self, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, content_type, bytes)
    }

    /// GET with `token` (or none), returning status, content type and text.
    pub(crate) async fn get_text(
        &self,
        uri: &str,
        token: Option<&str>,
    ) -> (StatusCode, String, String) {
        let mut req = Request::builder().method(Method::GET).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let (status, content_type, bytes) = self.raw(req.body(Body::empty()).unwrap()).await;
        (status, content_type, String::from_utf8(bytes).unwrap())
    }

    /// GET as the JPN analyst.
    pub(crate) async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, Some(self.token("JPN/analyst")), None)
            .await
    }
}

/// Codes in a `[{code, name}]` array.
pub(crate) fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|m| m["code"].as_str().unwrap().to_owned())
        .collect()
}
