//! Scenarios: an operation, its pledges and the sources behind every figure,
//! as one TOML file (format: docs/SCENARIOS.md).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use model::{Function, MemberCode};
use serde::{Deserialize, Serialize};

use crate::catalogue::{AssetClass, Catalogue};
use crate::eligibility::validate;
use crate::geo::{Area, LatLon, Shape};
use crate::operation::{Consent, Decline, Operation, Requirement, Status};
use crate::plan::{Plan, Policy, plan};
use crate::pledge::{AreaExclusion, Caveats, KMH_PER_KNOT, Pledge};
use crate::problem::{Collector, Place, PlanError, Problem, Problems, line_of};

/// The scenarios shipped with the program: `(file name, text)`.
pub const EMBEDDED_SCENARIOS: &[(&str, &str)] = &[
    (
        "indian-ocean-tsunami-2004.toml",
        include_str!("../../../data/scenarios/indian-ocean-tsunami-2004.toml"),
    ),
    (
        "nargis-2008.toml",
        include_str!("../../../data/scenarios/nargis-2008.toml"),
    ),
    (
        "tohoku-2011.toml",
        include_str!("../../../data/scenarios/tohoku-2011.toml"),
    ),
    (
        "haiyan-2013.toml",
        include_str!("../../../data/scenarios/haiyan-2013.toml"),
    ),
    (
        "malacca-patrol.toml",
        include_str!("../../../data/scenarios/malacca-patrol.toml"),
    ),
    (
        "outbreak-sars-2003.toml",
        include_str!("../../../data/scenarios/outbreak-sars-2003.toml"),
    ),
];

/// A public source cited by a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Id used by `source = "..."` fields.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Who published it.
    #[serde(default)]
    pub publisher: String,
    /// Publication date as given by the source.
    #[serde(default)]
    pub date: String,
    /// Where to find it.
    #[serde(default)]
    pub url: String,
}

/// Where a requirement's or pledge's figures come from.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Provenance {
    /// The source id, if the figures are cited.
    pub source: Option<String>,
    /// Whether any figure is an estimate rather than a cited number.
    pub estimate: bool,
    /// What is cited, what is estimated, and how.
    pub note: String,
}

