//! The `records` row of a version: the columns search filters on, derived
//! from the signed document and nothing else, so `easf verify` can derive
//! them again and compare.

use model::Audience;
use model::record::{Content, RecordVersion};

/// Columns of the `records` table for one record's latest version.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordColumns {
    pub record_id: String,
    pub seq: i64,
    pub version: i64,
    pub originator: String,
    pub retracted: i64,
    pub kind: Option<String>,
    pub function: Option<String>,
    pub title: Option<String>,
    pub search_text: Option<String>,
    pub observed_ms: i64,
    pub reported_ms: i64,
    pub created_ms: i64,
    pub west: Option<f64>,
    pub south: Option<f64>,
    pub east: Option<f64>,
    pub north: Option<f64>,
    pub tlp: String,
    pub audience_type: String,
    pub audience_ref: Option<String>,
    pub audience_members: Option<String>,
    pub source_ref: Option<String>,
}

/// Column names in the order [`RecordColumns::binds`] yields them.
pub(crate) const COLUMNS: [&str; 21] = [
    "record_id",
    "seq",
    "version",
    "originator",
    "retracted",
    "kind",
    "function",
    "title",
    "search_text",
    "observed_ms",
    "reported_ms",
    "created_ms",
    "west",
    "south",
    "east",
    "north",
    "tlp",
    "audience_type",
    "audience_ref",
    "audience_members",
    "source_ref",
];

/// A value to bind to a query, for queries built at run time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Bind {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl RecordColumns {
    /// The row for `version`, stored at log position `seq`, of a record
    /// first reported at `created_ms`.
    pub(crate) fn of(version: &RecordVersion, seq: i64, created_ms: i64) -> RecordColumns {
        let reported_ms = version.reported_at.timestamp_millis();
        let (audience_type, audience_ref, audience_members) = audience_columns(version);
        let mut row = RecordColumns {
            record_id: version.id.to_string(),
            seq,
            version: i64::from(version.version),
            originator: version.originator.member.as_str().to_owned(),
            retracted: 0,
            kind: None,
            function: None,
            title: None,
            search_text: None,
            observed_ms: reported_ms,
            reported_ms,
            created_ms,
            west: None,
            south: None,
            east: None,
            north: None,
            tlp: version.distribution.tlp().as_str().to_owned(),
            audience_type,
            audience_ref,
            audience_members,
            source_ref: None,
        };
        match &version.content {
            Content::Retracted { .. } => row.retracted = 1,
            Content::Active(report) => {
                row.kind = Some(report.body.kind().id().to_owned());
                row.function = Some(report.function.id().to_owned());
                row.title = Some(report.title.clone());
                row.search_text = Some(search_text(&[
                    Some(&report.title),
                    report.place.as_ref(),
                    report.description.as_ref(),
                ]));
                row.observed_ms = report.observed_at.timestamp_millis();
                if let Some(g) = &report.location {
                    let b = g.bounding_box();
                    (row.west, row.south, row.east, row.north) =
                        (Some(b.west), Some(b.south), Some(b.east), Some(b.north));
                }
                row.source_ref = report.source_ref.clone();
            }
        }
        row
    }

    /// A tombstone's row keeps what the record was: its kind, function,
    /// observed time and source key, taken from the version it retracts,
    /// so searches by kind, function or time still find it among the
    /// retracted and a re-import of its source does not bring it back.
    /// Title, text and place stay empty: retraction hides the content.
    pub(crate) fn inherit_retracted(&mut self, prior: &RecordColumns) {
        if self.retracted == 1 {
            self.kind.clone_from(&prior.kind);
            self.function.clone_from(&prior.function);
            self.observed_ms = prior.observed_ms;
            self.source_ref.clone_from(&prior.source_ref);
        }
    }

    /// The values in [`COLUMNS`] order, moved out.
    pub(crate) fn into_binds(self) -> Vec<Bind> {
        vec![
            Bind::Text(Some(self.record_id)),
            Bind::Int(Some(self.seq)),
            Bind::Int(Some(self.version)),
            Bind::Text(Some(self.originator)),
            Bind::Int(Some(self.retracted)),
            Bind::Text(self.kind),
            Bind::Text(self.function),
            Bind::Text(self.title),
            Bind::Text(self.search_text),
            Bind::Int(Some(self.observed_ms)),
            Bind::Int(Some(self.reported_ms)),
            Bind::Int(Some(self.created_ms)),
            Bind::Real(self.west),
            Bind::Real(self.south),
            Bind::Real(self.east),
            Bind::Real(self.north),
            Bind::Text(Some(self.tlp)),
            Bind::Text(Some(self.audience_type)),
            Bind::Text(self.audience_ref),
            Bind::Text(self.audience_members),
            Bind::Text(self.source_ref),
        ]
    }

    /// The values in [`COLUMNS`] order.
    pub(crate) fn binds(&self) -> Vec<Bind> {
        self.clone().into_binds()
    }
}

