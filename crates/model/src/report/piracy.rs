//! Piracy and armed robbery against ships: the fields of ReCAAP and IMO
//! incident reporting.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::check::{BodyErrors, Checker, FieldErrorKind};

/// A report of piracy or armed robbery against a ship.
///
/// The fields follow the incident reports published by the ReCAAP
/// Information Sharing Centre and the IMO's reports on acts of piracy and
/// armed robbery (MSC.4 circulars): the ship (name, IMO number, type, flag),
/// what it was doing, what happened, who did it and with what, what
/// happened to the crew, what was taken, and ReCAAP's severity category.
/// Everything but the type of attack is optional because first reports are
/// often partial; what is given is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PiracyReport {
    /// The ship's name as reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_name: Option<String>,
    /// The ship's IMO number (seven digits, the last a check digit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imo_number: Option<ImoNumber>,
    /// The ship type as reported ("bulk carrier", "product tanker", "tug").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_type: Option<String>,
    /// The flag state: an ISO 3166-1 alpha-3 code where known, otherwise
    /// the flag as the source gives it ("Tanzania", "Marshall Islands").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// What the ship was doing when attacked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ShipStatus>,
    /// What kind of attack it was.
    pub attack_type: AttackType,
    /// How many perpetrators were seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perpetrators: Option<u32>,
    /// The most dangerous weapon the perpetrators carried; absent when the
    /// report does not say, `none` when they were seen to be unarmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weapons: Option<Weapons>,
    /// What happened to the crew; empty when the report does not say,
    /// `["none"]` when the crew were unharmed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crew_harm: Vec<CrewHarm>,
    /// What was taken ("engine spares", "ship's stores", "cargo").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items_stolen: Vec<String>,
    /// ReCAAP's severity category, for actual (not attempted) incidents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

impl PiracyReport {
    /// A report that says only what kind of attack it was.
    pub fn new(attack_type: AttackType) -> PiracyReport {
        PiracyReport {
            ship_name: None,
            imo_number: None,
            ship_type: None,
            flag: None,
            status: None,
            attack_type,
            perpetrators: None,
            weapons: None,
            crew_harm: Vec::new(),
            items_stolen: Vec::new(),
            severity: None,
        }
    }

    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        c.opt_text("ship_name", self.ship_name.as_deref());
        c.opt_text("ship_type", self.ship_type.as_deref());
        c.opt_text("flag", self.flag.as_deref());
        if let Some(n) = self.perpetrators {
            // The largest reported boardings are a few dozen people; a
            // thousand means a typo or a unit mix-up, not an attack.
            if n > MAX_PERPETRATORS {
                c.push(
                    "perpetrators",
                    FieldErrorKind::OutOfRange(format!("at most {MAX_PERPETRATORS}")),
                );
            }
        }
        if self.crew_harm.len() > 1 && self.crew_harm.contains(&CrewHarm::None) {
            c.push(
                "crew_harm",
                FieldErrorKind::Invalid("\"none\" cannot be combined with other harm".into()),
            );
        }
        for (i, h) in self.crew_harm.iter().enumerate() {
            if self.crew_harm[..i].contains(h) {
                c.push(
                    format!("crew_harm[{i}]"),
                    FieldErrorKind::Invalid(format!("{h:?} is repeated")),
                );
            }
        }
        c.texts("items_stolen", &self.items_stolen);
        if self.severity.is_some() && !self.attack_type.is_actual() {
            // ReCAAP grades only incidents where the perpetrators succeeded
            // in boarding or taking the ship; attempts are counted apart.
            c.push(
                "severity",
                FieldErrorKind::Invalid(format!(
                    "a severity category applies only to actual incidents, not to {}",
                    self.attack_type.id()
                )),
            );
        }
        c.finish()
    }
}

/// Largest number of perpetrators accepted.
pub const MAX_PERPETRATORS: u32 = 1000;

/// What the ship was doing when attacked, as ReCAAP and IMB record it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ShipStatus {
    /// Alongside a berth or moored in port.
    Berthed,
    /// At anchor.
    Anchored,
    /// Under way ("steaming" in IMB reports), including being towed.
    Underway,
    /// Adrift, not under command or stopped at sea.
    Drifting,
    /// Anything else the source reports (aground, fishing, stationary).
    Other,
}

/// The kind of attack.
///
/// The first five follow IMB and IMO usage (boarded, attempted, hijacked,
/// fired upon) with robbery split out where property was taken; the rest
/// cover what the public data sets also record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AttackType {
    /// Perpetrators boarded the ship; nothing is reported stolen.
    Boarded,
    /// Perpetrators boarded and stole property, cargo or cash.
    Robbery,
    /// Perpetrators tried to board but did not.
    Attempted,
    /// Perpetrators took control of the ship.
    Hijacked,
    /// The ship was fired upon.
    FiredUpon,
    /// Crew were abducted, typically for ransom.
    Kidnapping,
    /// A craft approached in a way the master judged hostile.
    SuspiciousApproach,
    /// The ship was detained or seized by a state or armed group.
    Detained,
    /// Any other hostile act (explosion, military action, protest).
    Other,
    /// The source does not say.
    Unknown,
}

