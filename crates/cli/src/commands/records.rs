//! `easf report`, `easf group` and `easf verify`: the sharing commands.
//! Reads go through the store's policy-filtered queries as a named member;
//! writes through the node's ledger, which signs and logs them.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use model::record::{Draft, RecordId};
use model::{Distribution, MemberCode, Reader, ReferenceData};
use rand::RngCore;
use serde::Serialize;
use server::dto::{RecordDto, RecordHistoryDto, ReportPageDto};
use server::routes::reports::{
    ExportFormat, ReportQuery, check_draft, collect_visible, render_export,
};
use store::Store;

use crate::args::NodeArgs;
use crate::node;
use crate::output::{self, Table};
use crate::record_args::{
    AsMember, ExportChoice, GroupCommand, ImportFormat, ReportCommand, ReportFilters, VerifyArgs,
};

/// The member a command acts or reads as: `--as`, else the node's own.
pub(crate) async fn acting_member(
    store: &Store,
    data: &ReferenceData,
    who: &AsMember,
) -> anyhow::Result<MemberCode> {
    match &who.member {
        Some(code) => Ok(data.member(code)?.code),
        None => store.node_member().await?.ok_or_else(|| {
            anyhow!("this node has no member of its own: pass --as MEMBER (a code such as JPN)")
        }),
    }
}

fn query_of(filters: &ReportFilters) -> anyhow::Result<ReportQuery> {
    let polygon = match &filters.polygon {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        ),
        None => None,
    };
    Ok(ReportQuery {
        function: filters.function.clone(),
        kind: filters.kind.clone(),
        from: filters.from.clone(),
        to: filters.to.clone(),
        bbox: filters.bbox.clone(),
        polygon,
        member: filters.member.clone(),
        q: filters.text.clone(),
        status: filters.status.clone(),
        ..ReportQuery::default()
    })
}

fn spinner(len: u64, what: &str) -> ProgressBar {
    // indicatif draws only on a terminal, so piped output stays clean.
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    bar
}

pub(crate) fn random_bits() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

