//! Proliferation and sanctions cases.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ImoNumber;
use super::check::{BodyErrors, Checker, FieldErrorKind};

/// A suspected proliferation or sanctions-evasion case: ships, a transfer,
/// cargo and the designated people or firms behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProliferationReport {
    /// The ships involved; at least one.
    pub vessels: Vec<Vessel>,
    /// Whether cargo passed between ships at sea.
    pub ship_to_ship_transfer: bool,
    /// The cargo ("refined petroleum", "coal").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo: Option<String>,
    /// Designated persons or entities involved, as named on the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub designated_entities: Vec<String>,
    /// The sanctions regime ("UNSCR 1718").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
}

/// A ship named in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vessel {
    /// Its name, or `unidentified`.
    pub name: String,
    /// Its IMO number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imo_number: Option<ImoNumber>,
    /// Its flag (ISO 3166-1 alpha-3 or as reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

impl ProliferationReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        if self.vessels.is_empty() {
            c.push(
                "vessels",
                FieldErrorKind::OutOfRange("at least one vessel".into()),
            );
        }
        // A transfer needs two ships; an unseen partner is still listed,
        // named `unidentified`, so that the count stays honest.
        if self.ship_to_ship_transfer && self.vessels.len() < 2 {
            c.push(
                "vessels",
                FieldErrorKind::OutOfRange("a ship-to-ship transfer involves two vessels".into()),
            );
        }
        for (i, v) in self.vessels.iter().enumerate() {
            c.text(&format!("vessels[{i}].name"), &v.name);
            c.opt_text(&format!("vessels[{i}].flag"), v.flag.as_deref());
        }
        c.opt_text("cargo", self.cargo.as_deref());
        c.texts("designated_entities", &self.designated_entities);
        c.opt_text("regime", self.regime.as_deref());
        c.finish()
    }
}
