//! `easf op ...` and `easf pledge ...`: joint operations over the node's
//! records, through the same rules as the API (`server::joint`), and
//! coalition planning over scenario files.

use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use model::record::RecordId;
use model::report::{OperationReport, ReportBody};
use ops::{Catalogue, Scenario};
use serde_json::{Value, json};
use server::Policy;
use server::dto::{RecordDto, ReportPageDto};
use server::joint::{
    CloseRequest, Desk, OperationQuery, OperationView, PledgeQuery, SitrepRequest, TaskRequest,
    VoteRequest, Writer,
};

use crate::args::NodeArgs;
use crate::commands::records::{acting_member, read_input};
use crate::node;
use crate::op_args::{OpCommand, PledgeCommand, PledgeFields};
use crate::output::{Table, json, text};
use crate::record_args::AsMember;

fn load(name: &str) -> anyhow::Result<Scenario> {
    if let Some(shipped) = Scenario::embedded(name) {
        return shipped.with_context(|| format!("the shipped scenario {name} is invalid"));
    }
    let text = std::fs::read_to_string(name).with_context(|| {
        format!("no shipped scenario named {name}, and cannot read it as a file (see `easf op scenarios`)")
    })?;
    Ok(Scenario::parse(&text, name)?)
}

/// What a joint command needs: the store, the policy and who acts.
struct Session {
    store: store::Store,
    policy: Policy,
    member: model::MemberCode,
}

impl Session {
    async fn open(node: &NodeArgs, who: &AsMember) -> anyhow::Result<Session> {
        let (store, data) = node::open_with_reference(node).await?;
        let member = acting_member(&store, &data, who).await?;
        let groups = store.sharing_groups().await?;
        Ok(Session {
            store,
            policy: Policy {
                reference: Arc::new(data),
                groups,
            },
            member,
        })
    }

    fn desk(&self) -> Desk<'_> {
        Desk {
            store: &self.store,
            policy: &self.policy,
            member: self.member,
            agency: None,
            now: chrono::Utc::now(),
        }
    }

    async fn ledger(&self, node: &NodeArgs) -> anyhow::Result<store::Ledger> {
        node::open_ledger(node, &self.store, true).await
    }
}

fn record_id(raw: &str) -> anyhow::Result<RecordId> {
    raw.parse().map_err(|_| {
        anyhow!("{raw:?} is not a record id (a UUID such as 019ab3c4-1d2e-7f00-8a00-0123456789ab)")
    })
}

/// The API's error as a command-line error, its field first.
fn api(e: server::error::ApiError) -> anyhow::Error {
    anyhow!("{e}")
}

fn read_json(path: &std::path::Path) -> anyhow::Result<Value> {
    let text = read_input(path)?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// A `--audience` token as the API's audience object.
fn audience(raw: &str) -> anyhow::Result<Value> {
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .map(|m| m.trim().to_uppercase())
            .filter(|m| !m.is_empty())
            .collect()
    };
    Ok(match raw.split_once(':') {
        None if raw == "all-members" || raw == "public" || raw == "originator" => {
            json!({"type": raw})
        }
        Some(("forum", f)) => json!({"type": "forum", "forum": f}),
        Some(("group", g)) => json!({"type": "group", "group": g}),
        Some(("members", m)) => json!({"type": "members", "members": list(m)}),
        _ => bail!(
            "--audience {raw:?}: expected all-members, public, originator, forum:ID, group:ID or members:CODE,CODE"
        ),
    })
}

