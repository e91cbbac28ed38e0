//! The functional issue areas forums are mandated for and operations serve.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A functional issue area (DESIGN.md §1–§2).
///
/// The set is closed because detectors, report kinds and the optimiser refer
/// to functions by name; adding one is a code change reviewed like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Function {
    /// Disaster relief and humanitarian assistance.
    Disaster,
    /// Maritime piracy and armed robbery against ships, maritime security.
    Piracy,
    /// Infectious disease and public health emergencies.
    Health,
    /// WMD proliferation and sanctions enforcement.
    Proliferation,
    /// Human and drug trafficking, transnational crime.
    Trafficking,
    /// Environmental harm (pollution, illegal fishing).
    Environment,
    /// Energy security.
    Energy,
    /// Traditional security: defence, confidence building, arms control.
    Traditional,
    /// Financial stability and monetary cooperation.
    Finance,
}

impl Function {
    /// Every function, in a stable order.
    pub const ALL: [Function; 9] = [
        Function::Disaster,
        Function::Piracy,
        Function::Health,
        Function::Proliferation,
        Function::Trafficking,
        Function::Environment,
        Function::Energy,
        Function::Traditional,
        Function::Finance,
    ];

    /// The short stable identifier used in data files, URLs and the CLI.
    pub fn id(self) -> &'static str {
        match self {
            Function::Disaster => "disaster",
            Function::Piracy => "piracy",
            Function::Health => "health",
            Function::Proliferation => "proliferation",
            Function::Trafficking => "trafficking",
            Function::Environment => "environment",
            Function::Energy => "energy",
            Function::Traditional => "traditional",
            Function::Finance => "finance",
        }
    }

    /// A human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Function::Disaster => "Disaster relief",
            Function::Piracy => "Maritime piracy and maritime security",
            Function::Health => "Infectious disease",
            Function::Proliferation => "WMD proliferation and sanctions enforcement",
            Function::Trafficking => "Human and drug trafficking",
            Function::Environment => "Environmental harm",
            Function::Energy => "Energy security",
            Function::Traditional => "Traditional security",
            Function::Finance => "Finance",
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error for a string that names no function.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown function {0:?} (expected one of: disaster, piracy, health, proliferation, trafficking, environment, energy, traditional, finance)"
)]
pub struct UnknownFunction(pub String);

impl FromStr for Function {
    type Err = UnknownFunction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Function::ALL
            .into_iter()
            .find(|f| f.id() == s)
            .ok_or_else(|| UnknownFunction(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for f in Function::ALL {
            assert_eq!(f.id().parse::<Function>(), Ok(f));
        }
        assert!("piracyy".parse::<Function>().is_err());
    }
}
