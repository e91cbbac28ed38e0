//! Reading piracy report fields out of free text: ASAM's hostility and
//! victim columns and the narrative descriptions of both data sets.
//!
//! Everything here is keyword matching, deliberately simple so that the
//! rules can be listed in docs/DATA.md and checked by hand. It fills a field
//! only when the text says so; a field the text does not settle stays empty.

use crate::report::{AttackType, CrewHarm, PiracyReport, Severity, ShipStatus, Weapons};

/// What an ASAM hostility value says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hostility {
    /// The value names what happened; it decides the attack type.
    Act(AttackType),
    /// The value names only who did it (pirates, robbers, a speedboat) or
    /// is empty; the description decides.
    Actor,
    /// The value names a state, military, political or criminal act that is
    /// not piracy or armed robbery; the description may still show a
    /// boarding or firing, otherwise the type is `other`.
    NonPiracy,
}

/// The hostility mapping table, applied in order to the lower-cased value;
/// the first row with a keyword contained in the value wins. Values that
/// match no row are [`Hostility::Actor`]. Misspellings present in the data
/// ("suspicous", "theift", "appraoch") are listed with the right spelling.
pub(crate) const HOSTILITY_TABLE: &[(&[&str], Hostility)] = &[
    (&["hijack"], Hostility::Act(AttackType::Hijacked)),
    (
        &["kidnap", "hostage"],
        Hostility::Act(AttackType::Kidnapping),
    ),
    (&["fired", "shots"], Hostility::Act(AttackType::FiredUpon)),
    (
        &["attempted board", "attempt to board", "attempted to board"],
        Hostility::Act(AttackType::Attempted),
    ),
    (&["boarder"], Hostility::Actor),
    (
        &["boarding", "boarded", "onboard", "entered the engine"],
        Hostility::Act(AttackType::Boarded),
    ),
    (&["attempt"], Hostility::Act(AttackType::Attempted)),
    (&["suspected", "suspect "], Hostility::Actor),
    (
        &[
            "suspic",
            "suspis",
            "suspec",
            "suspip",
            "sucpic",
            "siusp",
            "suspc",
            "sus[",
            "approach",
            "appraoch",
            "approached",
            "stalker",
            "pursu",
        ],
        Hostility::Act(AttackType::SuspiciousApproach),
    ),
    (
        &["robbery", "theft", "theift", "stolen", "assault"],
        Hostility::Act(AttackType::Robbery),
    ),
    (
        &["detained", "seized"],
        Hostility::Act(AttackType::Detained),
    ),
    (
        &[
            "military",
            "navy",
            "naval",
            "warship",
            "coast guard",
            "authorities",
            "government",
            "forces",
            "patrol",
            "gunboat",
            "gun boat",
            "soldier",
            "customs",
            "border vessel",
            "iran",
            "iraq",
            "syria",
            "ethiopia",
            "tunisia",
            "north korea",
            "equatorial guinea",
            "republic of yemen",
            "vietnamese",
            "protest",
            "activist",
            "greenpeace",
            "stowaway",
            "stow away",
            "immigrant",
            "smuggl",
            "mutiny",
            "explosion",
            "terroris",
            "suicide",
            "rebel",
            "guerrilla",
            "militant",
            "militia",
            "liberation",
            "separatist",
            "ltte",
            "polisario",
            "farc",
            "eplf",
            "extremist",
            "saboteur",
            "christian",
            "villagers",
            "poachers",
            "shipyard workers",
            "community",
            "movement",
            "front",
            "mothership",
        ],
        Hostility::NonPiracy,
    ),
];

/// Classifies an ASAM hostility value by [`HOSTILITY_TABLE`].
pub(crate) fn hostility(value: &str) -> Hostility {
    let v = value.to_lowercase();
    HOSTILITY_TABLE
        .iter()
        .find(|(keys, _)| keys.iter().any(|k| v.contains(k)))
        .map_or(Hostility::Actor, |&(_, h)| h)
}

