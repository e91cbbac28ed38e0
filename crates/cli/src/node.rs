//! Finding and opening a node's database, and loading reference data.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use model::ReferenceData;
use store::{Actor, Store};

use crate::args::NodeArgs;

/// The data directory used when none is given: the demo's.
pub(crate) const DEFAULT_DATA_DIR: &str = "easf-demo";

/// The database URL the arguments point at.
pub(crate) fn database_url(node: &NodeArgs) -> String {
    match &node.database {
        Some(url) => url.clone(),
        None => store::sqlite_url(
            node.data_dir
                .as_deref()
                .unwrap_or(Path::new(DEFAULT_DATA_DIR)),
        ),
    }
}

/// Opens (and migrates) the node's database. For SQLite the data directory
/// must exist unless `create` is set, so that a typo in `--data-dir` is an
/// error rather than a new empty node.
pub(crate) async fn open(node: &NodeArgs, create: bool) -> anyhow::Result<Store> {
    if node.database.is_none() {
        let dir: PathBuf = node
            .data_dir
            .clone()
            .unwrap_or_else(|| DEFAULT_DATA_DIR.into());
        if create {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        } else if !dir.join("easf.db").exists() {
            bail!(
                "no node database in {}: run `easf demo` first, or pass --data-dir DIR or --database URL",
                dir.display()
            );
        }
    }
    let url = database_url(node);
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the node database {}", store::redact(&url)))
}

/// Opens the store and reads its reference data, which must be loaded.
pub(crate) async fn open_with_reference(node: &NodeArgs) -> anyhow::Result<(Store, ReferenceData)> {
    let store = open(node, false).await?;
    let data = store
        .reference()
        .await?
        .context("the node has no reference data: run `easf refdata load`")?;
    Ok((store, data))
}

/// Loads the embedded reference data into an empty node; returns it.
pub(crate) async fn ensure_reference(
    store: &Store,
    actor: &Actor,
) -> anyhow::Result<ReferenceData> {
    if let Some(data) = store.reference().await? {
        return Ok(data);
    }
    let data = model::EMBEDDED
        .parse()
        .context("the reference data built into this binary is invalid")?;
    store.replace_reference(&data, actor, now_ms()).await?;
    Ok(data)
}

/// Reads and validates the three reference files of `dir`.
pub(crate) fn read_reference_dir(dir: &Path) -> anyhow::Result<ReferenceData> {
    let read = |name: &str| -> anyhow::Result<(String, String)> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok((path.display().to_string(), text))
    };
    let members = read("members.csv")?;
    let forums = read("forums.toml")?;
    let memberships = read("memberships.csv")?;
    let files = model::ReferenceFiles {
        members: (&members.0, &members.1),
        forums: (&forums.0, &forums.1),
        memberships: (&memberships.0, &memberships.1),
    };
    Ok(files.parse()?)
}

/// The current time in milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Today's date (UTC).
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The actor for a console command: the operating-system user.
pub(crate) fn console_actor(command: &str) -> Actor {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "operator".into());
    Actor::console(&format!("{who}:{command}"))
}

/// The node's data directory: `--data-dir`, or the demo's by default. It
/// holds the node key even when the database is PostgreSQL.
pub(crate) fn data_dir(node: &NodeArgs) -> PathBuf {
    node.data_dir
        .clone()
        .unwrap_or_else(|| DEFAULT_DATA_DIR.into())
}

/// The node's signing key file inside its data directory.
pub(crate) fn key_path(node: &NodeArgs) -> PathBuf {
    data_dir(node).join("node.key")
}

/// Reads the node's ed25519 key, or with `create` makes one on first start
/// (hex seed, owner-only permissions, never overwritten).
pub(crate) fn node_key(node: &NodeArgs, create: bool) -> anyhow::Result<ledger::NodeKey> {
    let path = key_path(node);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            check_private(&path)?;
            ledger::NodeKey::parse_seed_hex(text.trim())
                .with_context(|| format!("{} is not a node key", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let key = ledger::NodeKey::generate(&mut rand::rngs::OsRng);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            use std::io::Write;
            let mut file = options
                .open(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            file.write_all(hex::encode(key.to_seed()).as_bytes())?;
            file.sync_all()?;
            tracing::info!(path = %path.display(), public_key = %key.public_key().to_hex(), "node key created");
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot read the node key {}: run `easf demo` or `easf serve` once to create it",
                path.display()
            )
        }),
    }
}

/// Refuses a key file others can read: a leaked key lets anyone sign as
/// the node.
fn check_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            bail!(
                "{} is readable by others (mode {:o}); run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Opens the node's signed log over `store` with the node key.
pub(crate) async fn open_ledger(
    node: &NodeArgs,
    store: &Store,
    create: bool,
) -> anyhow::Result<store::Ledger> {
    let key = node_key(node, create)?;
    let name = format!("node-{}", &key.public_key().to_hex()[..8]);
    Ok(store::Ledger::open(store.clone(), key, &name).await?)
}
