//! Reading the records that belong to a joint operation: its votes and
//! situation reports, which are records of their own naming the operation
//! in their body. Like every read, through the reader's policy.

use model::record::RecordId;
use model::report::{ReportBody, ReportKind};
use model::{PolicyContext, Readable, Reader};

use super::row::bind_all;
use super::search::{Clause, audience_clause, stored_from_row, text, visible};
use crate::{Store, StoreError, StoredRecord};

impl Store {
    /// The current (not retracted) records of `kind` (`vote` or `sitrep`)
    /// about operation `operation` that `reader` may see, oldest report
    /// first.
    pub async fn records_about(
        &self,
        kind: ReportKind,
        operation: RecordId,
        reader: Reader,
        ctx: &PolicyContext<'_>,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        if !matches!(kind, ReportKind::Vote | ReportKind::Sitrep) {
            return Err(StoreError::Invalid(format!(
                "{kind} records do not name an operation"
            )));
        }
        let readable = Readable::resolve(reader, ctx);
        let mut clause = Clause::default();
        audience_clause(&mut clause, &readable);
        clause.and("r.retracted = 0", vec![]);
        clause.and("r.kind = ?", vec![text(kind.id())]);
        // The signed document is canonical JSON (no whitespace), so the
        // body's reference reads exactly like this; the body is checked
        // again below.
        clause.and(
            "l.document LIKE ?",
            vec![text(&format!("%\"operation\":\"{operation}\"%"))],
        );
        let sql = format!(
            "SELECT r.record_id, r.seq, r.created_ms, r.observed_ms, l.document \
             FROM records r JOIN record_log l ON l.seq = r.seq WHERE {} \
             ORDER BY r.reported_ms, r.record_id",
            clause.sql()
        );
        let rows = bind_all(sqlx::query(&sql), &clause.binds)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let record = stored_from_row(r)?;
            let about = match record.version.report().map(|c| &c.body) {
                Some(ReportBody::Vote(v)) => v.operation == operation,
                Some(ReportBody::Sitrep(s)) => s.operation == operation,
                _ => false,
            };
            if about && visible(&record, reader, ctx) {
                out.push(record);
            }
        }
        Ok(out)
    }
}
