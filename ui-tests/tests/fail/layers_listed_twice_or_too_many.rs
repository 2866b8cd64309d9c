use wirestack::prelude::*;

#[singleton]
fn fonts() -> Layer {
    Layer::from_dir("layers/fonts")
}

#[action(layers = [fonts, fonts])]
async fn render() -> Result<(), Error> {
    Ok(())
}

#[action(layers = [fonts, a, b, c, d, e])]
async fn crowded() -> Result<(), Error> {
    Ok(())
}

fn main() {}