/// The audience as three columns: its type, the forum or group it names,
/// and named members as `,JPN,KOR,` so one `LIKE '%,JPN,%'` finds them.
fn audience_columns(version: &RecordVersion) -> (String, Option<String>, Option<String>) {
    match version.distribution.audience() {
        Audience::Originator => ("originator".into(), None, None),
        Audience::Members { members } => {
            let mut list = String::from(",");
            for m in members {
                list.push_str(m.as_str());
                list.push(',');
            }
            ("members".into(), None, Some(list))
        }
        Audience::Forum { forum } => ("forum".into(), Some(forum.as_str().to_owned()), None),
        Audience::Group { group } => ("group".into(), Some(group.clone()), None),
        Audience::AllMembers => ("all-members".into(), None, None),
        Audience::Public => ("public".into(), None, None),
    }
}

/// Lower-cased text that free-text search matches with `LIKE`.
fn search_text(parts: &[Option<&String>]) -> String {
    let mut text = String::new();
    for part in parts.iter().flatten() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&part.to_lowercase());
    }
    text
}

/// Binds run-time values to a query, in order.
pub(crate) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Text(v) => query.bind(v.as_deref()),
            Bind::Int(v) => query.bind(*v),
            Bind::Real(Some(v)) => query.bind(*v),
            // sqlx 0.8.6 swaps the types of typed NULLs on the way to
            // PostgreSQL (a NULL f64 goes out as float4, a NULL f32 as
            // float8; sqlx-core any/arguments.rs). A statement first prepared
            // with a float4 NULL then refuses every real value ("incorrect
            // binary data format"), so NULL reals are bound as f32 to arrive
            // as float8. SQLite's NULL has no type either way.
            Bind::Real(None) => query.bind(None::<f32>),
        };
    }
    query
}

impl RecordColumns {
    /// Reads a `records` row selected with [`COLUMNS`].
    pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> Result<RecordColumns, sqlx::Error> {
        use sqlx::Row;
        Ok(RecordColumns {
            record_id: r.try_get("record_id")?,
            seq: r.try_get("seq")?,
            version: r.try_get("version")?,
            originator: r.try_get("originator")?,
            retracted: r.try_get("retracted")?,
            kind: r.try_get("kind")?,
            function: r.try_get("function")?,
            title: r.try_get("title")?,
            search_text: r.try_get("search_text")?,
            observed_ms: r.try_get("observed_ms")?,
            reported_ms: r.try_get("reported_ms")?,
            created_ms: r.try_get("created_ms")?,
            west: r.try_get("west")?,
            south: r.try_get("south")?,
            east: r.try_get("east")?,
            north: r.try_get("north")?,
            tlp: r.try_get("tlp")?,
            audience_type: r.try_get("audience_type")?,
            audience_ref: r.try_get("audience_ref")?,
            audience_members: r.try_get("audience_members")?,
            source_ref: r.try_get("source_ref")?,
        })
    }

    /// The first column whose value differs from `other`'s.
    pub(crate) fn first_difference(&self, other: &RecordColumns) -> Option<&'static str> {
        self.binds()
            .into_iter()
            .zip(other.binds())
            .zip(COLUMNS)
            .find(|((a, b), _)| a != b)
            .map(|(_, name)| name)
    }
}
