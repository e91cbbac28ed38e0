//! The command line, declared with clap. Every command has an example in
//! its `--help`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Run and query a node of the East Asia Security Forum platform.
#[derive(Debug, Parser)]
#[command(name = "easf", version, about, long_about = None, after_help = "\
Examples:
  easf demo                              start a demo node on ./easf-demo, port 8080
  easf forum members eas --as-of 2008-06-01
  easf member forums JPN --json
  easf forum compare apt cmim")]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) node: NodeArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Where the node's database is.
#[derive(Debug, Clone, Args)]
pub(crate) struct NodeArgs {
    /// The node's data directory (SQLite database `easf.db` inside it).
    #[arg(long, global = true, env = "EASF_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// A database URL instead: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "EASF_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub(crate) database: Option<String>,
}

/// `--as-of` and `--json`, shared by the query commands.
#[derive(Debug, Clone, Args)]
pub(crate) struct QueryArgs {
    /// Answer for this date (YYYY-MM-DD); today if absent.
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// Print JSON (the API's shape) instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `--json` alone.
#[derive(Debug, Clone, Args)]
pub(crate) struct JsonArg {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Start a demo node: SQLite, reference data, demo users and tokens.
    #[command(after_help = "\
Example:
  easf demo --data-dir /tmp/easf --port 8081
Tokens for the demo users are written to DIR/demo-tokens.json. Running it
again reuses the directory and its tokens.")]
    Demo {
        /// Data directory (created if missing).
        #[arg(long, default_value = "easf-demo", value_name = "DIR")]
        data_dir: PathBuf,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Run a node: the production entry point (config file + environment).
    #[command(after_help = "\
Example:
  EASF_DATABASE_URL=postgres://easf@db/easf easf serve --listen 0.0.0.0:8080
  easf serve --config /etc/easf/node.toml

Config file keys: database, data_dir, listen, log_format (\"text\" or \"json\"),
member (the node's own member code, also EASF_NODE_MEMBER; set once).
The node's signing key is DIR/node.key (made on first start, mode 0600).
Flags and EASF_* environment variables override the file.")]
    Serve(ServeArgs),
    /// Database administration.
    #[command(subcommand)]
    Db(DbCommand),
    /// Load or check the reference architecture data.
    #[command(subcommand)]
    Refdata(RefdataCommand),
    /// Users of the node.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Forums: lists, members, comparisons.
    #[command(subcommand)]
    Forum(ForumCommand),
    /// Members: profiles and the forums they belong to.
    #[command(subcommand)]
    Member(MemberCommand),
    /// The audit table.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Decode AIS / NMEA 0183 feeds.
    #[command(subcommand)]
    Ais(AisCommand),
    /// Maritime domain awareness: behaviour detectors over AIS.
    #[command(subcommand)]
    Mda(MdaCommand),
    /// Joint operations: propose, vote, decide, task, report, close, and plan coalitions from pledges.
    #[command(subcommand)]
    Op(crate::op_args::OpCommand),
    /// Capability pledges: standing offers of assets for joint operations.
    #[command(subcommand)]
    Pledge(crate::op_args::PledgeCommand),
    /// Signed reports: file, search, retract, import, export.
    #[command(subcommand)]
    Report(crate::record_args::ReportCommand),
    /// Sharing groups records can be shared with.
    #[command(subcommand)]
    Group(crate::record_args::GroupCommand),
    /// Check every signature, the Merkle log and the derived rows; name
    /// every row altered, removed or reordered behind the node's back.
    #[command(after_help = "\
Example:
  easf verify --data-dir /var/lib/easf
  easf verify --database postgres://easf@db/easf --public-key 3b6a27bc...
Exit status 0 when everything checks out, 1 when a problem was found.")]
    Verify(crate::record_args::VerifyArgs),
}

/// Options of `easf serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// TOML config file.
    #[arg(long, env = "EASF_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "EASF_LISTEN", value_name = "ADDR")]
    pub(crate) listen: Option<SocketAddr>,
    /// Log format: text or json.
    #[arg(long, env = "EASF_LOG_FORMAT", value_name = "FORMAT")]
    pub(crate) log_format: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Apply pending migrations (they also run on every start).
    #[command(
        after_help = "Example:\n  easf db migrate --database postgres://postgres@127.0.0.1/easf"
    )]
    Migrate,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RefdataCommand {
    /// Validate a data directory (members.csv, forums.toml, memberships.csv) and replace the node's reference data with it; without DIR, the data built into the binary.
    #[command(after_help = "Example:\n  easf refdata load ./data")]
    Load {
        /// Directory holding the three files.
        dir: Option<PathBuf>,
    },
    /// Validate a data directory without loading it; every problem is listed with file and line.
    #[command(after_help = "Example:\n  easf refdata check ./data")]
    Check {
        /// Directory holding the three files.
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Create a user acting for a member's agency.
    #[command(
        after_help = "Example:\n  easf user add PHL/duty-officer --member PHL --agency \"Philippine Coast Guard\" --role analyst"
    )]
    Add {
        /// Login name (letters, digits, . _ - / @).
        name: String,
        /// Member code, e.g. PHL.
        #[arg(long)]
        member: String,
        /// Agency within the member.
        #[arg(long)]
        agency: String,
        /// viewer, analyst, coordinator or admin.
        #[arg(long)]
        role: model::Role,
        #[command(flatten)]
        json: JsonArg,
    },
    /// List users.
    #[command(after_help = "Example:\n  easf user list --json")]
    List {
        #[command(flatten)]
        json: JsonArg,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Issue an API token for a user; it is printed once and never stored.
    #[command(
        after_help = "Example:\n  easf token issue PHL/duty-officer --label laptop --expires-in-days 90"
    )]
    Issue {
        /// User name.
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Days until it expires (1-3650); never if absent.
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        json: JsonArg,
    },
    /// Revoke a token by id; it stops working at once.
    #[command(after_help = "Example:\n  easf token revoke 0193c1d2-...")]
    Revoke {
        /// Token id (from `easf token list`).
        id: String,
    },
    /// List tokens (never their secrets).
    #[command(after_help = "Example:\n  easf token list --user JPN/analyst")]
    List {
        /// Only this user's tokens.
        #[arg(long)]
        user: Option<String>,
        #[command(flatten)]
        json: JsonArg,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ForumCommand {
    /// List forums, optionally those mandated for a function that include given members.
    #[command(
        after_help = "Examples:\n  easf forum list\n  easf forum list --function piracy --members JPN,PHL"
    )]
    List {
        /// Only forums mandated for this function.
        #[arg(long)]
        function: Option<model::Function>,
        /// Only forums including all of these members (comma-separated).
        #[arg(long, value_delimiter = ',')]
        members: Vec<String>,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Everything about one forum, with its members on the date.
    #[command(after_help = "Example:\n  easf forum show cmim")]
    Show {
        /// Forum id (see `easf forum list`).
        forum: String,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Members of a forum on a date.
    #[command(after_help = "Example:\n  easf forum members eas --as-of 2012-06-01")]
    Members {
        /// Forum id.
        forum: String,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Members in both forums, only the first, only the second.
    #[command(after_help = "Example:\n  easf forum compare apt cmim")]
    Compare {
        /// First forum.
        first: String,
        /// Second forum.
        second: String,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Union, intersection or difference (first minus the rest) of memberships.
    #[command(
        after_help = "Example:\n  easf forum combine --op difference eas apt --as-of 2012-06-01"
    )]
    Combine {
        /// union, intersection or difference.
        #[arg(long)]
        op: model::SetOp,
        /// Forum ids.
        #[arg(required = true)]
        forums: Vec<String>,
        #[command(flatten)]
        query: QueryArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MemberCommand {
    /// List every member known to the node.
    #[command(after_help = "Example:\n  easf member list")]
    List {
        #[command(flatten)]
        json: JsonArg,
    },
    /// A member's profile: every layer it belongs to, with dates.
    #[command(after_help = "Example:\n  easf member show TLS")]
    Show {
        /// Member code.
        code: String,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Forums a member belongs to on a date.
    #[command(after_help = "Example:\n  easf member forums KOR --as-of 2000-01-01")]
    Forums {
        /// Member code.
        code: String,
        #[command(flatten)]
        query: QueryArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// The most recent events, newest first.
    #[command(after_help = "Example:\n  easf audit list --limit 20")]
    List {
        /// How many events.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        json: JsonArg,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AisCommand {
    /// Decode AIS sentences to gpsd-style JSON lines (default) or CSV.
    #[command(after_help = "\
Examples:
  easf ais decode data/ais/dma-stream-example.nmea | head
  nc feed.example 4001 | easf ais decode - --csv positions
  easf ais decode feed.nmea --errors 2> bad-lines.txt

Counts of sentences, messages and errors by kind go to standard error at the end.")]
    Decode {
        /// File to read, or - for standard input.
        file: String,
        /// One JSON object per message, gpsd field names and units (the default).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// CSV instead: `positions` or `statics`.
        #[arg(long, value_name = "TABLE")]
        csv: Option<CsvChoice>,
        /// Print each bad sentence's line number and problem to standard error.
        #[arg(long)]
        errors: bool,
    },
    /// Count sentences, messages by type, vessels and errors by kind.
    #[command(after_help = "Example:\n  easf ais stats data/ais/marinetraffic-sample.nmea --json")]
    Stats {
        /// File to read, or - for standard input.
        file: String,
        #[command(flatten)]
        json: JsonArg,
    },
}

/// The CSV tables `easf ais decode --csv` can write.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum CsvChoice {
    /// Position reports (types 1-3, 4, 9, 11, 18, 19, 21, 27).
    Positions,
    /// Static and voyage data (types 5, 19, 24).
    Statics,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MdaCommand {
    /// Run the detectors (encounters, loitering, gaps, zones, watch list, identity anomalies) over a recorded feed.
    #[command(after_help = "\
Example:
  easf mda detect feed.nmea --zones data/mda/zones-sample.geojson \\
      --watchlist data/mda/watchlist-unsc1718-sample.csv --json

  easf mda detect feed.nmea --watchlist list.csv --post --as KOR \
      --audience forum:nea-forum --data-dir /var/lib/easf

Messages are timed by their tag block, $PGHP sentence or unix-time suffix;
untimed messages before the first timed one are skipped and counted.
With --post every detection becomes a signed mda.alert record on the node,
filed under the detector's function (encounters and gaps: proliferation,
zones: piracy, ...) with its TLP label; posting the same feed again adds
nothing.")]
    Detect {
        /// NMEA file, or - for standard input.
        file: String,
        /// GeoJSON FeatureCollection of zones to watch for entries and exits.
        #[arg(long, value_name = "GEOJSON")]
        zones: Option<PathBuf>,
        /// CSV watch list: mmsi, imo, name, callsign, list, reason, function.
        #[arg(long, value_name = "CSV")]
        watchlist: Option<PathBuf>,
        /// CSV of ports and anchorages (name, lat, lon) near which encounters are ignored.
        #[arg(long, value_name = "CSV")]
        ports: Option<PathBuf>,
        /// One JSON object per detection instead of a table.
        #[arg(long)]
        json: bool,
        /// Store each detection as a signed `mda.alert` record in the
        /// node's database (--data-dir or --database).
        #[arg(long)]
        post: bool,
        /// Audience of posted alerts: all-members (default), originator,
        /// forum:ID, group:ID or members:JPN,KOR. A TLP:RED alert always
        /// goes to the originator only.
        #[arg(long, value_name = "AUDIENCE", requires = "post")]
        audience: Option<String>,
        #[command(flatten)]
        who: crate::record_args::AsMember,
    },
    /// Listen to a live feed (TCP client or UDP listener), run the detectors and print detections as they come.
    #[command(after_help = "\
Example:
  easf mda simulate --out-dir /tmp/sim --vessels 50 --hours 2
  nc -l 4001 < /tmp/sim/feed.nmea &
  easf mda listen tcp://127.0.0.1:4001 --zones /tmp/sim/zones.geojson \\
      --watchlist /tmp/sim/watchlist.csv --json --duration 60
  easf mda listen udp://0.0.0.0:10110 --max-messages 100000

A TCP connection that drops or cannot be opened is retried after a capped
exponential back-off with jitter (--backoff-ms, --backoff-max-ms, --jitter);
with --no-reconnect the end of the stream ends the command. Garbage lines are
counted and skipped. Messages are timed by their tag block, $PGHP sentence or
unix-time suffix, else by the feed's last such time, else by the clock. On
exit (Ctrl-C, --duration, --max-messages, end of stream) the counters of
connections, bytes, sentences, messages and errors by kind go to standard
error (one JSON object with --json).")]
    Listen {
        /// tcp://HOST:PORT (connect to a raw NMEA server) or udp://BIND:PORT (receive datagrams).
        endpoint: String,
        /// GeoJSON FeatureCollection of zones to watch for entries and exits.
        #[arg(long, value_name = "GEOJSON")]
        zones: Option<PathBuf>,
        /// CSV watch list: mmsi, imo, name, callsign, list, reason, function.
        #[arg(long, value_name = "CSV")]
        watchlist: Option<PathBuf>,
        /// CSV of ports and anchorages (name, lat, lon) near which encounters are ignored.
        #[arg(long, value_name = "CSV")]
        ports: Option<PathBuf>,
        /// One JSON object per detection (and JSON counters at the end).
        #[arg(long)]
        json: bool,
        /// Stop after this many decoded messages.
        #[arg(long, value_name = "N")]
        max_messages: Option<u64>,
        /// Stop after this many seconds.
        #[arg(long, value_name = "SECS")]
        duration: Option<f64>,
        /// TCP: stop when the stream ends or cannot be opened, instead of reconnecting.
        #[arg(long)]
        no_reconnect: bool,
        /// First reconnection delay in milliseconds; it doubles after each failed attempt.
        #[arg(long, value_name = "MS", default_value_t = 500)]
        backoff_ms: u64,
        /// Longest reconnection delay in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 30_000)]
        backoff_max_ms: u64,
        /// Fraction (0-1) of each delay that is random, so clients cut off together do not return in step.
        #[arg(long, value_name = "FRACTION", default_value_t = 0.2)]
        jitter: f64,
        /// Print each bad line's problem to standard error.
        #[arg(long)]
        errors: bool,
    },
    /// Generate synthetic traffic with planted events, as real NMEA, for tests and trials.
    #[command(after_help = "\
Example:
  easf mda simulate --out-dir /tmp/sim --vessels 300 --hours 24
  easf mda detect /tmp/sim/feed.nmea --zones /tmp/sim/zones.geojson \\
      --watchlist /tmp/sim/watchlist.csv --ports /tmp/sim/ports.csv

Writes feed.nmea, zones.geojson, watchlist.csv, ports.csv and truth.json
(the planted events) into the directory.")]
    Simulate {
        /// Directory to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// Random seed; the same seed gives the same traffic.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of vessels.
        #[arg(long, default_value_t = 200)]
        vessels: usize,
        /// Hours of traffic.
        #[arg(long, default_value_t = 24)]
        hours: u32,
        /// Plant nothing: a control set in which nothing should be detected.
        #[arg(long)]
        control: bool,
    },
}
