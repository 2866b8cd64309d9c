//! S3 event notifications: the object changes a trigger can ask for.

/// The object changes a trigger can ask for, as `events = [..]` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectEvent {
    /// Any way an object is created (the default).
    Created,
    Put,
    Post,
    Copy,
    CompletedMultipartUpload,
    /// Any way an object is removed.
    Removed,
    Deleted,
    DeleteMarkerCreated,
    /// A restore from an archive tier completed.
    Restored,
}

/// Each event with its name in `events = [..]`.
pub const OBJECT_EVENTS: [(&str, ObjectEvent); 9] = [
    ("created", ObjectEvent::Created),
    ("put", ObjectEvent::Put),
    ("post", ObjectEvent::Post),
    ("copy", ObjectEvent::Copy),
    ("multipart_upload", ObjectEvent::CompletedMultipartUpload),
    ("removed", ObjectEvent::Removed),
    ("deleted", ObjectEvent::Deleted),
    ("delete_marker", ObjectEvent::DeleteMarkerCreated),
    ("restored", ObjectEvent::Restored),
];

/// The names `events = [..]` accepts.
pub const OBJECT_EVENT_NAMES: [&str; 9] = {
    let mut names = [""; 9];
    let mut i = 0;
    while i < names.len() {
        names[i] = OBJECT_EVENTS[i].0;
        i += 1;
    }
    names
};

/// S3's limit on a key prefix or suffix filter, in bytes.
pub const MAX_KEY_FILTER: usize = 1024;

impl ObjectEvent {
    /// The event `events = [..]` calls `name`.
    pub fn named(name: &str) -> Option<ObjectEvent> {
        OBJECT_EVENTS.iter().find(|(known, _)| *known == name).map(|(_, event)| *event)
    }

    /// S3's name for the event type.
    pub fn s3_name(self) -> &'static str {
        match self {
            ObjectEvent::Created => "s3:ObjectCreated:*",
            ObjectEvent::Put => "s3:ObjectCreated:Put",
            ObjectEvent::Post => "s3:ObjectCreated:Post",
            ObjectEvent::Copy => "s3:ObjectCreated:Copy",
            ObjectEvent::CompletedMultipartUpload => "s3:ObjectCreated:CompleteMultipartUpload",
            ObjectEvent::Removed => "s3:ObjectRemoved:*",
            ObjectEvent::Deleted => "s3:ObjectRemoved:Delete",
            ObjectEvent::DeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
            ObjectEvent::Restored => "s3:ObjectRestore:Completed",
        }
    }

    /// Whether S3 would deliver one change to both (it refuses such overlaps
    /// between two configurations whose key filters also overlap).
    pub fn overlaps(self, other: ObjectEvent) -> bool {
        let (a, b) = (self.s3_name(), other.s3_name());
        let family = |name: &'static str| name.rsplit_once(':').map_or(name, |(family, _)| family);
        a == b || (family(a) == family(b) && (a.ends_with('*') || b.ends_with('*')))
    }
}

/// A key prefix or suffix: 1 to 1,024 bytes.
pub fn key_filter(filter: &str) -> Result<(), crate::Mistake> {
    match filter.len() {
        1..=MAX_KEY_FILTER => Ok(()),
        _ => Err((
            "a key filter is 1 to 1024 bytes".to_owned(),
            "write a non-empty prefix or suffix, or remove it".to_owned(),
        )),
    }
}
