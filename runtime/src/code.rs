//! The Lambda code artifact a template points at: where the zip will be and
//! which processor it is built for.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The code of every function in the app (one binary serves them all).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Code {
    /// The content-addressed S3 key of the packaged zip, once packaged; it
    /// becomes the default of the template's `CodeKey` parameter.
    pub key: Option<String>,
    pub architecture: Architecture,
    /// The content-addressed S3 keys of packaged layers, by layer name.
    pub layers: BTreeMap<String, String>,
}

/// The instruction set Lambda runs the binary on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    #[default]
    X86_64,
    Arm64,
}

impl Architecture {
    /// As CloudFormation's `Architectures` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }

    /// The Rust target triple that builds for it (glibc, as `provided.al2023` has).
    pub fn rust_target(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64-unknown-linux-gnu",
            Architecture::Arm64 => "aarch64-unknown-linux-gnu",
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Architecture {
    type Err = String;

    fn from_str(text: &str) -> Result<Architecture, String> {
        match text {
            "x86_64" | "x86-64" | "amd64" => Ok(Architecture::X86_64),
            "arm64" | "aarch64" => Ok(Architecture::Arm64),
            other => Err(format!("unknown architecture `{other}`: use `x86_64` or `arm64`")),
        }
    }
}
