//! Command-line arguments of the joint-operations commands: `easf pledge`
//! and `easf op`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::record_args::AsMember;

/// The pledge fields `pledge add` takes as flags.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct PledgeFields {
    /// Catalogue id of the asset type (usar-heavy, medium-helicopter, ...).
    #[arg(long, value_name = "TYPE")]
    pub(crate) asset_type: Option<String>,
    /// How much, in the asset type's unit (whole units where it counts them).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) quantity: Option<f64>,
    /// The agency that holds the asset.
    #[arg(long)]
    pub(crate) agency: Option<String>,
    /// Home base as LAT,LON in degrees.
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    pub(crate) base: Option<String>,
    /// Hours from the call until the asset departs.
    #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
    pub(crate) readiness_hours: Option<f64>,
    /// Transit speed in knots (absent for funds or remote experts).
    #[arg(long, value_name = "KNOTS")]
    pub(crate) speed_knots: Option<f64>,
    /// Days on task without resupply.
    #[arg(long, value_name = "DAYS")]
    pub(crate) endurance_days: Option<f64>,
    /// The asset is military (default: the asset type's).
    #[arg(long, conflicts_with = "civilian")]
    pub(crate) military: bool,
    /// The asset is civilian (default: the asset type's).
    #[arg(long)]
    pub(crate) civilian: bool,
    /// Caveat: only these functions (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "FUNCTIONS")]
    pub(crate) only_functions: Vec<String>,
    /// Caveat: never to these areas or host states (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "AREAS")]
    pub(crate) excluded_areas: Vec<String>,
    /// Caveat: never alongside these members (comma-separated codes).
    #[arg(long, value_delimiter = ',', value_name = "MEMBERS")]
    pub(crate) excluded_partners: Vec<String>,
    /// Caveat: the longest commitment, in days.
    #[arg(long, value_name = "DAYS")]
    pub(crate) max_duration_days: Option<f64>,
    /// A one-line title (default: who pledges what).
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// TLP label: CLEAR, GREEN (default), AMBER, AMBER+STRICT or RED.
    #[arg(long)]
    pub(crate) tlp: Option<String>,
    /// Who sees it: all-members (default), public, originator,
    /// forum:ID, group:ID or members:CODE,CODE.
    #[arg(long, value_name = "AUDIENCE")]
    pub(crate) audience: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PledgeCommand {
    /// Pledge assets: a standing offer others may plan with.
    #[command(after_help = "\
Examples:
  easf pledge add --as THA --asset-type medium-helicopter --quantity 4 \\
      --agency 'Royal Thai Air Force' --base 13.9,100.6 --readiness-hours 24 --speed-knots 120
  easf pledge add --as SGP --asset-type usar-heavy --quantity 1 --agency SCDF \\
      --base 1.35,103.8 --readiness-hours 10 --speed-knots 400 \\
      --excluded-partners PRK --audience forum:asean --tlp AMBER
  easf pledge add --file pledge.json --as JPN --json

With --file, the JSON is the API's shape (POST /api/v1/pledges):
{asset_type, quantity, agency, readiness_hours, base: {\"type\": \"Point\",
\"coordinates\": [lon, lat]}, speed_knots?, endurance_days?, military?,
caveats?: {functions, excluded_areas, excluded_partners, max_duration_days},
title?, function?, description?, distribution?}. Pledges are shared with
every platform member at TLP:GREEN unless told otherwise.")]
    Add {
        /// The pledge as JSON ('-' reads stdin) instead of flags.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["asset_type", "quantity", "base"])]
        file: Option<PathBuf>,
        #[command(flatten)]
        fields: Box<PledgeFields>,
        #[command(flatten)]
        who: AsMember,
        /// Print the stored pledge as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The pledges a member may see: standing ones unless --status says otherwise.
    #[command(after_help = "\
Example:
  easf pledge list --as JPN
  easf pledge list --asset-type amphibious-ship --member USA --json
  easf pledge list --status withdrawn --as JPN
A withdrawn pledge is a tombstone: it keeps its member, function and TLP
but not what was pledged; `easf report show ID` shows its earlier versions.")]
    List {
        /// Only this asset type.
        #[arg(long, value_name = "TYPE")]
        asset_type: Option<String>,
        /// Only this member's pledges.
        #[arg(long)]
        member: Option<String>,
        /// Only pledges filed under this function.
        #[arg(long)]
        function: Option<String>,
        /// Which pledges: standing, withdrawn or all.
        #[arg(long, default_value = "standing", value_parser = ["standing", "withdrawn", "all"])]
        status: String,
        #[command(flatten)]
        who: AsMember,
        /// Print JSON (the API's shape).
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a pledge: a signed tombstone; plans no longer use it.
    #[command(after_help = "\
Example:
  easf pledge withdraw 019ab3c4-1d2e-7f00-8a00-0123456789ab --reason 'ship in refit' --as THA")]
    Withdraw {
        /// The pledge's record id.
        id: String,
        /// Why (kept in the log).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: AsMember,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum OpCommand {
    /// Plan a coalition for a stored operation or a scenario: which pledges serve which requirements.
    #[command(after_help = "\
Examples:
  easf op plan nargis-2008 --policy inclusive
  easf op plan data/scenarios/haiyan-2013.toml --policy fast --json
  easf op plan 019ab3c4-1d2e-7f00-8a00-0123456789ab --policy lean --as THA
  easf op plan 019ab3c4-1d2e-7f00-8a00-0123456789ab --policy lean --time-limit 10
  easf op scenarios

TARGET is a stored operation's record id (planned over the pledges the
member may see and that are not withdrawn), a shipped scenario's name (see
`easf op scenarios`) or a TOML file in the format of docs/SCENARIOS.md.
Policies: inclusive (most members), lean (fewest), fast (earliest arrival),
shared (in proportion to pledged capacity). Coverage always comes first.
Without --time-limit the plan is proven optimal however long that takes;
with it, the best plan found by then (never worse than greedy), marked
time-limit or greedy instead of optimal.")]
    Plan {
        /// Operation id, scenario name or scenario file.
        #[arg(value_name = "TARGET")]
        scenario: String,
        /// inclusive, lean, fast or shared.
        #[arg(long, default_value = "inclusive")]
        policy: ops::Policy,
        /// Stop the solver after this many seconds (decimals allowed).
        #[arg(long, value_name = "SECONDS", value_parser = parse_time_limit)]
        time_limit: Option<std::time::Duration>,
        #[command(flatten)]
        who: AsMember,
        /// Print the plan as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the scenarios shipped with the binary.
    #[command(after_help = "Example:\n  easf op scenarios")]
    Scenarios,
    /// Propose an operation in a forum the member belongs to.
    #[command(after_help = "\
Example:
  easf op propose --file nargis-relief.json --as THA

The JSON (the API's shape, POST /api/v1/operations):
{\"title\": \"Cyclone relief, Irrawaddy delta\", \"forum\": \"asean\",
 \"area\": {\"type\": \"Polygon\", \"coordinates\": [[[94.5,15.5],[96.5,15.5],[96.5,17],[94.5,17],[94.5,15.5]]]},
 \"window\": {\"start\": \"2026-11-26T00:00:00Z\", \"end\": \"2026-12-26T00:00:00Z\"},
 \"hosts\": [\"MMR\"],
 \"consent\": {\"declined_asset_classes\": [\"military-ship\"], \"note\": \"no foreign warships\"},
 \"requirements\": [{\"asset_type\": \"medium-helicopter\", \"quantity\": 4,
                   \"deadline\": \"2026-11-29T00:00:00Z\", \"priority\": 10}],
 \"decision_deadline\": \"2026-11-25T18:00:00Z\"}
Optional: function (default disaster), place, description, distribution
(default TLP:AMBER to the forum). Times in the past are refused.")]
    Propose {
        /// The proposal as JSON ('-' reads stdin).
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Vote on a proposed operation, as a member of its forum, before the decision deadline.
    #[command(after_help = "\
Example:
  easf op vote 019ab3c4-1d2e-7f00-8a00-0123456789ab --position support --as IDN
  easf op vote 019ab3c4-1d2e-7f00-8a00-0123456789ab --position object --comment 'no mandate' --as LAO
A later vote by the same member replaces the earlier one in the count.")]
    Vote {
        /// The operation's record id.
        id: String,
        /// support, object or abstain.
        #[arg(long)]
        position: String,
        /// Why.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Decide a proposed operation by its forum's rule (the proposing member).
    #[command(after_help = "\
Example:
  easf op decide 019ab3c4-1d2e-7f00-8a00-0123456789ab --as THA
Counts each forum member's latest vote up to the decision deadline
(membership on the deadline's date). Before the deadline it is refused
unless every member has answered.")]
    Decide {
        /// The operation's record id.
        id: String,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Task a member in an approved or active operation (the proposing member).
    #[command(after_help = "\
Example:
  easf op task 019ab3c4-1d2e-7f00-8a00-0123456789ab --member SGP \\
      --asset-type medium-helicopter --quantity 2 --as THA
What the hosts decline (a member, military ships, ...) is refused.")]
    Task {
        /// The operation's record id.
        id: String,
        /// The member tasked.
        #[arg(long)]
        member: String,
        /// Catalogue id of the asset type.
        #[arg(long, value_name = "TYPE")]
        asset_type: String,
        /// How much, in the asset type's unit.
        #[arg(long, allow_hyphen_values = true)]
        quantity: f64,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// File a situation report on an active operation (a host or tasked member).
    #[command(after_help = "\
Example:
  easf op sitrep 019ab3c4-1d2e-7f00-8a00-0123456789ab --as SGP \\
      --text 'Two helicopters flying from Yangon' --figure sorties=14 --figure persons_evacuated=230")]
    Sitrep {
        /// The operation's record id.
        id: String,
        /// What happened.
        #[arg(long)]
        text: String,
        /// A figure as NAME=VALUE (repeatable).
        #[arg(long = "figure", value_name = "NAME=VALUE")]
        figures: Vec<String>,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Close an approved or active operation with its after-action record (the proposing member).
    #[command(after_help = "\
Example:
  easf op close 019ab3c4-1d2e-7f00-8a00-0123456789ab --as THA \\
      --after-action 'Relief delivered to 40 villages; airlift was the bottleneck'")]
    Close {
        /// The operation's record id.
        id: String,
        /// What was done, what was learnt.
        #[arg(long)]
        after_action: String,
        #[command(flatten)]
        who: AsMember,
        /// Print the operation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// An operation with its state, tally, tasks, votes and situation reports.
    #[command(after_help = "\
Example:
  easf op show 019ab3c4-1d2e-7f00-8a00-0123456789ab --as IDN
  easf op show 019ab3c4-1d2e-7f00-8a00-0123456789ab --json | jq .state")]
    Show {
        /// The operation's record id.
        id: String,
        #[command(flatten)]
        who: AsMember,
        /// Print JSON (the API's shape).
        #[arg(long)]
        json: bool,
    },
    /// The operations a member may see.
    #[command(after_help = "\
Example:
  easf op list --as IDN
  easf op list --state proposed --forum asean --json")]
    List {
        /// proposed, approved, rejected, active or closed.
        #[arg(long)]
        state: Option<String>,
        /// Only this forum's operations.
        #[arg(long)]
        forum: Option<String>,
        /// Only operations for this function.
        #[arg(long)]
        function: Option<String>,
        #[command(flatten)]
        who: AsMember,
        /// Print JSON (the API's shape).
        #[arg(long)]
        json: bool,
    },
}

/// A positive, finite number of seconds.
fn parse_time_limit(text: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("expected a number of seconds, not {text:?}"))?;
    if secs > 0.0 && secs.is_finite() && secs <= 86_400.0 {
        Ok(std::time::Duration::from_secs_f64(secs))
    } else {
        Err(format!(
            "expected seconds above 0 and at most a day, not {text}"
        ))
    }
}
