//! Reading the reference data files (`members.csv`, `forums.toml`,
//! `memberships.csv`) from text. The caller reads the files; this module
//! only parses, so that it can be tested and embedded without I/O.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::reference::{Located, Location, ReferenceError, ReferenceErrors};
use crate::{
    DecisionRule, Forum, ForumId, ForumKind, ForumStatus, Function, Member, MemberCode, MemberKind,
    Membership, ReferenceData,
};

/// The text of the three reference files and the names to report them by.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceFiles<'a> {
    /// `members.csv`: name and contents.
    pub members: (&'a str, &'a str),
    /// `forums.toml`: name and contents.
    pub forums: (&'a str, &'a str),
    /// `memberships.csv`: name and contents.
    pub memberships: (&'a str, &'a str),
}

/// The reference architecture that ships inside the binary.
pub const EMBEDDED: ReferenceFiles<'static> = ReferenceFiles {
    members: (
        "data/members.csv",
        include_str!("../../../data/members.csv"),
    ),
    forums: (
        "data/forums.toml",
        include_str!("../../../data/forums.toml"),
    ),
    memberships: (
        "data/memberships.csv",
        include_str!("../../../data/memberships.csv"),
    ),
};

impl ReferenceFiles<'_> {
    /// Parses and validates all three files. Every problem is reported with
    /// its file and line; nothing is returned unless everything is valid.
    pub fn parse(&self) -> Result<ReferenceData, ReferenceErrors> {
        let mut errors = Vec::new();
        let members = parse_members(self.members.0, self.members.1, &mut errors);
        let forums = parse_forums(self.forums.0, self.forums.1, &mut errors);
        let memberships = parse_memberships(self.memberships.0, self.memberships.1, &mut errors);
        if !errors.is_empty() {
            return Err(ReferenceErrors(errors));
        }
        ReferenceData::build(members, forums, memberships)
    }
}

fn at(file: &str, line: u64) -> Location {
    Location::Line {
        file: file.to_owned(),
        line,
    }
}

fn problem(location: Location, problem: impl Into<String>) -> ReferenceError {
    ReferenceError {
        location,
        problem: problem.into(),
    }
}

/// Reads CSV rows of type `R`, reporting each bad row with its line.
fn csv_rows<R: for<'de> Deserialize<'de>>(
    file: &str,
    text: &str,
    errors: &mut Vec<ReferenceError>,
) -> Vec<(u64, R)> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(problem(at(file, 1), format!("unreadable header: {e}")));
            return rows;
        }
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                match record.deserialize::<R>(Some(&headers)) {
                    Ok(row) => rows.push((line, row)),
                    Err(e) => errors.push(problem(at(file, line), csv_problem(&e))),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(problem(at(file, line), csv_problem(&e)));
                // A structural error (wrong field count) leaves the reader
                // at the next record, so carry on and report them all.
            }
        }
    }
    rows
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(i) => format!("field {}: {}", i + 1, err.kind()),
            None => err.kind().to_string(),
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        _ => e.to_string(),
    }
}

