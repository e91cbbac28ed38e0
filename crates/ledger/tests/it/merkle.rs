//! RFC 9162 Merkle tree: published vectors, RFC proof rules, properties.

use ledger::merkle::{
    MerkleLog, consistency_proof_len, first_difference, inclusion_proof_len,
    root_from_inclusion_proof,
};
use ledger::{Hash, MerkleError, leaf_hash, node_hash, verify_consistency, verify_inclusion};
use proptest::prelude::*;

use crate::h;

// Test vectors of the 8-leaf example tree used across Certificate
// Transparency implementations, from transparency-dev/merkle,
// proof/verify_test.go at commit 02194e9afb6c1d95b5381350007963aa70fff472
// (the same data as google/certificate-transparency's merkle_tree_test.cc).
// Leaf numbers in the proofs there are 1-based; here they are 0-based.

const LEAVES: [&[u8]; 8] = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
];

/// ROOTS[n - 1]: root of the tree of the first n leaves.
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (leaf index, tree size, proof)
const INCLUSION: &[(u64, u64, &[&str])] = &[
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

/// (old size, new size, proof)
const CONSISTENCY: &[(u64, u64, &[&str])] = &[
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn vector_log() -> MerkleLog {
    let mut log = MerkleLog::new();
    for leaf in LEAVES {
        log.append(leaf);
    }
    log
}

fn hashes(list: &[&str]) -> Vec<Hash> {
    list.iter().map(|s| h(s)).collect()
}

fn root(n: u64) -> Hash {
    h(ROOTS[n as usize - 1])
}

#[test]
fn empty_tree_root_is_sha256_of_nothing() {
    assert_eq!(
        Hash::EMPTY_TREE,
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(MerkleLog::new().root(), Hash::EMPTY_TREE);
    assert_eq!(MerkleLog::default(), MerkleLog::new());
    assert!(MerkleLog::default().is_empty());
}

#[test]
fn roots_at_every_size() {
    let log = vector_log();
    for n in 1..=8 {
        assert_eq!(log.root_at(n).unwrap(), root(n), "size {n}");
        let mut prefix = MerkleLog::new();
        for leaf in &LEAVES[..n as usize] {
            prefix.append(leaf);
        }
        assert_eq!(prefix.root(), root(n), "log of {n} leaves");
    }
    assert_eq!(log.root(), root(8));
    assert_eq!(
        log.root_at(9),
        Err(MerkleError::SizeOutOfRange {
            tree_size: 9,
            log_size: 8
        })
    );
}

#[test]
fn published_inclusion_proofs() {
    let log = vector_log();
    for &(index, size, proof) in INCLUSION {
        let proof = hashes(proof);
        assert_eq!(
            log.inclusion_proof(index, size).unwrap(),
            proof,
            "{index} in {size}"
        );
        let leaf = leaf_hash(LEAVES[index as usize]);
        verify_inclusion(&leaf, index, size, &proof, &root(size)).unwrap();
        for (desc, result) in corrupt_inclusion(&leaf, index, size, &proof, &root(size)) {
            assert!(result.is_err(), "{index} in {size}: accepted {desc}");
        }
    }
}

#[test]
fn published_consistency_proofs() {
    let log = vector_log();
    for &(old, new, proof) in CONSISTENCY {
        let proof = hashes(proof);
        assert_eq!(
            log.consistency_proof(old, new).unwrap(),
            proof,
            "{old} to {new}"
        );
        verify_consistency(old, new, &root(old), &root(new), &proof).unwrap();
        if !proof.is_empty() {
            for (desc, result) in corrupt_consistency(old, new, &root(old), &root(new), &proof) {
                assert!(result.is_err(), "{old} to {new}: accepted {desc}");
            }
        }
    }
}

#[test]
fn trivial_consistency_cases() {
    let (a, b) = (root(1), root(2));
    // Equal sizes: empty proof and equal roots.
    verify_consistency(1, 1, &a, &a, &[]).unwrap();
    assert_eq!(
        verify_consistency(1, 1, &a, &b, &[]),
        Err(MerkleError::NewRootMismatch)
    );
    assert!(verify_consistency(1, 1, &a, &a, &[a]).is_err());
    // From the empty tree: nothing to prove, but the old root must be empty.
    verify_consistency(0, 5, &Hash::EMPTY_TREE, &b, &[]).unwrap();
    assert_eq!(
        verify_consistency(0, 5, &a, &b, &[]),
        Err(MerkleError::OldRootMismatch)
    );
    // Backwards, or a missing proof.
    assert_eq!(
        verify_consistency(2, 1, &b, &a, &[]),
        Err(MerkleError::SizesOutOfOrder {
            old_size: 2,
            new_size: 1
        })
    );
    assert_eq!(
        verify_consistency(1, 2, &a, &b, &[]),
        Err(MerkleError::ProofLength {
            expected: 1,
            actual: 0
        })
    );
    let log = vector_log();
    assert!(log.consistency_proof(0, 8).unwrap().is_empty());
    assert!(log.consistency_proof(8, 8).unwrap().is_empty());
    assert!(log.consistency_proof(3, 9).is_err());
    assert!(log.inclusion_proof(8, 8).is_err());
}

#[test]
fn inclusion_edge_cases() {
    let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (index, size) in [(0, 0), (1, 0), (2, 1)] {
        assert_eq!(
            verify_inclusion(&some, index, size, &[], &Hash::EMPTY_TREE),
            Err(MerkleError::IndexOutOfRange {
                index,
                tree_size: size
            })
        );
    }
    // A one-leaf tree's root is its leaf hash, with an empty proof.
    let leaf = leaf_hash(b"data");
    verify_inclusion(&leaf, 0, 1, &[], &leaf).unwrap();
    assert_eq!(
        verify_inclusion(&leaf, 0, 1, &[], &some),
        Err(MerkleError::RootMismatch)
    );
}

/// Proofs bent in the ways the transparency-dev tests bend them: wrong index
/// or size, wrong leaf or root, hashes added, removed or flipped.
fn corrupt_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Vec<(String, Result<(), MerkleError>)> {
    let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    let mut out = vec![
        (
            "index - 1".into(),
            verify_inclusion(leaf, index.wrapping_sub(1), size, proof, root),
        ),
        (
            "index + 1".into(),
            verify_inclusion(leaf, index + 1, size, proof, root),
        ),
        (
            "index ^ 2".into(),
            verify_inclusion(leaf, index ^ 2, size, proof, root),
        ),
        (
            "size * 2".into(),
            verify_inclusion(leaf, index, size * 2, proof, root),
        ),
        (
            "size / 2".into(),
            verify_inclusion(leaf, index, size / 2, proof, root),
        ),
        (
            "wrong leaf".into(),
            verify_inclusion(&leaf_hash(b"WrongLeaf"), index, size, proof, root),
        ),
        (
            "empty root".into(),
            verify_inclusion(leaf, index, size, proof, &Hash::EMPTY_TREE),
        ),
        (
            "random root".into(),
            verify_inclusion(leaf, index, size, proof, &some),
        ),
        (
            "trailing root".into(),
            verify_inclusion(leaf, index, size, &[proof, &[*root]].concat(), root),
        ),
        (
            "preceding root".into(),
            verify_inclusion(leaf, index, size, &[&[*root], proof].concat(), root),
        ),
    ];
    for i in 0..proof.len() {
        let mut bent = proof.to_vec();
        bent[i].0[0] ^= 8;
        out.push((
            format!("proof[{i}] bit 3"),
            verify_inclusion(leaf, index, size, &bent, root),
        ));
    }
    if !proof.is_empty() {
        out.push((
            "removed hash".into(),
            verify_inclusion(leaf, index, size, &proof[..proof.len() - 1], root),
        ));
    }
    if proof.len() > 1 {
        let bent = [&[proof[0], some], &proof[1..]].concat();
        out.push((
            "inserted hash".into(),
            verify_inclusion(leaf, index, size, &bent, root),
        ));
    }
    out
}

fn corrupt_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Vec<(String, Result<(), MerkleError>)> {
    let wrong = leaf_hash(b"WrongRoot");
    let v = |o: u64, n: u64, a: &Hash, b: &Hash, p: &[Hash]| verify_consistency(o, n, a, b, p);
    let mut out = vec![
        ("old - 1".into(), v(old - 1, new, old_root, new_root, proof)),
        ("old + 1".into(), v(old + 1, new, old_root, new_root, proof)),
        ("old ^ 2".into(), v(old ^ 2, new, old_root, new_root, proof)),
        ("new * 2".into(), v(old, new * 2, old_root, new_root, proof)),
        ("new / 2".into(), v(old, new / 2, old_root, new_root, proof)),
        (
            "wrong old root".into(),
            v(old, new, &wrong, new_root, proof),
        ),
        (
            "wrong new root".into(),
            v(old, new, old_root, &wrong, proof),
        ),
        (
            "swapped roots".into(),
            v(old, new, new_root, old_root, proof),
        ),
        ("empty proof".into(), v(old, new, old_root, new_root, &[])),
        (
            "trailing old root".into(),
            v(
                old,
                new,
                old_root,
                new_root,
                &[proof, &[*old_root]].concat(),
            ),
        ),
        (
            "trailing new root".into(),
            v(
                old,
                new,
                old_root,
                new_root,
                &[proof, &[*new_root]].concat(),
            ),
        ),
        (
            "preceding old root".into(),
            v(
                old,
                new,
                old_root,
                new_root,
                &[&[*old_root], proof].concat(),
            ),
        ),
        (
            "preceding new root".into(),
            v(
                old,
                new,
                old_root,
                new_root,
                &[&[*new_root], proof].concat(),
            ),
        ),
        (
            "preceding proof[0]".into(),
            v(old, new, old_root, new_root, &[&[proof[0]], proof].concat()),
        ),
        (
            "truncated".into(),
            v(old, new, old_root, new_root, &proof[..proof.len() - 1]),
        ),
    ];
    for i in 0..proof.len() {
        let mut bent = proof.to_vec();
        bent[i].0[0] ^= 16;
        out.push((
            format!("proof[{i}] bit 4"),
            v(old, new, old_root, new_root, &bent),
        ));
    }
    out
}

/// MTH exactly as RFC 9162 §2.1.1 defines it, by recursion over the leaves.
fn naive_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Hash::EMPTY_TREE,
        1 => leaves[0],
        n => {
            // The largest power of two smaller than n.
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_le_bytes())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The cached levels give the RFC's MTH at every size, and rebuilding
    /// from stored leaf hashes gives the same log as appending.
    #[test]
    fn cached_roots_equal_naive_mth(n in 0u64..300) {
        let hashes = leaves(n);
        let mut log = MerkleLog::new();
        for (i, leaf) in hashes.iter().enumerate() {
            prop_assert_eq!(log.append_leaf_hash(*leaf), i as u64);
        }
        for size in 0..=n {
            prop_assert_eq!(log.root_at(size).unwrap(), naive_root(&hashes[..size as usize]));
        }
        prop_assert_eq!(&MerkleLog::from_leaf_hashes(hashes.iter().copied()), &log);
    }

    /// Every inclusion proof verifies; a flipped bit anywhere, or another
    /// leaf, does not.
    #[test]
    fn inclusion_proofs_verify(n in 1u64..2000, seed in any::<u64>(), bit in 0usize..256) {
        let log = MerkleLog::from_leaf_hashes(leaves(n));
        let size = 1 + seed % n;
        let index = (seed >> 20) % size;
        let root = log.root_at(size).unwrap();
        let leaf = log.leaf_hash(index).unwrap();
        let proof = log.inclusion_proof(index, size).unwrap();
        prop_assert_eq!(proof.len(), inclusion_proof_len(index, size));
        prop_assert_eq!(root_from_inclusion_proof(&leaf, index, size, &proof).unwrap(), root);
        verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
        if !proof.is_empty() {
            let mut bent = proof.clone();
            bent[bit % proof.len()].0[bit / 8 % 32] ^= 1 << (bit % 8);
            prop_assert!(verify_inclusion(&leaf, index, size, &bent, &root).is_err());
        }
        let other = log.leaf_hash((index + 1) % size).unwrap();
        if size > 1 {
            prop_assert!(verify_inclusion(&other, index, size, &proof, &root).is_err());
        }
    }

    /// Every consistency proof between two sizes verifies; a flipped bit or
    /// a root from elsewhere does not.
    #[test]
    fn consistency_proofs_verify(n in 1u64..2000, a in any::<u64>(), b in any::<u64>(), bit in 0usize..256) {
        let log = MerkleLog::from_leaf_hashes(leaves(n));
        let (x, y) = (a % (n + 1), b % (n + 1));
        let (old, new) = (x.min(y), x.max(y));
        let (old_root, new_root) = (log.root_at(old).unwrap(), log.root_at(new).unwrap());
        let proof = log.consistency_proof(old, new).unwrap();
        prop_assert_eq!(proof.len(), consistency_proof_len(old, new));
        verify_consistency(old, new, &old_root, &new_root, &proof).unwrap();
        if !proof.is_empty() {
            let mut bent = proof.clone();
            bent[bit % proof.len()].0[bit / 8 % 32] ^= 1 << (bit % 8);
            prop_assert!(verify_consistency(old, new, &old_root, &new_root, &bent).is_err());
        }
        if old > 0 && old < new {
            // A different history of the same size does not check out.
            let mut forked = leaves(new);
            forked[(a % old) as usize] = leaf_hash(b"rewritten");
            let forked_root = naive_root(&forked);
            prop_assert!(verify_consistency(old, new, &old_root, &forked_root, &proof).is_err());
        }
    }

    /// Bisection finds the first changed leaf of two logs.
    #[test]
    fn first_difference_finds_the_change(n in 1u64..3000, at in any::<u64>(), extra in 0u64..5) {
        let original = leaves(n);
        let a = MerkleLog::from_leaf_hashes(original.iter().copied());
        prop_assert_eq!(first_difference(&a, &a), None);
        let at = at % n;
        let mut changed = original.clone();
        changed[at as usize] = leaf_hash(b"changed");
        changed.extend(leaves(extra));
        let b = MerkleLog::from_leaf_hashes(changed);
        prop_assert_eq!(first_difference(&a, &b), Some(at));
        prop_assert_eq!(first_difference(&b, &a), Some(at));
    }
}

#[test]
fn million_leaf_log() {
    let mut log = MerkleLog::new();
    for i in 0..1_000_000u64 {
        log.append_leaf_hash(leaf_hash(&i.to_le_bytes()));
    }
    let root = log.root();
    for index in [0, 1, 524_287, 524_288, 999_999] {
        let proof = log.inclusion_proof(index, log.len()).unwrap();
        verify_inclusion(
            &log.leaf_hash(index).unwrap(),
            index,
            log.len(),
            &proof,
            &root,
        )
        .unwrap();
    }
    let proof = log.consistency_proof(765_432, 1_000_000).unwrap();
    verify_consistency(
        765_432,
        1_000_000,
        &log.root_at(765_432).unwrap(),
        &root,
        &proof,
    )
    .unwrap();
}

#[test]
fn truncate_gives_back_the_earlier_log() {
    for n in [0u64, 1, 2, 3, 5, 8, 13, 64, 100] {
        for keep in 0..=n {
            let mut a = ledger::MerkleLog::new();
            let mut b = ledger::MerkleLog::new();
            for i in 0..n {
                a.append(&i.to_be_bytes());
                if i < keep {
                    b.append(&i.to_be_bytes());
                }
            }
            a.truncate(keep);
            assert_eq!(a, b, "n={n} keep={keep}");
            a.append(b"next");
            b.append(b"next");
            assert_eq!(a.root(), b.root());
        }
    }
}
