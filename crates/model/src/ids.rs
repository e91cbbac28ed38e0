//! Validated identifiers: member codes and forum ids.
//!
//! Both are newtypes whose constructor checks the form, so every value in the
//! program is well formed and the rest of the code never re-checks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A member's code: ISO 3166-1 alpha-3 where one exists, otherwise an
/// explicit three-letter code of the same shape (`EUU` for the European Union).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberCode([u8; 3]);

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// A member code is not three upper-case ASCII letters.
    #[error("invalid member code {0:?}: expected three upper-case letters such as JPN")]
    MemberCode(String),
    /// A forum id is empty, too long, or has characters outside `[a-z0-9-]`.
    #[error(
        "invalid forum id {0:?}: expected 1-40 characters of lower-case letters, digits and '-'"
    )]
    ForumId(String),
}

impl MemberCode {
    /// Parses a member code. Lower-case input is accepted and upper-cased,
    /// because people type `jpn` on a command line.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let bytes = s.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(IdError::MemberCode(s.to_owned()));
        }
        Ok(MemberCode([
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
            bytes[2].to_ascii_uppercase(),
        ]))
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // The constructor admits only ASCII letters.
        std::str::from_utf8(&self.0).expect("member codes are ASCII")
    }
}

impl fmt::Display for MemberCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MemberCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MemberCode::parse(s)
    }
}

impl TryFrom<String> for MemberCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        MemberCode::parse(&s)
    }
}

impl From<MemberCode> for String {
    fn from(c: MemberCode) -> String {
        c.as_str().to_owned()
    }
}

/// A forum's short stable id (`asean`, `apt`, `eas`, `six-party`, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ForumId(String);

impl ForumId {
    /// Parses a forum id. Upper-case input is lower-cased.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(IdError::ForumId(s.to_owned()));
        }
        Ok(ForumId(s.to_ascii_lowercase()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ForumId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ForumId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ForumId::parse(s)
    }
}

impl TryFrom<String> for ForumId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ForumId::parse(&s)
    }
}

impl From<ForumId> for String {
    fn from(id: ForumId) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_codes() {
        assert_eq!(MemberCode::parse("jpn").unwrap().as_str(), "JPN");
        for bad in ["", "JP", "JAPN", "J1N", "JP ", "日本"] {
            assert!(MemberCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn forum_ids() {
        assert_eq!(ForumId::parse("ADMM-Plus").unwrap().as_str(), "admm-plus");
        for bad in ["", "a b", "a/b", "a_b", &"x".repeat(41)] {
            assert!(ForumId::parse(bad).is_err(), "{bad:?}");
        }
    }
}
