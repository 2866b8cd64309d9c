//! The page and what it (and tests) drive, under `/_dev`: the state as
//! JSON (waiting for the next change when asked), and the buttons —
//! send to a queue, send a dead-letter queue's messages back, retry
//! hidden messages now, fire a schedule, invoke an action with an event,
//! sign a token for a user pool.

use super::clock::now_ms;
use super::{bucket, next_change, page, queue, schedule, table, token, Dev};
use crate::resource::ResourceSpec;
use crate::trigger::TriggerKind;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub fn router() -> Router<Arc<Dev>> {
    Router::new()
        .route("/_dev", get(|State(dev): State<Arc<Dev>>| async move { Html(page::render(&dev)) }))
        .route("/_dev/", get(|| async { Redirect::permanent("/_dev") }))
        .route("/_dev/api/state", get(state))
        .route("/_dev/api/queues/{queue}/send", post(send))
        .route("/_dev/api/queues/{queue}/redrive", post(redrive))
        .route("/_dev/api/queues/{queue}/retry", post(retry))
        .route("/_dev/api/actions/{action}/invoke", post(invoke))
        .route("/_dev/api/actions/{action}/fire", post(fire))
        .route("/_dev/api/pools/{pool}/token", post(sign))
        .route("/_dev/api/buckets/{bucket}/objects", post(put_object))
}

#[derive(Deserialize)]
struct Since {
    /// Only invocations that ended after this one (by `seq`).
    #[serde(default)]
    after: u64,
    /// Wait up to 20 s for a state newer than this version first.
    version: Option<u64>,
}

async fn state(State(dev): State<Arc<Dev>>, Query(query): Query<Since>) -> Json<Value> {
    if let Some(seen) = query.version {
        let mut changes = dev.changes();
        let until = now_ms() + 20_000;
        while *changes.borrow_and_update() <= seen && now_ms() < until && dev.taking_work() {
            next_change(&mut changes, Duration::from_millis(until - now_ms())).await;
        }
    }
    Json(snapshot(&dev, query.after))
}

