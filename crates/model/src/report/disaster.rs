//! Disaster events and the needs they create.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{BodyErrors, Checker, FieldErrorKind};

/// A disaster and what the affected state needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterReport {
    /// What struck.
    pub hazard: Hazard,
    /// How strong it was, on the scale the reporting agency uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magnitude: Option<Magnitude>,
    /// People affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_population: Option<u64>,
    /// People confirmed dead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deaths: Option<u64>,
    /// People displaced from their homes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displaced: Option<u64>,
    /// What is asked for, by capability in the catalogue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Need>,
}

/// A natural or technological hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Earthquake.
    Earthquake,
    /// Tsunami.
    Tsunami,
    /// Typhoon, cyclone or hurricane.
    TropicalCyclone,
    /// Riverine, flash or coastal flood.
    Flood,
    /// Landslide or mudslide.
    Landslide,
    /// Volcanic eruption.
    VolcanicEruption,
    /// Drought.
    Drought,
    /// Wildfire.
    Wildfire,
    /// Industrial or technological accident.
    Industrial,
    /// Anything else.
    Other,
}

/// A magnitude on a named scale ("Mw" 7.8, "Saffir-Simpson" 4, "VEI" 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Magnitude {
    /// The value.
    pub value: f64,
    /// The scale.
    pub scale: String,
}

/// A request for a number of units of one capability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// The capability's id in the catalogue (`usar-heavy`, `emt-type-2`).
    pub capability: String,
    /// How many units are needed; at least one.
    pub quantity: u32,
}

impl DisasterReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        if let Some(m) = &self.magnitude {
            c.number_at_least("magnitude.value", m.value, 0.0);
            c.text("magnitude.scale", &m.scale);
        }
        if let (Some(dead), Some(affected)) = (self.deaths, self.affected_population)
            && dead > affected
        {
            c.push(
                "deaths",
                FieldErrorKind::OutOfRange("exceeds affected_population".into()),
            );
        }
        for (i, need) in self.needs.iter().enumerate() {
            let id = &need.capability;
            // Capability ids are lowercase kebab-case in the catalogue.
            let ok = !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                c.push(
                    format!("needs[{i}].capability"),
                    FieldErrorKind::Invalid(format!("{id:?} is not a capability id")),
                );
            } else if self.needs[..i].iter().any(|n| n.capability == *id) {
                c.push(
                    format!("needs[{i}].capability"),
                    FieldErrorKind::Invalid(format!("{id:?} is listed twice")),
                );
            }
            if need.quantity == 0 {
                c.push(
                    format!("needs[{i}].quantity"),
                    FieldErrorKind::OutOfRange("must be at least 1".into()),
                );
            }
        }
        c.finish()
    }
}
