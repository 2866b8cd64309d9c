//! Tokens for routes with `auth = pool`: JWTs the dev server signs itself
//! (HS256, with a key kept in the state) and the page hands out, carrying
//! the claims a Cognito ID token carries, so `Claims` reads the same
//! fields it reads on AWS. A route checks the signature, the expiry and
//! the pool, as the HTTP API's JWT authorizer checks issuer and audience.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{KeyInit, Mac};
use serde_json::{json, Map, Value};

type Hmac = hmac::Hmac<sha2::Sha256>;

/// Tokens last an hour, as Cognito's ID tokens do by default.
const LIFETIME_S: u64 = 3600;

pub fn new_key() -> String {
    URL_SAFE_NO_PAD.encode(super::secret::random_bytes(32))
}

/// A token for a user of `pool` with id `sub` and `email`.
pub fn sign(key: &str, pool: &str, sub: &str, email: &str, now_s: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(json!({ "alg": "HS256", "typ": "JWT" }).to_string());
    let claims = json!({
        "sub": sub,
        "email": email,
        "email_verified": "true",
        "cognito:username": sub,
        "token_use": "id",
        "iss": issuer(pool),
        "aud": pool,
        "iat": now_s,
        "exp": now_s + LIFETIME_S,
    });
    let body = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    format!("{body}.{}", URL_SAFE_NO_PAD.encode(mac(key, &body)))
}

/// The token's claims as the authorizer passes them (every value a
/// string), if it is this server's, unexpired and for `pool`.
pub fn verify(key: &str, pool: &str, token: &str, now_s: u64) -> Option<Map<String, Value>> {
    let (body, signature) = token.rsplit_once('.')?;
    let mut check = Hmac::new_from_slice(key.as_bytes()).ok()?;
    check.update(body.as_bytes());
    check.verify_slice(&URL_SAFE_NO_PAD.decode(signature).ok()?).ok()?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body.split_once('.')?.1).ok()?).ok()?;
    let fresh = claims["exp"].as_u64().is_some_and(|exp| exp > now_s);
    if !fresh || claims["iss"] != issuer(pool) {
        return None;
    }
    let claims = claims.as_object()?.iter().map(|(k, v)| {
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        (k.clone(), Value::String(text))
    });
    Some(claims.collect())
}

fn issuer(pool: &str) -> String {
    format!("wirestack-dev/{pool}")
}

fn mac(key: &str, body: &str) -> Vec<u8> {
    let mut mac = Hmac::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_pool_until_it_expires() {
        let token = sign("key", "customers", "ada", "ada@example.com", 1000);
        let claims = verify("key", "customers", &token, 1001).expect("valid");
        assert_eq!(claims["sub"], "ada");
        assert_eq!(claims["email"], "ada@example.com");
        assert_eq!(verify("key", "staff", &token, 1001), None, "another pool");
        assert_eq!(verify("other", "customers", &token, 1001), None, "another key");
        assert_eq!(verify("key", "customers", &token, 1000 + LIFETIME_S), None, "expired");
        let forged = token.replacen('.', ".e30", 1);
        assert_eq!(verify("key", "customers", &forged, 1001), None, "tampered");
    }
}