/// What the page shows, as JSON.
pub fn snapshot(dev: &Dev, after: u64) -> Value {
    let queues = queue::names(dev);
    let state = dev.state();
    let now = now_ms();
    let queues: Vec<Value> = queues
        .iter()
        .map(|name| {
            let messages = state.queues.get(name).map_or(&[][..], |q| &q.messages[..]);
            json!({
                "name": name,
                "dead_letter": queue::settings(dev, name).is_some_and(|s| s.source.is_some()),
                "messages": messages.iter().map(|m| json!({
                    "id": m.id, "body": m.body, "group": m.group, "receives": m.receives,
                    "in_flight": m.visible_ms > now,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let of_kind =
        |kind: &'static str| dev.app.resources.iter().filter(move |r| r.spec.kind() == kind).map(|r| r.name.as_str());
    let tables: Vec<Value> = of_kind("table")
        .map(|name| {
            let items = state.tables.get(name).map(|t| t.items.values().map(table::plain).collect::<Vec<_>>());
            json!({ "name": name, "items": items.unwrap_or_default() })
        })
        .collect();
    let buckets: Vec<Value> = of_kind("bucket")
        .map(|name| {
            let objects = state.buckets.get(name).into_iter().flatten().map(|(key, object)| {
                json!({ "key": key, "size": object.body.len(), "content_type": object.content_type,
                        "preview": String::from_utf8_lossy(&object.body[..object.body.len().min(200)]) })
            });
            json!({ "name": name, "objects": objects.collect::<Vec<_>>() })
        })
        .collect();
    let invocations: Vec<_> = state.invocations.iter().filter(|i| i.seq > after).collect();
    json!({
        "app": dev.app.name,
        "version": dev.version(),
        "build_error": *dev.build_error.lock().unwrap_or_else(|p| p.into_inner()),
        "invocations": invocations,
        "queues": queues,
        "tables": tables,
        "buckets": buckets,
    })
}

fn refused(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn send(State(dev): State<Arc<Dev>>, Path(name): Path<String>, body: String) -> Response {
    let group = queue::settings(&dev, &name).filter(|s| s.fifo).map(|_| "dev".to_owned());
    match queue::send(&dev, &name, body, group, 0) {
        Ok(id) => Json(json!({ "id": id })).into_response(),
        Err(refusal) => refused(StatusCode::BAD_REQUEST, refusal.message),
    }
}

async fn redrive(State(dev): State<Arc<Dev>>, Path(name): Path<String>) -> Response {
    match queue::redrive(&dev, &name).await {
        Ok(count) => Json(json!({ "sent_back": count })).into_response(),
        Err(refusal) => refused(StatusCode::BAD_REQUEST, refusal.message),
    }
}

async fn retry(State(dev): State<Arc<Dev>>, Path(name): Path<String>) -> Json<Value> {
    Json(json!({ "visible": queue::retry_now(&dev, &name) }))
}

/// Runs the action on the event in the body (its trigger's sample event
/// when empty) and answers with what it returned.
async fn invoke(State(dev): State<Arc<Dev>>, Path(action): Path<String>, body: Bytes) -> Response {
    let Some(model) = dev.app.action(&action) else {
        return refused(StatusCode::NOT_FOUND, format!("no action `{action}`"));
    };
    let event = if body.iter().all(u8::is_ascii_whitespace) {
        crate::sample::for_action(model)
    } else {
        match serde_json::from_slice(&body) {
            Ok(event) => event,
            Err(e) => return refused(StatusCode::BAD_REQUEST, format!("the event is not JSON: {e}")),
        }
    };
    match dev.invoke(&action, "page".to_owned(), event).await {
        Ok(output) => Json(json!({ "output": output })).into_response(),
        Err(error) => refused(StatusCode::UNPROCESSABLE_ENTITY, error),
    }
}

/// Fires the action's schedules (each of them) now.
async fn fire(State(dev): State<Arc<Dev>>, Path(action): Path<String>) -> Response {
    let expressions: Vec<String> = dev
        .app
        .action(&action)
        .into_iter()
        .flat_map(|a| &a.triggers)
        .filter_map(|t| match &t.kind {
            TriggerKind::Schedule(s) => Some(s.expression.clone()),
            _ => None,
        })
        .collect();
    if expressions.is_empty() {
        return refused(StatusCode::NOT_FOUND, format!("`{action}` has no schedule"));
    }
    for expression in &expressions {
        schedule::fire(&dev, &action, expression);
    }
    Json(json!({ "fired": expressions })).into_response()
}

#[derive(Deserialize)]
struct User {
    sub: String,
    #[serde(default)]
    email: String,
}

async fn sign(State(dev): State<Arc<Dev>>, Path(pool): Path<String>, Json(user): Json<User>) -> Response {
    if !matches!(dev.app.resource(&pool).map(|r| &r.spec), Some(ResourceSpec::UserPool(_))) {
        return refused(StatusCode::NOT_FOUND, format!("no user pool `{pool}`"));
    }
    let key = dev.state().token_key.clone();
    Json(json!({ "token": token::sign(&key, &pool, &user.sub, &user.email, now_ms() / 1000) })).into_response()
}

#[derive(Deserialize)]
struct Key {
    key: String,
}

async fn put_object(
    State(dev): State<Arc<Dev>>,
    Path(name): Path<String>,
    Query(key): Query<Key>,
    body: Bytes,
) -> Response {
    if dev.app.resource(&name).map(|r| r.spec.kind()) != Some("bucket") {
        return refused(StatusCode::NOT_FOUND, format!("no bucket `{name}`"));
    }
    let etag = bucket::put(&dev, &name, &key.key, body.to_vec(), None);
    Json(json!({ "etag": etag })).into_response()
}
