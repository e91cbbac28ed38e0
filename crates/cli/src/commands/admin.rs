//! `easf db`, `refdata`, `user`, `token` and `audit`: node administration
//! from the console. Every write is audited as `console:<os user>:<command>`.

use anyhow::Context;
use server::dto::{AuditDto, NewTokenRequest, NewUserRequest, TokenDto, UserDto};
use server::routes::admin::{issue_token_for, validate_new_user};

use crate::args::{AuditCommand, DbCommand, NodeArgs, RefdataCommand, TokenCommand, UserCommand};
use crate::node;
use crate::output::{Table, json, text};

pub(crate) async fn db(node: &NodeArgs, cmd: DbCommand) -> anyhow::Result<()> {
    match cmd {
        DbCommand::Migrate => {
            let store = node::open(node, true).await?;
            // `open` already migrated; a second run reports what is pending (nothing).
            let applied = store.migrate().await?;
            text(&format!(
                "database {} ({}) is at the current schema{}",
                store::redact(&node::database_url(node)),
                store.backend().as_str(),
                if applied > 0 {
                    format!("; applied {applied} migrations")
                } else {
                    String::new()
                }
            ))
        }
    }
}

pub(crate) async fn refdata(node: &NodeArgs, cmd: RefdataCommand) -> anyhow::Result<()> {
    match cmd {
        RefdataCommand::Check { dir } => {
            let data = node::read_reference_dir(&dir)?;
            text(&format!(
                "{}: valid — {} members, {} forums, {} membership rows",
                dir.display(),
                data.members().count(),
                data.forums().len(),
                data.memberships().count()
            ))
        }
        RefdataCommand::Load { dir } => {
            let data = match &dir {
                Some(d) => node::read_reference_dir(d)?,
                None => model::EMBEDDED.parse()?,
            };
            let store = node::open(node, true).await?;
            store
                .replace_reference(&data, &node::console_actor("refdata load"), node::now_ms())
                .await?;
            text(&format!(
                "loaded {} members, {} forums, {} membership rows from {} (a running server picks them up on restart)",
                data.members().count(),
                data.forums().len(),
                data.memberships().count(),
                dir.map_or("the built-in data".into(), |d| d.display().to_string())
            ))
        }
    }
}

pub(crate) async fn user(node: &NodeArgs, cmd: UserCommand) -> anyhow::Result<()> {
    let (store, data) = node::open_with_reference(node).await?;
    match cmd {
        UserCommand::Add {
            name,
            member,
            agency,
            role,
            json: j,
        } => {
            let req = NewUserRequest {
                name,
                member,
                agency,
                role,
            };
            let new = validate_new_user(&data, &req)?;
            let user = store
                .add_user(&new, &node::console_actor("user add"), node::now_ms())
                .await?;
            let dto = UserDto::from(&user);
            if j.json {
                return json(&dto);
            }
            text(&format!(
                "created user {} ({} {}, {}), id {}",
                dto.name, dto.member, dto.agency, dto.role, dto.id
            ))
        }
        UserCommand::List { json: j } => {
            let users: Vec<UserDto> = store.users().await?.iter().map(UserDto::from).collect();
            if j.json {
                return json(&users);
            }
            let mut t = Table::new(&["name", "member", "agency", "role", "id"]);
            for u in &users {
                t.row([
                    u.name.clone(),
                    u.member.clone(),
                    u.agency.clone(),
                    u.role.clone(),
                    u.id.clone(),
                ]);
            }
            t.print()
        }
    }
}

fn time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

pub(crate) async fn token(node: &NodeArgs, cmd: TokenCommand) -> anyhow::Result<()> {
    let store = node::open(node, false).await?;
    match cmd {
        TokenCommand::Issue {
            user,
            label,
            expires_in_days,
            json: j,
        } => {
            let user = store.user_by_name(&user).await?;
            let req = NewTokenRequest {
                label: Some(label),
                expires_in_days,
            };
            let issued = issue_token_for(
                &store,
                &user,
                &req,
                &node::console_actor("token issue"),
                node::now_ms(),
            )
            .await?;
            if j.json {
                return json(&issued);
            }
            text(&format!(
                "{}\n\ntoken {} for {} (expires {}). This is the only time it is shown: store it now.",
                issued.token,
                issued.info.id,
                user.name,
                time(issued.info.expires_ms)
            ))
        }
        TokenCommand::Revoke { id } => {
            let info = store
                .revoke_token(&id, &node::console_actor("token revoke"), node::now_ms())
                .await?;
            text(&format!("revoked token {} ({})", info.id, info.label))
        }
        TokenCommand::List { user, json: j } => {
            let user_id = match &user {
                Some(name) => Some(store.user_by_name(name).await?.id),
                None => None,
            };
            let users = store.users().await?;
            let tokens: Vec<TokenDto> = store
                .tokens(user_id.as_deref())
                .await?
                .iter()
                .map(TokenDto::from)
                .collect();
            if j.json {
                return json(&tokens);
            }
            let mut t = Table::new(&["id", "user", "label", "created", "expires", "revoked"]);
            for tok in &tokens {
                let owner = users
                    .iter()
                    .find(|u| u.id == tok.user_id)
                    .map_or("?", |u| u.name.as_str());
                t.row([
                    tok.id.clone(),
                    owner.to_owned(),
                    tok.label.clone(),
                    time(Some(tok.created_ms)),
                    time(tok.expires_ms),
                    time(tok.revoked_ms),
                ]);
            }
            t.print()
        }
    }
}

pub(crate) async fn audit(node: &NodeArgs, cmd: AuditCommand) -> anyhow::Result<()> {
    let store = node::open(node, false).await?;
    match cmd {
        AuditCommand::List { limit, json: j } => {
            anyhow::ensure!((1..=10_000).contains(&limit), "--limit must be 1-10000");
            let events: Vec<AuditDto> = store
                .audit_events(limit, None)
                .await
                .context("cannot read the audit table")?
                .into_iter()
                .map(AuditDto::from)
                .collect();
            if j.json {
                return json(&events);
            }
            let mut t = Table::new(&["id", "time", "actor", "action", "target", "outcome"]);
            for e in &events {
                t.row([
                    e.id.to_string(),
                    time(Some(e.at_ms)),
                    e.actor.clone(),
                    e.action.clone(),
                    e.target.clone(),
                    e.outcome.clone(),
                ]);
            }
            t.print()
        }
    }
}
