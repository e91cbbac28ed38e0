//! A CSV table of records (RFC 4180: comma-separated, CRLF line ends,
//! fields quoted when they need it), one row per version in input order.
//!
//! The header is fixed ([`HEADER`]). Times are UTC with milliseconds and
//! `Z`; `longitude`/`latitude` are the location's anchor (a polygon's
//! centre), empty without a valid location; `audience` is one token
//! (`forum:recaap`, `members:JPN+KOR`, `all-members`…). A retraction has
//! `status` `retracted`, the reason in `description` and the report
//! columns empty.
//!
//! Free-text cells (`title`, `agency`, `place`, `source_ref`,
//! `description`) that begin with `=`, `+`, `-`, `@`, tab or carriage
//! return get a leading `'`, so that a spreadsheet shows them as text
//! instead of evaluating them as formulas (OWASP, "CSV Injection").
//!
//! **The caller filters first**: see the [module docs](super).

use std::io;

use super::{audience_label, located, timestamp};
use crate::record::{Content, RecordVersion};

/// The columns, in order.
pub const HEADER: [&str; 17] = [
    "id",
    "version",
    "status",
    "kind",
    "function",
    "title",
    "observed_at",
    "reported_at",
    "originator",
    "agency",
    "tlp",
    "audience",
    "longitude",
    "latitude",
    "place",
    "source_ref",
    "description",
];

/// Writes the header and one row per version to `out`.
pub fn write<'a, W: io::Write>(
    versions: impl IntoIterator<Item = &'a RecordVersion>,
    out: W,
) -> Result<(), ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER)?;
    for v in versions {
        w.write_record(row(v))?;
    }
    w.flush()?;
    Ok(())
}

/// The table as a string.
pub fn to_string<'a>(versions: impl IntoIterator<Item = &'a RecordVersion>) -> String {
    let mut buf = Vec::new();
    // Writing into memory cannot fail; were it to, the partial text is
    // still returned rather than a panic.
    let _ = write(versions, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// One version's cells, in [`HEADER`] order.
pub fn row(v: &RecordVersion) -> [String; 17] {
    let originator = &v.originator;
    let mut cells: [String; 17] = Default::default();
    cells[0] = v.id.to_string();
    cells[1] = v.version.to_string();
    cells[7] = timestamp(v.reported_at);
    cells[8] = originator.member.as_str().to_owned();
    cells[9] = text(originator.agency.as_deref().unwrap_or(""));
    cells[10] = v.distribution.tlp().as_str().to_owned();
    cells[11] = audience_label(v.distribution.audience());
    match &v.content {
        Content::Retracted { reason } => {
            cells[2] = "retracted".to_owned();
            cells[16] = text(reason);
        }
        Content::Active(c) => {
            cells[2] = "active".to_owned();
            cells[3] = c.body.kind().id().to_owned();
            cells[4] = c.function.id().to_owned();
            cells[5] = text(&c.title);
            cells[6] = timestamp(c.observed_at);
            if let Some((_, [lon, lat])) = located(c.location.as_ref()) {
                cells[12] = lon.to_string();
                cells[13] = lat.to_string();
            }
            cells[14] = text(c.place.as_deref().unwrap_or(""));
            cells[15] = text(c.source_ref.as_deref().unwrap_or(""));
            cells[16] = text(c.description.as_deref().unwrap_or(""));
        }
    }
    cells
}

/// Free text, defused against spreadsheet formula evaluation.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures::{disaster_polygon, piracy, retracted};
    use crate::record::Content;

    #[test]
    fn rows_follow_the_header_and_quote_what_needs_it() {
        let mut p = piracy();
        if let Content::Active(c) = &mut p.content {
            c.title = "Boarding, \"armed\"\nsecond line".into();
            c.description = Some("=HYPERLINK(\"x\")".into());
        }
        let text = to_string(&[p, disaster_polygon(), retracted()]);
        let mut r = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<::csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][5], "Boarding, \"armed\"\nsecond line");
        assert_eq!(&rows[0][16], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[0][11], "forum:recaap");
        assert_eq!((&rows[0][12], &rows[0][13]), ("98.7", "3.8"));
        assert_eq!((&rows[1][12], &rows[1][13]), ("125", "12"));
        assert_eq!(&rows[2][2], "retracted");
        assert_eq!(&rows[2][5], "");
        assert_eq!(&rows[2][16], "duplicate of an earlier report");
        assert!(text.contains("\r\n"));
    }

    #[test]
    fn writers_that_fail_give_an_error_not_a_panic() {
        struct Broken;
        impl io::Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::Error::other("disk full"))
            }
        }
        assert!(write(&[piracy()], Broken).is_err());
    }
}
