//! Storing and reading back the reference architecture.

use chrono::NaiveDate;
use model::{
    DecisionRule, Forum, ForumId, ForumKind, ForumStatus, Function, Located, Location, Member,
    MemberCode, MemberKind, Membership, ReferenceData,
};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Actor, Outcome};
use crate::{Store, StoreError};

fn kebab<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("unit enums serialise to strings, got {other:?}"),
    }
}

fn unkebab<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("{what} {s:?}")))
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn text_date(s: Option<String>, what: &str) -> Result<Option<NaiveDate>, StoreError> {
    s.map(|s| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("{what} {s:?}")))
    })
    .transpose()
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn split<T>(s: &str, parse: impl Fn(&str) -> Result<T, StoreError>) -> Result<Vec<T>, StoreError> {
    s.split(',').filter(|p| !p.is_empty()).map(parse).collect()
}

impl Store {
    /// Whether reference data has been loaded.
    pub async fn has_reference(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM forums")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Replaces the stored reference data with `data`, in one transaction.
    pub async fn replace_reference(
        &self,
        data: &ReferenceData,
        actor: &Actor,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for table in ["memberships", "forums", "members"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        for m in data.members() {
            sqlx::query(
                "INSERT INTO members (code, name, kind, iso3166, source) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(m.code.as_str())
            .bind(&m.name)
            .bind(kebab(&m.kind))
            .bind(i64::from(m.iso3166))
            .bind(&m.source)
            .execute(&mut *tx)
            .await?;
        }
        for (position, f) in data.forums().iter().enumerate() {
            let decision = serde_json::to_string(&f.decision)
                .map_err(|e| StoreError::Corrupt(format!("decision rule: {e}")))?;
            sqlx::query(
                "INSERT INTO forums (id, position, name, kind, status, established, ended, functions, \
                 decision, includes, includes_reason, secretariat, source, notes) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(f.id.as_str())
            .bind(position as i64)
            .bind(&f.name)
            .bind(f.kind.id())
            .bind(f.status.to_string())
            .bind(date_text(f.established))
            .bind(date_text(f.ended))
            .bind(join(&f.functions))
            .bind(decision)
            .bind(join(&f.includes))
            .bind(f.includes_reason.clone())
            .bind(f.secretariat.clone())
            .bind(&f.source)
            .bind(f.notes.clone())
            .execute(&mut *tx)
            .await?;
        }
        let mut rows = 0usize;
        for m in data.memberships() {
            sqlx::query(
                "INSERT INTO memberships (forum, member, joined, left_on, source, note) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(m.forum.as_str())
            .bind(m.member.as_str())
            .bind(date_text(m.joined))
            .bind(date_text(m.left))
            .bind(&m.source)
            .bind(m.note.clone())
            .execute(&mut *tx)
            .await?;
            rows += 1;
        }
        let detail = json!({
            "members": data.members().count(),
            "forums": data.forums().len(),
            "memberships": rows,
        });
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "reference.load",
            "reference",
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the reference data back and validates it; `None` if none was loaded.
    pub async fn reference(&self) -> Result<Option<ReferenceData>, StoreError> {
        let member_rows =
            sqlx::query("SELECT code, name, kind, iso3166, source FROM members ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        let forum_rows = sqlx::query(
            "SELECT id, name, kind, status, established, ended, functions, decision, includes, \
             includes_reason, secretariat, source, notes FROM forums ORDER BY position",
        )
        .fetch_all(&self.pool)
        .await?;
        if forum_rows.is_empty() {
            return Ok(None);
        }
        let membership_rows = sqlx::query(
            "SELECT id, forum, member, joined, left_on, source, note FROM memberships ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;

        let members = member_rows
            .iter()
            .map(member_from_row)
            .collect::<Result<_, _>>()?;
        let forums = forum_rows
            .iter()
            .map(forum_from_row)
            .collect::<Result<_, _>>()?;
        let memberships = membership_rows
            .iter()
            .map(membership_from_row)
            .collect::<Result<_, _>>()?;
        ReferenceData::build(members, forums, memberships)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

fn code(s: &str) -> Result<MemberCode, StoreError> {
    MemberCode::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn forum_id(s: &str) -> Result<ForumId, StoreError> {
    ForumId::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn member_from_row(r: &AnyRow) -> Result<Located<Member>, StoreError> {
    let c: String = r.try_get("code")?;
    let kind: String = r.try_get("kind")?;
    let iso: i64 = r.try_get("iso3166")?;
    Ok(Located {
        location: Location::Record(format!("members row {c}")),
        value: Member {
            code: code(&c)?,
            name: r.try_get("name")?,
            kind: unkebab::<MemberKind>(&kind, "member kind")?,
            iso3166: iso != 0,
            source: r.try_get("source")?,
        },
    })
}

fn forum_from_row(r: &AnyRow) -> Result<Located<Forum>, StoreError> {
    let id: String = r.try_get("id")?;
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let functions: String = r.try_get("functions")?;
    let includes: String = r.try_get("includes")?;
    let decision: String = r.try_get("decision")?;
    Ok(Located {
        location: Location::Record(format!("forums row {id}")),
        value: Forum {
            id: forum_id(&id)?,
            name: r.try_get("name")?,
            kind: unkebab::<ForumKind>(&kind, "forum kind")?,
            status: unkebab::<ForumStatus>(&status, "forum status")?,
            established: text_date(r.try_get("established")?, "established date")?,
            ended: text_date(r.try_get("ended")?, "ended date")?,
            functions: split(&functions, |f| {
                f.parse::<Function>()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })?,
            decision: serde_json::from_str::<DecisionRule>(&decision)
                .map_err(|e| StoreError::Corrupt(format!("decision rule of {id}: {e}")))?,
            includes: split(&includes, forum_id)?,
            includes_reason: r.try_get("includes_reason")?,
            secretariat: r.try_get("secretariat")?,
            source: r.try_get("source")?,
            notes: r.try_get("notes")?,
        },
    })
}

fn membership_from_row(r: &AnyRow) -> Result<Located<Membership>, StoreError> {
    let id: i64 = r.try_get("id")?;
    let forum: String = r.try_get("forum")?;
    let member: String = r.try_get("member")?;
    Ok(Located {
        location: Location::Record(format!("memberships row {id}")),
        value: Membership {
            forum: forum_id(&forum)?,
            member: code(&member)?,
            joined: text_date(r.try_get("joined")?, "joined date")?,
            left: text_date(r.try_get("left_on")?, "left date")?,
            source: r.try_get("source")?,
            note: r.try_get("note")?,
        },
    })
}
