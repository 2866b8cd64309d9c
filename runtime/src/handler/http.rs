//! HTTP handlers: axum handlers (extractors in, `IntoResponse` out) served
//! through `lambda_http`, so a local dev server can serve the same router.
//!
//! Every error a client can cause answers with a status and a JSON body
//! `{"error": ".."}`: unknown routes (404), wrong methods (405), and bodies,
//! paths or queries that do not decode (4xx from the extractors below).

use super::{bad_payload, guarded, to_value, BoxFuture, BoxedHandler, Callee, Context, Handler};
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
use std::sync::Arc;

/// The routes of one action, all served by `handler`.
pub fn routes<H, T>(routes: &'static [(HttpMethod, &'static str)], handler: H) -> BoxedHandler
where
    H: Endpoint<T>,
    T: 'static,
{
    Box::new(Http { router: router(routes, handler.endpoint()) })
}

/// An action's fn of axum extractors, as an axum handler whose type depends
/// on its extractors and response only (see [`Callee`]): axum's per-handler
/// machinery (extraction, routing, boxing into a service) is compiled once
/// per signature rather than once per action. `T` is axum's marker for the
/// extractors.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot serve HTTP routes",
    label = "a parameter of this handler is neither an axum extractor nor a capability",
    note = "the error on the parameter says which; a route handler takes at most 16 extractors, and only the last may read the body"
)]
pub trait Endpoint<T>: Sized {
    fn endpoint(self) -> impl axum::handler::Handler<T, ()>;
}

/// `Endpoint` for fns of each number of extractors axum takes: all but the
/// last read the request's parts, the last may read its body.
macro_rules! endpoints {
    ($($arg:ident),*; $last:ident) => {
        #[allow(non_snake_case)]
        impl<R, M, $($arg,)* $last> Endpoint<(M, $($arg,)* $last,)> for Callee<($($arg,)* $last,), R>
        where
            R: IntoResponse + 'static,
            M: 'static,
            $($arg: FromRequestParts<()> + Send + 'static,)*
            $last: FromRequest<(), M> + Send + 'static,
        {
            fn endpoint(self) -> impl axum::handler::Handler<(M, $($arg,)* $last,), ()> {
                let callee = Arc::new(self);
                move |$($arg,)* $last| callee.call(($($arg,)* $last,))
            }
        }
    };
}

endpoints!(; T1);
endpoints!(T1; T2);
endpoints!(T1, T2; T3);
endpoints!(T1, T2, T3; T4);
endpoints!(T1, T2, T3, T4; T5);
endpoints!(T1, T2, T3, T4, T5; T6);
endpoints!(T1, T2, T3, T4, T5, T6; T7);
endpoints!(T1, T2, T3, T4, T5, T6, T7; T8);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8; T9);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9; T10);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10; T11);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11; T12);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12; T13);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13; T14);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14; T15);
endpoints!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15; T16);

/// No extractors.
impl<R: IntoResponse + 'static> Endpoint<((),)> for Callee<(), R> {
    fn endpoint(self) -> impl axum::handler::Handler<((),), ()> {
        let callee = Arc::new(self);
        move || callee.call(())
    }
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

#[cfg(test)]
mod tests {
    use super::Endpoint;
    use crate::handler::{BoxFuture, Callee, Capabilities};
    use axum::extract::Path;
    use std::any::{Any, TypeId};

    fn type_of<T: Any>(_: &T) -> TypeId {
        TypeId::of::<T>()
    }

    // As the macros generate them: the user's fn, called with the decoded
    // extractors, its future boxed.
    fn first(_: &Capabilities, (Path(id),): (Path<u64>,)) -> BoxFuture<'static, String> {
        Box::pin(async move { format!("first {id}") })
    }

    fn second(_: &Capabilities, (Path(id),): (Path<u64>,)) -> BoxFuture<'static, String> {
        Box::pin(async move { format!("second {id}") })
    }

    fn other(_: &Capabilities, (Path(name),): (Path<String>,)) -> BoxFuture<'static, String> {
        Box::pin(async move { name })
    }

    /// What keeps a big app's build small: axum's code is compiled per
    /// extractor tuple and response, not per handler fn.
    #[test]
    fn handlers_of_one_signature_are_one_axum_handler_type() {
        fn callee<A, R>(call: fn(&Capabilities, A) -> BoxFuture<'static, R>) -> Callee<A, R> {
            Callee::new(call, Capabilities::default())
        }
        let (first, second, other) = (callee(first).endpoint(), callee(second).endpoint(), callee(other).endpoint());
        assert_eq!(type_of(&first), type_of(&second));
        assert_ne!(type_of(&first), type_of(&other));
    }
}
