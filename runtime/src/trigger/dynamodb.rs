//! `#[trigger(dynamodb = table)]`: the changes to a table's items, in order,
//! from its stream. The mapping is a stream trigger (`super::stream`); the
//! table turns its stream on for it.

use super::stream::{StreamSource, StreamTrigger};
use crate::handler::records::ItemChange;
use crate::kinds::Singleton;
use crate::resource::Table;
use wirestack_aws::option::Declaration;

pub use crate::handler::records::table_changes as records;

pub(super) fn declared(declaration: &Declaration<'_>) -> StreamTrigger {
    let table = declaration.target_text().unwrap_or_default().to_owned();
    StreamTrigger::declared(StreamSource::DynamoDb { table }, declaration)
}

/// A resource a `dynamodb` trigger can read the changes of.
#[diagnostic::on_unimplemented(
    message = "a `dynamodb` trigger reads a table's changes, but this singleton is a `{Self}`",
    label = "not a `Table<T>`",
    note = "name a `#[singleton]` that returns `Table<T>`"
)]
pub trait TableKind {}
impl<T> TableKind for Table<T> {}

/// Changes to the items of a table of `T`.
#[diagnostic::on_unimplemented(
    message = "this handler takes `{C}`, but its `dynamodb` trigger names a `{Self}`",
    label = "expected `ItemChange<T>` of this table's item type `T`",
    note = "take `ItemChange<T>` where the table is a `Table<T>`"
)]
pub trait ChangesOf<C> {}
impl<T> ChangesOf<ItemChange<T>> for Table<T> {}

/// `#[trigger(dynamodb = S)]` compiles only when `S` is a table singleton.
pub fn source<S: Singleton>()
where
    S::Resource: TableKind,
{
}

/// `#[trigger(dynamodb = S)]` on a handler of `C`: `C` is `ItemChange<T>` of `S: Table<T>`.
pub fn message_of<S: Singleton, C>()
where
    S::Resource: ChangesOf<C>,
{
}