/// The attack type a description shows, in order of precedence: the most
/// serious act described wins, then boarding over firing over an attempt
/// over an approach.
pub(crate) fn attack_from_description(d: &Lower) -> Option<AttackType> {
    if d.any(&["attempted to hijack", "attempted hijack"]) {
        return Some(AttackType::Attempted);
    }
    if d.affirms(&["hijack"]) {
        return Some(AttackType::Hijacked);
    }
    if d.affirms(&["kidnap", "abduct"]) {
        return Some(AttackType::Kidnapping);
    }
    if d.affirms(&[
        "boarded",
        "boarding the",
        "climbed on",
        "gained access",
        "robbed",
        "sighted in the",
        "sighted on board",
        "sighted onboard",
        "spotted on board",
        "spotted onboard",
        "afterdeck",
        "poop deck",
        "in the engine room",
        "in the steering",
        "evidence of intruders",
    ]) {
        return Some(if stolen(d) {
            AttackType::Robbery
        } else {
            AttackType::Boarded
        });
    }
    if stolen(d) {
        // Something was taken from the ship, so someone was on it.
        return Some(AttackType::Robbery);
    }
    if d.affirms(&[
        "fired upon",
        "fired on",
        "fired at",
        "opened fire",
        "shot at",
        "fired shots",
        "fired with",
        "fired several",
        "fired a",
    ]) {
        return Some(AttackType::FiredUpon);
    }
    if d.affirms(&["pirated"]) {
        // NATO shipping centre usage off Somalia: "pirated" is a hijacking,
        // "attacked" an attack that did not succeed.
        return Some(AttackType::Hijacked);
    }
    if d.any(&[
        "attempted to board",
        "attempted boarding",
        "attempt to board",
        "attempting to board",
        "tried to board",
        "trying to board",
        "attempted to climb",
        "boarding was attempted",
        "chased",
        "pursued",
        "repelled",
        "aborted",
        "prevented",
        "thwarted",
        "foiled",
        "attacked",
        "attack ",
    ]) {
        return Some(AttackType::Attempted);
    }
    if d.any(&["approach", "suspicious", "mothership"]) {
        return Some(AttackType::SuspiciousApproach);
    }
    None
}

/// Text lower-cased once, with the negation-aware search the rules need.
pub(crate) struct Lower(String);

impl Lower {
    pub(crate) fn new(text: &str) -> Lower {
        Lower(text.to_lowercase())
    }

    /// Whether any keyword occurs.
    pub(crate) fn any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| self.0.contains(k))
    }

    /// Whether any keyword occurs without a negation shortly before it in
    /// the same sentence ("no crew were injured", "nothing was stolen").
    pub(crate) fn affirms(&self, keys: &[&str]) -> bool {
        keys.iter().any(|k| {
            self.0
                .match_indices(k)
                .any(|(at, _)| !negated(&self.0[..at]))
        })
    }
}

/// How far back a negation may sit from the word it negates, in bytes.
const NEGATION_REACH: usize = 40;

fn negated(before: &str) -> bool {
    let mut start = before.len().saturating_sub(NEGATION_REACH);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let window = &before[start..];
    // Only the current sentence counts.
    let window = window.rsplit(['.', ';']).next().unwrap_or(window);
    [
        "no ", "not ", "nothing", "without", "none", "never", "n't ", "unable", "failed",
    ]
    .iter()
    .any(|n| window.contains(n))
}

fn stolen(d: &Lower) -> bool {
    d.affirms(&[
        "stole",
        "robbed",
        "took ",
        "escaped with",
        "theft",
        "looted",
        "were missing",
        "was missing",
    ]) && !d.any(&[
        "empty-handed",
        "empty handed",
        "nothing stolen",
        "nothing was stolen",
    ])
}

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("a", 1),
    ("one", 1),
    ("single", 1),
    ("lone", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("twenty", 20),
    ("thirty", 30),
];

const PERPETRATOR_NOUNS: &[&str] = &[
    "robber",
    "pirate",
    "person",
    "men",
    "perpetrator",
    "individual",
    "attacker",
    "intruder",
    "thie",
    "assailant",
    "suspect",
    "gunmen",
    "criminal",
    "kidnapper",
    "hijacker",
    "boarder",
    "bandit",
    "militant",
];

