//! Watch lists: vessels of interest by MMSI, IMO number, name or call sign.

use std::collections::HashMap;

use model::Function;
use serde::Serialize;

use crate::Error;

/// One listed vessel. Any identifier may be missing, but not all.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WatchEntry {
    /// MMSI, if listed.
    pub mmsi: Option<u32>,
    /// IMO ship identification number, if listed.
    pub imo: Option<u32>,
    /// Name as listed.
    pub name: Option<String>,
    /// Call sign as listed.
    pub callsign: Option<String>,
    /// The list it comes from (for example `UNSC 1718`).
    pub list: String,
    /// Why it is listed, or the designation reference.
    pub reason: String,
    /// Overrides the default function of watch-list detections.
    pub function: Option<Function>,
}

/// Which identifier matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    /// The MMSI.
    Mmsi,
    /// The IMO number (the strongest: it stays with the hull).
    Imo,
    /// The ship name (weakest: names are reused).
    Name,
    /// The call sign.
    Callsign,
}

impl MatchField {
    /// The identifier's name as serialised (`mmsi`, `imo`, `name`,
    /// `callsign`).
    pub fn name(self) -> &'static str {
        match self {
            MatchField::Mmsi => "mmsi",
            MatchField::Imo => "imo",
            MatchField::Name => "name",
            MatchField::Callsign => "callsign",
        }
    }
}

/// A parsed watch list with lookup tables.
#[derive(Clone, Debug, Default)]
pub struct WatchList {
    entries: Vec<WatchEntry>,
    by_mmsi: HashMap<u32, usize>,
    by_imo: HashMap<u32, usize>,
    by_name: HashMap<String, usize>,
    by_callsign: HashMap<String, usize>,
}

/// Uppercase, with runs of anything but letters and digits turned into one
/// space, so that `"Chon Ma-San"` and `"CHON MA SAN"` match as AIS (six-bit,
/// upper case) would send them.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_uppercase());
        } else {
            space = true;
        }
    }
    out
}

impl WatchList {
    /// An empty list.
    pub fn new() -> WatchList {
        WatchList::default()
    }

    /// Parses CSV with a header row. Recognised columns (any order, case
    /// ignored): `mmsi`, `imo`, `name`, `callsign`, `list`, `reason`,
    /// `function`; others are ignored. A row needs at least one identifier.
    pub fn parse_csv(text: &str) -> Result<WatchList, Error> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::csv(1, e.to_string()))?
            .clone();
        let col = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
        let (c_mmsi, c_imo, c_name, c_call) =
            (col("mmsi"), col("imo"), col("name"), col("callsign"));
        let (c_list, c_reason, c_fn) = (col("list"), col("reason"), col("function"));
        if c_mmsi.is_none() && c_imo.is_none() && c_name.is_none() && c_call.is_none() {
            return Err(Error::csv(
                1,
                "no identifier column (mmsi, imo, name, callsign)".into(),
            ));
        }
        let mut list = WatchList::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = rec
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(i + 2, |p| p.line() as usize);
            let rec = rec.map_err(|e| Error::csv(line, e.to_string()))?;
            let get = |c: Option<usize>| {
                c.and_then(|k| rec.get(k))
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let num = |c: Option<usize>, what: &str| -> Result<Option<u32>, Error> {
                match get(c) {
                    None => Ok(None),
                    Some(s) => {
                        // IMO numbers are often written "IMO 9123456".
                        let digits = s.trim_start_matches("IMO").trim();
                        digits
                            .parse::<u32>()
                            .map(Some)
                            .map_err(|_| Error::csv(line, format!("bad {what} {s:?}")))
                    }
                }
            };
            let function = match get(c_fn) {
                None => None,
                Some(f) => Some(
                    f.parse::<Function>()
                        .map_err(|e| Error::csv(line, e.to_string()))?,
                ),
            };
            let entry = WatchEntry {
                mmsi: num(c_mmsi, "mmsi")?,
                imo: num(c_imo, "imo")?,
                name: get(c_name),
                callsign: get(c_call),
                list: get(c_list).unwrap_or_default(),
                reason: get(c_reason).unwrap_or_default(),
                function,
            };
            if entry.mmsi.is_none()
                && entry.imo.is_none()
                && entry.name.is_none()
                && entry.callsign.is_none()
            {
                return Err(Error::csv(line, "row has no identifier".into()));
            }
            list.push(entry);
        }
        Ok(list)
    }

    /// Adds an entry; a later entry with the same identifier wins.
    pub fn push(&mut self, entry: WatchEntry) {
        let k = self.entries.len();
        if let Some(m) = entry.mmsi {
            self.by_mmsi.insert(m, k);
        }
        if let Some(m) = entry.imo {
            self.by_imo.insert(m, k);
        }
        if let Some(n) = &entry.name {
            self.by_name.insert(normalize_name(n), k);
        }
        if let Some(c) = &entry.callsign {
            self.by_callsign.insert(normalize_name(c), k);
        }
        self.entries.push(entry);
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[WatchEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry listing this MMSI.
    pub fn by_mmsi(&self, mmsi: u32) -> Option<&WatchEntry> {
        self.by_mmsi.get(&mmsi).map(|&k| &self.entries[k])
    }

    /// The entry listing this IMO number.
    pub fn by_imo(&self, imo: u32) -> Option<&WatchEntry> {
        self.by_imo.get(&imo).map(|&k| &self.entries[k])
    }

    /// The entry listing this name (normalised with [`normalize_name`]).
    pub fn by_name(&self, name: &str) -> Option<&WatchEntry> {
        if self.by_name.is_empty() {
            return None;
        }
        self.by_name
            .get(&normalize_name(name))
            .map(|&k| &self.entries[k])
    }

    /// The entry listing this call sign.
    pub fn by_callsign(&self, callsign: &str) -> Option<&WatchEntry> {
        if self.by_callsign.is_empty() {
            return None;
        }
        self.by_callsign
            .get(&normalize_name(callsign))
            .map(|&k| &self.entries[k])
    }

    pub(crate) fn index_of_mmsi(&self, mmsi: u32) -> Option<usize> {
        self.by_mmsi.get(&mmsi).copied()
    }

    pub(crate) fn index_of_imo(&self, imo: u32) -> Option<usize> {
        if imo == 0 {
            return None;
        }
        self.by_imo.get(&imo).copied()
    }

    pub(crate) fn index_of_name(&self, name: &str) -> Option<usize> {
        if self.by_name.is_empty() || name.is_empty() {
            return None;
        }
        self.by_name.get(&normalize_name(name)).copied()
    }

    pub(crate) fn index_of_callsign(&self, callsign: &str) -> Option<usize> {
        if self.by_callsign.is_empty() || callsign.is_empty() {
            return None;
        }
        self.by_callsign.get(&normalize_name(callsign)).copied()
    }
}