/// A parsed scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Stable id.
    pub id: String,
    /// Title.
    pub name: String,
    /// What happened, in a few sentences.
    pub summary: String,
    /// The instant the scenario is planned at (default: the operation's start).
    pub as_of: DateTime<Utc>,
    /// The sources cited.
    pub sources: Vec<Source>,
    /// The operation.
    pub operation: Operation,
    /// The pledges offered.
    pub pledges: Vec<Pledge>,
    /// Provenance of each requirement, by id.
    pub requirement_sources: BTreeMap<String, Provenance>,
    /// Provenance of each pledge, by id.
    pub pledge_sources: BTreeMap<String, Provenance>,
    #[serde(skip)]
    file: String,
    #[serde(skip)]
    lines: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    #[serde(default)]
    source: Vec<Source>,
    operation: toml::Spanned<OperationRow>,
    #[serde(default)]
    requirement: Vec<toml::Spanned<RequirementRow>>,
    #[serde(default)]
    pledge: Vec<toml::Spanned<PledgeRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    name: String,
    #[serde(default)]
    summary: String,
    as_of: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationRow {
    id: String,
    function: String,
    start: toml::value::Datetime,
    end: toml::value::Datetime,
    hosts: Vec<String>,
    #[serde(default)]
    status: Option<String>,
    area: AreaRow,
    #[serde(default)]
    declined: Vec<DeclineRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaRow {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    coordinates: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclineRow {
    member: Option<String>,
    class: Option<String>,
    asset_type: Option<String>,
    military: Option<bool>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementRow {
    id: String,
    asset_type: String,
    quantity: f64,
    deadline_hours: f64,
    #[serde(default = "one")]
    priority: i64,
    duration_days: Option<f64>,
    source: Option<String>,
    #[serde(default)]
    estimate: bool,
    #[serde(default)]
    note: String,
}

fn one() -> i64 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PledgeRow {
    id: String,
    member: String,
    #[serde(default)]
    agency: String,
    asset_type: String,
    quantity: f64,
    base: BaseRow,
    readiness_hours: f64,
    speed_knots: Option<f64>,
    speed_kmh: Option<f64>,
    endurance_days: Option<f64>,
    military: Option<bool>,
    #[serde(default)]
    functions: Vec<String>,
    #[serde(default)]
    excluded_areas: Vec<ExclusionRow>,
    #[serde(default)]
    excluded_partners: Vec<String>,
    max_duration_days: Option<f64>,
    source: Option<String>,
    #[serde(default)]
    estimate: bool,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseRow {
    lat: f64,
    lon: f64,
    #[serde(default)]
    #[allow(dead_code, reason = "documentation for readers of the data file")]
    name: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ExclusionRow {
    Named(String),
    Area(AreaRow),
}

fn datetime(d: &toml::value::Datetime) -> Result<DateTime<Utc>, String> {
    let s = d.to_string();
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).expect("midnight").and_utc());
    }
    Err(format!(
        "expected a date-time with offset such as 2008-05-03T00:00:00Z, or a date, found {s}"
    ))
}

fn lonlat(v: &toml::Value) -> Result<LatLon, String> {
    let arr = v
        .as_array()
        .filter(|a| a.len() == 2)
        .ok_or_else(|| format!("expected a position [longitude, latitude], found {v}"))?;
    let num = |x: &toml::Value| {
        x.as_float()
            .or_else(|| x.as_integer().map(|i| i as f64))
            .ok_or_else(|| format!("expected a number, found {x}"))
    };
    LatLon::new(num(&arr[1])?, num(&arr[0])?)
}

fn area(row: &AreaRow) -> Result<Area, String> {
    let shape = match row.kind.as_str() {
        "Point" => Shape::Point(lonlat(&row.coordinates)?),
        "Polygon" => {
            let rings = row
                .coordinates
                .as_array()
                .ok_or("a Polygon's coordinates are an array of rings")?;
            match rings.as_slice() {
                [] => return Err(format!("area {:?}: the polygon is empty", row.name)),
                [outer] => Shape::Polygon(
                    outer
                        .as_array()
                        .ok_or("a ring is an array of positions")?
                        .iter()
                        .map(lonlat)
                        .collect::<Result<_, _>>()?,
                ),
                _ => return Err("polygons with holes are not supported".into()),
            }
        }
        other => {
            return Err(format!(
                "area type {other:?} is not supported (expected Point or Polygon)"
            ));
        }
    };
    let a = Area {
        name: row.name.clone(),
        shape,
    };
    a.validate()?;
    Ok(a)
}

fn provenance(
    source: Option<String>,
    estimate: bool,
    note: String,
    sources: &[Source],
) -> Result<Provenance, String> {
    if let Some(s) = &source {
        if !sources.iter().any(|x| &x.id == s) {
            return Err(format!("source {s:?} is not listed in [[source]]"));
        }
    } else if !estimate {
        return Err("no source: cite one with source = \"...\" or mark the figures estimate = true with a note".into());
    }
    if estimate && note.trim().is_empty() {
        return Err("an estimate needs a note saying how it was made".into());
    }
    Ok(Provenance {
        source,
        estimate,
        note,
    })
}

impl Scenario {
    /// Parses a scenario. `file` names the text in errors (`file:line: ...`).
    /// Asset types are checked against a catalogue by [`Scenario::check`].
    pub fn parse(text: &str, file: &str) -> Result<Scenario, Problems> {
        let mut c = Collector::new(file);
        let parsed: File = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                c.push(line, e.message().to_owned());
                return Err(Problems(c.problems));
            }
        };
        let mut lines = BTreeMap::new();
        let op_line = line_of(text, parsed.operation.span().start);
        lines.insert("operation".to_owned(), op_line);
        let op_row = parsed.operation.into_inner();
        let function = op_row.function.parse::<Function>().unwrap_or_else(|e| {
            c.push(op_line, e.to_string());
            Function::Disaster
        });
        let start = datetime(&op_row.start).unwrap_or_else(|e| {
            c.push(op_line, format!("start: {e}"));
            DateTime::<Utc>::MIN_UTC
        });
        let end = datetime(&op_row.end).unwrap_or_else(|e| {
            c.push(op_line, format!("end: {e}"));
            DateTime::<Utc>::MIN_UTC
        });
        let as_of = match &parsed.scenario.as_of {
            Some(d) => datetime(d).unwrap_or_else(|e| {
                c.push(1, format!("as_of: {e}"));
                start
            }),
            None => start,
        };
        let mut hosts = Vec::new();
        for h in &op_row.hosts {
            match MemberCode::parse(h) {
                Ok(m) => hosts.push(m),
                Err(e) => c.push(op_line, e.to_string()),
            }
        }
        let status = match op_row.status.as_deref() {
            None | Some("proposed") => Status::Proposed,
            Some("decided") => Status::Decided,
            Some("active") => Status::Active,
            Some("closed") => Status::Closed,
            Some(other) => {
                c.push(
                    op_line,
                    format!(
                        "unknown status {other:?} (expected proposed, decided, active or closed)"
                    ),
                );
                Status::Proposed
            }
        };
        let op_area = area(&op_row.area).unwrap_or_else(|e| {
            c.push(op_line, format!("area: {e}"));
            Area::point(&op_row.area.name, LatLon { lat: 0.0, lon: 0.0 })
        });
        let mut declined = Vec::new();
        for d in op_row.declined {
            let member = d.member.as_deref().and_then(|m| {
                MemberCode::parse(m)
                    .map_err(|e| c.push(op_line, format!("declined: {e}")))
                    .ok()
            });
            let class = d.class.as_deref().and_then(|k| {
                k.parse::<AssetClass>()
                    .map_err(|e| c.push(op_line, format!("declined: {e}")))
                    .ok()
            });
            if d.member.is_none()
                && d.class.is_none()
                && d.asset_type.is_none()
                && d.military.is_none()
            {
                c.push(
                    op_line,
                    "declined: a rule needs at least one of member, class, asset_type, military",
                );
            }
            if let Some(s) = &d.source
                && !parsed.source.iter().any(|x| &x.id == s)
            {
                c.push(
                    op_line,
                    format!("declined: source {s:?} is not listed in [[source]]"),
                );
            }
            declined.push(Decline {
                member,
                class,
                asset_type: d.asset_type,
                military: d.military,
                note: d.note,
            });
        }
        let mut requirements = Vec::new();
        let mut requirement_sources = BTreeMap::new();
        for spanned in parsed.requirement {
            let line = line_of(text, spanned.span().start);
            let r = spanned.into_inner();
            lines.insert(format!("requirement {}", r.id), line);
            match provenance(r.source, r.estimate, r.note, &parsed.source) {
                Ok(p) => {
                    requirement_sources.insert(r.id.clone(), p);
                }
                Err(e) => c.push(line, e),
            }
            let priority = match u32::try_from(r.priority) {
                Ok(p) if p >= 1 => p,
                _ => {
                    c.push(
                        line,
                        format!("priority {} must be a whole number ≥ 1", r.priority),
                    );
                    1
                }
            };
            requirements.push(Requirement {
                id: r.id,
                asset_type: r.asset_type,
                quantity: r.quantity,
                deadline_hours: r.deadline_hours,
                priority,
                duration_days: r.duration_days,
            });
        }
        let mut pledges = Vec::new();
        let mut pledge_sources = BTreeMap::new();
        for spanned in parsed.pledge {
            let line = line_of(text, spanned.span().start);
            let p = spanned.into_inner();
            lines.insert(format!("pledge {}", p.id), line);
            match provenance(p.source, p.estimate, p.note, &parsed.source) {
                Ok(pr) => {
                    pledge_sources.insert(p.id.clone(), pr);
                }
                Err(e) => c.push(line, e),
            }
            let Ok(member) = MemberCode::parse(&p.member).map_err(|e| c.push(line, e.to_string()))
            else {
                continue;
            };
            let base = LatLon::new(p.base.lat, p.base.lon).unwrap_or_else(|e| {
                c.push(line, format!("base: {e}"));
                LatLon { lat: 0.0, lon: 0.0 }
            });
            let speed_kmh = match (p.speed_knots, p.speed_kmh) {
                (Some(_), Some(_)) => {
                    c.push(line, "give speed_knots or speed_kmh, not both");
                    None
                }
                (Some(k), None) => Some(k * KMH_PER_KNOT),
                (None, v) => v,
            };
            let mut functions = Vec::new();
            for f in &p.functions {
                match f.parse::<Function>() {
                    Ok(f) => functions.push(f),
                    Err(e) => c.push(line, e.to_string()),
                }
            }
            let mut excluded_areas = Vec::new();
            for ex in &p.excluded_areas {
                match ex {
                    ExclusionRow::Named(n) => excluded_areas.push(AreaExclusion::Named(n.clone())),
                    ExclusionRow::Area(a) => match area(a) {
                        Ok(a) => excluded_areas.push(AreaExclusion::Area(a)),
                        Err(e) => c.push(line, format!("excluded_areas: {e}")),
                    },
                }
            }
            let mut excluded_partners = Vec::new();
            for m in &p.excluded_partners {
                match MemberCode::parse(m) {
                    Ok(m) => excluded_partners.push(m),
                    Err(e) => c.push(line, format!("excluded_partners: {e}")),
                }
            }
            pledges.push(Pledge {
                id: p.id,
                member,
                agency: p.agency,
                asset_type: p.asset_type,
                quantity: p.quantity,
                base,
                readiness_hours: p.readiness_hours,
                speed_kmh,
                endurance_days: p.endurance_days,
                military: p.military,
                caveats: Caveats {
                    functions,
                    excluded_areas,
                    excluded_partners,
                    max_duration_days: p.max_duration_days,
                },
            });
        }
        let scenario = Scenario {
            id: parsed.scenario.id,
            name: parsed.scenario.name,
            summary: parsed.scenario.summary,
            as_of,
            sources: parsed.source,
            operation: Operation {
                id: op_row.id,
                function,
                area: op_area,
                start,
                end,
                hosts,
                consent: Consent { declined },
                requirements,
                status,
            },
            pledges,
            requirement_sources,
            pledge_sources,
            file: file.to_owned(),
            lines,
        };
        c.finish(scenario)
    }

    /// Checks the scenario against a catalogue (asset types, whole-unit
    /// quantities, deadlines against `as_of`), with `file:line` places.
    pub fn check(&self, catalogue: &Catalogue) -> Result<(), Problems> {
        validate(catalogue, &self.operation, &self.pledges, self.as_of)
            .map_err(|Problems(ps)| Problems(ps.into_iter().map(|p| self.locate(p)).collect()))
    }

    /// Plans the scenario at its own `as_of` instant.
    pub fn plan(&self, catalogue: &Catalogue, policy: Policy) -> Result<Plan, PlanError> {
        self.check(catalogue).map_err(PlanError::Invalid)?;
        plan(
            catalogue,
            &self.operation,
            &self.pledges,
            policy,
            self.as_of,
        )
    }

    /// Plans the scenario like [`plan`](Self::plan) with the solver given
    /// at most `limit` (see [`crate::plan_within`]).
    pub fn plan_within(
        &self,
        catalogue: &Catalogue,
        policy: Policy,
        limit: std::time::Duration,
    ) -> Result<Plan, PlanError> {
        self.check(catalogue).map_err(PlanError::Invalid)?;
        crate::plan_within(
            catalogue,
            &self.operation,
            &self.pledges,
            policy,
            self.as_of,
            limit,
        )
    }

    /// Parses a scenario shipped with the program by id or file name
    /// (`nargis-2008`).
    pub fn embedded(name: &str) -> Option<Result<Scenario, Problems>> {
        let name = name.trim_end_matches(".toml");
        EMBEDDED_SCENARIOS
            .iter()
            .find(|(f, _)| f.trim_end_matches(".toml") == name)
            .map(|(f, text)| Scenario::parse(text, &format!("data/scenarios/{f}")))
    }

    fn locate(&self, p: Problem) -> Problem {
        match &p.place {
            Place::Item(what) => match self.lines.get(what).or_else(|| self.lines.get("operation"))
            {
                Some(&line) => Problem {
                    place: Place::Line {
                        file: self.file.clone(),
                        line,
                    },
                    message: format!("{what}: {}", p.message),
                },
                None => p,
            },
            Place::Line { .. } => p,
        }
    }
}