/// The first "<number> [armed] robbers"-like phrase: a number word or
/// numeral followed within two words by a perpetrator noun.
pub(crate) fn perpetrators(d: &Lower) -> Option<u32> {
    let words: Vec<&str> =
        d.0.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
    for (i, w) in words.iter().enumerate() {
        let n = NUMBER_WORDS
            .iter()
            .find(|(name, _)| name == w)
            .map(|&(_, n)| n)
            .or_else(|| {
                (w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| w.parse().ok())
                    .flatten()
            });
        let Some(n) = n else { continue };
        if n == 0 {
            continue;
        }
        let next = words.iter().skip(i + 1).take(2);
        let found = next.clone().any(|x| {
            PERPETRATOR_NOUNS
                .iter()
                .any(|noun| x.starts_with(noun) && x.len() <= noun.len() + 3)
        });
        // "a robber" counts; "a crew member ... men" does not, so the
        // article must be directly before the noun.
        let direct = words.get(i + 1).is_some_and(|x| {
            PERPETRATOR_NOUNS
                .iter()
                .any(|noun| x.starts_with(noun) && x.len() <= noun.len() + 3)
        });
        if found && (*w != "a" || direct) {
            return Some(n);
        }
    }
    None
}

/// The most dangerous weapon mentioned.
pub(crate) fn weapons(d: &Lower) -> Option<Weapons> {
    if d.affirms(&[
        "gun",
        "rifle",
        "firearm",
        "pistol",
        "ak-47",
        "ak47",
        "rpg",
        "rocket",
        "fired",
        "shot",
        "automatic weapon",
    ]) {
        Some(Weapons::Guns)
    } else if d.affirms(&["knife", "knives", "machete", "parang", "sword", "sharp"]) {
        Some(Weapons::Knives)
    } else if d.affirms(&[
        "iron bar",
        "iron rod",
        "crowbar",
        "stick",
        "club",
        "explosive",
    ]) {
        Some(Weapons::Other)
    } else if d.any(&["unarmed", "no weapons", "not armed", "no weapon"]) {
        Some(Weapons::None)
    } else {
        None
    }
}

/// Harm to the crew, most serious first; `[none]` when the text says the
/// crew were safe and nothing worse is mentioned.
pub(crate) fn crew_harm(d: &Lower) -> Vec<CrewHarm> {
    let rules: &[(&[&str], CrewHarm)] = &[
        (
            &["killed", "died", "dead", "murdered", "fatal"],
            CrewHarm::Killed,
        ),
        (&["kidnap", "abduct"], CrewHarm::Kidnapped),
        (&["hostage"], CrewHarm::TakenHostage),
        (&["injur", "wounded", "stab"], CrewHarm::Injured),
        (
            &["assault", "beat", "punched", "hit the", "attacked the crew"],
            CrewHarm::Assaulted,
        ),
        (&["tied up", "threatened", "held at"], CrewHarm::Threatened),
        (
            &[
                "crew missing",
                "crew are missing",
                "crew remain missing",
                "crewmembers missing",
            ],
            CrewHarm::Missing,
        ),
    ];
    let harm: Vec<CrewHarm> = rules
        .iter()
        .filter(|(keys, _)| d.affirms(keys))
        .map(|&(_, h)| h)
        .collect();
    if harm.is_empty()
        && d.any(&[
            "crew were safe",
            "crew are safe",
            "crew is safe",
            "crew safe",
            "crew reported safe",
            "crew were unharmed",
            "no injuries",
            "not injured",
            "were injured",
            "no crew were hurt",
            "no one was hurt",
        ])
    {
        // "were injured" without an affirmed injury can only be the
        // negated "no crew members were injured".
        return vec![CrewHarm::None];
    }
    harm
}

/// Phrases naming what was stolen: the words after "stole" or "stolen", up
/// to the end of the clause, at most eight words.
pub(crate) fn items_stolen(d: &Lower) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for key in ["stole ", "stolen "] {
        for (at, _) in d.0.match_indices(key) {
            if negated(&d.0[..at]) {
                continue;
            }
            let rest = &d.0[at + key.len()..];
            let end = rest
                .find(['.', ',', ';', ':', '(', '\n'])
                .unwrap_or(rest.len());
            let clause = &rest[..end];
            let clause = [
                " and ", " before ", " from ", " then ", " after ", " while ",
            ]
            .iter()
            .filter_map(|stop| clause.find(stop))
            .min()
            .map_or(clause, |i| &clause[..i]);
            let words: Vec<&str> = clause
                .split_whitespace()
                .skip_while(|w| ["the", "a", "an", "some", "their", "its"].contains(w))
                .take(8)
                .collect();
            let phrase = words.join(" ");
            // "were stolen" leaves nothing after it, and "stolen by" names
            // no item.
            if phrase.is_empty() || phrase.starts_with("by ") || phrase == "by" {
                continue;
            }
            if !items.contains(&phrase) {
                items.push(phrase);
            }
        }
    }
    items
}

