//! Joint operations as records (DESIGN.md §2, Capability and pledge,
//! Operation): pledges, operations, votes on them and situation reports.
//!
//! These bodies travel like any report — signed, versioned, shared by the
//! distribution rules — but describe no incident. A pledge's home base is
//! its record's `location` (a Point); an operation's area is its record's
//! `location` (a Polygon) and its function the record's `function`. An
//! operation's lifecycle (`model::operation`) writes each transition as a
//! new version of the operation record; votes and situation reports are
//! records of their own that name the operation.
//!
//! The asset types named here are checked against the capability catalogue
//! by the layers that hold it (the CLI and the server, through `ops`); this
//! module checks only what it can know: ranges, blanks, repeats, order of
//! times.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{BodyErrors, Checker, FieldErrorKind};
use crate::record::{Geometry, RecordId};
use crate::{ForumId, Function, MemberCode};

/// Longest free text in an after-action record or a situation report.
pub const LONG_TEXT: usize = 20_000;

/// Most requirements, tasks, caveat entries or figures one body may carry.
pub const MAX_ITEMS: usize = 500;

/// A member's standing offer of assets (a standby arrangement in the manner
/// of ASEAN's SASOP). The home base is the record's `location` Point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeReport {
    /// The catalogue id of the asset type (`usar-heavy`, `helicopter-medium`).
    pub asset_type: String,
    /// How much is offered, in the asset type's unit; greater than zero
    /// (whole units where the catalogue says so).
    pub quantity: f64,
    /// The agency that holds the asset ("Singapore Civil Defence Force").
    pub agency: String,
    /// Hours from the call until the asset departs; at least 0.
    pub readiness_hours: f64,
    /// Transit speed in knots; absent for assets that do not travel the
    /// distance themselves (funds, remote experts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_knots: Option<f64>,
    /// Days the asset can stay on task without resupply; absent = no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endurance_days: Option<f64>,
    /// Whether the asset is military; absent = the asset type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub military: Option<bool>,
    /// The conditions the member attaches.
    #[serde(default)]
    pub caveats: PledgeCaveats,
}

/// Conditions a member attaches to a pledge.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeCaveats {
    /// Functions the pledge may serve; empty = any its asset type serves.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub functions: Vec<Function>,
    /// Areas the asset will not go to: names (an area name or a host's
    /// code) or GeoJSON polygons.
    #[serde(default)]
    pub excluded_areas: Vec<ExcludedArea>,
    /// Members the asset will not operate alongside.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub excluded_partners: Vec<MemberCode>,
    /// The longest commitment accepted, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_days: Option<f64>,
}

/// An area a pledge excludes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ExcludedArea {
    /// By name ("South China Sea", "MMR").
    Named(String),
    /// By shape: a GeoJSON Polygon.
    Area(Geometry),
}

/// The lifecycle state of an operation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OperationState {
    /// Proposed in a forum, awaiting the decision.
    #[default]
    Proposed,
    /// The forum decided for it.
    Approved,
    /// The forum decided against it; final.
    Rejected,
    /// Running: at least one task issued.
    Active,
    /// Closed with an after-action record; final.
    Closed,
}

impl OperationState {
    /// The identifier used in JSON and output.
    pub fn id(self) -> &'static str {
        match self {
            OperationState::Proposed => "proposed",
            OperationState::Approved => "approved",
            OperationState::Rejected => "rejected",
            OperationState::Active => "active",
            OperationState::Closed => "closed",
        }
    }
}

/// The operation's time window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Start: requirement deadlines count from here.
    #[schemars(with = "String")]
    pub start: DateTime<Utc>,
    /// End; after the start.
    #[schemars(with = "String")]
    pub end: DateTime<Utc>,
}

