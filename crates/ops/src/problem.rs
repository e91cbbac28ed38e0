//! Errors: one problem per bad field, each naming where it was found.

use std::fmt;

/// Where a problem was found: a file and line for data read from text, or
/// the item of a typed request (`requirement r1`, `pledge usa-1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a named file (1-based).
    Line {
        /// The file name the caller gave the parser.
        file: String,
        /// The line, counting from 1.
        line: u64,
    },
    /// An item of a request built in code.
    Item(String),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line { file, line } => write!(f, "{file}:{line}"),
            Place::Item(what) => f.write_str(what),
        }
    }
}

/// One thing wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub place: Place,
    /// What is wrong, lower case, no trailing period.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every problem found in one input. Loaders and validators collect all of
/// them before failing, because fixing a data file one error per run is slow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The request or the pledges are invalid; nothing was solved.
    #[error("invalid input:\n{0}")]
    Invalid(Problems),
    /// The operation is closed: its after-action record is final.
    #[error("operation {0} is closed; a closed operation is not planned again")]
    Closed(String),
    /// The solver failed. This is a bug or a numerical breakdown, not bad input.
    #[error("solver failed: {0}")]
    Solver(String),
}

/// The byte offset → 1-based line conversion used by every loader.
pub(crate) fn line_of(text: &str, offset: usize) -> u64 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// Collects problems against one file.
pub(crate) struct Collector<'a> {
    pub(crate) file: &'a str,
    pub(crate) problems: Vec<Problem>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(file: &'a str) -> Self {
        Collector {
            file,
            problems: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, line: u64, message: impl Into<String>) {
        self.problems.push(Problem {
            place: Place::Line {
                file: self.file.to_owned(),
                line,
            },
            message: message.into(),
        });
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(Problems(self.problems))
        }
    }
}