/// The ship's status as the text first states it.
pub(crate) fn status(d: &Lower) -> Option<ShipStatus> {
    let rules: &[(&[&str], ShipStatus)] = &[
        (
            &["anchored", "at anchor", "anchorage"],
            ShipStatus::Anchored,
        ),
        (
            &["berthed", "alongside", "moored", "at berth"],
            ShipStatus::Berthed,
        ),
        (
            &["underway", "under way", "steaming", "transiting", "sailing"],
            ShipStatus::Underway,
        ),
        (&["drifting", "adrift"], ShipStatus::Drifting),
    ];
    rules
        .iter()
        .filter_map(|(keys, s)| {
            keys.iter()
                .filter_map(|k| d.0.find(k))
                .min()
                .map(|at| (at, *s))
        })
        .min_by_key(|&(at, _)| at)
        .map(|(_, s)| s)
}

/// Ship types recognised at the start of a victim description, longest
/// first so that "chemical tanker" wins over "tanker".
const SHIP_TYPES: &[&str] = &[
    "offshore supply vessel",
    "general cargo ship",
    "general cargo vessel",
    "crude oil tanker",
    "oil products tanker",
    "chemical tanker",
    "product tanker",
    "products tanker",
    "container ship",
    "container vessel",
    "bulk carrier",
    "cargo vessel",
    "cargo ship",
    "fishing vessel",
    "fishing boat",
    "fishing trawler",
    "sailing yacht",
    "sailing vessel",
    "research vessel",
    "supply vessel",
    "passenger ship",
    "passenger boat",
    "vehicle carrier",
    "heavy lift vessel",
    "merchant vessel",
    "merchant tug",
    "motor vessel",
    "landing craft",
    "oil tanker",
    "lpg tanker",
    "lng tanker",
    "lpg carrier",
    "lng carrier",
    "gas carrier",
    "car carrier",
    "ro-ro",
    "tug boat",
    "tugboat",
    "tanker",
    "trawler",
    "dredger",
    "barge",
    "yacht",
    "ferry",
    "dhow",
    "reefer",
    "catamaran",
    "tug",
    "vessel",
    "ship",
    "boat",
];

/// Types too generic to record.
const GENERIC_TYPES: &[&str] = &["vessel", "ship", "boat", "merchant vessel", "motor vessel"];

/// Name prefixes that stand for a type of ship.
const NAME_PREFIXES: &[&str] = &["m/v ", "m/t ", "f/v ", "s/v ", "mv ", "mt ", "m.v. "];

/// What a victim column or a "the X-flagged tanker NAME" phrase says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Victim {
    pub(crate) name: Option<String>,
    pub(crate) ship_type: Option<String>,
    pub(crate) flag: Option<String>,
    pub(crate) status: Option<ShipStatus>,
}