/// What the host states decline (Cyclone Nargis, 2008: Myanmar declined
/// foreign military ships). Assets of a host itself are never declined.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostConsent {
    /// Assisting members the hosts decline altogether.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub declined_members: Vec<MemberCode>,
    /// Asset classes declined from foreign members: a class
    /// (`ship`, `aircraft`, `team`, …), `military` (every military asset),
    /// or `military-<class>` (`military-ship`).
    #[serde(default)]
    pub declined_asset_classes: Vec<String>,
    /// Why, with a source where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One need of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationRequirement {
    /// The catalogue id of the asset type.
    pub asset_type: String,
    /// How much, in the asset type's unit; greater than zero.
    pub quantity: f64,
    /// When the assets must be there; inside the window.
    #[schemars(with = "String")]
    pub deadline: DateTime<Utc>,
    /// Weight in the plan's coverage objective, 1 to 100.
    pub priority: u32,
}

/// How a vote was cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VotePosition {
    /// For.
    Support,
    /// Against: under consensus, one objection blocks.
    Object,
    /// Answered without taking a side.
    Abstain,
}

impl VotePosition {
    /// The identifier used in JSON and output.
    pub fn id(self) -> &'static str {
        match self {
            VotePosition::Support => "support",
            VotePosition::Object => "object",
            VotePosition::Abstain => "abstain",
        }
    }
}

/// The count a decision rests on, written into the operation by `decide`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// The forum's rule (`consensus`, `simple-majority`, …).
    pub rule: String,
    /// Members whose counted vote was support.
    #[schemars(with = "Vec<String>")]
    pub support: Vec<MemberCode>,
    /// Members whose counted vote was an objection.
    #[schemars(with = "Vec<String>")]
    pub object: Vec<MemberCode>,
    /// Members who abstained.
    #[schemars(with = "Vec<String>")]
    pub abstain: Vec<MemberCode>,
    /// Forum members (on the deadline's date) who did not answer in time.
    #[schemars(with = "Vec<String>")]
    pub silent: Vec<MemberCode>,
    /// Votes left out, with why (late, not a member, superseded).
    #[serde(default)]
    pub ignored: Vec<String>,
    /// Weighted share of support, for a weighted majority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted_support: Option<f64>,
    /// Whether the operation was approved.
    pub approved: bool,
    /// The rule's verdict in words.
    pub reason: String,
}

/// A task given to a member in an active operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Who is tasked.
    #[schemars(with = "String")]
    pub member: MemberCode,
    /// The catalogue id of the asset type.
    pub asset_type: String,
    /// How much, in the asset type's unit.
    pub quantity: f64,
    /// When the task was issued.
    #[schemars(with = "String")]
    pub issued_at: DateTime<Utc>,
}

/// A joint operation for one function in one area (the record's `location`,
/// a Polygon) and time window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationReport {
    /// The forum that decides.
    #[schemars(with = "String")]
    pub forum: ForumId,
    /// The time window.
    pub window: Window,
    /// The states whose consent is required.
    #[schemars(with = "Vec<String>")]
    pub hosts: Vec<MemberCode>,
    /// What the hosts decline.
    #[serde(default)]
    pub consent: HostConsent,
    /// What is needed.
    pub requirements: Vec<OperationRequirement>,
    /// Votes reported after this time are not counted.
    #[schemars(with = "String")]
    pub decision_deadline: DateTime<Utc>,
    /// Where in its lifecycle the operation is.
    #[serde(default)]
    pub state: OperationState,
    /// The count behind the decision, once decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
    /// Tasks issued.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// The after-action record, once closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_action: Option<String>,
}

/// A member's vote on a proposed operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteReport {
    /// The operation record voted on.
    #[schemars(with = "String")]
    pub operation: RecordId,
    /// For, against or abstaining.
    pub position: VotePosition,
    /// Why, if the member says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A situation report from a participant in an active operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitrepReport {
    /// The operation record reported on.
    #[schemars(with = "String")]
    pub operation: RecordId,
    /// What happened.
    pub text: String,
    /// Figures by name ("persons_rescued": 120); finite, at least 0.
    #[serde(default)]
    pub figures: BTreeMap<String, f64>,
}

fn count(c: &mut Checker, field: &str, n: usize) {
    if n > MAX_ITEMS {
        c.push(
            field,
            FieldErrorKind::OutOfRange(format!("at most {MAX_ITEMS} entries")),
        );
    }
}

