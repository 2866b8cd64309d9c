//! The AWS configuration every client shares, loaded once per process.

use aws_config::{BehaviorVersion, SdkConfig};
use tokio::sync::OnceCell;

/// Region, credentials and endpoint from the environment, as the AWS SDKs
/// read them (`AWS_ENDPOINT_URL` points every client at a local stand-in).
pub async fn config() -> &'static SdkConfig {
    static CONFIG: OnceCell<SdkConfig> = OnceCell::const_new();
    CONFIG.get_or_init(|| aws_config::defaults(BehaviorVersion::latest()).load()).await
}
