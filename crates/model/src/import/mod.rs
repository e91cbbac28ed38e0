//! Importers for public piracy incident data sets (docs/DATA.md, "Piracy
//! incident data sets").
//!
//! Each importer reads CSV text from any [`std::io::Read`] and returns an
//! [`ImportBatch`]: the incidents it could map to a
//! [`PiracyReport`](crate::report::PiracyReport), each with a stable
//! natural key for idempotent re-import, and the rows it could not map,
//! each with its line and reason. Nothing here opens files or stores
//! anything; the caller decides what to do with the batch.
//!
//! ```
//! let csv = "reference,date,position,navArea,subreg,hostility,victim,description,\n\
//!            2022-146,2022-06-01,\"46°37'50.89\"\"N\n31°35'01.64\"\"E\",III,55,Military activity,\
//!            Tanzania-flagged tanker BRENTIX,\"UKRAINE: the tanker was struck by a shell while berthed.\",\n";
//! let batch = model::import::asam::parse(csv.as_bytes()).unwrap();
//! assert_eq!(batch.incidents.len(), 1);
//! assert_eq!(batch.incidents[0].source_ref, "2022-146");
//! assert!((batch.incidents[0].latitude - 46.6308).abs() < 1e-4);
//! ```

pub mod asam;
mod narrative;
pub mod pirate_attacks;
mod position;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveTime};

use crate::report::PiracyReport;
pub use position::{PositionError, parse_dms};

/// Which data set a batch came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// NGA's Anti-Shipping Activity Messages.
    Asam,
    /// The Maritime Pirate Attacks compilation (Mapping Piracy and IMB).
    PirateAttacks,
}

impl Source {
    /// The stable identifier used in the CLI (`--format`) and in keys.
    pub fn id(self) -> &'static str {
        match self {
            Source::Asam => "asam",
            Source::PirateAttacks => "pirate-attacks",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The result of reading one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    /// The data set.
    pub source: Source,
    /// Data rows read (not counting the header).
    pub rows: usize,
    /// The rows mapped to incidents, in file order.
    pub incidents: Vec<ImportedIncident>,
    /// The rows that could not be mapped, in file order.
    pub rejected: Vec<Rejected>,
    /// Problems in rows that were still imported (a field dropped).
    pub warnings: Vec<Warning>,
}

impl ImportBatch {
    fn new(source: Source) -> ImportBatch {
        ImportBatch {
            source,
            rows: 0,
            incidents: Vec::new(),
            rejected: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// How many rows were rejected for each reason, keyed by
    /// [`RejectReason::code`].
    pub fn rejected_by_reason(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.rejected {
            *counts.entry(r.reason.code()).or_insert(0) += 1;
        }
        counts
    }

    fn reject(&mut self, line: u64, source_ref: Option<String>, reason: RejectReason) {
        self.rejected.push(Rejected {
            line,
            source_ref,
            reason,
        });
    }
}

/// One incident mapped from one row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedIncident {
    /// The data set.
    pub source: Source,
    /// A key that names the same incident on every import of the same
    /// data: the ASAM reference (`2022-146`), or for pirate_attacks, which
    /// has no identifier, a hash of the row (see [`pirate_attacks`]).
    pub source_ref: String,
    /// The line of the file where the row starts (1-based; the header is
    /// line 1).
    pub line: u64,
    /// When it happened.
    pub observed: Observed,
    /// Latitude in decimal degrees, north positive.
    pub latitude: f64,
    /// Longitude in decimal degrees, east positive.
    pub longitude: f64,
    /// A one-line summary.
    pub title: String,
    /// The source's narrative, or a sentence built from the row's fields
    /// where the source has none.
    pub description: String,
    /// Where, in words and by jurisdiction.
    pub locality: Locality,
    /// The incident as a piracy report.
    pub body: PiracyReport,
}

/// When an incident happened, as precisely as the source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    /// The date.
    pub date: NaiveDate,
    /// The time of day, when given.
    pub time: Option<NaiveTime>,
    /// Whether the time is UTC or the ship's local time.
    pub clock: Clock,
}

/// The clock a time of day was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Coordinated universal time.
    Utc,
    /// Local time at the scene, zone unknown; also used when there is no
    /// time at all.
    Local,
}

/// Where an incident happened, beyond its coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locality {
    /// The place in words ("Singapore Strait", "Tema Anchorage").
    pub place: Option<String>,
    /// ISO 3166-1 alpha-3 code of the nearest country.
    pub nearest_country: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country whose exclusive economic
    /// zone contains the position.
    pub eez_country: Option<String>,
    /// Distance to the nearest shore, in kilometres.
    pub shore_distance_km: Option<f64>,
    /// The NAVAREA (IMO/IHO World-Wide Navigational Warning Service area),
    /// as a Roman numeral.
    pub navarea: Option<String>,
    /// NGA's subregion number.
    pub subregion: Option<String>,
    /// Which upstream compilation a row came from (`mappingpiracy`, `imb`).
    pub compiled_by: Option<String>,
}

/// A row that could not be mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The line where the row starts.
    pub line: u64,
    /// The row's key, where it has one.
    pub source_ref: Option<String>,
    /// Why it was rejected.
    pub reason: RejectReason,
}

