//! Users and API tokens.

use model::{MemberCode, Role, User};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Actor, Outcome};
use crate::error::on_unique;
use crate::{Store, StoreError};

/// A user to create. The caller has validated the member against the
/// reference data and the name's form.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique login name.
    pub name: String,
    /// The member the user acts for.
    pub member: MemberCode,
    /// Agency within the member.
    pub agency: String,
    /// Role.
    pub role: Role,
}

/// What is known of a token: everything but the token itself, which is
/// shown once when issued and never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Token id (UUIDv7), used to revoke it.
    pub id: String,
    /// The user it authenticates.
    pub user_id: String,
    /// A label saying what the token is for.
    pub label: String,
    /// Issue time, ms since the epoch.
    pub created_ms: i64,
    /// Expiry, ms since the epoch, if any.
    pub expires_ms: Option<i64>,
    /// Revocation time, if revoked.
    pub revoked_ms: Option<i64>,
}

impl TokenInfo {
    /// Whether the token authenticates at time `now_ms`.
    pub fn is_active(&self, now_ms: i64) -> bool {
        self.revoked_ms.is_none() && self.expires_ms.is_none_or(|e| now_ms < e)
    }
}

const USER_COLUMNS: &str = "u.id, u.name, u.member, u.agency, u.role, u.created_ms";
const TOKEN_COLUMNS: &str = "t.id AS token_id, t.user_id, t.label, t.created_ms AS token_created_ms, \
                             t.expires_ms, t.revoked_ms";

fn user_from_row(r: &AnyRow) -> Result<User, StoreError> {
    let member: String = r.try_get("member")?;
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        member: MemberCode::parse(&member).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        agency: r.try_get("agency")?,
        role: role
            .parse()
            .map_err(|e: model::UnknownRole| StoreError::Corrupt(e.to_string()))?,
        created_ms: r.try_get("created_ms")?,
    })
}

fn token_from_row(r: &AnyRow) -> Result<TokenInfo, StoreError> {
    Ok(TokenInfo {
        id: r.try_get("token_id")?,
        user_id: r.try_get("user_id")?,
        label: r.try_get("label")?,
        created_ms: r.try_get("token_created_ms")?,
        expires_ms: r.try_get("expires_ms")?,
        revoked_ms: r.try_get("revoked_ms")?,
    })
}

impl Store {
    /// Creates a user. A taken name is a [`StoreError::Conflict`].
    pub async fn add_user(
        &self,
        new: &NewUser,
        actor: &Actor,
        now_ms: i64,
    ) -> Result<User, StoreError> {
        let user = User {
            id: uuid::Uuid::now_v7().to_string(),
            name: new.name.clone(),
            member: new.member,
            agency: new.agency.clone(),
            role: new.role,
            created_ms: now_ms,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, name, member, agency, role, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&user.id)
        .bind(&user.name)
        .bind(user.member.as_str())
        .bind(&user.agency)
        .bind(user.role.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await
        .map_err(on_unique(format!("user {}", user.name)))?;
        let detail = json!({"member": user.member, "agency": user.agency, "role": user.role});
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "user.add",
            &user.name,
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// A user by name.
    pub async fn user_by_name(&self, name: &str) -> Result<User, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("user {name}")))?;
        user_from_row(&row)
    }

    /// Stores a new token for a user, by the token's hash only.
    pub async fn issue_token(
        &self,
        user: &User,
        hash: &str,
        label: &str,
        expires_ms: Option<i64>,
        actor: &Actor,
        now_ms: i64,
    ) -> Result<TokenInfo, StoreError> {
        let info = TokenInfo {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user.id.clone(),
            label: label.to_owned(),
            created_ms: now_ms,
            expires_ms,
            revoked_ms: None,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, hash, label, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&info.id)
        .bind(&info.user_id)
        .bind(hash)
        .bind(&info.label)
        .bind(now_ms)
        .bind(expires_ms)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("token"))?;
        let detail = json!({"token": info.id, "label": label, "expires_ms": expires_ms});
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "token.issue",
            &user.name,
            Outcome::Ok,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(info)
    }

    /// Revokes a token by id. Revoking twice is an error naming the first time.
    pub async fn revoke_token(
        &self,
        id: &str,
        actor: &Actor,
        now_ms: i64,
    ) -> Result<TokenInfo, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("token {id}")))?;
        let mut info = token_from_row(&row)?;
        if info.revoked_ms.is_some() {
            return Err(StoreError::Conflict(format!("revocation of token {id}")));
        }
        sqlx::query("UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2")
            .bind(now_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::insert(
            &mut tx,
            now_ms,
            actor,
            "token.revoke",
            id,
            Outcome::Ok,
            &json!({}),
        )
        .await?;
        tx.commit().await?;
        info.revoked_ms = Some(now_ms);
        Ok(info)
    }

    /// Tokens, optionally of one user, newest first.
    pub async fn tokens(&self, user_id: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE $1 = '' OR t.user_id = $1 \
             ORDER BY t.created_ms DESC, t.id DESC"
        ))
        .bind(user_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// The user and token a presented token's hash belongs to, if the token
    /// exists and is neither revoked nor expired at `now_ms`.
    pub async fn authenticate(
        &self,
        hash: &str,
        now_ms: i64,
    ) -> Result<Option<(User, TokenInfo)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.hash = $1"
        ))
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let token = token_from_row(&row)?;
        if !token.is_active(now_ms) {
            return Ok(None);
        }
        Ok(Some((user_from_row(&row)?, token)))
    }
}
