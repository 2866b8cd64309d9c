//! Standard or FIFO: the second type parameter of `Queue<T, D>` and
//! `Topic<T, D>`. It is part of the type because it changes the API: a FIFO
//! message needs a group (`send_to_group`), and rustc should say so where
//! the message is sent, not SQS at run time.

/// At-least-once, best-effort order: `Queue<T>`, `Topic<T>`.
pub struct Standard;

/// Exactly-once processing, in order within each message group:
/// `Queue<T, Fifo>`, `Topic<T, Fifo>`. Content-based deduplication is on.
pub struct Fifo;

/// `Standard` or `Fifo`.
pub trait Delivery {
    const FIFO: bool;
}

impl Delivery for Standard {
    const FIFO: bool = false;
}

impl Delivery for Fifo {
    const FIFO: bool = true;
}

/// The suffix SQS and SNS require on FIFO names.
pub const FIFO_SUFFIX: &str = ".fifo";

/// A physical name with the FIFO suffix when `fifo`.
pub fn name(physical: String, fifo: bool) -> String {
    if fifo {
        physical + FIFO_SUFFIX
    } else {
        physical
    }
}

/// `send` and `publish`: for standard queues and topics.
#[diagnostic::on_unimplemented(
    message = "this is a FIFO queue or topic: its messages need a message group",
    label = "declared `Fifo`",
    note = "call `send_to_group(&message, group)` or `publish_to_group(&message, group)`"
)]
pub trait Ungrouped {}
impl Ungrouped for Standard {}

/// `send_to_group` and `publish_to_group`: for FIFO queues and topics.
#[diagnostic::on_unimplemented(
    message = "this is a standard queue or topic: it has no message groups",
    label = "declared without `Fifo`",
    note = "call `send(&message)` or `publish(&message)`, or declare it `Queue<T, Fifo>` / `Topic<T, Fifo>`"
)]
pub trait Grouped {}
impl Grouped for Fifo {}
