//! What an author submits: a report and its distribution, before the node
//! gives it an id, a version and a signature.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Geometry, ReportContent};
use crate::report::{BodyErrors, FieldError, FieldErrorKind, ReportKind, SHORT_TEXT, parse_body};
use crate::{Distribution, Function};

/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 300;

/// Longest description accepted, in characters (about 20 pages of text).
const MAX_DESCRIPTION: usize = 64_000;

/// The fields a draft may have; anything else is named as unknown.
const FIELDS: [&str; 11] = [
    "kind",
    "title",
    "function",
    "observed_at",
    "location",
    "place",
    "description",
    "body",
    "distribution",
    "agency",
    "source_ref",
];

/// A new report or a new version of one, as its author submits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Who may see it.
    pub distribution: Distribution,
    /// The agency within the member that reports it, if named.
    pub agency: Option<String>,
    /// The report.
    pub content: ReportContent,
}

impl Draft {
    /// A draft from parts already validated (importers, the CLI).
    pub fn new(distribution: Distribution, content: ReportContent) -> Draft {
        Draft {
            distribution,
            agency: None,
            content,
        }
    }

    /// Reads an untrusted JSON draft, naming every field at fault:
    /// `{"kind", "title", "observed_at", "body", "distribution", and
    /// optionally "function", "location", "place", "description", "agency",
    /// "source_ref"}`. Errors in the body are prefixed `body.`.
    pub fn parse(value: &Value) -> Result<Draft, BodyErrors> {
        let Value::Object(fields) = value else {
            return Err(one(
                "",
                FieldErrorKind::Invalid("a report is a JSON object".into()),
            ));
        };
        let mut errors = Vec::new();
        for name in fields.keys() {
            if !FIELDS.contains(&name.as_str()) {
                errors.push(error(name, FieldErrorKind::Unknown));
            }
        }
        let kind = required(fields, "kind", &mut errors).and_then(|v| {
            v.as_str()
                .and_then(|s| s.parse::<ReportKind>().ok())
                .or_else(|| {
                    let msg = format!(
                        "expected one of: {}",
                        ReportKind::ALL.map(|k| k.id()).join(", ")
                    );
                    errors.push(error("kind", FieldErrorKind::Invalid(msg)));
                    None
                })
        });
        let title = text(fields, "title", MAX_TITLE, true, &mut errors);
        let function = match fields.get("function") {
            None | Some(Value::Null) => kind.map(ReportKind::default_function),
            Some(v) => v
                .as_str()
                .and_then(|s| s.parse::<Function>().ok())
                .or_else(|| {
                    let ids: Vec<&str> = Function::ALL.iter().map(|f| f.id()).collect();
                    let msg = format!("expected one of: {}", ids.join(", "));
                    errors.push(error("function", FieldErrorKind::Invalid(msg)));
                    None
                }),
        };
        let observed_at = required(fields, "observed_at", &mut errors).and_then(|v| {
            v.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&Utc))
                .or_else(|| {
                    let msg = "an RFC 3339 time such as 2026-11-20T21:30:00Z".to_owned();
                    errors.push(error("observed_at", FieldErrorKind::Invalid(msg)));
                    None
                })
        });
        let location = match fields.get("location") {
            None | Some(Value::Null) => None,
            Some(v) => match serde_json::from_value::<Geometry>(v.clone()) {
                Ok(g) => match g.validate() {
                    Ok(()) => Some(g),
                    Err(e) => {
                        errors.push(error("location", FieldErrorKind::OutOfRange(e.to_string())));
                        None
                    }
                },
                Err(e) => {
                    let msg = format!("a GeoJSON Point or Polygon: {e}");
                    errors.push(error("location", FieldErrorKind::Invalid(msg)));
                    None
                }
            },
        };
        let place = text(fields, "place", SHORT_TEXT, false, &mut errors);
        let description = text(fields, "description", MAX_DESCRIPTION, false, &mut errors);
        let agency = text(fields, "agency", SHORT_TEXT, false, &mut errors);
        let source_ref = text(fields, "source_ref", SHORT_TEXT, false, &mut errors);
        let distribution = required(fields, "distribution", &mut errors).and_then(|v| {
            serde_json::from_value::<Distribution>(v.clone())
                .map_err(|e| {
                    errors.push(error(
                        "distribution",
                        FieldErrorKind::Invalid(e.to_string()),
                    ))
                })
                .ok()
        });
        let body = match (kind, required(fields, "body", &mut errors)) {
            (Some(kind), Some(b)) => match parse_body(kind, b) {
                Ok(body) => Some(body),
                Err(body_errors) => {
                    errors.extend(body_errors.0.into_iter().map(|e| FieldError {
                        field: if e.field.is_empty() {
                            "body".to_owned()
                        } else {
                            format!("body.{}", e.field)
                        },
                        kind: e.kind,
                    }));
                    None
                }
            },
            _ => None,
        };
        match (title, function, observed_at, distribution, body) {
            (Some(title), Some(function), Some(observed_at), Some(distribution), Some(body))
                if errors.is_empty() =>
            {
                Ok(Draft {
                    distribution,
                    agency,
                    content: ReportContent {
                        title,
                        function,
                        observed_at,
                        location,
                        place,
                        description,
                        body,
                        source_ref,
                    },
                })
            }
            _ => Err(BodyErrors(errors)),
        }
    }

    pub(super) fn into_parts(self) -> (Distribution, ReportContent) {
        (self.distribution, self.content)
    }
}

