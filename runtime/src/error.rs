//! `wirestack::Error`: what handlers return. Any error converts into it with
//! `?`; over HTTP it becomes a JSON response with a status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::fmt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An error from a handler. Converts from any `std::error::Error`, `String`
/// or `&str`, so `?` works in handlers; `Error::status` makes one that an HTTP
/// client should see (a 4xx), while any other error is a 500 whose details
/// stay in the logs.
pub struct Error {
    source: BoxError,
    status: Option<StatusCode>,
}

impl Error {
    /// An error reported to the HTTP client with `status` and this message.
    pub fn status(status: StatusCode, message: impl Into<String>) -> Error {
        Error { source: message.into().into(), status: Some(status) }
    }

    /// The HTTP status this error answers with (500 unless set).
    pub fn http_status(&self) -> StatusCode {
        self.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The underlying error.
    pub fn source(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }
}

// Not `std::error::Error` itself, so this blanket conversion does not
// overlap `From<T> for T` (the anyhow pattern).
impl<E: Into<BoxError>> From<E> for Error {
    fn from(error: E) -> Error {
        Error { source: error.into(), status: None }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)?;
        let mut cause = self.source.source();
        while let Some(inner) = cause {
            write!(f, ": {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.http_status();
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "handler failed");
            "internal error; see the function's logs".to_owned()
        } else {
            self.to_string()
        };
        crate::handler::http::json_error(status, message)
    }
}
