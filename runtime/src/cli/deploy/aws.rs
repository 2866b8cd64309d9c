//! The AWS clients deploy uses, from `aws-config`'s standard chain, and one
//! clear line for each way a call to AWS can fail.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::config::ProvideCredentials;
use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// Attempts per call, with exponential backoff, before throttling is
/// reported (`AWS_MAX_ATTEMPTS` overrides it).
const MAX_ATTEMPTS: u32 = 8;

/// The clients of one account and region.
pub struct Aws {
    pub cloudformation: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
    pub region: String,
    /// S3 is a local stand-in reached without TLS, so a bucket policy
    /// requiring TLS would lock deploy out.
    pub plain_http: bool,
}

/// Where to deploy: `--region` and `--profile`, else the standard chain.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub region: Option<String>,
    pub profile: Option<String>,
}

impl Aws {
    /// Loads the configuration and checks there are credentials and a
    /// region, so a missing one is one line before any call is made.
    pub async fn connect(account: &Account) -> Result<Aws, String> {
        let attempts = std::env::var("AWS_MAX_ATTEMPTS").ok().and_then(|n| n.parse().ok()).unwrap_or(MAX_ATTEMPTS);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(attempts));
        if let Some(region) = &account.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(profile) = &account.profile {
            loader = loader.profile_name(profile);
        }
        let config = loader.load().await;
        let Some(region) = config.region().map(|r| r.to_string()) else {
            return Err("error: no AWS region is configured\nhelp: pass `--region eu-west-1`, set AWS_REGION, or set \
                        `region` for the profile in ~/.aws/config"
                .to_owned());
        };
        let Some(credentials) = config.credentials_provider() else {
            return Err(no_credentials("no credentials provider is configured"));
        };
        if let Err(error) = credentials.provide_credentials().await {
            return Err(no_credentials(&DisplayErrorContext(&error).to_string()));
        }
        // A local stand-in has no per-bucket host names.
        let s3_endpoint =
            std::env::var("AWS_ENDPOINT_URL_S3").ok().or_else(|| config.endpoint_url().map(str::to_owned));
        let path_style = s3_endpoint.is_some();
        let s3 = aws_sdk_s3::config::Builder::from(&config).force_path_style(path_style).build();
        Ok(Aws {
            cloudformation: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3),
            sts: aws_sdk_sts::Client::new(&config),
            region,
            plain_http: s3_endpoint.is_some_and(|url| url.starts_with("http://")),
        })
    }
}

fn no_credentials(cause: &str) -> String {
    format!(
        "error: no AWS credentials ({cause})\nhelp: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass `--profile \
         NAME`, or run `aws sso login`"
    )
}

/// One line saying why `what` failed and what to do about it.
pub fn explain<E>(what: &str, error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let code = error.code().unwrap_or_default();
    let message = error.message().map(str::to_owned).unwrap_or_else(|| DisplayErrorContext(error).to_string());
    match code {
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => format!(
            "error: cannot {what}: the AWS credentials have expired\nhelp: refresh them (`aws sso login`, or new keys) \
             and run again"
        ),
        "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch" | "InvalidAccessKeyId" => {
            format!(
                "error: cannot {what}: AWS does not accept these credentials ({code})\nhelp: check AWS_PROFILE or \
                 AWS_ACCESS_KEY_ID and the secret that goes with it"
            )
        }
        _ if status(error) == Some(403) && code.is_empty() => format!(
            "error: not allowed to {what} (HTTP 403)\nhelp: grant that permission to the identity deploying (`aws sts \
             get-caller-identity` names it)"
        ),
        "AccessDenied" | "AccessDeniedException" | "Forbidden" | "AllAccessDisabled" => format!(
            "error: not allowed to {what}: {message}\nhelp: grant that permission to the identity deploying (`aws sts \
             get-caller-identity` names it)"
        ),
        "Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded" | "SlowDown" => {
            format!(
                "error: cannot {what}: AWS kept throttling the request after retrying with backoff ({message})\nhelp: \
                 wait a minute and run again; other tools deploying in this account share the same rate"
            )
        }
        _ => match error {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => format!(
                "error: cannot {what}: AWS could not be reached ({})\nhelp: check the network, or AWS_ENDPOINT_URL if \
                 you point at a local stand-in",
                DisplayErrorContext(error)
            ),
            _ if code.is_empty() => match status(error) {
                Some(status) => {
                    // What the body says, for endpoints that answer in another
                    // protocol's shape (stand-ins relaying another service's error).
                    let body = error.raw_response().and_then(|r| r.body().bytes()).unwrap_or_default();
                    let body: String = String::from_utf8_lossy(body).chars().take(300).collect();
                    match body.trim() {
                        "" => format!("error: cannot {what}: HTTP {status} with no error code"),
                        body => format!("error: cannot {what}: HTTP {status} with no error code: {body}"),
                    }
                }
                None => format!("error: cannot {what}: {}", DisplayErrorContext(error)),
            },
            _ => format!("error: cannot {what}: {message} ({code})"),
        },
    }
}

/// Whether the error is CloudFormation saying the stack does not exist.
pub fn is_missing_stack<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ValidationError") && error.message().is_some_and(|m| m.contains("does not exist"))
}

/// The HTTP status of a failed call, if a response came back.
pub fn status<E>(error: &SdkError<E, HttpResponse>) -> Option<u16> {
    error.raw_response().map(|response| response.status().as_u16())
}