fn error(field: &str, kind: FieldErrorKind) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind,
    }
}

fn one(field: &str, kind: FieldErrorKind) -> BodyErrors {
    BodyErrors(vec![error(field, kind)])
}

fn required<'v>(
    fields: &'v Map<String, Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<&'v Value> {
    match fields.get(name) {
        None | Some(Value::Null) => {
            errors.push(error(name, FieldErrorKind::Missing));
            None
        }
        Some(v) => Some(v),
    }
}

/// A text field: a string, not blank, at most `max` characters. Missing
/// optional fields give `None` without an error.
fn text(
    fields: &Map<String, Value>,
    name: &str,
    max: usize,
    is_required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = if is_required {
        required(fields, name, errors)?
    } else {
        match fields.get(name) {
            None | Some(Value::Null) => return None,
            Some(v) => v,
        }
    };
    let Some(s) = value.as_str() else {
        errors.push(error(
            name,
            FieldErrorKind::Invalid("expected a string".into()),
        ));
        return None;
    };
    let s = s.trim();
    if s.is_empty() {
        errors.push(error(name, FieldErrorKind::Blank));
        None
    } else if s.chars().count() > max {
        let msg = format!("at most {max} characters");
        errors.push(error(name, FieldErrorKind::OutOfRange(msg)));
        None
    } else {
        Some(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_fault_is_named() {
        let errors = Draft::parse(&json!({
            "kind": "piracy",
            "title": "  ",
            "observed_at": "yesterday",
            "location": {"type": "Point", "coordinates": [200, 0]},
            "body": {"attack_type": "boarded", "perpetrators": -1},
            "distribution": {"tlp": "AMBER", "audience": {"type": "public"}},
            "colour": "red"
        }))
        .unwrap_err();
        for field in [
            "colour",
            "title",
            "observed_at",
            "location",
            "distribution",
            "body.perpetrators",
        ] {
            assert!(errors.names(field), "{field} not named in {errors}");
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let errors = Draft::parse(&json!({"kind": "outbreak"})).unwrap_err();
        for field in ["title", "observed_at", "body", "distribution"] {
            assert!(errors.names(field), "{field} not named in {errors}");
        }
        let errors = Draft::parse(&json!({"kind": "poetry"})).unwrap_err();
        assert!(errors.names("kind"));
        assert!(Draft::parse(&json!([1])).is_err());
    }

    #[test]
    fn function_defaults_from_the_kind() {
        let d = Draft::parse(&json!({
            "kind": "outbreak",
            "title": "H5N1 cluster",
            "observed_at": "2026-11-01T00:00:00Z",
            "body": {"pathogen": "Influenza A(H5N1)", "cases": 3, "deaths": 1, "ihr_notification": "notified"},
            "distribution": {"tlp": "AMBER", "audience": {"type": "all-members"}}
        }))
        .unwrap();
        assert_eq!(d.content.function, Function::Health);
    }
}
