//! SQLite and PostgreSQL give the same answers to the same commands.

use store::Backend;
use store::testing::TestDb;

use crate::{easf, node, ok};

#[test]
fn sqlite_and_postgres_answer_alike() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(TestDb::create(Backend::Postgres)) else {
        return;
    };
    let out = easf()
        .args(["--database", &db.url, "refdata", "load"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sqlite = node();
    let queries: [&[&str]; 6] = [
        &["forum", "list", "--as-of", "2015-01-01", "--json"],
        &["forum", "members", "eas", "--as-of", "2012-06-01", "--json"],
        &["forum", "compare", "apt", "cmim", "--json"],
        &["member", "show", "TLS", "--as-of", "2026-01-01", "--json"],
        &["member", "forums", "USA", "--as-of", "1990-01-01", "--json"],
        &["forum", "show", "cmim", "--as-of", "2020-01-01", "--json"],
    ];
    for q in queries {
        let pg = easf()
            .args(["--database", &db.url])
            .args(q)
            .output()
            .unwrap();
        assert!(
            pg.status.success(),
            "{q:?}: {}",
            String::from_utf8_lossy(&pg.stderr)
        );
        assert_eq!(
            String::from_utf8(pg.stdout).unwrap(),
            ok(sqlite.path(), q),
            "{q:?}"
        );
    }
    rt.block_on(db.drop_db());
}
