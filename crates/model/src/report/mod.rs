//! Report kinds and their typed, validated bodies (DESIGN.md §2, Record).
//!
//! A report's body depends on its [`ReportKind`]: a piracy report carries a
//! [`PiracyReport`], an outbreak an [`OutbreakReport`], and so on. Bodies
//! reject unknown fields, and [`parse_body`] turns untrusted JSON into a
//! [`ReportBody`], naming every missing, unknown or out-of-range field.
//! [`schema`] gives each kind's JSON Schema for the API to publish.
//!
//! ```
//! use model::report::{self, ReportKind};
//! let body = serde_json::json!({"attack_type": "boarded", "perpetrators": -2, "colour": "red"});
//! let errors = report::parse_body(ReportKind::Piracy, &body).unwrap_err();
//! assert!(errors.names("colour"));
//! let errors = report::parse_body(ReportKind::Piracy, &serde_json::json!({"perpetrators": -2, "attack_type": "boarded"})).unwrap_err();
//! assert!(errors.names("perpetrators"));
//! ```

mod alert;
mod check;
mod disaster;
mod energy;
mod environment;
mod joint;
mod outbreak;
mod piracy;
mod proliferation;
mod trafficking;

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Function;
pub use alert::{
    AlertDetails, AlertFix, AlertKind, AlertReport, AlertVessel, IdentityChange, MAX_EVIDENCE,
};
pub use check::{BodyErrors, FieldError, FieldErrorKind, SHORT_TEXT};
pub use disaster::{DisasterReport, Hazard, Magnitude, Need};
pub use energy::{EnergyCommodity, EnergyReport};
pub use environment::EnvironmentReport;
pub use joint::{
    DECLINABLE, ExcludedArea, HostConsent, LONG_TEXT, MAX_ITEMS, OperationReport,
    OperationRequirement, OperationState, PledgeCaveats, PledgeReport, SitrepReport, Tally, Task,
    VotePosition, VoteReport, Window,
};
pub use outbreak::{IhrStatus, OutbreakReport};
pub use piracy::{
    AttackType, CrewHarm, ImoError, ImoNumber, MAX_PERPETRATORS, PiracyReport, Severity,
    ShipStatus, Weapons,
};
pub use proliferation::{ProliferationReport, Vessel};
pub use trafficking::{TraffickingCategory, TraffickingReport};

/// The kinds of report members share.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Piracy and armed robbery against ships.
    Piracy,
    /// A disaster and the needs it creates.
    Disaster,
    /// A disease outbreak.
    Outbreak,
    /// A seizure of trafficked people or drugs.
    Trafficking,
    /// A proliferation or sanctions case.
    Proliferation,
    /// An environmental incident.
    Environment,
    /// An energy supply disruption.
    Energy,
    /// A member's standing offer of assets for joint operations.
    Pledge,
    /// A joint operation proposed in a forum, with its lifecycle.
    Operation,
    /// A member's vote on a proposed operation.
    Vote,
    /// A situation report on an active operation.
    Sitrep,
    /// An alert from the maritime behaviour detectors (an encounter at
    /// sea, a silence, a watch-listed ship...).
    #[serde(rename = "mda.alert")]
    MdaAlert,
}

impl ReportKind {
    /// Every kind, in a stable order.
    pub const ALL: [ReportKind; 12] = [
        ReportKind::Piracy,
        ReportKind::Disaster,
        ReportKind::Outbreak,
        ReportKind::Trafficking,
        ReportKind::Proliferation,
        ReportKind::Environment,
        ReportKind::Energy,
        ReportKind::Pledge,
        ReportKind::Operation,
        ReportKind::Vote,
        ReportKind::Sitrep,
        ReportKind::MdaAlert,
    ];

    /// Whether reports of this kind describe an incident (the seven
    /// original kinds) rather than joint-operations bookkeeping (pledges,
    /// operations, votes, situation reports).
    pub fn is_incident(self) -> bool {
        !matches!(
            self,
            ReportKind::Pledge | ReportKind::Operation | ReportKind::Vote | ReportKind::Sitrep
        )
    }

