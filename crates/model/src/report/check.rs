//! Validation errors for report bodies, and the collector that gathers them.

use std::fmt;

/// One problem with one field of a report body.
///
/// `field` is a path into the body: `perpetrators`, `needs[2].quantity`.
/// An empty path means the body as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", if field.is_empty() { "body" } else { field.as_str() })]
pub struct FieldError {
    /// Where the problem is.
    pub field: String,
    /// What the problem is.
    pub kind: FieldErrorKind,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldErrorKind {
    /// A required field is absent.
    #[error("missing field")]
    Missing,
    /// The field is not part of this kind's body.
    #[error("unknown field")]
    Unknown,
    /// The value has the wrong type or format.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// The value is well formed but outside what the field allows.
    #[error("out of range: {0}")]
    OutOfRange(String),
    /// Text that must say something is empty or only whitespace.
    #[error("must not be blank")]
    Blank,
}

/// Every problem found in a report body, in the order found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyErrors(pub Vec<FieldError>);

impl BodyErrors {
    /// The errors.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// Whether any error concerns `field` (an exact path).
    pub fn names(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

impl fmt::Display for BodyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BodyErrors {}

/// Collects field errors while a body is walked, so that one call to
/// `validate` reports every problem rather than the first.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    errors: Vec<FieldError>,
}

/// Longest free text we accept in a short field (names, units, types).
/// Long enough for any real ship or entity name, short enough to stop a
/// pasted document from landing in a name column.
pub const SHORT_TEXT: usize = 200;

impl Checker {
    pub(crate) fn push(&mut self, field: impl Into<String>, kind: FieldErrorKind) {
        self.errors.push(FieldError {
            field: field.into(),
            kind,
        });
    }

    pub(crate) fn finish(self) -> Result<(), BodyErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(BodyErrors(self.errors))
        }
    }

    /// Short text: not blank, at most [`SHORT_TEXT`] characters.
    pub(crate) fn text(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(field, FieldErrorKind::Blank);
        } else if value.chars().count() > SHORT_TEXT {
            self.push(
                field,
                FieldErrorKind::OutOfRange(format!("longer than {SHORT_TEXT} characters")),
            );
        }
    }

    pub(crate) fn opt_text(&mut self, field: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.text(field, v);
        }
    }

    /// A list of short texts, each checked, with no repeats.
    pub(crate) fn texts(&mut self, field: &str, values: &[String]) {
        for (i, v) in values.iter().enumerate() {
            let path = format!("{field}[{i}]");
            self.text(&path, v);
            if values[..i].iter().any(|earlier| earlier.trim() == v.trim()) {
                self.push(path, FieldErrorKind::Invalid(format!("{v:?} is repeated")));
            }
        }
    }

    /// A finite number at least `min`.
    pub(crate) fn number_at_least(&mut self, field: &str, value: f64, min: f64) {
        if !value.is_finite() {
            self.push(field, FieldErrorKind::Invalid("not a finite number".into()));
        } else if value < min {
            self.push(
                field,
                FieldErrorKind::OutOfRange(format!("must be at least {min}")),
            );
        }
    }

    /// A finite number strictly above zero.
    pub(crate) fn positive(&mut self, field: &str, value: f64) {
        if !value.is_finite() {
            self.push(field, FieldErrorKind::Invalid("not a finite number".into()));
        } else if value <= 0.0 {
            self.push(
                field,
                FieldErrorKind::OutOfRange("must be greater than 0".into()),
            );
        }
    }
}
