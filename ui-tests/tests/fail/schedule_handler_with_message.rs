use wirestack::prelude::*;

#[derive(Deserialize)]
pub struct Report {
    pub day: String,
}

#[trigger(schedule = "rate(1 day)")]
async fn nightly(report: Report) -> Result<(), Error> {
    let _ = report.day;
    Ok(())
}

fn main() {}
