use wirestack::prelude::*;

#[singleton]
fn limit() -> u32 {
    10
}

fn main() {}
