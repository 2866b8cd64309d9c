//! S3 notifications name objects URL-encoded (`a b.csv` arrives as
//! `a+b.csv`); the key a `Reader` needs is the decoded one.

use aws_lambda_events::event::s3::S3EventRecord;

/// The key of the object a notification record is about, decoded.
pub fn object_key(record: &S3EventRecord) -> String {
    decode_key(record.s3.object.key.as_deref().unwrap_or_default())
}

/// `+` is a space, `%XX` a byte; bytes that do not form UTF-8 are replaced.
fn decode_key(encoded: &str) -> String {
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => decoded.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    decoded.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => decoded.push(b'%'),
            },
            other => decoded.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode_key;

    #[test]
    fn keys_decode_as_s3_encodes_them() {
        assert_eq!(decode_key("receipts/o-1.json"), "receipts/o-1.json");
        assert_eq!(decode_key("my+file%28v2%29.csv"), "my file(v2).csv");
        assert_eq!(decode_key("caf%C3%A9%2B.txt"), "café+.txt");
        assert_eq!(decode_key("100%"), "100%");
        assert_eq!(decode_key("50%zz"), "50%zz");
    }
}