fn long_text(c: &mut Checker, field: &str, value: &str) {
    if value.trim().is_empty() {
        c.push(field, FieldErrorKind::Blank);
    } else if value.chars().count() > LONG_TEXT {
        c.push(
            field,
            FieldErrorKind::OutOfRange(format!("longer than {LONG_TEXT} characters")),
        );
    }
}

fn repeats<T: PartialEq + std::fmt::Display>(c: &mut Checker, field: &str, values: &[T]) {
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            c.push(
                format!("{field}[{i}]"),
                FieldErrorKind::Invalid(format!("{v} is repeated")),
            );
        }
    }
}

/// The accepted `declined_asset_classes` entries.
pub const DECLINABLE: [&str; 15] = [
    "military",
    "ship",
    "aircraft",
    "team",
    "equipment",
    "stocks",
    "funds",
    "experts",
    "military-ship",
    "military-aircraft",
    "military-team",
    "military-equipment",
    "military-stocks",
    "military-funds",
    "military-experts",
];

impl PledgeReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        c.text("asset_type", &self.asset_type);
        c.positive("quantity", self.quantity);
        c.text("agency", &self.agency);
        c.number_at_least("readiness_hours", self.readiness_hours, 0.0);
        if let Some(v) = self.speed_knots {
            c.positive("speed_knots", v);
        }
        if let Some(v) = self.endurance_days {
            c.positive("endurance_days", v);
        }
        let k = &self.caveats;
        count(&mut c, "caveats.functions", k.functions.len());
        repeats(&mut c, "caveats.functions", &k.functions);
        count(&mut c, "caveats.excluded_areas", k.excluded_areas.len());
        for (i, a) in k.excluded_areas.iter().enumerate() {
            let field = format!("caveats.excluded_areas[{i}]");
            match a {
                ExcludedArea::Named(n) => c.text(&field, n),
                ExcludedArea::Area(g @ Geometry::Polygon { .. }) => {
                    if let Err(e) = g.validate() {
                        c.push(field, FieldErrorKind::OutOfRange(e.to_string()));
                    }
                }
                ExcludedArea::Area(Geometry::Point { .. }) => c.push(
                    field,
                    FieldErrorKind::Invalid("an excluded area is a name or a Polygon".into()),
                ),
            }
        }
        count(
            &mut c,
            "caveats.excluded_partners",
            k.excluded_partners.len(),
        );
        repeats(&mut c, "caveats.excluded_partners", &k.excluded_partners);
        if let Some(d) = k.max_duration_days {
            c.positive("caveats.max_duration_days", d);
        }
        c.finish()
    }
}

