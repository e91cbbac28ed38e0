//! `easf op ...`: coalition planning over scenarios.

use anyhow::Context;
use ops::{Catalogue, Scenario};

use crate::args::OpCommand;
use crate::output::{Table, json, text};

fn load(name: &str) -> anyhow::Result<Scenario> {
    if let Some(shipped) = Scenario::embedded(name) {
        return shipped.with_context(|| format!("the shipped scenario {name} is invalid"));
    }
    let text = std::fs::read_to_string(name).with_context(|| {
        format!("no shipped scenario named {name}, and cannot read it as a file (see `easf op scenarios`)")
    })?;
    Ok(Scenario::parse(&text, name)?)
}

pub(crate) fn op(cmd: OpCommand) -> anyhow::Result<()> {
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
            json: as_json,
        } => {
            let catalogue = Catalogue::embedded();
            let scenario = load(&scenario)?;
            let plan = scenario.plan(&catalogue, policy)?;
            if as_json {
                return json(&plan);
            }
            let o = &plan.objectives;
            text(&format!(
                "{} — policy {}: coverage {:.1} of {:.1}, {} members, weighted arrival {:.1} h\n",
                plan.operation,
                policy.id(),
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
    }
}