/// Splits ASAM's victim text ("Tanzania-flagged tanker BRENTIX",
/// "Anchored tanker PUFFIN PACIFIC", "M/V MADONNA", "BULK CARRIER") into
/// flag, status, type and name.
pub(crate) fn victim(text: &str) -> Victim {
    let mut v = Victim::default();
    let mut rest = text.trim();
    if [
        "",
        "n/a",
        "na",
        "unknown",
        "unknown vessel",
        "unidentified vessel",
    ]
    .contains(&rest.to_lowercase().as_str())
    {
        return v;
    }
    if let Some(i) = rest.find("-flagged ").or_else(|| rest.find("-flag ")) {
        let flag = rest[..i].trim();
        if !flag.is_empty() {
            v.flag = Some(flag.to_owned());
        }
        rest = rest[i..].split_once(' ').map_or("", |(_, r)| r).trim();
    }
    for (word, status) in [
        ("anchored ", ShipStatus::Anchored),
        ("berthed ", ShipStatus::Berthed),
        ("moored ", ShipStatus::Berthed),
        ("underway ", ShipStatus::Underway),
        ("drifting ", ShipStatus::Drifting),
    ] {
        // `get` rather than slicing: the text is outside data and a
        // multi-byte character may sit where an ASCII word would end.
        if rest
            .get(..word.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(word))
        {
            v.status = Some(status);
            rest = rest.get(word.len()..).unwrap_or("").trim_start();
        }
    }
    let lower = rest.to_lowercase();
    if let Some(p) = NAME_PREFIXES.iter().find(|p| lower.starts_with(*p)) {
        // Lower-casing can change byte lengths (İ), so `rest` may not split
        // where `lower` did.
        let name = rest.get(p.len()..).unwrap_or("").trim();
        if !name.is_empty() {
            v.name = Some(name.to_owned());
        }
        return v;
    }
    let found = SHIP_TYPES.iter().find(|t| {
        lower.starts_with(*t)
            && lower[t.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == 's')
    });
    match found {
        Some(t) => {
            if !GENERIC_TYPES.contains(t) {
                v.ship_type = Some((*t).to_owned());
            }
            let after = rest
                .get(t.len()..)
                .unwrap_or("")
                .trim_start_matches('s')
                .trim();
            // A name is written in capitals; lower-case words after the
            // type are more description ("vessel in port"), not a name.
            if !after.is_empty() && !after.chars().any(char::is_lowercase) {
                v.name = Some(after.to_owned());
            }
        }
        None => {
            if !rest.chars().any(char::is_lowercase) && !is_place(&lower) {
                v.name = Some(rest.to_owned());
            }
        }
    }
    v
}

