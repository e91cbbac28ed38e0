//! Text outputs: gpsd-compatible JSON and CSV.
//!
//! JSON follows gpsd's AIVDM documentation (its "scaled" variant): one
//! object per message, `"class":"AIS"`, gpsd's field names, speeds in
//! knots, positions in degrees, courses in degrees. CSV has two documented
//! tables, [`CsvTable::Positions`] and [`CsvTable::Statics`].

mod csv;
mod json;

pub use self::csv::{CsvTable, write_csv_header, write_csv_row};
pub use self::json::{write_json, write_json_with_meta};
