//! What the stand-ins hold — messages, objects, items, records, secrets and
//! the invocations the page lists — as plain data that serializes, so a
//! restart with `--state DIR`, or a rebuild, keeps it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

/// How many invocations the page keeps (the oldest go first).
const KEPT_INVOCATIONS: usize = 500;

/// Everything the stand-ins hold. Resources appear on first use.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// By queue name (dead-letter and failed-events queues included).
    pub queues: BTreeMap<String, Queue>,
    /// Objects by bucket, then key.
    pub buckets: BTreeMap<String, BTreeMap<String, Object>>,
    pub tables: BTreeMap<String, Table>,
    /// Kinesis streams' records.
    pub streams: BTreeMap<String, Vec<Record>>,
    /// Generated secrets' values, by secret name.
    pub secrets: BTreeMap<String, String>,
    /// Where each stream consumer reads next (`action <- source` -> index).
    pub cursors: BTreeMap<String, usize>,
    pub invocations: VecDeque<Invocation>,
    /// The key the dev server signs its tokens with.
    pub token_key: String,
    /// The last id handed out (messages, records, invocations).
    pub last_id: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Queue {
    /// In the order sent.
    pub messages: Vec<Message>,
    /// A FIFO queue's recent bodies (group, body hash, when sent), for
    /// content-based deduplication.
    pub recent: Vec<(String, u64, u64)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub body: String,
    pub group: Option<String>,
    pub sent_ms: u64,
    pub receives: u32,
    pub first_received_ms: Option<u64>,
    /// Hidden from consumers until then (the visibility timeout).
    pub visible_ms: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Object {
    #[serde(with = "base64_bytes")]
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub modified_ms: u64,
    pub etag: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Table {
    /// Items in DynamoDB's JSON, by their key's text.
    pub items: BTreeMap<String, Value>,
    /// Its stream's records (each a DynamoDB stream record).
    pub stream: Vec<Record>,
}

/// One record of a stream: its sequence number and the record as Lambda
/// delivers it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub sequence: String,
    pub record: Value,
}

/// One run of a handler, as the page shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Invocation {
    /// Its place in the list: in the order invocations end.
    pub seq: u64,
    /// Its request id's number, taken when it starts.
    pub id: u64,
    pub action: String,
    /// What delivered it: `sqs orders`, `GET /orders/{id}`, `invoke`.
    pub trigger: String,
    /// When it started, in milliseconds since the epoch (to the microsecond).
    pub started_ms: f64,
    pub duration_ms: f64,
    /// `ok`, `error` or `partial` (some records of a batch failed).
    pub outcome: String,
    pub error: Option<String>,
    pub event: Value,
    pub logs: Vec<String>,
}

impl State {
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    pub fn queue(&mut self, name: &str) -> &mut Queue {
        self.queues.entry(name.to_owned()).or_default()
    }

    pub fn table(&mut self, name: &str) -> &mut Table {
        self.tables.entry(name.to_owned()).or_default()
    }

    pub fn record(&mut self, mut invocation: Invocation) {
        invocation.seq = self.next_id();
        if self.invocations.len() == KEPT_INVOCATIONS {
            self.invocations.pop_front();
        }
        self.invocations.push_back(invocation);
    }

    /// The state saved at `path`, or a new one if there is none.
    pub fn load(path: &Path) -> Result<State, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                format!("error: {} is not a saved dev state: {e}\n  help: move it away to start empty", path.display())
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(format!("error: cannot read {}: {e}", path.display())),
        }
    }

    /// Writes the state to `path` whole or not at all (a new file renamed
    /// over the old), so a crash mid-write loses no data.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("error: cannot save the dev state to {}: {e}", path.display());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, serde_json::to_vec(self).expect("the state is JSON")).map_err(fail)?;
        std::fs::rename(&partial, path).map_err(fail)
    }
}

mod base64_bytes {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