fn is_place(lower: &str) -> bool {
    [
        "shipyard",
        "platform",
        "port",
        "harbor",
        "harbour",
        "fishermen",
        "crew",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// The flag in a "the Panama-flagged bulk carrier" phrase of a description.
pub(crate) fn flag_in(description: &str) -> Option<String> {
    let at = description.find("-flagged")?;
    let before = &description[..at];
    let words: Vec<&str> = before.split_whitespace().collect();
    let mut taken = 0;
    let mut keep = 0;
    for w in words.iter().rev() {
        let upper = w.chars().next().is_some_and(char::is_uppercase);
        if upper {
            taken += 1;
            keep = taken;
        } else if ["and", "the", "of"].contains(w) {
            taken += 1;
        } else {
            break;
        }
        if taken > 6 {
            break;
        }
    }
    if keep == 0 {
        return None;
    }
    let flag = words[words.len() - keep..].join(" ");
    let flag = flag.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    (!flag.is_empty()).then(|| flag.to_owned())
}

/// Fills the fields a narrative description can give, leaving alone those
/// already set from structured columns.
pub(crate) fn enrich(report: &mut PiracyReport, d: &Lower) {
    if report.status.is_none() {
        report.status = status(d);
    }
    report.perpetrators = report.perpetrators.or_else(|| perpetrators(d));
    report.weapons = report.weapons.or_else(|| weapons(d));
    if report.crew_harm.is_empty() {
        report.crew_harm = crew_harm(d);
    }
    if report.items_stolen.is_empty() && report.attack_type != AttackType::Attempted {
        report.items_stolen = items_stolen(d);
    }
    report.severity = severity(report);
}

/// Estimates ReCAAP's category from the fields, taking the first row of
/// [`Severity`]'s table that fits: CAT 1 if the ship was hijacked, crew
/// were kidnapped, held hostage, hurt or killed, or more than nine
/// perpetrators boarded; CAT 2 if they had guns, threatened or tied up the
/// crew, or numbered seven to nine; CAT 3 if they had knives or other
/// weapons, numbered four to six, or stole anything; CAT 4 otherwise.
/// Attempts and other non-actual incidents get none, as in ReCAAP, and so
/// does a boarding about which nothing else is known, rather than a CAT 4
/// the source never supports.
pub(crate) fn severity(r: &PiracyReport) -> Option<Severity> {
    if !r.attack_type.is_actual() {
        return None;
    }
    let known = r.perpetrators.is_some()
        || r.weapons.is_some()
        || !r.crew_harm.is_empty()
        || !r.items_stolen.is_empty();
    if r.attack_type == AttackType::Boarded && !known {
        return None;
    }
    let harmed = r.crew_harm.iter().any(|h| {
        matches!(
            h,
            CrewHarm::Assaulted
                | CrewHarm::Injured
                | CrewHarm::Killed
                | CrewHarm::TakenHostage
                | CrewHarm::Kidnapped
                | CrewHarm::Missing
        )
    });
    let n = r.perpetrators.unwrap_or(0);
    Some(
        if matches!(r.attack_type, AttackType::Hijacked | AttackType::Kidnapping) || harmed || n > 9
        {
            Severity::Cat1
        } else if r.weapons == Some(Weapons::Guns)
            || r.crew_harm.contains(&CrewHarm::Threatened)
            || n >= 7
        {
            Severity::Cat2
        } else if matches!(r.weapons, Some(Weapons::Knives | Weapons::Other))
            || n >= 4
            || !r.items_stolen.is_empty()
            || r.attack_type == AttackType::Robbery
        {
            Severity::Cat3
        } else {
            Severity::Cat4
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn victims() {
        let v = victim("Tanzania-flagged tanker BRENTIX");
        assert_eq!(v.flag.as_deref(), Some("Tanzania"));
        assert_eq!(v.ship_type.as_deref(), Some("tanker"));
        assert_eq!(v.name.as_deref(), Some("BRENTIX"));
        let v = victim("Marshall Islands-flagged bulk carrier MAGNUM ENERG");
        assert_eq!(v.flag.as_deref(), Some("Marshall Islands"));
        assert_eq!(v.ship_type.as_deref(), Some("bulk carrier"));
        let v = victim("Anchored tanker PUFFIN PACIFIC");
        assert_eq!(v.status, Some(ShipStatus::Anchored));
        assert_eq!(v.name.as_deref(), Some("PUFFIN PACIFIC"));
        assert_eq!(victim("M/V MADONNA").name.as_deref(), Some("MADONNA"));
        let v = victim("BULK CARRIER");
        assert_eq!(
            (v.ship_type.as_deref(), v.name),
            (Some("bulk carrier"), None)
        );
        assert_eq!(victim("Vessel"), Victim::default());
        assert_eq!(victim("SHIPYARD"), Victim::default());
        assert_eq!(victim("HORIZON MARU").name.as_deref(), Some("HORIZON MARU"));
    }

    #[test]
    fn hostility_table() {
        assert_eq!(hostility("PIRATES"), Hostility::Actor);
        assert_eq!(hostility(""), Hostility::Actor);
        assert_eq!(hostility("BOARDERS"), Hostility::Actor);
        assert_eq!(hostility("Boarding"), Hostility::Act(AttackType::Boarded));
        assert_eq!(
            hostility("Attempted Boarding"),
            Hostility::Act(AttackType::Attempted)
        );
        assert_eq!(
            hostility("SUSPICOUS APPROACH"),
            Hostility::Act(AttackType::SuspiciousApproach)
        );
        assert_eq!(hostility("Suspected Pirates"), Hostility::Actor);
        assert_eq!(
            hostility("Pirate Hijacking"),
            Hostility::Act(AttackType::Hijacked)
        );
        assert_eq!(hostility("Military activity"), Hostility::NonPiracy);
        assert_eq!(hostility("IRANIAN NAVY"), Hostility::NonPiracy);
    }

    #[test]
    fn descriptions() {
        let d = Lower::new(
            "On 28 May, three robbers armed with knives were sighted in the afterdeck of the \
             bulk carrier underway. The robbers escaped with stolen engine spare parts. \
             The ship and all crew were reported safe.",
        );
        assert_eq!(perpetrators(&d), Some(3));
        assert_eq!(weapons(&d), Some(Weapons::Knives));
        assert_eq!(items_stolen(&d), vec!["engine spare parts".to_owned()]);
        assert_eq!(status(&d), Some(ShipStatus::Underway));
        let d = Lower::new("No crewmembers were injured during the incident.");
        assert_eq!(crew_harm(&d), vec![CrewHarm::None]);
        let d = Lower::new("Pirates fired upon the tanker and injured two crew.");
        assert_eq!(attack_from_description(&d), Some(AttackType::FiredUpon));
        assert_eq!(crew_harm(&d), vec![CrewHarm::Injured]);
        assert_eq!(
            flag_in("the Singapore-flagged tanker PUFFIN").as_deref(),
            Some("Singapore")
        );
        assert_eq!(
            flag_in("the St. Vincent and the Grenadines-flagged ship").as_deref(),
            Some("St. Vincent and the Grenadines")
        );
    }
}
