use wirestack::prelude::*;

struct Service;

impl Service {
    #[action]
    async fn work(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
