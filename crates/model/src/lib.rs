//! Domain types and rules of EASF: members, forums, functions, memberships
//! over time, and the roles users act in. No I/O, no async, no storage.
//!
//! The main type is [`ReferenceData`], the validated architecture of East
//! Asian regional cooperation. It is built either from the data files
//! ([`ReferenceFiles::parse`], used for the copy embedded in the binary) or
//! from stored rows ([`ReferenceData::build`]), and answers the questions
//! people ask of it: who belonged to a forum on a date, which forums a member
//! is in, how two forums' memberships compare.
//!
//! ```
//! use chrono::NaiveDate;
//! let data = model::EMBEDDED.parse().expect("the shipped data is valid");
//! let day = NaiveDate::from_ymd_opt(2012, 6, 1).unwrap();
//! let eas = data.members_of("eas", day).unwrap();
//! assert!(eas.iter().any(|m| m.as_str() == "USA"));
//! ```
#![deny(missing_docs)]

mod access;
mod distribution;
pub mod export;
mod forum;
mod function;
mod ids;
pub mod import;
mod load;
pub mod operation;
pub mod record;
mod reference;
pub mod report;

pub use access::{
    Role, TOKEN_PREFIX, UnknownRole, User, format_token, token_hash, validate_user_name,
};
pub use distribution::{
    Audience, Distribution, DistributionError, PolicyContext, Readable, Reader, Tlp, is_visible,
};
pub use forum::{
    DecisionRule, Forum, ForumKind, ForumStatus, Member, MemberKind, Membership, Period,
};
pub use function::{Function, UnknownFunction};
pub use ids::{ForumId, IdError, MemberCode};
pub use load::{EMBEDDED, ReferenceFiles};
pub use reference::{
    Comparison, Located, Location, MembershipPeriod, ProfileEntry, QueryError, ReferenceData,
    ReferenceError, ReferenceErrors, SetOp,
};