/// The pledge flags as the API's JSON shape; every required flag is named
/// when missing.
fn pledge_json(f: &PledgeFields) -> anyhow::Result<Value> {
    let mut missing = Vec::new();
    for (flag, present) in [
        ("--asset-type", f.asset_type.is_some()),
        ("--quantity", f.quantity.is_some()),
        ("--base", f.base.is_some()),
        ("--readiness-hours", f.readiness_hours.is_some()),
    ] {
        if !present {
            missing.push(flag);
        }
    }
    if !missing.is_empty() {
        bail!("a pledge needs {} (or --file JSON)", missing.join(", "));
    }
    let base = f.base.as_deref().unwrap_or_default();
    let (lat, lon) = base
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
        .ok_or_else(|| anyhow!("--base {base:?}: expected LAT,LON in degrees, e.g. 13.9,100.6"))?;
    let mut v = json!({
        "asset_type": f.asset_type,
        "quantity": f.quantity,
        "readiness_hours": f.readiness_hours,
        "base": {"type": "Point", "coordinates": [lon, lat]},
    });
    let mut put = |k: &str, x: Value| {
        if !x.is_null() {
            v[k] = x;
        }
    };
    put("agency", json!(f.agency));
    put("speed_knots", json!(f.speed_knots));
    put("endurance_days", json!(f.endurance_days));
    put("title", json!(f.title));
    if f.military || f.civilian {
        put("military", json!(f.military));
    }
    let mut caveats = serde_json::Map::new();
    if !f.only_functions.is_empty() {
        caveats.insert("functions".into(), json!(f.only_functions));
    }
    if !f.excluded_areas.is_empty() {
        caveats.insert("excluded_areas".into(), json!(f.excluded_areas));
    }
    if !f.excluded_partners.is_empty() {
        let codes: Vec<String> = f
            .excluded_partners
            .iter()
            .map(|m| m.trim().to_uppercase())
            .collect();
        caveats.insert("excluded_partners".into(), json!(codes));
    }
    if let Some(d) = f.max_duration_days {
        caveats.insert("max_duration_days".into(), json!(d));
    }
    if !caveats.is_empty() {
        put("caveats", Value::Object(caveats));
    }
    if f.tlp.is_some() || f.audience.is_some() {
        let tlp = f.tlp.clone().unwrap_or_else(|| "GREEN".into());
        let audience = audience(f.audience.as_deref().unwrap_or("all-members"))?;
        put(
            "distribution",
            json!({"tlp": tlp.to_uppercase(), "audience": audience}),
        );
    }
    Ok(v)
}

fn pledge_row(r: &RecordDto) -> [String; 7] {
    let v = &r.document;
    let id = v.id.to_string();
    let member = v.originator.member.to_string();
    let tlp = v.distribution.tlp().to_string();
    match v.report() {
        Some(c) => match &c.body {
            ReportBody::Pledge(p) => {
                let base = match &c.location {
                    Some(model::record::Geometry::Point {
                        coordinates: [lon, lat],
                    }) => {
                        format!("{lat:.2},{lon:.2}")
                    }
                    _ => "-".into(),
                };
                [
                    id,
                    member,
                    p.asset_type.clone(),
                    format!("{}", p.quantity),
                    base,
                    format!("{}", p.readiness_hours),
                    tlp,
                ]
            }
            other => [
                id,
                member,
                other.kind().id().into(),
                "-".into(),
                "-".into(),
                "-".into(),
                tlp,
            ],
        },
        None => [
            id,
            member,
            "(withdrawn)".into(),
            "-".into(),
            "-".into(),
            "-".into(),
            tlp,
        ],
    }
}

