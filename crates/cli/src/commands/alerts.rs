//! `easf mda detect --post`: detections become signed `mda.alert` records
//! on the node, through the same ledger and checks as `easf report import`.

use std::fmt;

use anyhow::{Context, anyhow, bail};
use model::{Audience, Distribution, DistributionError, ForumId, MemberCode, Tlp};
use server::routes::reports::check_shared;

use crate::args::NodeArgs;
use crate::node;
use crate::record_args::AsMember;

use super::records::{acting_member, random_bits};

/// What posting did.
pub(crate) struct Posted {
    detections: usize,
    added: usize,
    already_present: usize,
    rejected: Vec<String>,
    member: MemberCode,
}

impl fmt::Display for Posted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "posted as {}: {} detections, {} alerts added, {} already present, {} rejected",
            self.member,
            self.detections,
            self.added,
            self.already_present,
            self.rejected.len()
        )?;
        for reason in &self.rejected {
            write!(f, "\n  rejected: {reason}")?;
        }
        Ok(())
    }
}

/// Reads `--audience`: all-members, originator, public, forum:ID,
/// group:ID or members:A,B.
pub(crate) fn parse_audience(text: &str) -> anyhow::Result<Audience> {
    let (kind, rest) = match text.split_once(':') {
        Some((k, r)) => (k, Some(r)),
        None => (text, None),
    };
    Ok(match (kind, rest) {
        ("all-members", None) => Audience::AllMembers,
        ("originator", None) => Audience::Originator,
        ("public", None) => Audience::Public,
        ("forum", Some(id)) => Audience::Forum {
            forum: ForumId::parse(id).map_err(|e| anyhow!("--audience forum:{id}: {e}"))?,
        },
        ("group", Some(id)) if !id.trim().is_empty() => Audience::Group {
            group: id.trim().to_owned(),
        },
        ("members", Some(list)) => Audience::Members {
            members: list
                .split(',')
                .map(|m| {
                    m.trim()
                        .parse::<MemberCode>()
                        .map_err(|e| anyhow!("--audience members: {m:?}: {e}"))
                })
                .collect::<anyhow::Result<_>>()?,
        },
        _ => bail!(
            "--audience {text:?} is not one of all-members, originator, public, forum:ID, group:ID, members:A,B"
        ),
    })
}

/// The distribution of one alert: its TLP label with the chosen audience,
/// narrowed to the originator when the label forbids a group audience.
fn distribution(tlp: Tlp, audience: &Audience) -> Result<Distribution, DistributionError> {
    match Distribution::new(tlp, audience.clone()) {
        Err(DistributionError::RedToGroup) => Distribution::new(tlp, Audience::Originator),
        other => other,
    }
}

/// Stores `detections` as alerts owned by `--as` (else the node's member).
pub(crate) async fn post(
    node: &NodeArgs,
    who: &AsMember,
    audience: Option<&str>,
    detections: &[mda::Detection],
) -> anyhow::Result<Posted> {
    let audience = match audience {
        Some(text) => parse_audience(text)?,
        None => Audience::AllMembers,
    };
    let (store, data) = node::open_with_reference(node).await?;
    let member = acting_member(&store, &data, who).await?;
    let groups = store.sharing_groups().await?;
    let now = chrono::Utc::now();
    let mut drafts = Vec::with_capacity(detections.len());
    let mut rejected = Vec::new();
    for d in detections {
        let what = format!("{} {}", d.kind.name(), d.record_key());
        let dist = distribution(d.tlp, &audience)
            .with_context(|| format!("--audience cannot carry a TLP:{} alert", d.tlp))?;
        match d.to_draft(dist) {
            Ok(draft) => match check_shared(&draft, &data, &groups, now) {
                Ok(()) => drafts.push(draft),
                // The audience is the same for every alert: a bad forum or
                // group is the caller's mistake, not the alert's.
                Err(e) if e.field() == Some("distribution.audience") => bail!("--audience: {e}"),
                Err(e) => rejected.push(format!("{what}: {e}")),
            },
            Err(e) => rejected.push(format!("{what}: {e}")),
        }
    }
    let ledger = node::open_ledger(node, &store, true).await?;
    let actor = node::console_actor("mda detect --post");
    let outcome = ledger
        .import(member, drafts, &actor, now, random_bits, |_| {})
        .await?;
    Ok(Posted {
        detections: detections.len(),
        added: outcome.added,
        already_present: outcome.already_present,
        rejected,
        member,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_parse_and_bad_ones_are_named() {
        assert_eq!(parse_audience("all-members").unwrap(), Audience::AllMembers);
        assert!(matches!(
            parse_audience("forum:NEA-Forum").unwrap(),
            Audience::Forum { .. }
        ));
        let Audience::Members { members } = parse_audience("members:JPN, KOR").unwrap() else {
            panic!("not members");
        };
        assert_eq!(members.len(), 2);
        for bad in ["everyone", "forum:", "members:JPN,??", "group: "] {
            let e = parse_audience(bad).unwrap_err().to_string();
            assert!(e.contains("--audience"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_red_alert_goes_to_the_originator_only() {
        let d = distribution(Tlp::Red, &Audience::AllMembers).unwrap();
        assert_eq!(d.audience(), &Audience::Originator);
        let d = distribution(Tlp::Amber, &Audience::AllMembers).unwrap();
        assert_eq!(d.audience(), &Audience::AllMembers);
        assert!(distribution(Tlp::Amber, &Audience::Public).is_err());
    }
}
