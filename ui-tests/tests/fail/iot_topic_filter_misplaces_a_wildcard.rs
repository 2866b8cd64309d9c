use wirestack::prelude::*;

#[trigger(iot = "SELECT * FROM 'sensors/#/reading'")]
async fn record(reading: String) -> Result<(), Error> {
    let _ = reading;
    Ok(())
}

fn main() {}
