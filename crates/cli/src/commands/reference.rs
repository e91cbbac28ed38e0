//! `easf forum ...` and `easf member ...`: the reference queries, printed
//! as tables or as the API's JSON.

use server::dto::{
    CombinationDto, ComparisonDto, ForumDetail, ForumList, ForumMembers, MemberDto, MemberProfile,
    MemberRef,
};

use crate::args::{ForumCommand, MemberCommand, NodeArgs, QueryArgs};
use crate::node;
use crate::output::{Table, json, text};

fn date(q: &QueryArgs) -> chrono::NaiveDate {
    q.as_of.unwrap_or_else(node::today)
}

fn forum_table(list: &ForumList) -> anyhow::Result<()> {
    let mut t = Table::new(&[
        "id",
        "name",
        "kind",
        "status",
        "established",
        "members",
        "functions",
    ]);
    for f in &list.forums {
        t.row([
            f.id.clone(),
            shorten(&f.name, 44),
            f.kind.clone(),
            f.status.clone(),
            f.established
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            f.member_count.to_string(),
            f.functions.join(","),
        ]);
    }
    t.print()?;
    text(&format!(
        "{} forums as of {}",
        list.forums.len(),
        list.as_of
    ))
}

/// Cuts long names so that a table fits a terminal; `--json` has them whole.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn member_table(members: &[MemberRef]) -> Table {
    let mut t = Table::new(&["code", "name"]);
    for m in members {
        t.row([m.code.clone(), m.name.clone()]);
    }
    t
}

pub(crate) async fn forum(node: &NodeArgs, cmd: ForumCommand) -> anyhow::Result<()> {
    let (_store, data) = node::open_with_reference(node).await?;
    match cmd {
        ForumCommand::List {
            function,
            members,
            query,
        } => {
            let as_of = date(&query);
            let members: Vec<&str> = members.iter().map(String::as_str).collect();
            let forums = data.forums_for(function, &members, as_of)?;
            let list = ForumList::new(&data, &forums, as_of);
            if query.json {
                json(&list)
            } else {
                forum_table(&list)
            }
        }
        ForumCommand::Show { forum, query } => {
            let detail = ForumDetail::new(&data, &forum, date(&query))?;
            if query.json {
                return json(&detail);
            }
            let s = &detail.summary;
            let mut out = format!("{} — {}\n", s.id, s.name);
            out += &format!("  kind:        {} ({})\n", s.kind, s.status);
            if let Some(e) = s.established {
                out += &format!("  established: {e}\n");
            }
            if let Some(e) = s.ended {
                out += &format!("  ended:       {e}\n");
            }
            out += &format!("  functions:   {}\n", s.functions.join(", "));
            out += &format!("  decision:    {}\n", detail.decision);
            if !detail.includes.is_empty() {
                out += &format!(
                    "  includes:    {} — {}\n",
                    detail.includes.join(", "),
                    detail.includes_reason.as_deref().unwrap_or("")
                );
            }
            if let Some(sec) = &detail.secretariat {
                out += &format!("  secretariat: {sec}\n");
            }
            out += &format!("  source:      {}\n", detail.source);
            if let Some(n) = &detail.notes {
                out += &format!("  notes:       {n}\n");
            }
            out += &format!(
                "\n{} members as of {}{}:\n",
                detail.members.len(),
                detail.as_of,
                if detail.exists_on_date {
                    ""
                } else {
                    " (the forum did not exist on that date)"
                }
            );
            text(&out)?;
            member_table(&detail.members).print()
        }
        ForumCommand::Members { forum, query } => {
            let as_of = date(&query);
            let dto = ForumMembers::new(&data, &forum, as_of)?;
            if query.json {
                return json(&dto);
            }
            member_table(&dto.members).print()?;
            text(&format!(
                "{} members of {} as of {}",
                dto.members.len(),
                dto.forum,
                as_of
            ))
        }
        ForumCommand::Compare {
            first,
            second,
            query,
        } => {
            let as_of = date(&query);
            let c = data.compare(&first, &second, as_of)?;
            let a = data.forum(&first)?.id.to_string();
            let b = data.forum(&second)?.id.to_string();
            let dto = ComparisonDto::new(&data, &a, &b, as_of, &c);
            if query.json {
                return json(&dto);
            }
            let mut t = Table::new(&["in", "code", "name"]);
            for (label, list) in [
                ("both", &dto.both),
                (a.as_str(), &dto.only_first),
                (b.as_str(), &dto.only_second),
            ] {
                let label = if label == "both" {
                    "both".to_owned()
                } else {
                    format!("only {label}")
                };
                for m in list {
                    t.row([label.clone(), m.code.clone(), m.name.clone()]);
                }
            }
            t.print()?;
            text(&format!(
                "as of {as_of}: {} in both, {} only in {a}, {} only in {b}",
                dto.both.len(),
                dto.only_first.len(),
                dto.only_second.len()
            ))
        }
        ForumCommand::Combine { op, forums, query } => {
            let as_of = date(&query);
            let names: Vec<&str> = forums.iter().map(String::as_str).collect();
            let dto = CombinationDto::new(&data, op, &names, as_of)?;
            if query.json {
                return json(&dto);
            }
            member_table(&dto.members).print()?;
            text(&format!(
                "{} members: {} of {} as of {as_of}",
                dto.members.len(),
                dto.op,
                dto.forums.join(", ")
            ))
        }
    }
}

pub(crate) async fn member(node: &NodeArgs, cmd: MemberCommand) -> anyhow::Result<()> {
    let (_store, data) = node::open_with_reference(node).await?;
    match cmd {
        MemberCommand::List { json: j } => {
            let members: Vec<MemberDto> = data.members().map(MemberDto::from).collect();
            if j.json {
                return json(&members);
            }
            let mut t = Table::new(&["code", "name", "kind", "iso3166"]);
            for m in &members {
                t.row([
                    m.code.clone(),
                    m.name.clone(),
                    m.kind.clone(),
                    if m.iso3166 { "yes" } else { "no" }.into(),
                ]);
            }
            t.print()
        }
        MemberCommand::Show { code, query } => {
            let as_of = date(&query);
            let member = data.member(&code)?;
            let entries = data.profile(&code)?;
            let profile = MemberProfile::new(&data, member, &entries, as_of);
            if query.json {
                return json(&profile);
            }
            text(&format!(
                "{} — {} ({}{})\nmember of {} forums as of {as_of}\n",
                profile.member.code,
                profile.member.name,
                profile.member.kind,
                if profile.member.iso3166 {
                    ""
                } else {
                    ", code not ISO 3166"
                },
                profile.current.len()
            ))?;
            let mut t = Table::new(&["forum", "status", "from", "until", "via", "now"]);
            for e in &profile.history {
                for p in &e.periods {
                    t.row([
                        e.forum.clone(),
                        e.status.clone(),
                        p.from.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                        p.to.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                        p.via.clone().unwrap_or_else(|| "-".into()),
                        if profile.current.contains(&e.forum) {
                            "yes"
                        } else {
                            ""
                        }
                        .into(),
                    ]);
                }
            }
            t.print()
        }
        MemberCommand::Forums { code, query } => {
            let as_of = date(&query);
            let forums = data.forums_of(&code, as_of)?;
            let list = ForumList::new(&data, &forums, as_of);
            if query.json {
                json(&list)
            } else {
                forum_table(&list)
            }
        }
    }
}