/// Why a row could not be mapped.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RejectReason {
    /// The row has fewer fields than the header.
    ShortRow {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A field is not UTF-8.
    InvalidUtf8(&'static str),
    /// No reference, so no key to import it under.
    MissingReference,
    /// The reference was already imported from an earlier line.
    DuplicateReference {
        /// The line of the first row with this reference.
        first_line: u64,
    },
    /// The date is not a calendar date.
    BadDate(String),
    /// No position.
    MissingPosition,
    /// A position that could not be read.
    BadPosition(String),
}

impl RejectReason {
    /// A short stable code for counting rejections by reason.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::ShortRow { .. } => "short-row",
            RejectReason::InvalidUtf8(_) => "invalid-utf8",
            RejectReason::MissingReference => "missing-reference",
            RejectReason::DuplicateReference { .. } => "duplicate-reference",
            RejectReason::BadDate(_) => "bad-date",
            RejectReason::MissingPosition => "missing-position",
            RejectReason::BadPosition(_) => "bad-position",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::ShortRow { expected, found } => {
                write!(f, "row has {found} fields, header has {expected}")
            }
            RejectReason::InvalidUtf8(column) => write!(f, "column {column} is not UTF-8"),
            RejectReason::MissingReference => f.write_str("no reference"),
            RejectReason::DuplicateReference { first_line } => {
                write!(f, "reference already imported from line {first_line}")
            }
            RejectReason::BadDate(d) => write!(f, "unreadable date {d:?}"),
            RejectReason::MissingPosition => f.write_str("no position"),
            RejectReason::BadPosition(why) => write!(f, "unreadable position: {why}"),
        }
    }
}

/// A problem in a row that was imported anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line where the row starts.
    pub line: u64,
    /// What was wrong and what was dropped.
    pub message: String,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The header lacks a column the importer needs: probably the wrong
    /// file or the wrong `--format`.
    #[error("missing column {0:?} in header (is this the right format?)")]
    MissingColumn(&'static str),
    /// The reader failed.
    #[error("read error near line {line}: {message}")]
    Read {
        /// The last line read.
        line: u64,
        /// The underlying error.
        message: String,
    },
}

/// A CSV file whose columns are found by name, so that a reordered export
/// still reads.
struct Table<R> {
    reader: csv::Reader<R>,
    columns: Vec<usize>,
    width: usize,
}

impl<R: std::io::Read> Table<R> {
    fn open(input: R, names: &[&'static str]) -> Result<Table<R>, ImportError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let header = reader.byte_headers().map_err(|e| read_error(&e))?.clone();
        let width = header.len();
        let columns = names
            .iter()
            .map(|name| {
                header
                    .iter()
                    .position(|h| h == name.as_bytes())
                    .ok_or(ImportError::MissingColumn(name))
            })
            .collect::<Result<_, _>>()?;
        Ok(Table {
            reader,
            columns,
            width,
        })
    }

    /// Reads every row, handing each (line, fields in `names` order) to `f`,
    /// or the reason the row cannot be split into fields.
    fn for_each(
        mut self,
        names: &[&'static str],
        mut f: impl FnMut(u64, Result<Vec<&str>, RejectReason>),
    ) -> Result<(), ImportError> {
        let mut record = csv::ByteRecord::new();
        loop {
            let more = self
                .reader
                .read_byte_record(&mut record)
                .map_err(|e| read_error(&e))?;
            if !more {
                return Ok(());
            }
            let line = record.position().map_or(0, csv::Position::line);
            // A blank line between records is not a row.
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue;
            }
            let fields = self
                .columns
                .iter()
                .zip(names)
                .map(|(&i, &name)| match record.get(i) {
                    None => Err(RejectReason::ShortRow {
                        expected: self.width,
                        found: record.len(),
                    }),
                    Some(bytes) => {
                        std::str::from_utf8(bytes).map_err(|_| RejectReason::InvalidUtf8(name))
                    }
                })
                .collect();
            f(line, fields);
        }
    }
}

fn read_error(e: &csv::Error) -> ImportError {
    ImportError::Read {
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    }
}

/// Collapses runs of whitespace (ASAM's 1980s messages are padded to
/// teletype width) and trims.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts text to at most `max` characters, on a character boundary.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The attack type as words for titles.
fn attack_label(t: crate::report::AttackType) -> &'static str {
    use crate::report::AttackType as A;
    match t {
        A::Boarded => "Boarded",
        A::Robbery => "Robbery",
        A::Attempted => "Attempted attack",
        A::Hijacked => "Hijacked",
        A::FiredUpon => "Fired upon",
        A::Kidnapping => "Kidnapping",
        A::SuspiciousApproach => "Suspicious approach",
        A::Detained => "Detained",
        A::Other => "Incident",
        A::Unknown => "Incident",
    }
}

impl ImportedIncident {
    /// The key under which the incident is stored: the data set and its
    /// reference (`asam:2022-146`), the same on every import.
    pub fn record_key(&self) -> String {
        format!("{}:{}", self.source, self.source_ref)
    }

    /// The incident as a draft record with `distribution` (public data
    /// sets are normally shared TLP:CLEAR with a public audience).
    ///
    /// A time of day in the ship's local time, whose zone the sources do
    /// not give, is kept as if it were UTC and the description says so; a
    /// missing time becomes midnight UTC of the date.
    pub fn to_draft(&self, distribution: crate::Distribution) -> crate::record::Draft {
        use crate::record::{Geometry, ReportContent};
        let time = self.observed.time.unwrap_or(NaiveTime::MIN);
        let observed_at = self.observed.date.and_time(time).and_utc();
        let mut description = self.description.clone();
        if self.observed.time.is_some() && self.observed.clock == Clock::Local {
            description.push_str(" [Time of day is the ship's local time; zone not given.]");
        }
        let location = Geometry::point(self.longitude, self.latitude).ok();
        crate::record::Draft::new(
            distribution,
            ReportContent {
                title: self.title.clone(),
                function: crate::Function::Piracy,
                observed_at,
                location,
                place: self.locality.place.clone(),
                description: Some(description).filter(|d| !d.trim().is_empty()),
                body: crate::report::ReportBody::Piracy(self.body.clone()),
                source_ref: Some(self.record_key()),
            },
        )
    }
}
