//! Printing: aligned tables for people, JSON for scripts. Everything goes
//! through these functions so that a closed pipe (`easf ... | head`) ends
//! the program quietly instead of panicking.

use std::io::{self, Write};

use serde::Serialize;

/// Whether an error is stdout having been closed by the reader.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints a value as pretty JSON.
pub(crate) fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints lines of text.
pub(crate) fn text(s: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    if !s.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A table with a header row, printed with columns aligned.
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    pub(crate) fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(cell.chars().count());
                }
            }
        }
        let mut s = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let last = row.len().saturating_sub(1);
            for (i, cell) in row.iter().enumerate() {
                s.push_str(cell);
                if i < last {
                    let pad = widths[i] + 2 - cell.chars().count();
                    s.extend(std::iter::repeat_n(' ', pad));
                }
            }
            s.push('\n');
        }
        s
    }

    pub(crate) fn print(&self) -> anyhow::Result<()> {
        text(&self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align() {
        let mut t = Table::new(&["code", "name"]);
        t.row(["JPN", "Japan"]);
        t.row(["HKG", "Hong Kong, China"]);
        assert_eq!(
            t.render(),
            "code  name\nJPN   Japan\nHKG   Hong Kong, China\n"
        );
    }
}
