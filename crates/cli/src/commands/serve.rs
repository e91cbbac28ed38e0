//! `easf demo` and `easf serve`: running a node.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use model::{MemberCode, ReferenceData, Role};
use serde::Deserialize;
use server::AppState;
use server::dto::NewTokenRequest;
use store::{NewUser, Store};

use crate::args::{NodeArgs, ServeArgs};
use crate::node;

/// The demo's users: a handful of members and every role.
const DEMO_USERS: [(&str, Role, &str); 6] = [
    ("JPN", Role::Analyst, "Japan Coast Guard"),
    ("CHN", Role::Viewer, "Ministry of Emergency Management"),
    ("KOR", Role::Coordinator, "Korea Coast Guard"),
    ("PHL", Role::Analyst, "Philippine Coast Guard"),
    ("USA", Role::Viewer, "US Coast Guard"),
    ("IDN", Role::Admin, "EASF secretariat liaison, BNPB"),
];

fn init_logging(format: &str) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("EASF_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match format {
        "json" => builder.json().try_init(),
        "text" => builder.try_init(),
        other => bail!("unknown log format {other:?}: expected text or json"),
    };
    // Already initialised (tests calling twice) is not an error worth stopping for.
    let _ = result;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(
    ledger: store::Ledger,
    data: ReferenceData,
    addr: SocketAddr,
    started: Instant,
) -> anyhow::Result<()> {
    let store = ledger.store().clone();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!(address = %local, ready_ms = started.elapsed().as_millis() as u64, "node ready");
    server::serve(listener, AppState::new(ledger, data), shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents).with_context(|| format!("cannot write {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Makes sure every demo user exists and has a working token in the
/// tokens file; reuses what is there.
async fn demo_tokens(
    store: &Store,
    data: &ReferenceData,
    file: &Path,
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut tokens: BTreeMap<String, String> = match std::fs::read_to_string(file) {
        Ok(s) => serde_json::from_str(&s).unwrap_or_default(),
        Err(_) => BTreeMap::new(),
    };
    let actor = node::console_actor("demo");
    let mut changed = false;
    for (member, role, agency) in DEMO_USERS {
        let name = format!("{member}/{role}");
        let valid = match tokens.get(&name) {
            Some(t) => store
                .authenticate(&model::token_hash(t), node::now_ms())
                .await?
                .is_some_and(|(u, _)| u.name == name),
            None => false,
        };
        if valid {
            continue;
        }
        let user = match store.user_by_name(&name).await {
            Ok(u) => u,
            Err(store::StoreError::NotFound(_)) => {
                let code = data.member(member)?.code;
                store
                    .add_user(
                        &NewUser {
                            name: name.clone(),
                            member: MemberCode::parse(code.as_str())?,
                            agency: agency.into(),
                            role,
                        },
                        &actor,
                        node::now_ms(),
                    )
                    .await?
            }
            Err(e) => return Err(e.into()),
        };
        let req = NewTokenRequest {
            label: Some("demo".into()),
            expires_in_days: None,
        };
        let issued =
            server::routes::admin::issue_token_for(store, &user, &req, &actor, node::now_ms())
                .await?;
        tokens.insert(name, issued.token);
        changed = true;
    }
    if changed {
        write_private(file, &serde_json::to_string_pretty(&tokens)?)?;
    }
    Ok(tokens)
}

pub(crate) async fn demo(data_dir: &Path, port: u16) -> anyhow::Result<()> {
    let started = Instant::now();
    init_logging("text")?;
    let node_args = NodeArgs {
        data_dir: Some(data_dir.to_path_buf()),
        database: None,
    };
    let store = node::open(&node_args, true).await?;
    let data = node::ensure_reference(&store, &node::console_actor("demo")).await?;
    let token_file = data_dir.join("demo-tokens.json");
    let tokens = demo_tokens(&store, &data, &token_file).await?;
    let ledger = node::open_ledger(&node_args, &store, true).await?;
    // The demo node is Indonesia's: its liaison is the demo admin.
    set_node_member(&store, &data, Some("IDN"), "demo").await?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let example = tokens.get("JPN/analyst").cloned().unwrap_or_default();
    eprintln!(
        "\nEASF demo node\n  data:    {dir}\n  API:     http://{addr}/api/v1  (OpenAPI: /api/v1/openapi.json)\n  health:  http://{addr}/healthz\n  tokens:  {tokens} ({n} demo users)\n\nTry:\n  curl -H 'Authorization: Bearer {example}' 'http://{addr}/api/v1/forums/eas/members?as_of=2012-06-01'\n  easf --data-dir {dir} forum list\n\nCtrl-C stops the node.\n",
        dir = data_dir.display(),
        tokens = token_file.display(),
        n = tokens.len(),
    );
    run(ledger, data, addr, started).await
}

/// Records the node's own member the first time one is given; a later,
/// different one is refused, since records already carry the first.
async fn set_node_member(
    store: &Store,
    data: &ReferenceData,
    member: Option<&str>,
    command: &str,
) -> anyhow::Result<()> {
    let Some(code) = member else { return Ok(()) };
    let code = data.member(code)?.code;
    match store.node_member().await? {
        None => {
            store
                .set_node_member(code, &node::console_actor(command), node::now_ms())
                .await?
        }
        Some(existing) if existing != code => {
            bail!("this node belongs to {existing}; it cannot become {code}")
        }
        Some(_) => {}
    }
    Ok(())
}

/// The `easf serve` config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeConfig {
    database: Option<String>,
    data_dir: Option<PathBuf>,
    listen: Option<SocketAddr>,
    log_format: Option<String>,
    /// The member this node belongs to (set on first start).
    member: Option<String>,
}

pub(crate) async fn serve(node: &NodeArgs, args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let config: ServeConfig = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read config {}", path.display()))?;
            toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?
        }
        None => ServeConfig::default(),
    };
    init_logging(
        args.log_format
            .as_deref()
            .or(config.log_format.as_deref())
            .unwrap_or("text"),
    )?;
    let node_args = NodeArgs {
        data_dir: node.data_dir.clone().or(config.data_dir),
        database: node.database.clone().or(config.database),
    };
    let addr = args
        .listen
        .or(config.listen)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let store = node::open(&node_args, true).await?;
    let data = node::ensure_reference(&store, &node::console_actor("serve")).await?;
    tracing::info!(database = %store::redact(&node::database_url(&node_args)), backend = store.backend().as_str(), "database open");
    let ledger = node::open_ledger(&node_args, &store, true).await?;
    let member = std::env::var("EASF_NODE_MEMBER").ok().or(config.member);
    set_node_member(&store, &data, member.as_deref(), "serve").await?;
    run(ledger, data, addr, started).await
}