pub(crate) async fn pledge(node: &NodeArgs, cmd: PledgeCommand) -> anyhow::Result<()> {
    match cmd {
        PledgeCommand::Add {
            file,
            fields,
            who,
            json: as_json,
        } => {
            let s = Session::open(node, &who).await?;
            let input = match &file {
                Some(path) => read_json(path)?,
                None => pledge_json(&fields)?,
            };
            let ledger = s.ledger(node).await?;
            let actor = node::console_actor("pledge add");
            let w = Writer {
                ledger: &ledger,
                actor: &actor,
            };
            let dto = s.desk().add_pledge(w, &input).await.map_err(api)?;
            if as_json {
                return json(&dto);
            }
            let [id, member, asset, quantity, ..] = pledge_row(&dto);
            text(&format!(
                "{id}: {member} pledges {quantity} {asset} (log position {})",
                dto.seq
            ))
        }
        PledgeCommand::List {
            asset_type,
            member,
            function,
            status,
            who,
            json: as_json,
        } => {
            let s = Session::open(node, &who).await?;
            let q = PledgeQuery {
                asset_type,
                member,
                function,
                status: Some(status),
            };
            let page = s.desk().list_pledges(&q).await.map_err(api)?;
            if as_json {
                return json(&page);
            }
            let mut t = Table::new(&[
                "ID",
                "MEMBER",
                "ASSET TYPE",
                "QUANTITY",
                "BASE",
                "READY H",
                "TLP",
            ]);
            for item in &page.items {
                t.row(pledge_row(item));
            }
            t.print()?;
            eprintln!("{} pledges", page.total);
            Ok(())
        }
        PledgeCommand::Withdraw { id, reason, who } => {
            let s = Session::open(node, &who).await?;
            let id = record_id(&id)?;
            let ledger = s.ledger(node).await?;
            let actor = node::console_actor("pledge withdraw");
            let w = Writer {
                ledger: &ledger,
                actor: &actor,
            };
            let dto = s
                .desk()
                .withdraw_pledge(w, id, &reason)
                .await
                .map_err(api)?;
            text(&format!(
                "pledge {id} withdrawn (version {})",
                dto.document.version
            ))
        }
    }
}

fn operation_body(view: &OperationView) -> Option<&OperationReport> {
    match view.record.document.report().map(|c| &c.body) {
        Some(ReportBody::Operation(op)) => Some(op),
        _ => None,
    }
}