    /// The stable identifier used in JSON, URLs and the CLI.
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::Piracy => "piracy",
            ReportKind::Disaster => "disaster",
            ReportKind::Outbreak => "outbreak",
            ReportKind::Trafficking => "trafficking",
            ReportKind::Proliferation => "proliferation",
            ReportKind::Environment => "environment",
            ReportKind::Energy => "energy",
            ReportKind::Pledge => "pledge",
            ReportKind::Operation => "operation",
            ReportKind::Vote => "vote",
            ReportKind::Sitrep => "sitrep",
            ReportKind::MdaAlert => "mda.alert",
        }
    }

    /// The function a report of this kind is filed under unless its
    /// originator says otherwise.
    pub fn default_function(self) -> Function {
        match self {
            ReportKind::Piracy => Function::Piracy,
            ReportKind::Disaster => Function::Disaster,
            ReportKind::Outbreak => Function::Health,
            ReportKind::Trafficking => Function::Trafficking,
            ReportKind::Proliferation => Function::Proliferation,
            ReportKind::Environment => Function::Environment,
            ReportKind::Energy => Function::Energy,
            // Joint operations are mostly disaster relief; a pledge or an
            // operation for another function says so in its record.
            ReportKind::Pledge | ReportKind::Operation | ReportKind::Vote | ReportKind::Sitrep => {
                Function::Disaster
            }
            // Detections carry their own function (the detector's routing);
            // this is only the fallback of a hand-written draft.
            ReportKind::MdaAlert => Function::Proliferation,
        }
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The error for a string that names no report kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown report kind {0:?} (expected one of: piracy, disaster, outbreak, trafficking, proliferation, environment, energy, pledge, operation, vote, sitrep, mda.alert)"
)]
pub struct UnknownReportKind(pub String);

impl FromStr for ReportKind {
    type Err = UnknownReportKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReportKind::ALL
            .into_iter()
            .find(|k| k.id() == s)
            .ok_or_else(|| UnknownReportKind(s.to_owned()))
    }
}

/// A typed report body, tagged by kind: `{"kind": "piracy", "body": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "bodies live inside a boxed ReportContent; boxing one variant would only complicate matching"
)]
pub enum ReportBody {
    /// Piracy and armed robbery against ships.
    Piracy(PiracyReport),
    /// A disaster and its needs.
    Disaster(DisasterReport),
    /// A disease outbreak.
    Outbreak(OutbreakReport),
    /// A trafficking seizure.
    Trafficking(TraffickingReport),
    /// A proliferation or sanctions case.
    Proliferation(ProliferationReport),
    /// An environmental incident.
    Environment(EnvironmentReport),
    /// An energy supply disruption.
    Energy(EnergyReport),
    /// A pledge of assets.
    Pledge(PledgeReport),
    /// A joint operation.
    Operation(OperationReport),
    /// A vote on an operation.
    Vote(VoteReport),
    /// A situation report.
    Sitrep(SitrepReport),
    /// A maritime behaviour alert.
    #[serde(rename = "mda.alert")]
    MdaAlert(AlertReport),
}

impl ReportBody {
    /// The body's kind.
    pub fn kind(&self) -> ReportKind {
        match self {
            ReportBody::Piracy(_) => ReportKind::Piracy,
            ReportBody::Disaster(_) => ReportKind::Disaster,
            ReportBody::Outbreak(_) => ReportKind::Outbreak,
            ReportBody::Trafficking(_) => ReportKind::Trafficking,
            ReportBody::Proliferation(_) => ReportKind::Proliferation,
            ReportBody::Environment(_) => ReportKind::Environment,
            ReportBody::Energy(_) => ReportKind::Energy,
            ReportBody::Pledge(_) => ReportKind::Pledge,
            ReportBody::Operation(_) => ReportKind::Operation,
            ReportBody::Vote(_) => ReportKind::Vote,
            ReportBody::Sitrep(_) => ReportKind::Sitrep,
            ReportBody::MdaAlert(_) => ReportKind::MdaAlert,
        }
    }

    /// Checks the body's fields, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        match self {
            ReportBody::Piracy(b) => b.validate(),
            ReportBody::Disaster(b) => b.validate(),
            ReportBody::Outbreak(b) => b.validate(),
            ReportBody::Trafficking(b) => b.validate(),
            ReportBody::Proliferation(b) => b.validate(),
            ReportBody::Environment(b) => b.validate(),
            ReportBody::Energy(b) => b.validate(),
            ReportBody::Pledge(b) => b.validate(),
            ReportBody::Operation(b) => b.validate(),
            ReportBody::Vote(b) => b.validate(),
            ReportBody::Sitrep(b) => b.validate(),
            ReportBody::MdaAlert(b) => b.validate(),
        }
    }
}

/// An amount with its unit ("12.5 t", "300 persons", "40000 barrels").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// The amount; finite and greater than zero.
    pub value: f64,
    /// The unit, as written ("kg", "t", "persons", "barrels/day").
    pub unit: String,
}

impl Quantity {
    fn check(&self, c: &mut check::Checker, field: &str) {
        c.positive(&format!("{field}.value"), self.value);
        c.text(&format!("{field}.unit"), &self.unit);
    }
}

/// Each kind's schema, generated once: building one with schemars costs
/// more than parsing a body, and imports parse thousands.
fn cached_schema(kind: ReportKind) -> std::borrow::Cow<'static, Value> {
    static SCHEMAS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    let all = SCHEMAS.get_or_init(|| ReportKind::ALL.iter().map(|&k| schema(k)).collect());
    match ReportKind::ALL.iter().position(|&k| k == kind) {
        Some(i) => std::borrow::Cow::Borrowed(&all[i]),
        None => std::borrow::Cow::Owned(schema(kind)),
    }
}

