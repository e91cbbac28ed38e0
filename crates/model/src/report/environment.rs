//! Environmental incidents.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Quantity;
use super::check::{BodyErrors, Checker};

/// Pollution or other environmental harm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentReport {
    /// What was released ("heavy fuel oil", "palm oil", "plastic pellets").
    pub pollutant: String,
    /// How much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Quantity>,
    /// The area affected, in square kilometres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_km2: Option<f64>,
}

impl EnvironmentReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        c.text("pollutant", &self.pollutant);
        if let Some(v) = &self.volume {
            v.check(&mut c, "volume");
        }
        if let Some(a) = self.area_km2 {
            c.number_at_least("area_km2", a, 0.0);
        }
        c.finish()
    }
}
