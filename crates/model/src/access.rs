//! Users, roles and API tokens: who may do what on a node.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::MemberCode;

/// What a user may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads what the distribution rules let the user's member see.
    Viewer,
    /// Also writes reports and alerts.
    Analyst,
    /// Also proposes and runs operations, pledges capabilities.
    Coordinator,
    /// Also manages the node's users and tokens.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::Coordinator, Role::Admin];

    /// The lower-case name used in the API, CLI and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Whether this role includes the rights of `needed`.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected viewer, analyst, coordinator or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A person acting for an agency of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable id (UUIDv7 text).
    pub id: String,
    /// Unique login name.
    pub name: String,
    /// The member the user acts for.
    pub member: MemberCode,
    /// The agency within the member (coast guard, disaster agency, ...).
    pub agency: String,
    /// What the user may do.
    pub role: Role,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// Checks a user name: 1–64 characters of letters, digits, `.`, `_`, `-`, `/`, `@`.
pub fn validate_user_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/@".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid user name {name:?}: use 1-64 letters, digits or . _ - / @"
        ))
    }
}

/// The prefix of every API token, so that a leaked token is recognisable
/// (secret scanners key on such prefixes).
pub const TOKEN_PREFIX: &str = "easf_";

/// Formats 32 random bytes as an API token. The caller supplies the bytes
/// (from the operating system's generator) so this module stays pure.
pub fn format_token(random: [u8; 32]) -> String {
    format!("{TOKEN_PREFIX}{}", hex::encode(random))
}

/// The value stored for a token: its SHA-256, hex encoded. A plain hash is
/// enough because tokens carry 256 bits of entropy; a slow password hash
/// would only slow every request down.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin.allows(Role::Viewer));
        assert!(Role::Analyst.allows(Role::Analyst));
        assert!(!Role::Viewer.allows(Role::Analyst));
        assert_eq!("coordinator".parse::<Role>(), Ok(Role::Coordinator));
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn tokens_hash_stably_and_differ() {
        let a = format_token([1; 32]);
        let b = format_token([2; 32]);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
        assert!(!token_hash(&a).contains(&a[TOKEN_PREFIX.len()..]));
    }

    #[test]
    fn user_names() {
        assert!(validate_user_name("JPN/analyst").is_ok());
        assert!(validate_user_name("").is_err());
        assert!(validate_user_name("a b").is_err());
    }
}
