//! Replaying stored rows against signed tree heads.

use ledger::audit::{Divergence, StoredRow, find_divergence};
use ledger::{MerkleLog, NodeKey, SignedTreeHead, TreeHead, leaf_hash};

struct Fixture {
    key: NodeKey,
    rows: Vec<Vec<u8>>,
    /// A head after every append: heads[i] covers i + 1 rows.
    heads: Vec<SignedTreeHead>,
}

fn fixture(n: usize) -> Fixture {
    let key = NodeKey::from_seed(&[3; 32]);
    let rows: Vec<Vec<u8>> = (0..n).map(|i| format!("record {i}").into_bytes()).collect();
    let mut log = MerkleLog::new();
    let mut heads = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        log.append(row);
        heads.push(TreeHead::of(&log, 1_000 * i as u64).sign(&key));
    }
    Fixture { key, rows, heads }
}

fn audit(
    rows: &[Vec<u8>],
    hashes: bool,
    heads: &[SignedTreeHead],
    key: &NodeKey,
) -> ledger::audit::AuditReport {
    let rows = rows.iter().enumerate().map(|(i, d)| StoredRow {
        index: i as u64,
        data: d,
        leaf_hash: hashes.then(|| leaf_hash(d)),
    });
    find_divergence(rows, heads, &key.public_key())
}

#[test]
fn untouched_log_is_clean() {
    let f = fixture(20);
    let report = audit(&f.rows, true, &f.heads, &f.key);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.rows, 20);
    assert_eq!(report.heads_verified, 20);
    assert_eq!(report.root, f.heads[19].head.root_hash);
    // Heads in any order, sparse, or none at all.
    let sparse: Vec<_> = f.heads.iter().rev().step_by(7).copied().collect();
    assert!(audit(&f.rows, false, &sparse, &f.key).is_clean());
    assert!(audit(&f.rows, false, &[], &f.key).is_clean());
}

#[test]
fn altered_row_is_named_with_dense_heads() {
    let f = fixture(20);
    let mut rows = f.rows.clone();
    rows[7][0] ^= 1;
    let report = audit(&rows, false, &f.heads, &f.key);
    assert_eq!(
        report.divergence,
        Some(Divergence::Root {
            tree_size: 8,
            verified_size: 7
        })
    );
    assert_eq!(report.divergence.unwrap().suspect_rows(), 7..8);
}

#[test]
fn altered_row_is_bracketed_with_sparse_heads() {
    let f = fixture(20);
    let mut rows = f.rows.clone();
    rows[7][0] ^= 1;
    let sparse = [f.heads[4], f.heads[14], f.heads[19]];
    let report = audit(&rows, false, &sparse, &f.key);
    assert_eq!(report.divergence.unwrap().suspect_rows(), 5..15);
    // A peer's copy of the leaf hashes narrows it to the row.
    let peer = MerkleLog::from_leaf_hashes(f.rows.iter().map(|r| leaf_hash(r)));
    let ours = MerkleLog::from_leaf_hashes(rows.iter().map(|r| leaf_hash(r)));
    assert_eq!(ledger::merkle::first_difference(&peer, &ours), Some(7));
}

#[test]
fn stored_leaf_hash_names_an_altered_row() {
    let f = fixture(10);
    let rows: Vec<StoredRow<'_>> = f
        .rows
        .iter()
        .enumerate()
        .map(|(i, d)| StoredRow {
            index: i as u64,
            data: if i == 4 { b"edited" } else { d },
            leaf_hash: Some(leaf_hash(d)),
        })
        .collect();
    let report = find_divergence(rows, &f.heads, &f.key.public_key());
    assert_eq!(report.divergence, Some(Divergence::LeafHash { index: 4 }));
    assert_eq!(report.rows, 4);
}

#[test]
fn removed_or_reordered_rows() {
    let f = fixture(10);
    // Row 3 deleted, numbering left alone.
    let rows = f
        .rows
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(i, d)| StoredRow {
            index: i as u64,
            data: d,
            leaf_hash: None,
        });
    let report = find_divergence(rows, &f.heads, &f.key.public_key());
    assert_eq!(
        report.divergence,
        Some(Divergence::Sequence {
            position: 3,
            found: 4
        })
    );

    // Row 3 deleted and the rest renumbered: the roots catch it.
    let mut renumbered = f.rows.clone();
    renumbered.remove(3);
    let report = audit(&renumbered, true, &f.heads, &f.key);
    assert_eq!(report.divergence.unwrap().suspect_rows(), 3..4);

    // Rows 5 and 6 swapped.
    let mut swapped = f.rows.clone();
    swapped.swap(5, 6);
    let report = audit(&swapped, true, &f.heads, &f.key);
    assert_eq!(report.divergence.unwrap().suspect_rows(), 5..6);

    // The last two rows removed.
    let report = audit(&f.rows[..8], true, &f.heads, &f.key);
    assert_eq!(
        report.divergence,
        Some(Divergence::Missing {
            tree_size: 9,
            rows: 8,
            verified_size: 8
        })
    );
}

#[test]
fn forged_heads_are_reported() {
    let f = fixture(5);
    let mut heads = f.heads.clone();
    heads[2].head.root_hash = ledger::Hash::EMPTY_TREE;
    let report = audit(&f.rows, true, &heads, &f.key);
    assert_eq!(
        report.divergence,
        Some(Divergence::HeadSignature { tree_size: 3 })
    );
    // A head signed by another key is no evidence either.
    let other = NodeKey::from_seed(&[4; 32]);
    let report = audit(&f.rows, true, &f.heads, &other);
    assert!(matches!(
        report.divergence,
        Some(Divergence::HeadSignature { .. })
    ));
}