/// An operation for people: what, where, who decides, what it needs, and
/// what happened so far.
fn show(view: &OperationView) -> anyhow::Result<()> {
    let v = &view.record.document;
    let Some(c) = v.report() else {
        return text(&format!("{} (withdrawn)", v.id));
    };
    let Some(op) = operation_body(view) else {
        return text(&format!("{} is not an operation", v.id));
    };
    let hosts: Vec<&str> = op.hosts.iter().map(|h| h.as_str()).collect();
    let mut out = format!(
        "{} — {}\nstate {} · forum {} · function {} · proposed by {}\nhosts {} · window {} to {} · decision deadline {}\n",
        v.id,
        c.title,
        view.state,
        op.forum,
        c.function,
        v.originator.member,
        hosts.join(", "),
        model::export::timestamp(op.window.start),
        model::export::timestamp(op.window.end),
        model::export::timestamp(op.decision_deadline),
    );
    if !op.consent.declined_members.is_empty() || !op.consent.declined_asset_classes.is_empty() {
        let members: Vec<&str> = op
            .consent
            .declined_members
            .iter()
            .map(|m| m.as_str())
            .collect();
        out.push_str(&format!(
            "hosts decline: {}{}\n",
            members
                .iter()
                .copied()
                .chain(op.consent.declined_asset_classes.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(", "),
            op.consent
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    out.push_str("requirements:\n");
    for (i, r) in op.requirements.iter().enumerate() {
        out.push_str(&format!(
            "  r{} {} × {} by {} (priority {})\n",
            i + 1,
            r.quantity,
            r.asset_type,
            model::export::timestamp(r.deadline),
            r.priority
        ));
    }
    if let Some(t) = &op.tally {
        out.push_str(&format!(
            "decision ({}): {} — {}\n",
            t.rule,
            if t.approved { "approved" } else { "rejected" },
            t.reason
        ));
    }
    if !view.votes.is_empty() {
        out.push_str("votes:\n");
        for vote in &view.votes {
            out.push_str(&format!(
                "  {} {} at {}{}\n",
                vote.member,
                vote.position,
                vote.reported_at,
                vote.comment
                    .as_deref()
                    .map(|c| format!(": {c}"))
                    .unwrap_or_default()
            ));
        }
    }
    if !op.tasks.is_empty() {
        out.push_str("tasks:\n");
        for t in &op.tasks {
            out.push_str(&format!(
                "  {} {} × {} (issued {})\n",
                t.member,
                t.quantity,
                t.asset_type,
                model::export::timestamp(t.issued_at)
            ));
        }
    }
    if !view.sitreps.is_empty() {
        out.push_str("situation reports:\n");
        for s in &view.sitreps {
            out.push_str(&format!("  {} {}: {}\n", s.reported_at, s.member, s.text));
        }
    }
    if let Some(a) = &op.after_action {
        out.push_str(&format!("after action: {a}\n"));
    }
    text(&out)
}

fn print_plan(plan: &ops::Plan, policy: ops::Policy) -> anyhow::Result<()> {
    let o = &plan.objectives;
    text(&format!(
        "{} — policy {} ({}): coverage {:.1} of {:.1}, {} members, weighted arrival {:.1} h\n",
        plan.operation,
        policy.id(),
        plan.status.id(),
        o.coverage,
        o.coverage_max,
        o.members,
        o.weighted_arrival_hours
    ))?;
    let mut t = Table::new(&[
        "requirement",
        "member",
        "pledge",
        "asset type",
        "quantity",
        "arrival h",
        "deadline h",
    ]);
    for a in &plan.assignments {
        t.row([
            a.requirement.clone(),
            a.member.to_string(),
            a.pledge.clone(),
            a.asset_type.clone(),
            format!("{}", a.quantity),
            format!("{:.1}", a.arrival_hours),
            format!("{:.1}", a.deadline_hours),
        ]);
    }
    t.print()?;
    if !plan.unmet.is_empty() {
        text("\nUnmet requirements:")?;
        for u in &plan.unmet {
            text(&format!(
                "  {} ({}): short {} of {}",
                u.requirement, u.asset_type, u.short, u.required
            ))?;
            for miss in &u.closest {
                text(&format!(
                    "    {} {}: {}",
                    miss.member, miss.pledge, miss.explanation
                ))?;
            }
        }
    }
    text("\nMembers:")?;
    for m in &plan.members {
        text(&format!(
            "  {} {}: {}",
            m.member,
            if m.taking_part { "in " } else { "out" },
            m.why
        ))?;
    }
    Ok(())
}

pub(crate) async fn op(node: &NodeArgs, cmd: OpCommand) -> anyhow::Result<()> {
    match cmd {
        OpCommand::Scenarios => {
            let mut t = Table::new(&["name", "file"]);
            for (file, _) in ops::EMBEDDED_SCENARIOS {
                t.row([
                    file.trim_end_matches(".toml").to_owned(),
                    format!("data/scenarios/{file}"),
                ]);
            }
            t.print()
        }
        OpCommand::Plan {
            scenario,
            policy,
            time_limit,
            who,
            json: as_json,
        } => {
            // A record id names a stored operation; anything else is a
            // scenario name or file.
            if let Ok(id) = scenario.parse::<RecordId>() {
                let s = Session::open(node, &who).await?;
                let view = s.desk().plan(id, policy, time_limit).await.map_err(api)?;
                if as_json {
                    return json(&view);
                }
                print_plan(&view.plan, policy)?;
                for p in &view.pledges_skipped {
                    eprintln!("pledge {} ({}) not used: {}", p.pledge, p.member, p.reason);
                }
                return Ok(());
            }
            let catalogue = Catalogue::embedded();
            let scenario = load(&scenario)?;
            let plan = match time_limit {
                Some(limit) => scenario.plan_within(&catalogue, policy, limit)?,
                None => scenario.plan(&catalogue, policy)?,
            };
            if as_json {
                return json(&plan);
            }
            print_plan(&plan, policy)
        }
        OpCommand::Propose {
            file,
            who,
            json: as_json,
        } => {
            let s = Session::open(node, &who).await?;
            let input = read_json(&file)?;
            let ledger = s.ledger(node).await?;
            let actor = node::console_actor("op propose");
            let w = Writer {
                ledger: &ledger,
                actor: &actor,
            };
            let view = s.desk().propose(w, &input).await.map_err(api)?;
            if as_json { json(&view) } else { show(&view) }
        }
        OpCommand::Show {
            id,
            who,
            json: as_json,
        } => {
            let s = Session::open(node, &who).await?;
            let view = s
                .desk()
                .show_operation(record_id(&id)?)
                .await
                .map_err(api)?;
            if as_json { json(&view) } else { show(&view) }
        }
        OpCommand::List {
            state,
            forum,
            function,
            who,
            json: as_json,
        } => {
            let s = Session::open(node, &who).await?;
            let q = OperationQuery {
                state,
                forum,
                function,
            };
            let page: ReportPageDto = s.desk().list_operations(&q).await.map_err(api)?;
            if as_json {
                return json(&page);
            }
            let mut t = Table::new(&["ID", "STATE", "FORUM", "BY", "TITLE"]);
            for item in &page.items {
                let v = &item.document;
                if let Some(c) = v.report()
                    && let ReportBody::Operation(op) = &c.body
                {
                    t.row([
                        v.id.to_string(),
                        op.state.id().to_owned(),
                        op.forum.to_string(),
                        v.originator.member.to_string(),
                        c.title.clone(),
                    ]);
                }
            }
            t.print()?;
            eprintln!("{} operations", page.total);
            Ok(())
        }
        OpCommand::Vote {
            id,
            position,
            comment,
            who,
            json: as_json,
        } => {
            let position = serde_json::from_value(json!(position)).map_err(|_| {
                anyhow!("--position {position:?}: expected support, object or abstain")
            })?;
            let req = VoteRequest { position, comment };
            step(node, &who, &id, as_json, "op vote", |d, w, id| {
                Box::pin(async move { d.vote(w, id, &req).await })
            })
            .await
        }
        OpCommand::Decide {
            id,
            who,
            json: as_json,
        } => {
            step(node, &who, &id, as_json, "op decide", |d, w, id| {
                Box::pin(async move { d.decide(w, id).await })
            })
            .await
        }
        OpCommand::Task {
            id,
            member,
            asset_type,
            quantity,
            who,
            json: as_json,
        } => {
            let req = TaskRequest {
                member,
                asset_type,
                quantity,
            };
            step(node, &who, &id, as_json, "op task", |d, w, id| {
                Box::pin(async move { d.task(w, id, &req).await })
            })
            .await
        }
        OpCommand::Sitrep {
            id,
            text: report,
            figures,
            who,
            json: as_json,
        } => {
            let mut parsed = std::collections::BTreeMap::new();
            for f in &figures {
                let (name, value) = f
                    .split_once('=')
                    .and_then(|(n, v)| Some((n.trim(), v.trim().parse::<f64>().ok()?)))
                    .ok_or_else(|| {
                        anyhow!("--figure {f:?}: expected NAME=VALUE, e.g. persons_evacuated=230")
                    })?;
                parsed.insert(name.to_owned(), value);
            }
            let req = SitrepRequest {
                text: report,
                figures: parsed,
            };
            step(node, &who, &id, as_json, "op sitrep", |d, w, id| {
                Box::pin(async move { d.sitrep(w, id, &req).await })
            })
            .await
        }
        OpCommand::Close {
            id,
            after_action,
            who,
            json: as_json,
        } => {
            let req = CloseRequest { after_action };
            step(node, &who, &id, as_json, "op close", |d, w, id| {
                Box::pin(async move { d.close(w, id, &req).await })
            })
            .await
        }
    }
}

type StepFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<OperationView, server::error::ApiError>> + 'a>,
>;

/// Runs one lifecycle step as `who` and prints the operation after it.
async fn step<F>(
    node: &NodeArgs,
    who: &AsMember,
    id: &str,
    as_json: bool,
    command: &str,
    run: F,
) -> anyhow::Result<()>
where
    F: for<'a> FnOnce(&'a Desk<'a>, Writer<'a>, RecordId) -> StepFuture<'a>,
{
    let s = Session::open(node, who).await?;
    let id = record_id(id)?;
    let ledger = s.ledger(node).await?;
    let actor = node::console_actor(command);
    let desk = s.desk();
    let w = Writer {
        ledger: &ledger,
        actor: &actor,
    };
    let view = run(&desk, w, id).await.map_err(api)?;
    if as_json { json(&view) } else { show(&view) }
}