pub(crate) fn read_input(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

pub(crate) async fn report(node: &NodeArgs, cmd: ReportCommand) -> anyhow::Result<()> {
    let (store, data) = node::open_with_reference(node).await?;
    let groups = store.sharing_groups().await?;
    let ctx = model::PolicyContext {
        reference: &data,
        groups: &groups,
        today: node::today(),
    };
    match cmd {
        ReportCommand::New { file, who, json } => {
            let member = acting_member(&store, &data, &who).await?;
            let text = read_input(&file)?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", file.display()))?;
            let draft = Draft::parse(&value).map_err(|e| anyhow!("the draft is invalid: {e}"))?;
            let now = chrono::Utc::now();
            check_draft(&draft, &data, &groups, now).map_err(|e| anyhow!("{e}"))?;
            let ledger = node::open_ledger(node, &store, true).await?;
            let actor = node::console_actor("report new");
            let version = ledger
                .create(member, draft, &actor, now, random_bits())
                .await?;
            let history = store
                .record_history(version.id, Reader::Member(member), &ctx)
                .await?;
            if json {
                output::json(&RecordDto::from(&history.latest))
            } else {
                output::text(&format!(
                    "{} v{} stored at log position {}\n",
                    version.id, version.version, history.latest.seq
                ))
            }
        }
        ReportCommand::List {
            filters,
            limit,
            cursor,
            facets,
            who,
            json,
        } => {
            let member = acting_member(&store, &data, &who).await?;
            let query = ReportQuery {
                limit: Some(limit),
                cursor,
                facets: Some(facets),
                ..query_of(&filters)?
            };
            let filter = query.to_filter(&data).map_err(|e| anyhow!("{e}"))?;
            let page = store
                .search_records(&filter, Reader::Member(member), &ctx)
                .await?;
            let dto = ReportPageDto::from(page);
            if json {
                return output::json(&dto);
            }
            let mut table = Table::new(&["ID", "OBSERVED", "KIND", "FROM", "TLP", "TITLE"]);
            for item in &dto.items {
                let v = &item.document;
                let (observed, kind, title) = match v.report() {
                    Some(r) => (
                        model::export::timestamp(r.observed_at),
                        r.body.kind().id(),
                        r.title.clone(),
                    ),
                    None => ("-".into(), "retracted", "(retracted)".into()),
                };
                table.row([
                    v.id.to_string(),
                    observed[..16].to_owned(),
                    kind.to_owned(),
                    v.originator.member.to_string(),
                    v.distribution.tlp().to_string(),
                    title,
                ]);
            }
            table.print()?;
            let mut footer = format!("{} of {} shown", dto.items.len(), dto.total);
            if let Some(next) = &dto.next {
                footer.push_str(&format!("; next page: --cursor {next}"));
            }
            eprintln!("{footer}");
            if let Some(f) = &dto.facets {
                eprintln!(
                    "by function: {:?}\nby originator: {:?}\nby TLP: {:?}",
                    f.function, f.originator, f.tlp
                );
            }
            Ok(())
        }
        ReportCommand::Show { id, who, json } => {
            let member = acting_member(&store, &data, &who).await?;
            let id: RecordId = id.parse()?;
            let history = store
                .record_history(id, Reader::Member(member), &ctx)
                .await?;
            let dto = RecordHistoryDto::from(history);
            if json {
                output::json(&dto)
            } else {
                output::text(&format!("{}\n", serde_json::to_string_pretty(&dto)?))
            }
        }
        ReportCommand::Retract { id, reason, who } => {
            let member = acting_member(&store, &data, &who).await?;
            let id: RecordId = id.parse()?;
            // Someone who cannot see it must not learn it exists.
            store
                .record_history(id, Reader::Member(member), &ctx)
                .await?;
            let ledger = node::open_ledger(node, &store, true).await?;
            let actor = node::console_actor("report retract");
            let t = ledger
                .retract(id, member, &reason, &actor, chrono::Utc::now())
                .await?;
            output::text(&format!("{} retracted (version {})\n", t.id, t.version))
        }
        ReportCommand::Import {
            format,
            file,
            who,
            rejects,
            json,
        } => {
            let member = acting_member(&store, &data, &who).await?;
            import(node, &store, member, format, &file, rejects, json).await
        }
        ReportCommand::Export {
            format,
            filters,
            who,
            output,
        } => {
            let member = acting_member(&store, &data, &who).await?;
            let filter = query_of(&filters)?
                .to_filter(&data)
                .map_err(|e| anyhow!("{e}"))?;
            let records = collect_visible(&store, &filter, Reader::Member(member), &ctx)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            let format = match format {
                ExportChoice::Stix => ExportFormat::Stix,
                ExportChoice::Geojson => ExportFormat::Geojson,
                ExportChoice::Csv => ExportFormat::Csv,
            };
            let (_, body) = render_export(&records, format, &data);
            match output {
                Some(path) => {
                    std::fs::write(&path, body)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("{} records written to {}", records.len(), path.display());
                    Ok(())
                }
                None => output::text(&body),
            }
        }
    }
}

/// The summary `report import` prints.
#[derive(Debug, Serialize)]
struct ImportSummary {
    source: &'static str,
    file: String,
    rows: usize,
    mapped: usize,
    added: usize,
    already_present: usize,
    rejected: usize,
    rejected_by_reason: std::collections::BTreeMap<&'static str, usize>,
    warnings: usize,
    member: String,
}

async fn import(
    node: &NodeArgs,
    store: &Store,
    member: MemberCode,
    format: ImportFormat,
    file: &Path,
    rejects: bool,
    json: bool,
) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let reader = std::io::BufReader::new(reader);
    let batch = match format {
        ImportFormat::Asam => model::import::asam::parse(reader),
        ImportFormat::PirateAttacks => model::import::pirate_attacks::parse(reader),
    }
    .with_context(|| format!("cannot import {}", file.display()))?;
    if rejects {
        for r in &batch.rejected {
            eprintln!("{}:{}: rejected: {}", file.display(), r.line, r.reason);
        }
    }
    let drafts: Vec<Draft> = batch
        .incidents
        .iter()
        .map(|i| i.to_draft(Distribution::public()))
        .collect();
    let ledger = node::open_ledger(node, store, true).await?;
    let actor = node::console_actor("report import");
    let bar = spinner(drafts.len() as u64, "importing");
    let outcome = ledger
        .import(
            member,
            drafts,
            &actor,
            chrono::Utc::now(),
            random_bits,
            |done| bar.set_position(done as u64),
        )
        .await?;
    bar.finish_and_clear();
    let summary = ImportSummary {
        source: batch.source.id(),
        file: file.display().to_string(),
        rows: batch.rows,
        mapped: batch.incidents.len(),
        added: outcome.added,
        already_present: outcome.already_present,
        rejected: batch.rejected.len(),
        rejected_by_reason: batch.rejected_by_reason(),
        warnings: batch.warnings.len(),
        member: member.to_string(),
    };
    if json {
        return output::json(&summary);
    }
    let mut text = format!(
        "{}: {} rows, {} mapped to piracy reports, {} added, {} already present, {} rejected",
        summary.file,
        summary.rows,
        summary.mapped,
        summary.added,
        summary.already_present,
        summary.rejected
    );
    if !summary.rejected_by_reason.is_empty() {
        let reasons: Vec<String> = summary
            .rejected_by_reason
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        text.push_str(&format!(" ({})", reasons.join(", ")));
    }
    text.push_str(&format!(
        "; {} rows imported with a field dropped; owner {}\n",
        summary.warnings, summary.member
    ));
    output::text(&text)
}

