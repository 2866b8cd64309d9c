//! The app's routes on one local server, answered as the HTTP API answers
//! them: a request matches the most specific route (literal segments over
//! `{param}` over `{greedy+}`, a method over `ANY`) or is API Gateway's
//! 404; a route with `auth` needs a token (the page hands them out) or is
//! its 401; the action gets the payload 2.0 event and its adapter's answer
//! goes back as the response (a failed invocation is API Gateway's 500).

use super::clock::{now_ms, request_time};
use super::{control, token, Dev, ACCOUNT};
use crate::trigger::{HttpMethod, TriggerKind};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};
use std::cmp::Reverse;
use std::sync::Arc;

/// Every route of the app.
pub struct Routes(Vec<Route>);

struct Route {
    method: HttpMethod,
    /// The route key: `GET /orders/{id}`.
    key: String,
    segments: Vec<Segment>,
    action: String,
    auth: Option<String>,
}

#[derive(PartialEq)]
enum Segment {
    Literal(String),
    Param(String),
    Greedy(String),
}

impl Routes {
    pub fn of(app: &crate::model::App) -> Routes {
        let mut routes = Vec::new();
        for action in &app.actions {
            for trigger in &action.triggers {
                let TriggerKind::Http(route) = &trigger.kind else { continue };
                routes.push(Route::new(route.method, &route.path, &action.name, route.auth.clone()));
            }
        }
        Routes(routes)
    }

    /// The route that serves `method path`, and its path parameters.
    fn find(&self, method: &str, path: &str) -> Option<(&Route, Map<String, Value>)> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.0
            .iter()
            .filter(|r| r.method == HttpMethod::Any || r.method.as_str() == method)
            .filter_map(|route| route.matches(&parts).map(|params| (route, params)))
            .max_by_key(|(route, _)| (route.specificity(), Reverse(route.method == HttpMethod::Any)))
    }
}

impl Route {
    fn new(method: HttpMethod, path: &str, action: &str, auth: Option<String>) -> Route {
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => match name.strip_suffix('+') {
                    Some(greedy) => Segment::Greedy(greedy.to_owned()),
                    None => Segment::Param(name.to_owned()),
                },
                None => Segment::Literal(s.to_owned()),
            })
            .collect();
        Route { method, key: format!("{method} {path}"), segments, action: action.to_owned(), auth }
    }

    fn matches(&self, parts: &[&str]) -> Option<Map<String, Value>> {
        let mut params = Map::new();
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Greedy(name) if i < parts.len() => {
                    params.insert(name.clone(), json!(super::aws::percent_decoded(&parts[i..].join("/"))));
                    return Some(params);
                }
                Segment::Literal(literal) if parts.get(i) == Some(&literal.as_str()) => {}
                Segment::Param(name) if i < parts.len() => {
                    params.insert(name.clone(), json!(super::aws::percent_decoded(parts[i])));
                }
                _ => return None,
            }
        }
        (parts.len() == self.segments.len()).then_some(params)
    }

    /// Literal segments rank over parameters, parameters over greedy ones.
    fn specificity(&self) -> Vec<u8> {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(_) => 2,
                Segment::Param(_) => 1,
                Segment::Greedy(_) => 0,
            })
            .collect()
    }
}

pub fn router(dev: Arc<Dev>) -> Router {
    control::router().fallback(serve).with_state(dev)
}

fn gateway(status: StatusCode, message: &str) -> Response {
    (status, [("content-type", "application/json")], json!({ "message": message }).to_string()).into_response()
}

