//! The capability catalogue: the asset types pledges and requirements name.
//!
//! The catalogue is data (`data/capabilities.toml`), so a new asset type is a
//! new `[[asset]]` table, not a code change. Each type says what one unit is,
//! whether quantities are whole units or continuous (tonnes, USD), which
//! functions it serves, whether it is military by default (hosts decline
//! foreign military assets) and the public standard that defines it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use model::Function;
use serde::{Deserialize, Serialize};

use crate::problem::{Collector, Problems, line_of};

/// The catalogue shipped with the program (`data/capabilities.toml`).
pub const EMBEDDED_CATALOGUE: &str = include_str!("../../../data/capabilities.toml");

/// What kind of thing an asset is. Hosts accept or decline by class
/// ("no foreign military ships"), so the set is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetClass {
    /// A ship or boat.
    Ship,
    /// A fixed- or rotary-wing aircraft.
    Aircraft,
    /// A deployable team of people with its equipment.
    Team,
    /// A deployable piece of equipment (laboratory, water purification).
    Equipment,
    /// Stocks of relief goods.
    Stocks,
    /// Money.
    Funds,
    /// Individual experts.
    Experts,
}

impl AssetClass {
    /// Every class, in a stable order.
    pub const ALL: [AssetClass; 7] = [
        AssetClass::Ship,
        AssetClass::Aircraft,
        AssetClass::Team,
        AssetClass::Equipment,
        AssetClass::Stocks,
        AssetClass::Funds,
        AssetClass::Experts,
    ];

    /// The identifier used in data files.
    pub fn id(self) -> &'static str {
        match self {
            AssetClass::Ship => "ship",
            AssetClass::Aircraft => "aircraft",
            AssetClass::Team => "team",
            AssetClass::Equipment => "equipment",
            AssetClass::Stocks => "stocks",
            AssetClass::Funds => "funds",
            AssetClass::Experts => "experts",
        }
    }
}

impl fmt::Display for AssetClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for AssetClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssetClass::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .ok_or_else(|| {
                format!(
                    "unknown asset class {s:?} (expected one of: ship, aircraft, team, equipment, stocks, funds, experts)"
                )
            })
    }
}

/// One asset type of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetType {
    /// Stable id used by pledges and requirements (`usar-heavy`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What one unit of quantity is (`team`, `ship`, `tonne`, `USD`).
    pub unit: String,
    /// `true` when quantities may be fractional (tonnes, USD); `false` when
    /// they are whole units (teams, ships).
    pub divisible: bool,
    /// The smallest contribution that counts as taking part. For whole units
    /// this is 1; for divisible types it keeps a member from "taking part"
    /// with one dollar under the `inclusive` policy.
    pub min_lot: f64,
    /// The class hosts accept or decline.
    pub class: AssetClass,
    /// Whether assets of this type are military unless a pledge says otherwise.
    pub military: bool,
    /// The functions this type serves.
    pub functions: Vec<Function>,
    /// The public standard or document that defines the type.
    pub source: String,
}

impl AssetType {
    /// Whether `q` is an acceptable quantity of this type: finite, not
    /// negative, and whole unless the type is divisible.
    pub fn check_quantity(&self, q: f64) -> Result<(), String> {
        if !q.is_finite() || q < 0.0 {
            return Err(format!("quantity {q} of {} must be zero or more", self.id));
        }
        if !self.divisible && q.fract() != 0.0 {
            return Err(format!(
                "quantity {q} of {} must be a whole number of {}s",
                self.id, self.unit
            ));
        }
        Ok(())
    }
}

/// The validated catalogue: asset types by id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    types: BTreeMap<String, AssetType>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    asset: Vec<toml::Spanned<AssetRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssetRow {
    id: String,
    name: String,
    unit: String,
    #[serde(default)]
    divisible: bool,
    min_lot: Option<f64>,
    class: String,
    #[serde(default)]
    military: bool,
    functions: Vec<String>,
    source: String,
}

impl Catalogue {
    /// Parses and validates a catalogue. `file` names the text in errors,
    /// which come as `file:line: message`, all at once.
    pub fn parse(text: &str, file: &str) -> Result<Catalogue, Problems> {
        let mut c = Collector::new(file);
        let parsed: CatalogueFile = match toml::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                c.push(line, e.message().to_owned());
                return c.finish(Catalogue {
                    types: BTreeMap::new(),
                });
            }
        };
        let mut types = BTreeMap::new();
        for spanned in parsed.asset {
            let line = line_of(text, spanned.span().start);
            let row = spanned.into_inner();
            if !is_id(&row.id) {
                c.push(
                    line,
                    format!(
                        "asset id {:?} must be 1-40 characters of a-z, 0-9 and '-'",
                        row.id
                    ),
                );
            }
            let class = match row.class.parse::<AssetClass>() {
                Ok(k) => k,
                Err(e) => {
                    c.push(line, e);
                    continue;
                }
            };
            let mut functions = Vec::new();
            for f in &row.functions {
                match f.parse::<Function>() {
                    Ok(f) => functions.push(f),
                    Err(e) => c.push(line, e.to_string()),
                }
            }
            if functions.is_empty() {
                c.push(line, format!("asset {} serves no function", row.id));
            }
            if row.source.trim().is_empty() {
                c.push(line, format!("asset {} has no source", row.id));
            }
            let min_lot = row.min_lot.unwrap_or(1.0);
            if !(min_lot.is_finite() && min_lot > 0.0) {
                c.push(line, format!("min_lot {min_lot} must be positive"));
            } else if !row.divisible && min_lot != 1.0 {
                c.push(line, "min_lot applies only to divisible asset types");
            }
            let t = AssetType {
                id: row.id.clone(),
                name: row.name,
                unit: row.unit,
                divisible: row.divisible,
                min_lot,
                class,
                military: row.military,
                functions,
                source: row.source,
            };
            if types.insert(row.id.clone(), t).is_some() {
                c.push(line, format!("asset id {} appears twice", row.id));
            }
        }
        c.finish(Catalogue { types })
    }

    /// The catalogue shipped with the program.
    ///
    /// # Panics
    /// Never in a released build: a test parses the embedded file.
    pub fn embedded() -> Catalogue {
        Catalogue::parse(EMBEDDED_CATALOGUE, "data/capabilities.toml")
            .expect("the shipped catalogue is valid")
    }

    /// The asset type with this id.
    pub fn get(&self, id: &str) -> Option<&AssetType> {
        self.types.get(id)
    }

    /// All asset types, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &AssetType> {
        self.types.values()
    }

    /// The number of asset types.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
