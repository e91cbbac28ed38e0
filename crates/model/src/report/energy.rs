//! Energy supply disruptions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Quantity;
use super::check::{BodyErrors, Checker};

/// A disruption of energy supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnergyReport {
    /// What is not getting through.
    pub commodity: EnergyCommodity,
    /// How much is lost ("barrels/day", "MW", "tonnes").
    pub volume: Quantity,
    /// How long the disruption has lasted or is expected to last, in hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_hours: Option<f64>,
    /// What caused it ("pipeline damage", "strait closure").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// An energy commodity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnergyCommodity {
    /// Crude oil.
    CrudeOil,
    /// Refined petroleum products.
    RefinedProducts,
    /// Liquefied natural gas.
    Lng,
    /// Liquefied petroleum gas.
    Lpg,
    /// Pipeline natural gas.
    PipelineGas,
    /// Coal.
    Coal,
    /// Electric power.
    Electricity,
    /// Anything else.
    Other,
}

impl EnergyReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        self.volume.check(&mut c, "volume");
        if let Some(h) = self.duration_hours {
            c.positive("duration_hours", h);
        }
        c.opt_text("cause", self.cause.as_deref());
        c.finish()
    }
}
