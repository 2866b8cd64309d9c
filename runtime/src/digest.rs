//! SHA-256 in lowercase hex: the content address of uploaded code (as Lambda
//! reports it), so an upload is skipped exactly when its bytes are there.
//! Templates are addressed by BLAKE3 (`layout::template_key`).
//!
//! The command line hashes with aws-lc's assembly, which runs at full speed
//! in the debug build `cargo run` gives: compiled without optimization, the
//! `sha2` crate took a third of a 1,000-handler synth hashing its templates.

pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256(bytes).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(feature = "cli")]
fn sha256(bytes: &[u8]) -> impl AsRef<[u8]> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
}

#[cfg(not(feature = "cli"))]
fn sha256(bytes: &[u8]) -> impl AsRef<[u8]> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_known_digest_of_abc() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
