//! Configuration read at cold start: Secrets Manager's `GetSecretValue`
//! (a generated secret gets its random value on first read, kept with the
//! state) and Parameter Store's `GetParameter` (the declared value).

use super::aws::{name_in, text, Answer, Refusal};
use super::{arn, Dev};
use crate::resource::{ParameterSpec, ResourceSpec, SecretSpec};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn secrets_api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    if operation != "GetSecretValue" {
        return Err(Refusal::unsupported("Secrets Manager", operation));
    }
    let name = name_in(text(input, "SecretId")?, ':');
    let length = match dev.app.resource(name).map(|r| &r.spec) {
        Some(ResourceSpec::Secret(SecretSpec::Generated { length, .. })) => *length as usize,
        Some(ResourceSpec::Secret(SecretSpec::Existing { .. })) => 32,
        _ => return Err(not_found(format!("the app has no secret `{name}`"))),
    };
    let value = dev.state().secrets.entry(name.to_owned()).or_insert_with(|| random_text(length)).clone();
    dev.touch();
    Ok(json!({
        "ARN": arn("secretsmanager", &format!("secret:{name}")),
        "Name": name,
        "SecretString": value,
        "VersionId": "dev",
        "VersionStages": ["AWSCURRENT"],
    }))
}

pub fn parameters_api(dev: &Arc<Dev>, operation: &str, input: &Value) -> Answer {
    if operation != "GetParameter" {
        return Err(Refusal::unsupported("SSM", operation));
    }
    let name = text(input, "Name")?;
    let value = match dev.app.resource(name).map(|r| &r.spec) {
        Some(ResourceSpec::Parameter(ParameterSpec::String { value, .. })) => value.clone(),
        Some(ResourceSpec::Parameter(ParameterSpec::Existing { name: existing })) => {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "ParameterNotFound",
                format!("parameter `{name}` is the existing `{existing}`, which has no local value"),
            ))
        }
        _ => return Err(Refusal::new(StatusCode::BAD_REQUEST, "ParameterNotFound", format!("no parameter `{name}`"))),
    };
    Ok(json!({ "Parameter": { "Name": name, "Type": "String", "Value": value, "Version": 1 } }))
}

fn not_found(message: String) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, "ResourceNotFoundException", message)
}

/// Letters and digits, as the generated secret's `ExcludePunctuation`.
pub fn random_text(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    random_bytes(length).iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

/// Bytes from the operating system's generator.
pub fn random_bytes(count: usize) -> Vec<u8> {
    use std::io::Read;
    let mut bytes = vec![0; count];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).expect("/dev/urandom is readable");
    bytes
}