/// The JSON Schema (draft 2020-12) of one kind's body, as the API
/// publishes it.
pub fn schema(kind: ReportKind) -> Value {
    let schema = match kind {
        ReportKind::Piracy => schemars::schema_for!(PiracyReport),
        ReportKind::Disaster => schemars::schema_for!(DisasterReport),
        ReportKind::Outbreak => schemars::schema_for!(OutbreakReport),
        ReportKind::Trafficking => schemars::schema_for!(TraffickingReport),
        ReportKind::Proliferation => schemars::schema_for!(ProliferationReport),
        ReportKind::Environment => schemars::schema_for!(EnvironmentReport),
        ReportKind::Energy => schemars::schema_for!(EnergyReport),
        ReportKind::Pledge => schemars::schema_for!(PledgeReport),
        ReportKind::Operation => schemars::schema_for!(OperationReport),
        ReportKind::Vote => schemars::schema_for!(VoteReport),
        ReportKind::Sitrep => schemars::schema_for!(SitrepReport),
        ReportKind::MdaAlert => schemars::schema_for!(AlertReport),
    };
    schema.to_value()
}

/// Reads an untrusted JSON body of the given kind and validates it.
///
/// Errors name every field at fault: all unknown and missing top-level
/// fields at once; otherwise the first field whose value has the wrong type
/// or format (serde stops there); otherwise every field that fails the
/// kind's range and consistency checks.
pub fn parse_body(kind: ReportKind, body: &Value) -> Result<ReportBody, BodyErrors> {
    let Value::Object(fields) = body else {
        return Err(BodyErrors(vec![FieldError {
            field: String::new(),
            kind: FieldErrorKind::Invalid("a report body is a JSON object".into()),
        }]));
    };
    // Check names against the schema first so that a body with several
    // misspelt fields hears about all of them, not just the first.
    let schema = cached_schema(kind);
    let mut errors = Vec::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in fields.keys() {
        if !properties.is_some_and(|p| p.contains_key(name)) {
            errors.push(FieldError {
                field: name.clone(),
                kind: FieldErrorKind::Unknown,
            });
        }
    }
    let required = schema.get("required").and_then(Value::as_array);
    for name in required.into_iter().flatten().filter_map(Value::as_str) {
        if !fields.contains_key(name) {
            errors.push(FieldError {
                field: name.to_owned(),
                kind: FieldErrorKind::Missing,
            });
        }
    }
    if !errors.is_empty() {
        return Err(BodyErrors(errors));
    }
    let parsed = match kind {
        ReportKind::Piracy => typed(body).map(ReportBody::Piracy),
        ReportKind::Disaster => typed(body).map(ReportBody::Disaster),
        ReportKind::Outbreak => typed(body).map(ReportBody::Outbreak),
        ReportKind::Trafficking => typed(body).map(ReportBody::Trafficking),
        ReportKind::Proliferation => typed(body).map(ReportBody::Proliferation),
        ReportKind::Environment => typed(body).map(ReportBody::Environment),
        ReportKind::Energy => typed(body).map(ReportBody::Energy),
        ReportKind::Pledge => typed(body).map(ReportBody::Pledge),
        ReportKind::Operation => typed(body).map(ReportBody::Operation),
        ReportKind::Vote => typed(body).map(ReportBody::Vote),
        ReportKind::Sitrep => typed(body).map(ReportBody::Sitrep),
        ReportKind::MdaAlert => typed(body).map(ReportBody::MdaAlert),
    }?;
    parsed.validate()?;
    Ok(parsed)
}

/// Deserializes with the path of the first failing field.
fn typed<T: DeserializeOwned>(body: &Value) -> Result<T, BodyErrors> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = e.into_inner().to_string();
        BodyErrors(vec![field_error(path, &message)])
    })
}

/// Turns serde's message into a field error, moving the field name of
/// "missing field `x`" and "unknown field `x`" (in nested objects) into the
/// path.
fn field_error(path: String, message: &str) -> FieldError {
    // serde_path_to_error already ends the path with an unknown field's
    // name, but not with a missing one's.
    let join = |name: &str| {
        if path.is_empty() || path == name || path.ends_with(&format!(".{name}")) {
            if path.is_empty() {
                name.to_owned()
            } else {
                path.clone()
            }
        } else {
            format!("{path}.{name}")
        }
    };
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(join)
    };
    if let Some(field) = named("missing field `") {
        FieldError {
            field,
            kind: FieldErrorKind::Missing,
        }
    } else if let Some(field) = named("unknown field `") {
        FieldError {
            field,
            kind: FieldErrorKind::Unknown,
        }
    } else {
        FieldError {
            field: path,
            kind: FieldErrorKind::Invalid(message.to_owned()),
        }
    }
}
