//! Each annotated fn has a same-named type beside it, so the name can be
//! used where a type is expected (`Sender<orders>`, `Invoke<audit>`).
use std::marker::PhantomData;
use wirestack::__private::{ActionName, Singleton};
use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[action(name = "nightly-audit")]
async fn audit() -> Result<(), String> {
    Ok(())
}

struct Uses<T>(PhantomData<T>);

fn main() {
    let _queue: Uses<orders> = Uses(PhantomData);
    let _action: Uses<audit> = Uses(PhantomData);
    assert_eq!(<orders as Singleton>::NAME, "orders");
    assert_eq!(<audit as ActionName>::NAME, "nightly-audit");
    let _ = orders();
}
