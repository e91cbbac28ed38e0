//! Trafficking seizures: people or drugs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Quantity;
use super::check::{BodyErrors, Checker, FieldErrorKind};

/// A seizure or interdiction of trafficked people or drugs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TraffickingReport {
    /// People or drugs.
    pub category: TraffickingCategory,
    /// The drug, for drug seizures ("methamphetamine").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substance: Option<String>,
    /// How much was seized, or how many people were found; people are
    /// counted in the unit `persons`.
    pub quantity: Quantity,
    /// Places along the route, origin first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<String>,
}

/// What was trafficked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TraffickingCategory {
    /// Human trafficking or smuggling of migrants.
    People,
    /// Narcotics or precursor chemicals.
    Drugs,
}

impl TraffickingReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        self.quantity.check(&mut c, "quantity");
        match self.category {
            TraffickingCategory::People => {
                if self.substance.is_some() {
                    c.push(
                        "substance",
                        FieldErrorKind::Invalid("only drug seizures name a substance".into()),
                    );
                }
                if self.quantity.unit != "persons" {
                    c.push(
                        "quantity.unit",
                        FieldErrorKind::Invalid("people are counted in \"persons\"".into()),
                    );
                }
                if self.quantity.value.fract() != 0.0 {
                    c.push(
                        "quantity.value",
                        FieldErrorKind::Invalid("a number of persons is a whole number".into()),
                    );
                }
            }
            TraffickingCategory::Drugs => {
                c.opt_text("substance", self.substance.as_deref());
            }
        }
        c.texts("route", &self.route);
        c.finish()
    }
}
