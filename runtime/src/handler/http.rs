//! HTTP handlers: axum handlers (extractors in, `IntoResponse` out) served
//! through `lambda_http`, so a local dev server can serve the same router.
//!
//! Every error a client can cause answers with a status and a JSON body
//! `{"error": ".."}`: unknown routes (404), wrong methods (405), and bodies,
//! paths or queries that do not decode (4xx from the extractors below).

use super::{bad_payload, guarded, to_value, BoxFuture, BoxedHandler, Context, Handler};
use crate::trigger::HttpMethod;
use crate::Error;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, LambdaEvent, Service};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The routes of one action, all served by `handler` (the user's fn, or a
/// closure over its extractors that passes its capabilities along).
pub fn routes<H, T>(routes: &'static [(HttpMethod, &'static str)], handler: H) -> BoxedHandler
where
    H: axum::handler::Handler<T, ()>,
    T: 'static,
{
    Box::new(Http { router: router(routes, handler) })
}

/// The axum router for one action's routes: API Gateway's `{key+}` becomes
/// axum's `{*key}`; methods on one path share one entry.
pub fn router<H, T>(routes: &[(HttpMethod, &str)], handler: H) -> Router
where
    H: axum::handler::Handler<T, ()>,
    T: 'static,
{
    let mut by_path: BTreeMap<String, Vec<HttpMethod>> = BTreeMap::new();
    for (method, path) in routes {
        by_path.entry(axum_path(path)).or_default().push(*method);
    }
    let mut router = Router::new();
    for (path, methods) in by_path {
        let filter = methods.iter().map(|m| method_filter(*m)).collect::<Option<Vec<_>>>();
        let route: MethodRouter = match filter.and_then(|f| f.into_iter().reduce(MethodFilter::or)) {
            Some(filter) => on(filter, handler.clone()),
            None => axum::routing::any(handler.clone()),
        };
        router = router.route(&path, route);
    }
    router.fallback(not_found).method_not_allowed_fallback(method_not_allowed)
}

/// `None` for `ANY`.
fn method_filter(method: HttpMethod) -> Option<MethodFilter> {
    Some(match method {
        HttpMethod::Get => MethodFilter::GET,
        HttpMethod::Post => MethodFilter::POST,
        HttpMethod::Put => MethodFilter::PUT,
        HttpMethod::Patch => MethodFilter::PATCH,
        HttpMethod::Delete => MethodFilter::DELETE,
        HttpMethod::Head => MethodFilter::HEAD,
        HttpMethod::Options => MethodFilter::OPTIONS,
        HttpMethod::Any => return None,
    })
}

fn axum_path(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            Some(greedy) => format!("{{*{greedy}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct Http {
    router: Router,
}

impl Handler for Http {
    fn call<'a>(&'a self, payload: &'a str, context: Context) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let request: LambdaRequest =
                serde_json::from_str(payload).map_err(|e| bad_payload("an HTTP API request", e))?;
            // The adapter is not `Send`; only its future is held across the await.
            let future = Adapter::from(self.router.clone()).call(LambdaEvent::new(request, context));
            let response = guarded(async move {
                match future.await {
                    Ok(response) => Ok::<_, Error>(response),
                    Err(never) => match never {},
                }
            });
            to_value(response.await?)
        })
    }
}

/// A JSON error response: `{"error": message}`.
pub fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message.into() }))).into_response()
}

async fn not_found(method: Method, uri: Uri) -> Response {
    json_error(StatusCode::NOT_FOUND, format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    json_error(StatusCode::METHOD_NOT_ALLOWED, format!("{} does not accept {method}", uri.path()))
}

/// A JSON body, decoded as `T`; a body that does not decode answers 400,
/// 415 or 422 with a JSON error. As a response, `T` serialized as JSON.
#[derive(Clone, Copy, Debug, Default)]
pub struct Json<T>(pub T);

/// Path parameters (`/orders/{id}`), decoded as `T`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Path<T>(pub T);

/// The query string, decoded as `T`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query<T>(pub T);

/// The signed-in user's token claims (`sub`, `email`, ..) on a route with
/// `auth = pool`, as the HTTP API's JWT authorizer verified them. Without a
/// verified token (a public route) it answers 401.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claims(pub BTreeMap<String, String>);

impl Claims {
    /// The user's stable id (the `sub` claim).
    pub fn subject(&self) -> Option<&str> {
        self.0.get("sub").map(String::as_str)
    }

    pub fn get(&self, claim: &str) -> Option<&str> {
        self.0.get(claim).map(String::as_str)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Claims {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        use lambda_http::request::RequestContext;
        let claims = match parts.extensions.get::<RequestContext>() {
            Some(RequestContext::ApiGatewayV2(context)) => {
                context.authorizer.as_ref().and_then(|a| a.jwt.as_ref()).map(|jwt| &jwt.claims)
            }
            _ => None,
        };
        match claims {
            Some(claims) => Ok(Claims(claims.iter().map(|(k, v)| (k.clone(), v.clone())).collect())),
            None => Err(json_error(StatusCode::UNAUTHORIZED, "this route needs a signed-in user")),
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_error(rejection.status(), rejection.body_text())),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(json_error(rejection.status(), rejection.body_text())),
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(json_error(rejection.status(), rejection.body_text())),
        }
    }
}
