//! Hash maps for synth's own keys (logical ids, names): foldhash instead of
//! std's SipHash, which topped a 5,000-handler synth's profile. Synth hashes
//! only what the app's code declares, so SipHash's resistance to chosen
//! keys buys nothing here. The seed is fixed, so nothing varies per run.

pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
