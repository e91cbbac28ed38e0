//! Disease outbreaks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{BodyErrors, Checker, FieldErrorKind};

/// An outbreak of infectious disease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutbreakReport {
    /// The pathogen ("influenza A(H5N1)", "SARS-CoV-2").
    pub pathogen: String,
    /// The disease, where it has a different name ("avian influenza").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease: Option<String>,
    /// Cases counted so far, confirmed and probable.
    pub cases: u64,
    /// Deaths among them.
    pub deaths: u64,
    /// Where the event stands under the International Health Regulations.
    pub ihr_notification: IhrStatus,
}

/// The event's status under the International Health Regulations (2005).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IhrStatus {
    /// Not (yet) notified to WHO.
    NotNotified,
    /// Notified to WHO under Article 6 (within 24 hours of assessment).
    Notified,
    /// Declared a public health emergency of international concern
    /// (Article 12).
    Pheic,
}

impl OutbreakReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        c.text("pathogen", &self.pathogen);
        c.opt_text("disease", self.disease.as_deref());
        if self.deaths > self.cases {
            c.push("deaths", FieldErrorKind::OutOfRange("exceeds cases".into()));
        }
        c.finish()
    }
}