fn optional(s: String) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("invalid date {s:?}: expected YYYY-MM-DD"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberRow {
    code: String,
    name: String,
    kind: String,
    iso3166: String,
    source: String,
}

fn parse_members(file: &str, text: &str, errors: &mut Vec<ReferenceError>) -> Vec<Located<Member>> {
    let mut out = Vec::new();
    for (line, row) in csv_rows::<MemberRow>(file, text, errors) {
        let result = (|| {
            let code = MemberCode::parse(&row.code).map_err(|e| e.to_string())?;
            let kind = match row.kind.as_str() {
                "state" => MemberKind::State,
                "economy" => MemberKind::Economy,
                "organisation" => MemberKind::Organisation,
                other => {
                    return Err(format!(
                        "unknown kind {other:?} (expected state, economy or organisation)"
                    ));
                }
            };
            let iso3166 = match row.iso3166.as_str() {
                "yes" => true,
                "no" => false,
                other => return Err(format!("iso3166 must be yes or no, not {other:?}")),
            };
            if row.name.is_empty() {
                return Err("empty name".to_owned());
            }
            if row.source.is_empty() {
                return Err(format!("member {code} has no source"));
            }
            Ok(Member {
                code,
                name: row.name,
                kind,
                iso3166,
                source: row.source,
            })
        })();
        match result {
            Ok(value) => out.push(Located {
                value,
                location: at(file, line),
            }),
            Err(p) => errors.push(problem(at(file, line), p)),
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MembershipRow {
    forum: String,
    member: String,
    joined: String,
    left: String,
    source: String,
    note: String,
}

fn parse_memberships(
    file: &str,
    text: &str,
    errors: &mut Vec<ReferenceError>,
) -> Vec<Located<Membership>> {
    let mut out = Vec::new();
    for (line, row) in csv_rows::<MembershipRow>(file, text, errors) {
        let result = (|| {
            let source = optional(row.source).ok_or("membership has no source")?;
            Ok::<_, String>(Membership {
                forum: ForumId::parse(&row.forum).map_err(|e| e.to_string())?,
                member: MemberCode::parse(&row.member).map_err(|e| e.to_string())?,
                joined: parse_date(&row.joined).map_err(|e| format!("joined: {e}"))?,
                left: parse_date(&row.left).map_err(|e| format!("left: {e}"))?,
                source,
                note: optional(row.note),
            })
        })();
        match result {
            Ok(value) => out.push(Located {
                value,
                location: at(file, line),
            }),
            Err(p) => errors.push(problem(at(file, line), p)),
        }
    }
    out
}

#[derive(Deserialize)]
struct ForumsFile {
    forum: Vec<toml::Spanned<ForumTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForumTable {
    id: String,
    name: String,
    kind: ForumKind,
    status: ForumStatus,
    established: Option<toml::value::Datetime>,
    ended: Option<toml::value::Datetime>,
    functions: Vec<Function>,
    decision: DecisionRule,
    #[serde(default)]
    includes: Vec<String>,
    includes_reason: Option<String>,
    secretariat: Option<String>,
    source: String,
    notes: Option<String>,
}

fn line_of(text: &str, offset: usize) -> u64 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

fn toml_date(d: Option<toml::value::Datetime>, field: &str) -> Result<Option<NaiveDate>, String> {
    let Some(d) = d else { return Ok(None) };
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => {
            NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                .map(Some)
                .ok_or_else(|| format!("{field}: {d} is not a calendar date"))
        }
        _ => Err(format!(
            "{field}: expected a date such as 1967-08-08, found {d}"
        )),
    }
}

fn parse_forums(file: &str, text: &str, errors: &mut Vec<ReferenceError>) -> Vec<Located<Forum>> {
    let parsed: ForumsFile = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            errors.push(problem(at(file, line), e.message().to_owned()));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for spanned in parsed.forum {
        let line = line_of(text, spanned.span().start);
        let t = spanned.into_inner();
        let result = (|| {
            let id = ForumId::parse(&t.id).map_err(|e| e.to_string())?;
            let includes = t
                .includes
                .iter()
                .map(|i| ForumId::parse(i).map_err(|e| format!("includes: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, String>(Forum {
                id,
                name: t.name,
                kind: t.kind,
                status: t.status,
                established: toml_date(t.established, "established")?,
                ended: toml_date(t.ended, "ended")?,
                functions: t.functions,
                decision: t.decision,
                includes,
                includes_reason: t.includes_reason,
                secretariat: t.secretariat,
                source: t.source,
                notes: t.notes,
            })
        })();
        match result {
            Ok(value) => out.push(Located {
                value,
                location: at(file, line),
            }),
            Err(p) => errors.push(problem(at(file, line), p)),
        }
    }
    out
}