impl AttackType {
    /// Whether the perpetrators succeeded: ReCAAP's "actual incident", the
    /// only kind it grades with a severity category.
    pub fn is_actual(self) -> bool {
        matches!(
            self,
            AttackType::Boarded
                | AttackType::Robbery
                | AttackType::Hijacked
                | AttackType::Kidnapping
        )
    }

    /// The identifier used in JSON bodies.
    pub fn id(self) -> &'static str {
        match self {
            AttackType::Boarded => "boarded",
            AttackType::Robbery => "robbery",
            AttackType::Attempted => "attempted",
            AttackType::Hijacked => "hijacked",
            AttackType::FiredUpon => "fired_upon",
            AttackType::Kidnapping => "kidnapping",
            AttackType::SuspiciousApproach => "suspicious_approach",
            AttackType::Detained => "detained",
            AttackType::Other => "other",
            AttackType::Unknown => "unknown",
        }
    }
}

/// The most dangerous weapon carried.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Weapons {
    /// Seen to be unarmed.
    None,
    /// Knives, machetes, parangs.
    Knives,
    /// Firearms of any kind, including rocket-propelled grenades.
    Guns,
    /// Other weapons (sticks, iron bars, explosives).
    Other,
}

/// Harm done to the crew.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CrewHarm {
    /// Unharmed.
    None,
    /// Threatened or tied up, but not hurt.
    Threatened,
    /// Beaten or otherwise physically attacked.
    Assaulted,
    /// Injured.
    Injured,
    /// Killed.
    Killed,
    /// Held hostage on board.
    TakenHostage,
    /// Taken off the ship.
    Kidnapped,
    /// Missing.
    Missing,
}

/// ReCAAP ISC's severity ("significance") category of an actual incident.
///
/// ReCAAP grades each actual incident on two factors, violence (the number
/// of perpetrators, the weapons they carried, how the crew were treated)
/// and economic loss (what was taken), into four categories, CAT 1 the most
/// significant (ReCAAP ISC, *Piracy and Armed Robbery against Ships in Asia*,
/// annual and quarterly reports, section "Significance of incidents"):
///
/// | category | perpetrators | weapons | crew | loss |
/// |---|---|---|---|---|
/// | CAT 1 | large group (more than 9) | armed | harmed: assaulted, injured, taken hostage, kidnapped, killed | ship hijacked or cargo stolen |
/// | CAT 2 | 4–9 | armed with knives or guns | threatened or tied up | cash or property stolen |
/// | CAT 3 | 1–6 | knives or other tools | not harmed | ship stores or engine spares stolen |
/// | CAT 4 | 1–3 | not armed | not harmed | nothing stolen |
///
/// Attempted incidents are not graded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum Severity {
    /// The most significant incidents.
    #[serde(rename = "CAT1")]
    Cat1,
    /// Significant incidents.
    #[serde(rename = "CAT2")]
    Cat2,
    /// Less significant incidents.
    #[serde(rename = "CAT3")]
    Cat3,
    /// The least significant incidents.
    #[serde(rename = "CAT4")]
    Cat4,
}

/// An IMO ship identification number: seven digits, the last a check digit.
///
/// The check digit is the last digit of the sum of the first six digits
/// weighted 7, 6, 5, 4, 3, 2 (IMO resolution A.1117(30), annex). It is
/// written in JSON as a string of the seven digits, with or without a
/// leading `IMO `.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ImoNumber(u32);

/// Why a string is not an IMO number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImoError {
    /// Not seven decimal digits.
    #[error("an IMO number has 7 digits, got {0:?}")]
    Format(String),
    /// The check digit does not match.
    #[error("IMO number {number} fails its check digit (expected {expected})")]
    CheckDigit {
        /// The number as given.
        number: String,
        /// The check digit the first six digits call for.
        expected: u32,
    },
}

impl ImoNumber {
    /// Parses `9074729` or `IMO 9074729`, checking the check digit.
    pub fn parse(s: &str) -> Result<ImoNumber, ImoError> {
        let t = s.trim();
        let t = t
            .strip_prefix("IMO")
            .or_else(|| t.strip_prefix("imo"))
            .map_or(t, str::trim_start);
        if t.len() != 7 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImoError::Format(s.to_owned()));
        }
        let digits: Vec<u32> = t.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits[..6]
            .iter()
            .zip((2..=7).rev())
            .map(|(d, w)| d * w)
            .sum();
        let expected = sum % 10;
        if digits[6] != expected {
            return Err(ImoError::CheckDigit {
                number: t.to_owned(),
                expected,
            });
        }
        // Seven checked digits fit in a u32.
        Ok(ImoNumber(t.parse().unwrap_or_default()))
    }

    /// The number as an integer.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for ImoNumber {
    type Err = ImoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImoNumber::parse(s)
    }
}

impl TryFrom<String> for ImoNumber {
    type Error = ImoError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ImoNumber::parse(&s)
    }
}

impl From<ImoNumber> for String {
    fn from(n: ImoNumber) -> String {
        n.to_string()
    }
}

impl fmt::Display for ImoNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:07}", self.0)
    }
}

impl JsonSchema for ImoNumber {
    fn schema_name() -> Cow<'static, str> {
        "ImoNumber".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(IMO ?)?[0-9]{7}$",
            "description": "IMO ship identification number: seven digits, the last a check digit"
        })
    }
}
