//! Logical ids: stable, readable, derived from the names in the user's code.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// CloudFormation's limit on a logical id's length.
pub const MAX_LEN: usize = 255;

/// An alphanumeric logical id of at most 255 characters. Shared, not
/// copied: layout files each id under several maps, and a big app has
/// thousands.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogicalId(Arc<str>);

/// Maps keyed by logical id answer lookups by the id's text.
impl Borrow<str> for LogicalId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl LogicalId {
    /// Joins `parts` in UpperCamelCase: `["place_order", "Function"]` becomes
    /// `PlaceOrderFunction`. Non-alphanumeric characters separate words. An id
    /// that would exceed 255 characters is cut and ends in a hash of the whole,
    /// so it stays unique and stable.
    pub fn new<S: AsRef<str>>(parts: &[S]) -> LogicalId {
        let mut id = String::with_capacity(parts.iter().map(|part| part.as_ref().len()).sum());
        for part in parts {
            camel(part.as_ref(), &mut id);
        }
        if id.is_empty() {
            id.push_str("Root");
        }
        if id.len() > MAX_LEN {
            let hash = format!("{:016X}", fnv1a(id.as_bytes()));
            id.truncate(MAX_LEN - hash.len());
            id.push_str(&hash);
        }
        LogicalId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Eight hex digits that stand for `content`, for telling apart items
    /// that have no name of their own (two schedules of one action): the id
    /// then follows what the item says, never where it stands among others.
    pub fn digest(content: &str) -> String {
        format!("{:08X}", fnv1a(content.as_bytes()) as u32)
    }
}

impl serde::Serialize for LogicalId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for LogicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends `text` in UpperCamelCase: `place_order` and `place-order` give
/// `PlaceOrder`; `HTTPServer` stays as is. Only ASCII letters and digits are
/// kept; any other character ends a word.
fn camel(text: &str, out: &mut String) {
    let mut word_starts = true;
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() {
            out.push(char::from(if word_starts { byte.to_ascii_uppercase() } else { byte }));
            word_starts = false;
        } else {
            word_starts = true;
        }
    }
}

/// FNV-1a: a small, stable hash (std's hasher may change between releases).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_like_the_code() {
        assert_eq!(LogicalId::new(&["place_order", "Function"]).as_str(), "PlaceOrderFunction");
        assert_eq!(LogicalId::new(&["Route", "GET", "/orders/{id}"]).as_str(), "RouteGETOrdersId");
        assert_eq!(LogicalId::new(&["/"]).as_str(), "Root");
    }

    proptest! {
        #[test]
        fn always_valid_and_stable(parts in proptest::collection::vec(".{0,300}", 1..4)) {
            let id = LogicalId::new(&parts);
            prop_assert!(!id.as_str().is_empty());
            prop_assert!(id.as_str().len() <= MAX_LEN);
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
            prop_assert_eq!(id, LogicalId::new(&parts));
        }

        #[test]
        fn long_ids_that_differ_stay_distinct(a in "[a-z]{300}", b in "[a-z]{300}") {
            prop_assume!(a != b);
            prop_assert_ne!(LogicalId::new(&[&a]), LogicalId::new(&[&b]));
        }
    }
}
