//! Wire types of records, searches, the signed log and sharing groups.

use ledger::{Hash, NodePublicKey, SignedTreeHead};
use model::export::timestamp;
use model::record::RecordVersion;
use serde::{Deserialize, Serialize};
use store::{Facets, RecordHistory, ReportPage, StoredRecord};
use utoipa::ToSchema;

/// A record's version as signed, plus where it sits in the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordDto {
    /// The signed version document: id, version, originator, reported_at,
    /// distribution, status, and for a report its kind, function, title,
    /// observed_at, location, place, description, body and source_ref.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub document: RecordVersion,
    /// The version's position in the node's Merkle log.
    pub seq: u64,
    /// When the first version was reported.
    pub created_at: String,
}

impl From<&StoredRecord> for RecordDto {
    fn from(r: &StoredRecord) -> RecordDto {
        RecordDto {
            document: r.version.clone(),
            seq: r.seq,
            created_at: timestamp(r.created),
        }
    }
}

/// Counts of matching records, by function, kind, originator and TLP.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetsDto {
    /// By function id.
    pub function: std::collections::BTreeMap<String, u64>,
    /// By report kind.
    pub kind: std::collections::BTreeMap<String, u64>,
    /// By originating member.
    pub originator: std::collections::BTreeMap<String, u64>,
    /// By TLP label.
    pub tlp: std::collections::BTreeMap<String, u64>,
}

impl From<Facets> for FacetsDto {
    fn from(f: Facets) -> FacetsDto {
        FacetsDto {
            function: f.function,
            kind: f.kind,
            originator: f.originator,
            tlp: f.tlp,
        }
    }
}

/// One page of a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPageDto {
    /// Matching records the caller may see, newest observation first.
    pub items: Vec<RecordDto>,
    /// How many match in all.
    pub total: u64,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Counts, when `facets=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetsDto>,
}

impl From<ReportPage> for ReportPageDto {
    fn from(p: ReportPage) -> ReportPageDto {
        ReportPageDto {
            items: p.items.iter().map(RecordDto::from).collect(),
            total: p.total,
            next: p.next.map(|c| c.to_string()),
            facets: p.facets.map(FacetsDto::from),
        }
    }
}

/// A record with the versions the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordHistoryDto {
    /// The latest version.
    pub record: RecordDto,
    /// Visible versions, oldest first (only the tombstone once retracted).
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<RecordVersion>,
    /// How many versions the log holds.
    pub version_count: u32,
}

impl From<RecordHistory> for RecordHistoryDto {
    fn from(h: RecordHistory) -> RecordHistoryDto {
        RecordHistoryDto {
            record: RecordDto::from(&h.latest),
            versions: h.versions,
            version_count: h.version_count,
        }
    }
}

/// A signed tree head of the node's log, with the key that verifies it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TreeHeadDto {
    /// Leaves covered.
    pub tree_size: u64,
    /// RFC 9162 root hash, hex.
    pub root_hash: String,
    /// When the head was signed, ms since the Unix epoch.
    pub timestamp_ms: u64,
    /// ed25519 signature over the head's 66-byte encoding
    /// ("easf-tree-head-v1\0", size, timestamp, root), hex.
    pub signature: String,
    /// The node's ed25519 public key, hex.
    pub public_key: String,
}

impl TreeHeadDto {
    /// The wire form of `head` signed by `key`.
    pub fn new(head: &SignedTreeHead, key: &NodePublicKey) -> TreeHeadDto {
        TreeHeadDto {
            tree_size: head.head.tree_size,
            root_hash: head.head.root_hash.to_hex(),
            timestamp_ms: head.head.timestamp_ms,
            signature: head.signature.to_hex(),
            public_key: key.to_hex(),
        }
    }
}

/// An RFC 9162 inclusion proof.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InclusionProofDto {
    /// The leaf's index (`seq`).
    pub leaf_index: u64,
    /// The tree size the proof is for.
    pub tree_size: u64,
    /// The leaf hash: SHA-256(0x00 ‖ canonical document).
    pub leaf_hash: String,
    /// Sibling hashes from the leaf up, hex.
    pub audit_path: Vec<String>,
}

/// An RFC 9162 consistency proof.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsistencyProofDto {
    /// The earlier size.
    pub old_size: u64,
    /// The later size.
    pub new_size: u64,
    /// The proof's hashes, hex.
    pub proof: Vec<String>,
}

/// Hashes as hex strings.
pub fn hex_all(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(Hash::to_hex).collect()
}

/// A sharing group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    /// Its id, used in `{"type": "group", "group": ID}` audiences.
    pub id: String,
    /// Its members' codes.
    pub members: Vec<String>,
}

/// A sharing group to create; the caller's member owns it and is in it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupRequest {
    /// 1-64 lower-case letters, digits and hyphens.
    pub id: String,
    /// A descriptive name.
    pub name: String,
    /// Member codes besides the owner.
    pub members: Vec<String>,
}

/// Why a record is retracted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractRequest {
    /// The reason, kept in the log.
    pub reason: String,
}