async fn serve(State(dev): State<Arc<Dev>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 10 * 1024 * 1024).await else {
        return gateway(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large");
    };
    let path = parts.uri.path();
    let Some((route, params)) = dev.routes.find(parts.method.as_str(), path) else {
        return gateway(StatusCode::NOT_FOUND, "Not Found");
    };
    let mut claims = None;
    if let Some(pool) = &route.auth {
        let bearer = parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let token = bearer.strip_prefix("Bearer ").unwrap_or(bearer);
        let key = dev.state().token_key.clone();
        match token::verify(&key, pool, token, now_ms() / 1000) {
            Some(verified) => claims = Some(verified),
            None => return gateway(StatusCode::UNAUTHORIZED, "Unauthorized"),
        }
    }
    let event = event(route, params, &parts, &body, claims);
    match dev.invoke(&route.action, route.key.clone(), event).await {
        Ok(answer) => response(&answer),
        Err(_) => gateway(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
    }
}

/// The payload 2.0 event API Gateway sends for this request.
fn event(
    route: &Route,
    params: Map<String, Value>,
    parts: &axum::http::request::Parts,
    body: &[u8],
    claims: Option<Map<String, Value>>,
) -> Value {
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(joined)) => *joined = format!("{joined},{value}"),
            _ => {
                headers.insert(name.as_str().to_owned(), json!(value));
            }
        }
    }
    let query = parts.uri.query().unwrap_or_default();
    let mut parameters = Map::new();
    for (name, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default() {
        match parameters.get_mut(&name) {
            Some(Value::String(joined)) => *joined = format!("{joined},{value}"),
            _ => {
                parameters.insert(name, json!(value));
            }
        }
    }
    let cookies: Vec<&str> =
        parts.headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split("; ")).collect();
    let text = std::str::from_utf8(body).ok();
    let now = now_ms();
    let mut event = json!({
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": parts.uri.path(),
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "dev",
            "domainName": parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost"),
            "domainPrefix": "dev",
            "http": {
                "method": parts.method.as_str(),
                "path": parts.uri.path(),
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": parts.headers.get("user-agent").and_then(|h| h.to_str().ok()).unwrap_or(""),
            },
            "requestId": format!("dev-{now}"),
            "routeKey": route.key,
            "stage": "$default",
            "time": request_time(now),
            "timeEpoch": now,
        },
        "isBase64Encoded": text.is_none(),
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !parameters.is_empty() {
        event["queryStringParameters"] = Value::Object(parameters);
    }
    if !params.is_empty() {
        event["pathParameters"] = Value::Object(params);
    }
    if !body.is_empty() {
        event["body"] = json!(text.map_or_else(|| STANDARD.encode(body), str::to_owned));
    }
    if let Some(claims) = claims {
        event["requestContext"]["authorizer"] = json!({ "jwt": { "claims": claims, "scopes": null } });
    }
    event
}

/// The HTTP response for an adapter's payload 2.0 answer.
fn response(answer: &Value) -> Response {
    let status = answer["statusCode"].as_u64().and_then(|s| StatusCode::from_u16(s as u16).ok());
    let mut headers = HeaderMap::new();
    let mut add = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.append(name, value);
        }
    };
    for (name, value) in answer["headers"].as_object().into_iter().flatten() {
        add(name, value.as_str().unwrap_or_default());
    }
    for (name, values) in answer["multiValueHeaders"].as_object().into_iter().flatten() {
        for value in values.as_array().into_iter().flatten() {
            add(name, value.as_str().unwrap_or_default());
        }
    }
    for cookie in answer["cookies"].as_array().into_iter().flatten() {
        add("set-cookie", cookie.as_str().unwrap_or_default());
    }
    let body = answer["body"].as_str().unwrap_or_default();
    let body = if answer["isBase64Encoded"].as_bool() == Some(true) {
        STANDARD.decode(body).unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status.unwrap_or(StatusCode::OK);
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_route_wins_as_in_api_gateway() {
        let routes = Routes(vec![
            Route::new(HttpMethod::Get, "/orders/{id}", "by_id", None),
            Route::new(HttpMethod::Get, "/orders/latest", "latest", None),
            Route::new(HttpMethod::Any, "/orders/{id}", "any", None),
            Route::new(HttpMethod::Get, "/files/{path+}", "files", None),
            Route::new(HttpMethod::Post, "/orders", "place", None),
        ]);
        let found =
            |method: &str, path: &str| routes.find(method, path).map(|(r, p)| (r.action.clone(), Value::Object(p)));
        assert_eq!(found("GET", "/orders/latest"), Some(("latest".into(), json!({}))));
        assert_eq!(found("GET", "/orders/o-1"), Some(("by_id".into(), json!({"id": "o-1"}))));
        assert_eq!(found("DELETE", "/orders/o-1"), Some(("any".into(), json!({"id": "o-1"}))));
        assert_eq!(found("GET", "/files/a/b%20c.txt"), Some(("files".into(), json!({"path": "a/b c.txt"}))));
        assert_eq!(found("GET", "/orders/o%2F1"), Some(("by_id".into(), json!({"id": "o/1"}))));
        assert_eq!(found("GET", "/orders"), None, "no GET on /orders");
        assert_eq!(found("GET", "/files"), None, "a greedy segment needs one segment at least");
        assert_eq!(found("POST", "/orders/o-1/items"), None);
    }
}
