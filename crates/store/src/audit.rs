//! The audit table: who did what, when, and whether it was allowed.

use serde_json::Value;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

/// Who acts: a user of the API, or an operator at the node's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    /// An API user, by name.
    pub fn user(name: &str) -> Actor {
        Actor(format!("user:{name}"))
    }

    /// The operator running a CLI command on the node itself.
    pub fn console(command: &str) -> Actor {
        Actor(format!("console:{command}"))
    }
}

/// Whether the action was carried out or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Ok,
    /// Refused for lack of rights.
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
        }
    }
}

/// One row of the audit table.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// Sequence number, increasing.
    pub id: i64,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Who.
    pub actor: String,
    /// What (`user.add`, `token.revoke`, `forbidden`, ...).
    pub action: String,
    /// What it was done to.
    pub target: String,
    /// `ok` or `denied`.
    pub outcome: String,
    /// Details as JSON (never secrets).
    pub detail: Value,
}

pub(crate) async fn insert(
    tx: &mut Transaction<'_, Any>,
    at_ms: i64,
    actor: &Actor,
    action: &str,
    target: &str,
    outcome: Outcome,
    detail: &Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (at_ms, actor, action, target, outcome, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at_ms)
    .bind(&actor.0)
    .bind(action)
    .bind(target)
    .bind(outcome.as_str())
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Records an event on its own (a refused request, which writes nothing else).
    pub async fn record_event(
        &self,
        at_ms: i64,
        actor: &Actor,
        action: &str,
        target: &str,
        outcome: Outcome,
        detail: &Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert(&mut tx, at_ms, actor, action, target, outcome, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The most recent events, newest first; `before` pages backwards.
    pub async fn audit_events(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at_ms, actor, action, target, outcome, detail FROM audit_events \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEvent {
                    id: r.try_get("id")?,
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    outcome: r.try_get("outcome")?,
                    detail: serde_json::from_str(&detail)
                        .map_err(|e| StoreError::Corrupt(format!("audit detail: {e}")))?,
                })
            })
            .collect()
    }
}
