//! Command-line arguments of the sharing commands: `easf report`,
//! `easf group` and `easf verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Who a command acts or reads as.
#[derive(Debug, Clone, Args)]
pub(crate) struct AsMember {
    /// The member to act or read as (a code such as JPN); the node's own
    /// member if absent. Reads show only what this member may see.
    #[arg(long = "as", id = "as", value_name = "MEMBER")]
    pub(crate) member: Option<String>,
}

/// The search filters of `report list` and `report export`.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ReportFilters {
    /// Function id (piracy, disaster, health, ...).
    #[arg(long)]
    pub(crate) function: Option<String>,
    /// Report kind (piracy, disaster, outbreak, trafficking, proliferation,
    /// environment, energy).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Observed on or after (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub(crate) from: Option<String>,
    /// Observed before (a bare date includes that day).
    #[arg(long, value_name = "TIME")]
    pub(crate) to: Option<String>,
    /// Bounding box west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub(crate) bbox: Option<String>,
    /// A file holding a GeoJSON Polygon the location must touch.
    #[arg(long, value_name = "FILE")]
    pub(crate) polygon: Option<PathBuf>,
    /// Originating member.
    #[arg(long)]
    pub(crate) member: Option<String>,
    /// Free text in title, place or description.
    #[arg(long, short = 'q', value_name = "TEXT")]
    pub(crate) text: Option<String>,
    /// active (default), retracted or all.
    #[arg(long)]
    pub(crate) status: Option<String>,
}

/// Data sets `report import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFormat {
    /// NGA Anti-Shipping Activity Messages (CSV).
    Asam,
    /// The Maritime Pirate Attacks compilation (CSV).
    PirateAttacks,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportChoice {
    /// A STIX 2.1 bundle.
    Stix,
    /// A GeoJSON FeatureCollection.
    Geojson,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReportCommand {
    /// File a report from a JSON draft.
    #[command(after_help = "\
Example:
  easf report new --file boarding.json --as SGP
  echo '{\"kind\":\"piracy\",\"title\":\"Boarding at anchor\",\"observed_at\":\"2026-11-20T21:30:00Z\",
        \"location\":{\"type\":\"Point\",\"coordinates\":[104.1,1.25]},
        \"body\":{\"attack_type\":\"boarded\"},
        \"distribution\":{\"tlp\":\"AMBER\",\"audience\":{\"type\":\"forum\",\"forum\":\"recaap\"}}}' \\
    | easf report new --file -
The draft's fields: kind, title, observed_at, body, distribution, and
optionally function, location, place, description, agency, source_ref.")]
    New {
        /// The JSON draft ('-' reads stdin).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        who: AsMember,
        /// Print the stored version as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search the reports a member may see.
    #[command(after_help = "\
Example:
  easf report list --function piracy --bbox 95,-10,141,25 --from 2015-01-01 --limit 20
  easf report list -q 'singapore strait' --json | jq '.items[].title'")]
    List {
        #[command(flatten)]
        filters: ReportFilters,
        /// Page size (1-1000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Continue from a previous page's `next`.
        #[arg(long)]
        cursor: Option<String>,
        /// Also count by function, kind, originator and TLP.
        #[arg(long)]
        facets: bool,
        #[command(flatten)]
        who: AsMember,
        /// Print JSON (the API's shape).
        #[arg(long)]
        json: bool,
    },
    /// One report with its versions.
    #[command(
        after_help = "Example:\n  easf report show 01936f4e-8a2b-7c3d-9e4f-0123456789ab --json"
    )]
    Show {
        /// The record id.
        id: String,
        #[command(flatten)]
        who: AsMember,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Retract a report: a signed tombstone hides its content.
    #[command(
        after_help = "Example:\n  easf report retract 01936f4e-8a2b-7c3d-9e4f-0123456789ab --reason 'duplicate' --as SGP"
    )]
    Retract {
        /// The record id.
        id: String,
        /// Why (kept in the log).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: AsMember,
    },
    /// Import a public piracy data set; importing it again adds nothing.
    #[command(after_help = "\
Example:
  easf report import --format asam data/piracy/asam-2022-06-21.csv --as USA
  easf report import --format pirate-attacks data/piracy/pirate_attacks.csv --json
Imported incidents are public data: TLP:CLEAR with a public audience.")]
    Import {
        /// The data set's format.
        #[arg(long, value_enum)]
        format: ImportFormat,
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        who: AsMember,
        /// List every rejected row on stderr.
        #[arg(long)]
        rejects: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the reports a member may see.
    #[command(after_help = "\
Example:
  easf report export --format stix --function piracy -o piracy.stix.json
  easf report export --format csv --as JPN > reports.csv")]
    Export {
        /// stix, geojson or csv.
        #[arg(long, value_enum)]
        format: ExportChoice,
        #[command(flatten)]
        filters: ReportFilters,
        #[command(flatten)]
        who: AsMember,
        /// Write here instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Create a sharing group owned by a member.
    #[command(
        after_help = "Example:\n  easf group add strait-watch --name 'Strait watch' --members MYS,SGP --as IDN"
    )]
    Add {
        /// Group id: lower-case letters, digits, hyphens.
        id: String,
        /// A descriptive name.
        #[arg(long)]
        name: String,
        /// Member codes, comma-separated (the owner is added).
        #[arg(long, value_delimiter = ',')]
        members: Vec<String>,
        #[command(flatten)]
        who: AsMember,
    },
    /// Every sharing group and its members.
    #[command(after_help = "Example:\n  easf group list --json")]
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Options of `easf verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The node's public key (hex) to verify against; by default the key
    /// file in the data directory.
    #[arg(long, value_name = "HEX")]
    pub(crate) public_key: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}