impl OperationReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        if self.window.end <= self.window.start {
            c.push(
                "window.end",
                FieldErrorKind::OutOfRange("must be after window.start".into()),
            );
        }
        if self.hosts.is_empty() {
            c.push(
                "hosts",
                FieldErrorKind::OutOfRange("name at least one host state".into()),
            );
        }
        count(&mut c, "hosts", self.hosts.len());
        repeats(&mut c, "hosts", &self.hosts);
        let consent = &self.consent;
        count(
            &mut c,
            "consent.declined_members",
            consent.declined_members.len(),
        );
        repeats(
            &mut c,
            "consent.declined_members",
            &consent.declined_members,
        );
        for (i, m) in consent.declined_members.iter().enumerate() {
            if self.hosts.contains(m) {
                c.push(
                    format!("consent.declined_members[{i}]"),
                    FieldErrorKind::Invalid(format!(
                        "{m} is a host; hosts cannot decline themselves"
                    )),
                );
            }
        }
        for (i, class) in consent.declined_asset_classes.iter().enumerate() {
            if !DECLINABLE.contains(&class.as_str()) {
                c.push(
                    format!("consent.declined_asset_classes[{i}]"),
                    FieldErrorKind::Invalid(format!(
                        "{class:?} is not one of: {}",
                        DECLINABLE.join(", ")
                    )),
                );
            }
        }
        c.texts(
            "consent.declined_asset_classes",
            &consent.declined_asset_classes,
        );
        c.opt_text("consent.note", consent.note.as_deref());
        if self.requirements.is_empty() {
            c.push(
                "requirements",
                FieldErrorKind::OutOfRange("name at least one requirement".into()),
            );
        }
        count(&mut c, "requirements", self.requirements.len());
        for (i, r) in self.requirements.iter().enumerate() {
            let f = |name: &str| format!("requirements[{i}].{name}");
            c.text(&f("asset_type"), &r.asset_type);
            c.positive(&f("quantity"), r.quantity);
            if r.deadline < self.window.start || r.deadline > self.window.end {
                c.push(
                    f("deadline"),
                    FieldErrorKind::OutOfRange("must fall inside the window".into()),
                );
            }
            if !(1..=100).contains(&r.priority) {
                c.push(
                    f("priority"),
                    FieldErrorKind::OutOfRange("must be 1 to 100".into()),
                );
            }
        }
        if self.decision_deadline > self.window.end {
            c.push(
                "decision_deadline",
                FieldErrorKind::OutOfRange("must not be after window.end".into()),
            );
        }
        count(&mut c, "tasks", self.tasks.len());
        for (i, t) in self.tasks.iter().enumerate() {
            c.text(&format!("tasks[{i}].asset_type"), &t.asset_type);
            c.positive(&format!("tasks[{i}].quantity"), t.quantity);
        }
        if let Some(a) = &self.after_action {
            long_text(&mut c, "after_action", a);
        }
        match self.state {
            OperationState::Proposed if self.tally.is_some() => c.push(
                "tally",
                FieldErrorKind::Invalid("a proposed operation has no tally yet".into()),
            ),
            OperationState::Approved | OperationState::Rejected | OperationState::Active
                if self.tally.is_none() =>
            {
                c.push("tally", FieldErrorKind::Missing)
            }
            _ => {}
        }
        if self.state != OperationState::Closed && self.after_action.is_some() {
            c.push(
                "after_action",
                FieldErrorKind::Invalid(
                    "only a closed operation has an after-action record".into(),
                ),
            );
        }
        c.finish()
    }
}

impl VoteReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        if let Some(t) = &self.comment {
            long_text(&mut c, "comment", t);
        }
        c.finish()
    }
}

impl SitrepReport {
    /// Checks every field, naming each one that is wrong.
    pub fn validate(&self) -> Result<(), BodyErrors> {
        let mut c = Checker::default();
        long_text(&mut c, "text", &self.text);
        count(&mut c, "figures", self.figures.len());
        for (name, v) in &self.figures {
            c.text(&format!("figures.{name}"), name);
            c.number_at_least(&format!("figures.{name}"), *v, 0.0);
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::report::{ReportKind, parse_body};

    #[test]
    fn bad_pledges_and_operations_name_their_fields() {
        let e = parse_body(
            ReportKind::Pledge,
            &json!({"asset_type": "", "quantity": -1.0, "agency": "SCDF", "readiness_hours": -2.0}),
        )
        .unwrap_err();
        for f in ["asset_type", "quantity", "readiness_hours"] {
            assert!(e.names(f), "{f} in {e}");
        }
        let e = parse_body(
            ReportKind::Operation,
            &json!({"forum": "asean",
                "window": {"start": "2026-11-04T00:00:00Z", "end": "2026-11-01T00:00:00Z"},
                "hosts": [], "consent": {"declined_asset_classes": ["submarine"]},
                "requirements": [], "decision_deadline": "2026-11-03T00:00:00Z"}),
        )
        .unwrap_err();
        for f in [
            "window.end",
            "hosts",
            "requirements",
            "consent.declined_asset_classes[0]",
        ] {
            assert!(e.names(f), "{f} in {e}");
        }
        assert!(
            parse_body(
                ReportKind::Vote,
                &json!({"operation": "nope", "position": "support"})
            )
            .is_err()
        );
        assert!(
            parse_body(
                ReportKind::Sitrep,
                &json!({"operation": "019a8a5e-4a00-7000-8000-000000000009", "text": " "})
            )
            .unwrap_err()
            .names("text")
        );
    }
}
