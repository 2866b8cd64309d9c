//! Extendible hashing over names: how wirestack splits things that outgrow
//! a quota (actions over nested stacks, routes over HTTP APIs) so that
//! where each lands is a function of names, never of counts or order.
//!
//! The rule, which must never change (what moves is replaced): a name is
//! hashed with 64-bit FNV-1a, mixed by MurmurHash3's 64-bit finalizer (FNV
//! alone leaves the top bits of names that differ only at the end nearly
//! equal). Buckets are the leaves of a binary trie over the hash's bits,
//! most significant first: a leaf holds every item whose hash starts with
//! the leaf's prefix, and splits in two on the next bit only when its items
//! do not fit. Adding or removing an item changes only the leaf it hashes
//! to. A leaf is named by its prefix without trailing zeros (`Actions`,
//! `Actions1`, `Actions01`), so when it splits the items whose next bit is
//! 0 keep their bucket and only the others move.

use crate::cfn::{fnv1a, LogicalId};

/// One bucket: the items whose hash starts with `prefix`.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf<T> {
    /// How many leading bits of the hash the leaf is keyed by.
    pub depth: u32,
    /// Those bits, most significant first, in the low `depth` bits.
    pub prefix: u64,
    pub items: Vec<T>,
}

/// The hash a name is placed by.
pub fn hash(name: &str) -> u64 {
    let mut k = fnv1a(name.as_bytes());
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// The leaves holding `items` (keyed by `key`'s hash), each split until it
/// `fits` or holds one item (or items whose whole hashes are equal), in
/// prefix order.
pub fn leaves<T: Send>(
    items: Vec<T>,
    key: impl Fn(&T) -> u64 + Sync,
    fits: impl Fn(&[T]) -> bool + Sync,
) -> Vec<Leaf<T>> {
    split(Leaf { depth: 0, prefix: 0, items }, &key, &fits)
}

/// `leaf`, or the leaves it splits into. The two halves of a split are
/// independent, so they are split on every core.
fn split<T: Send>(
    leaf: Leaf<T>,
    key: &(impl Fn(&T) -> u64 + Sync),
    fits: &(impl Fn(&[T]) -> bool + Sync),
) -> Vec<Leaf<T>> {
    if leaf.items.len() <= 1 || leaf.depth == 64 || fits(&leaf.items) {
        return vec![leaf];
    }
    let (zeros, ones) = leaf.halves(key);
    let split_half = |half: Option<Leaf<T>>| half.map_or_else(Vec::new, |half| split(half, key, fits));
    let (mut zeros, ones) = rayon::join(|| split_half(zeros), || split_half(ones));
    zeros.extend(ones);
    zeros
}

impl<T> Leaf<T> {
    /// The leaf's two halves by the next bit, zeros first; an empty half is
    /// no leaf.
    fn halves(self, key: impl Fn(&T) -> u64) -> (Option<Leaf<T>>, Option<Leaf<T>>) {
        let depth = self.depth;
        let (ones, zeros): (Vec<T>, Vec<T>) =
            self.items.into_iter().partition(|item| key(item) >> (63 - depth) & 1 == 1);
        let half = |items: Vec<T>, bit| {
            (!items.is_empty()).then(|| Leaf { depth: depth + 1, prefix: self.prefix << 1 | bit, items })
        };
        (half(zeros, 0), half(ones, 1))
    }

    /// `base`, then the prefix's bits without trailing zeros.
    pub fn name(&self, base: &str) -> LogicalId {
        let bits: String =
            (0..self.depth).map(|i| if self.prefix >> (self.depth - 1 - i) & 1 == 1 { '1' } else { '0' }).collect();
        LogicalId::new(&[base, bits.trim_end_matches('0')])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_split_only_where_full_and_the_zero_half_keeps_the_name() {
        let names: Vec<String> = (0..64).map(|i| format!("handler_{i}")).collect();
        let key = |name: &String| hash(name);
        let one = leaves(names.clone(), key, |items| items.len() <= 64);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].name("Actions").as_str(), "Actions");
        let many = leaves(names.clone(), key, |items| items.len() <= 20);
        assert!(many.len() >= 4 && many.iter().all(|leaf| leaf.items.len() <= 20));
        assert_eq!(many.iter().map(|leaf| leaf.items.len()).sum::<usize>(), 64);
        // The leaf holding the items whose hash starts with 0 bits is still `Actions`.
        assert!(many.iter().any(|leaf| leaf.name("Actions").as_str() == "Actions"));
        // Another item changes only the leaf it hashes to.
        let mut grown = names;
        grown.push("handler_new".to_owned());
        let after = leaves(grown, key, |items| items.len() <= 20);
        let changed: Vec<_> = after.iter().filter(|leaf| !many.contains(leaf)).collect();
        assert_eq!(changed.len(), 1);
        assert!(changed[0].items.contains(&"handler_new".to_owned()));
    }
}
