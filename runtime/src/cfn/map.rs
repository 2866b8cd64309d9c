//! The properties of one object in a template: a few keys each, so a
//! sorted vector (one allocation, no tree nodes) rather than a `BTreeMap`,
//! whose smallest node holds eleven entries. Keys are mostly the static
//! names CloudFormation defines, so they are borrowed, not allocated.

use super::Value;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;

/// Keys in order, each once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map(Vec<(Cow<'static, str>, Value)>);

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Sets `key`, returning what it held.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// The value at `key`, inserted by `missing` if absent.
    pub fn entry_or_insert_with(&mut self, key: &str, missing: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (Cow::Owned(key.to_owned()), missing()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

/// As `BTreeMap` collects: sorted by key, a later value for a key winning.
impl<K: Into<Cow<'static, str>>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(entries: I) -> Map {
        let mut entries: Vec<(Cow<'static, str>, Value)> = entries.into_iter().map(|(k, v)| (k.into(), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        // Of equal keys, sorting kept their order: keep the last.
        let mut map: Vec<(Cow<'static, str>, Value)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match map.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => map.push(entry),
            }
        }
        Map(map)
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key.as_ref(), value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_the_last_value_of_a_repeated_key() {
        let mut map: Map = [("b", Value::from(1)), ("a", Value::from(2)), ("b", Value::from(3))].into_iter().collect();
        assert_eq!(map.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(map.get("b"), Some(&Value::from(3)));
        assert_eq!(map.insert("c", Value::from(4)), None);
        assert_eq!(map.insert("a", Value::from(5)), Some(Value::from(2)));
        *map.entry_or_insert_with("d", || Value::from(6)) = Value::from(7);
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":5,"b":3,"c":4,"d":7}"#);
    }
}