pub(crate) async fn group(node: &NodeArgs, cmd: GroupCommand) -> anyhow::Result<()> {
    let (store, data) = node::open_with_reference(node).await?;
    match cmd {
        GroupCommand::Add {
            id,
            name,
            members,
            who,
        } => {
            let owner = acting_member(&store, &data, &who).await?;
            let members = members
                .iter()
                .map(|m| data.member(m).map(|m| m.code))
                .collect::<Result<Vec<_>, _>>()?;
            store
                .add_sharing_group(
                    &id,
                    &name,
                    owner,
                    &members,
                    &node::console_actor("group add"),
                    node::now_ms(),
                )
                .await?;
            output::text(&format!("sharing group {id} created\n"))
        }
        GroupCommand::List { json } => {
            let groups = store.sharing_groups().await?;
            if json {
                return output::json(&groups);
            }
            let mut table = Table::new(&["GROUP", "MEMBERS"]);
            for (id, members) in &groups {
                let codes: Vec<&str> = members.iter().map(|m| m.as_str()).collect();
                table.row([id.clone(), codes.join(" ")]);
            }
            table.print()
        }
    }
}

/// What `easf verify --json` prints.
#[derive(Debug, Serialize)]
struct VerifyOutput {
    clean: bool,
    rows: u64,
    records: u64,
    tree_heads: usize,
    tree_heads_verified: usize,
    root_hash: String,
    public_key: String,
    problems: Vec<String>,
}

pub(crate) async fn verify(node: &NodeArgs, args: VerifyArgs) -> anyhow::Result<()> {
    let store = node::open(node, false).await?;
    let key = match &args.public_key {
        Some(hex) => ledger::NodePublicKey::parse_hex(hex).context("--public-key")?,
        None => match node::node_key(node, false) {
            Ok(k) => k.public_key(),
            Err(e) => {
                let stored = store.node_public_key().await?.ok_or(e)?;
                eprintln!(
                    "warning: no node key file; verifying against the key named in the database itself, \
                     which whoever edits the database could replace (pass --public-key)"
                );
                ledger::NodePublicKey::parse_hex(&stored)?
            }
        },
    };
    let rows = store.log_rows().await?;
    let bar = spinner(rows, "verifying");
    let report = store.verify_log(&key, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let out = VerifyOutput {
        clean: report.is_clean(),
        rows: report.rows,
        records: report.records,
        tree_heads: report.heads,
        tree_heads_verified: report.heads_verified,
        root_hash: report.root.to_hex(),
        public_key: key.to_hex(),
        problems: report.problems.iter().map(ToString::to_string).collect(),
    };
    if args.json {
        output::json(&out)?;
    } else {
        for p in &out.problems {
            println!("PROBLEM {p}");
        }
        println!(
            "{} log rows, {} records, {}/{} signed tree heads reproduced, root {}: {}",
            out.rows,
            out.records,
            out.tree_heads_verified,
            out.tree_heads,
            out.root_hash,
            if out.clean {
                "OK".to_owned()
            } else {
                format!("{} problems", out.problems.len())
            }
        );
    }
    if !out.clean {
        bail!("the log does not verify: {} problems", out.problems.len());
    }
    Ok(())
}
