use wirestack::prelude::*;

#[action]
async fn work<T: Default>() -> Result<T, String> {
    Ok(T::default())
}

fn main() {}
