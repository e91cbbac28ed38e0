//! Sharing groups: named sets of members a record can be shared with.

use model::MemberCode;
use serde_json::json;

use crate::audit::{self, Actor, Outcome};
use crate::error::on_unique;
use crate::{Store, StoreError};

impl Store {
    /// Creates sharing group `id` owned by `owner` with `members` (the
    /// owner is always included). The caller has checked the codes against
    /// the reference data.
    pub async fn add_sharing_group(
        &self,
        id: &str,
        name: &str,
        owner: MemberCode,
        members: &[MemberCode],
        actor: &Actor,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let valid_id = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_id {
            return Err(StoreError::Invalid(format!(
                "group id {id:?}: use 1-64 lower-case letters, digits and hyphens"
            )));
        }
        if name.trim().is_empty() {
            return Err(StoreError::Invalid("name the group".into()));
        }
        let mut all: Vec<MemberCode> = members.to_vec();
        all.push(owner);
        all.sort();
        all.dedup();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sharing_groups (id, name, owner, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(name.trim())
        .bind(owner.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(on_unique(format!("sharing group {id}")))?;
        for m in &all {
            sqlx::query("INSERT INTO sharing_group_members (group_id, member) VALUES ($1, $2)")
                .bind(id)
                .bind(m.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let detail = json!({"name": name.trim(), "owner": owner, "members": all});
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "group.add",
            id,
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The member this node belongs to, if set.
    pub async fn node_member(&self) -> Result<Option<MemberCode>, StoreError> {
        let row = sqlx::query("SELECT member FROM node_identity WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let member: Option<String> = sqlx::Row::try_get(&row, 0)?;
        member
            .map(|m| {
                MemberCode::parse(&m)
                    .map_err(|e| StoreError::Corrupt(format!("node_identity.member: {e}")))
            })
            .transpose()
    }

    /// Records the member this node belongs to (after the ledger is open).
    pub async fn set_node_member(
        &self,
        member: MemberCode,
        actor: &Actor,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query("UPDATE node_identity SET member = $1 WHERE id = 1")
            .bind(member.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(
                "node identity (open the ledger first)".into(),
            ));
        }
        let detail = json!({"member": member});
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "node.member",
            member.as_str(),
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
