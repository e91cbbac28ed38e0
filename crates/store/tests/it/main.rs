//! The store's behaviour, run once on SQLite and once on PostgreSQL.

mod bulk;
mod records;

use model::{EMBEDDED, MemberCode, Role, token_hash};
use serde_json::json;
use store::{Actor, NewUser, Outcome, Store, StoreError, backends};

const NOW: i64 = 1_764_000_000_000;

fn admin() -> Actor {
    Actor::console("test")
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        name: name.into(),
        member: MemberCode::parse("JPN").unwrap(),
        agency: "Japan Coast Guard".into(),
        role,
    }
}

backends!(
    reference_round_trips,
    reference_reload_replaces_everything,
    users_are_unique_and_audited,
    tokens_authenticate_until_revoked_or_expired,
    migrations_are_idempotent,
    audit_pages_backwards,
);

async fn reference_round_trips(store: Store) {
    assert!(store.reference().await.unwrap().is_none());
    let data = EMBEDDED.parse().unwrap();
    store.replace_reference(&data, &admin(), NOW).await.unwrap();
    let back = store.reference().await.unwrap().expect("loaded");
    assert_eq!(back.forums(), data.forums());
    assert_eq!(
        back.members().collect::<Vec<_>>(),
        data.members().collect::<Vec<_>>()
    );
    assert_eq!(back.memberships().count(), data.memberships().count());
    let d = "2012-06-01".parse().unwrap();
    assert_eq!(
        back.members_of("eas", d).unwrap(),
        data.members_of("eas", d).unwrap()
    );
    let events = store.audit_events(10, None).await.unwrap();
    assert_eq!(events[0].action, "reference.load");
    assert_eq!(events[0].detail["forums"], json!(data.forums().len()));
}

async fn reference_reload_replaces_everything(store: Store) {
    let data = EMBEDDED.parse().unwrap();
    store.replace_reference(&data, &admin(), NOW).await.unwrap();
    store
        .replace_reference(&data, &admin(), NOW + 1)
        .await
        .unwrap();
    let back = store.reference().await.unwrap().unwrap();
    assert_eq!(back.memberships().count(), data.memberships().count());
}

async fn users_are_unique_and_audited(store: Store) {
    let u = store
        .add_user(&new_user("JPN/analyst", Role::Analyst), &admin(), NOW)
        .await
        .unwrap();
    assert_eq!(store.user_by_name("JPN/analyst").await.unwrap(), u);
    let err = store
        .add_user(&new_user("JPN/analyst", Role::Viewer), &admin(), NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(err.to_string(), "user JPN/analyst already exists");
    // The failed insert wrote no audit row either.
    let events = store.audit_events(10, None).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "user.add");
    assert_eq!(events[0].actor, "console:test");
    assert!(matches!(
        store.user_by_name("nobody").await,
        Err(StoreError::NotFound(_))
    ));
}

async fn tokens_authenticate_until_revoked_or_expired(store: Store) {
    let u = store
        .add_user(&new_user("JPN/viewer", Role::Viewer), &admin(), NOW)
        .await
        .unwrap();
    let forever = model::format_token([7; 32]);
    let short = model::format_token([8; 32]);
    let t1 = store
        .issue_token(&u, &token_hash(&forever), "cli", None, &admin(), NOW)
        .await
        .unwrap();
    store
        .issue_token(
            &u,
            &token_hash(&short),
            "short",
            Some(NOW + 1000),
            &admin(),
            NOW,
        )
        .await
        .unwrap();
    let (who, _) = store
        .authenticate(&token_hash(&forever), NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(who.name, "JPN/viewer");
    assert!(
        store
            .authenticate(&token_hash(&short), NOW + 999)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .authenticate(&token_hash(&short), NOW + 1000)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .authenticate(&token_hash("easf_wrong"), NOW)
            .await
            .unwrap()
            .is_none()
    );

    store.revoke_token(&t1.id, &admin(), NOW + 5).await.unwrap();
    assert!(
        store
            .authenticate(&token_hash(&forever), NOW + 6)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store.revoke_token(&t1.id, &admin(), NOW + 7).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.revoke_token("no-such-token", &admin(), NOW).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.tokens(Some(&u.id)).await.unwrap().len(), 2);
    assert_eq!(store.tokens(Some("someone-else")).await.unwrap().len(), 0);
    // Nothing secret reaches the audit table.
    for e in store.audit_events(100, None).await.unwrap() {
        let text = e.detail.to_string();
        assert!(!text.contains(&forever[5..]) && !text.contains(&token_hash(&forever)));
    }
}

async fn migrations_are_idempotent(store: Store) {
    assert_eq!(store.migrate().await.unwrap(), 0);
    store.ping().await.unwrap();
}

async fn audit_pages_backwards(store: Store) {
    for i in 0..5 {
        store
            .record_event(
                NOW + i,
                &Actor::user("x"),
                "forbidden",
                "/api/v1/users",
                Outcome::Denied,
                &json!({"i": i}),
            )
            .await
            .unwrap();
    }
    let first = store.audit_events(2, None).await.unwrap();
    assert_eq!(
        first
            .iter()
            .map(|e| e.detail["i"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [4, 3]
    );
    let next = store.audit_events(2, Some(first[1].id)).await.unwrap();
    assert_eq!(
        next.iter()
            .map(|e| e.detail["i"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(next[0].outcome, "denied");
}
