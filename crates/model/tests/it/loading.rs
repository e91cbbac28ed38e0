//! The loader names the file, the line and the problem, and loads nothing
//! when anything is wrong.

use model::ReferenceFiles;

const MEMBERS: &str = "code,name,kind,iso3166,source
JPN,Japan,state,yes,https://www.iso.org/obp/ui/#iso:code:3166:JP
KOR,\"Korea, Republic of\",state,yes,https://www.iso.org/obp/ui/#iso:code:3166:KR
CHN,China,state,yes,https://www.iso.org/obp/ui/#iso:code:3166:CN
";

const FORUMS: &str = r#"
[[forum]]
id = "base"
name = "Base"
kind = "regional-forum"
status = "existing"
established = 2000-01-01
functions = ["disaster"]
decision = { rule = "consensus" }
source = "https://example.org/base"

[[forum]]
id = "plus"
name = "Base plus one"
kind = "dialogue"
status = "existing"
established = 2005-01-01
functions = ["piracy"]
decision = { rule = "unanimity", parties = ["JPN", "KOR"] }
includes = ["base"]
includes_reason = "defined as Base members plus China"
source = "https://example.org/plus"
"#;

const MEMBERSHIPS: &str = "forum,member,joined,left,source,note
base,JPN,2000-01-01,,https://example.org/base,
base,KOR,2001-06-01,2010-01-01,https://example.org/base,
plus,CHN,2005-01-01,,https://example.org/plus,
";

fn files<'a>(members: &'a str, forums: &'a str, memberships: &'a str) -> ReferenceFiles<'a> {
    ReferenceFiles {
        members: ("members.csv", members),
        forums: ("forums.toml", forums),
        memberships: ("memberships.csv", memberships),
    }
}

#[track_caller]
fn rejects(files: ReferenceFiles<'_>, expected: &[&str]) {
    let err = files.parse().expect_err("the data should be rejected");
    let text = err.to_string();
    for e in expected {
        assert!(text.contains(e), "expected {e:?} in:\n{text}");
    }
}

#[test]
fn valid_data_loads_and_inclusion_flows_through() {
    let data = files(MEMBERS, FORUMS, MEMBERSHIPS).parse().unwrap();
    let d = |s: &str| s.parse().unwrap();
    // Before `plus` existed nobody belongs to it, even Base members.
    assert!(data.members_of("plus", d("2004-12-31")).unwrap().is_empty());
    let codes = |v: Vec<model::MemberCode>| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(
        codes(data.members_of("plus", d("2006-01-01")).unwrap()),
        ["CHN", "JPN", "KOR"]
    );
    // KOR left Base on 2010-01-01 (first day of non-membership), so it
    // leaves Plus on the same day.
    assert_eq!(
        codes(data.members_of("plus", d("2010-01-01")).unwrap()),
        ["CHN", "JPN"]
    );
    assert_eq!(
        codes(data.members_of("plus", d("2009-12-31")).unwrap()),
        ["CHN", "JPN", "KOR"]
    );
    let profile = data.profile("kor").unwrap();
    assert_eq!(profile.len(), 2);
    assert_eq!(profile[1].periods[0].via.as_ref().unwrap().as_str(), "base");
}

#[test]
fn unknown_member_code_names_file_and_line() {
    let bad = format!("{MEMBERSHIPS}base,XYZ,2001-01-01,,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "unknown member code XYZ"],
    );
}

#[test]
fn overlapping_membership_is_rejected() {
    let bad = format!("{MEMBERSHIPS}base,KOR,2009-01-01,,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "overlaps the one at memberships.csv:3"],
    );
}

#[test]
fn duplicate_membership_is_rejected() {
    let bad = format!("{MEMBERSHIPS}base,JPN,2000-01-01,,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "overlaps"],
    );
}

#[test]
fn dates_out_of_order_are_rejected() {
    let bad = format!("{MEMBERSHIPS}base,CHN,2003-01-01,2002-01-01,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "on or before joining"],
    );
    let bad = format!("{MEMBERSHIPS}base,CHN,1999-01-01,,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["before the forum was established"],
    );
    let bad = format!("{MEMBERSHIPS}base,CHN,2003-02-30,,https://example.org,\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "invalid date \"2003-02-30\""],
    );
}

#[test]
fn forum_defined_from_itself_is_rejected() {
    let bad = FORUMS.replacen(
        "decision = { rule = \"consensus\" }",
        "decision = { rule = \"consensus\" }\nincludes = [\"plus\"]\nincludes_reason = \"loop\"",
        1,
    );
    rejects(
        files(MEMBERS, &bad, MEMBERSHIPS),
        &[
            "forums.toml:2",
            "defined from itself: base includes plus includes base",
        ],
    );
    let own = FORUMS.replace("includes = [\"base\"]", "includes = [\"plus\"]");
    rejects(
        files(MEMBERS, &own, MEMBERSHIPS),
        &["forums.toml:12", "plus includes plus"],
    );
}

#[test]
fn duplicate_member_and_bad_code_are_rejected() {
    let bad = format!("{MEMBERS}JPN,Japan again,state,yes,https://example.org\n");
    rejects(
        files(&bad, FORUMS, MEMBERSHIPS),
        &["members.csv:5", "duplicate member code JPN"],
    );
    let bad = format!("{MEMBERS}J1N,Nowhere,state,yes,https://example.org\n");
    rejects(
        files(&bad, FORUMS, MEMBERSHIPS),
        &["members.csv:5", "invalid member code"],
    );
}

#[test]
fn toml_errors_name_the_line() {
    let bad = FORUMS.replace("kind = \"dialogue\"", "kind = \"club\"");
    rejects(
        files(MEMBERS, &bad, MEMBERSHIPS),
        &["forums.toml:", "unknown variant `club`"],
    );
    let bad = FORUMS.replace(
        "functions = [\"piracy\"]",
        "functions = [\"piracy\"]\ncolour = 1",
    );
    rejects(
        files(MEMBERS, &bad, MEMBERSHIPS),
        &["unknown field `colour`"],
    );
}

#[test]
fn unknown_party_and_missing_reason_are_rejected() {
    let bad = FORUMS.replace("[\"JPN\", \"KOR\"]", "[\"JPN\", \"USA\"]");
    rejects(
        files(MEMBERS, &bad, MEMBERSHIPS),
        &["forums.toml:12", "unknown party USA"],
    );
    let bad = FORUMS.replace(
        "includes_reason = \"defined as Base members plus China\"\n",
        "",
    );
    rejects(
        files(MEMBERS, &bad, MEMBERSHIPS),
        &["gives no includes_reason"],
    );
}

#[test]
fn wrong_field_count_is_reported_not_panicked() {
    let bad = format!("{MEMBERSHIPS}base,CHN\n");
    rejects(
        files(MEMBERS, FORUMS, &bad),
        &["memberships.csv:5", "expected 6 fields, found 2"],
    );
}

#[test]
fn queries_name_unknown_things() {
    let data = files(MEMBERS, FORUMS, MEMBERSHIPS).parse().unwrap();
    let d = "2020-01-01".parse().unwrap();
    assert_eq!(
        data.members_of("nope", d).unwrap_err().to_string(),
        "unknown forum \"nope\""
    );
    assert_eq!(
        data.forums_of("XYZ", d).unwrap_err().to_string(),
        "unknown member \"XYZ\""
    );
}
