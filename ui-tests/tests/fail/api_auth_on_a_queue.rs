use wirestack::prelude::*;

#[singleton]
fn orders() -> Queue<String> {
    Queue::new()
}

#[api(GET "/me", auth = orders)]
async fn me(claims: Claims) -> String {
    claims.subject().unwrap_or_default().to_owned()
}

#[api(GET "/you", cors = true, auht = orders)]
async fn you() -> &'static str {
    "you"
}

fn main() {}
