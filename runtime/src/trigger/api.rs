//! `#[api(METHOD "/path")]`: a route on the app's one HTTP API, integrated
//! with the action's function, which API Gateway may invoke for that route only.

use super::{invoke_permission, EventSource, Function, Origin, TriggerKind, Wiring};
use crate::cfn::{CfnResource, Fragment, Home, LogicalId, Part, Pseudo, Value};
use crate::kinds::Singleton;
use crate::model::App;
use crate::naming::Naming;
use crate::problem::Problem;
use crate::render;
use crate::resource::{user_pool, UserPool};
use crate::sample;
use crate::wiring::Graph;
use crate::Location;
use std::collections::BTreeMap;
use std::fmt;
use wirestack_aws::option::Declaration;

/// An HTTP method as API Gateway route keys spell it; `Any` matches all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Any,
}

impl HttpMethod {
    const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
        HttpMethod::Head,
        HttpMethod::Options,
        HttpMethod::Any,
    ];

    /// The method a route names (`GET`).
    pub fn named(name: &str) -> Option<HttpMethod> {
        HttpMethod::ALL.into_iter().find(|method| method.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Any => "ANY",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpRoute {
    pub method: HttpMethod,
    pub path: String,
    /// The `UserPool` whose JWTs the route requires; `None` is public.
    pub auth: Option<String>,
}

/// One JSON line per request, with what an on-call engineer asks first.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime","method":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","latencyMs":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}"#;

/// The first HTTP API (an app's only one, unless it has over 300 route
/// handlers) and the base of the others' ids.
pub fn api_id() -> LogicalId {
    LogicalId::new(&[API])
}

const API: &str = "HttpApi";

/// An HTTP API takes at most 300 integrations (a hard quota) and 300 routes
/// (adjustable). Each function is one integration; wirestack keeps to both
/// so that no deploy waits on a quota request.
pub const MAX_INTEGRATIONS: usize = 300;
pub const MAX_ROUTES: usize = 300;

/// Which HTTP API serves each action's routes. While the app has at most
/// 300 route handlers and 300 routes, one API (`HttpApi`) serves them all.
/// Beyond that, routes are grouped by their first path segment (`/orders`)
/// and the groups spread over APIs by a [`trie`](crate::trie) over that
/// segment: a path prefix is served by one API, whose URL changes only if
/// its API splits (then about half its prefixes move to a new one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Apis {
    pub apis: Vec<Api>,
    /// The index in `apis` of each action with routes.
    serving: BTreeMap<String, usize>,
}

/// One HTTP API and what it serves.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    pub id: LogicalId,
    /// The first path segments of its routes, sorted.
    pub prefixes: Vec<String>,
    pub actions: usize,
    pub routes: usize,
    /// Its first route, for messages.
    pub first_route: Location,
}

impl Api {
    /// `/a, /b`, or `120 path prefixes, /a to /z` when the list would be
    /// longer than a CloudFormation description may be.
    pub fn describe_prefixes(&self) -> String {
        let all = format!("/{}", self.prefixes.join(", /"));
        match (self.prefixes.first(), self.prefixes.last()) {
            (Some(first), Some(last)) if all.len() > 200 => {
                format!("{} path prefixes, /{first} to /{last}", self.prefixes.len())
            }
            _ => all,
        }
    }
}

/// The routes under one first path segment.
struct Prefix {
    segment: String,
    actions: Vec<String>,
    routes: usize,
    first_route: Location,
}

impl Apis {
    /// The APIs of `app`'s routes.
    pub fn of(app: &App) -> Apis {
        let mut prefixes: BTreeMap<&str, Prefix> = BTreeMap::new();
        for action in &app.actions {
            let routes: Vec<(&HttpRoute, Location)> = action
                .triggers
                .iter()
                .filter_map(|t| match &t.kind {
                    TriggerKind::Http(route) => Some((route, t.declared_at)),
                    _ => None,
                })
                .collect();
            // An action is one integration, so all its routes share an API:
            // the one of its first route's prefix.
            let Some(segment) = routes.iter().map(|(route, _)| route.segments().next().unwrap_or("")).min() else {
                continue;
            };
            let first = routes.iter().map(|(_, at)| *at).min().expect("an action with routes");
            let prefix = prefixes.entry(segment).or_insert_with(|| Prefix {
                segment: segment.to_owned(),
                actions: Vec::new(),
                routes: 0,
                first_route: first,
            });
            prefix.actions.push(action.name.clone());
            prefix.routes += routes.len();
            prefix.first_route = prefix.first_route.min(first);
        }
        let fits = |prefixes: &[Prefix]| {
            prefixes.iter().map(|p| p.actions.len()).sum::<usize>() <= MAX_INTEGRATIONS
                && prefixes.iter().map(|p| p.routes).sum::<usize>() <= MAX_ROUTES
        };
        let all: Vec<Prefix> = prefixes.into_values().collect();
        // While everything fits, the trie's one leaf is `HttpApi`.
        let leaves = crate::trie::leaves(all, |p| crate::trie::hash(&p.segment), fits);
        // Leaves come in prefix order, so the ids are sorted too.
        let mut apis = Apis::default();
        for leaf in leaves.into_iter().filter(|leaf| !leaf.items.is_empty()) {
            let index = apis.apis.len();
            let id = leaf.name(API);
            let mut api =
                Api { id, prefixes: Vec::new(), actions: 0, routes: 0, first_route: leaf.items[0].first_route };
            for prefix in leaf.items {
                api.actions += prefix.actions.len();
                api.routes += prefix.routes;
                api.first_route = api.first_route.min(prefix.first_route);
                api.prefixes.push(prefix.segment);
                apis.serving.extend(prefix.actions.into_iter().map(|action| (action, index)));
            }
            api.prefixes.sort();
            apis.apis.push(api);
        }
        apis
    }

    /// The API serving `action`'s routes.
    pub fn serving(&self, action: &str) -> &Api {
        &self.apis[self.serving[action]]
    }
}

impl HttpRoute {
    /// The route as `#[api(..)]` declares it: the path, its `method` and `auth`.
    pub(super) fn declared(declaration: &Declaration<'_>) -> HttpRoute {
        HttpRoute {
            method: declaration.text("method").and_then(HttpMethod::named).unwrap_or(HttpMethod::Any),
            path: declaration.target_text().unwrap_or("/").to_owned(),
            auth: declaration.text("auth").map(str::to_owned),
        }
    }

    /// `GET /orders/{id}`, as API Gateway keys routes.
    pub fn route_key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The path with parameter names erased: `/orders/{id}` and
    /// `/orders/{key}` are the same route to API Gateway.
    pub fn shape(&self) -> String {
        self.segments().map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/")
    }

    fn segments(&self) -> impl Iterator<Item = &str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }

    /// `RouteGetOrdersById` for `GET /orders/{id}`.
    pub fn logical_id(&self) -> LogicalId {
        let method = match self.method {
            HttpMethod::Any => "Any".to_owned(),
            m => m.as_str()[..1].to_owned() + &m.as_str()[1..].to_ascii_lowercase(),
        };
        let mut parts = vec!["Route".to_owned(), method];
        for segment in self.segments() {
            match segment.strip_prefix('{') {
                Some(param) => parts.push(format!("By_{}", param.trim_end_matches(['}', '+']))),
                None => parts.push(segment.to_owned()),
            }
        }
        if self.path == "/" {
            parts.push("Root".to_owned());
        }
        LogicalId::new(&parts)
    }

    /// `*/GET/orders/*`: the execute-api resource for this route on any
    /// stage, path parameters as wildcards.
    fn source_path(&self) -> String {
        let method = if self.method == HttpMethod::Any { "*" } else { self.method.as_str() };
        let path: Vec<&str> = self.segments().map(|s| if s.starts_with('{') { "*" } else { s }).collect();
        format!("/*/{method}/{}", path.join("/"))
    }
}

/// Each HTTP API and its auto-deployed `$default` stage.
pub fn render_apis<'g>(graph: &'g Graph, naming: &'g Naming) -> impl Iterator<Item = Fragment> + 'g {
    let only = graph.apis.apis.len() == 1;
    graph.apis.apis.iter().map(move |served| {
        // The first keeps the app's stack name, as before there were several.
        let name = match served.id.as_str() {
            API => naming.stack().to_owned(),
            id => format!("{}-{id}", naming.stack()),
        };
        let item = match only {
            true => "#[api] routes (the HTTP API)".to_owned(),
            false => format!("#[api] routes under {} (HTTP API `{}`)", served.describe_prefixes(), served.id),
        };
        let api = served.id.clone();
        let mut fragment = Fragment::new(item, served.first_route, Home::Root);
        fragment.add(
            &api,
            CfnResource::new(
                "AWS::ApiGatewayV2::Api",
                Value::map([("Name", Value::from(name.clone())), ("ProtocolType", Value::from("HTTP"))]),
            ),
        );
        let access_logs = LogicalId::new(&[api.as_str(), "AccessLogs"]);
        fragment.add(&access_logs, render::log_group(format!("/aws/apigateway/{name}-access")));
        fragment.add(
            &LogicalId::new(&[api.as_str(), "Stage"]),
            CfnResource::new(
                "AWS::ApiGatewayV2::Stage",
                Value::map([
                    ("ApiId", Value::reference(&api)),
                    ("StageName", Value::from("$default")),
                    ("AutoDeploy", Value::from(true)),
                    (
                        "AccessLogSettings",
                        Value::map([
                            ("DestinationArn", Value::get_att(&access_logs, "Arn")),
                            ("Format", Value::from(ACCESS_LOG_FORMAT)),
                        ]),
                    ),
                ]),
            ),
        );
        let description = match only {
            true => "Base URL of the HTTP API".to_owned(),
            false => format!("Base URL of the HTTP API serving {}", served.describe_prefixes()),
        };
        fragment.output(
            LogicalId::new(&[api.as_str(), "Url"]),
            description,
            Value::Sub(vec![
                "https://".into(),
                Part::Ref(api),
                ".execute-api.".into(),
                Pseudo::Region.into(),
                ".".into(),
                Pseudo::UrlSuffix.into(),
                "/".into(),
            ]),
        );
        fragment
    })
}

/// A route prefix whose handlers alone are over an HTTP API's quotas.
pub(super) fn over_quota(graph: &Graph) -> Vec<Problem> {
    graph
        .apis
        .apis
        .iter()
        .filter(|api| api.actions > MAX_INTEGRATIONS || api.routes > MAX_ROUTES)
        .map(|api| {
            Problem::new(format!(
                "the routes under {} need {} integrations and {} routes; one HTTP API allows {MAX_INTEGRATIONS} integrations (one per handler, a quota AWS does not raise) and {MAX_ROUTES} routes",
                api.describe_prefixes(),
                api.actions,
                api.routes
            ))
            .at(api.first_route, "the first of them")
            .help("serve several routes from one handler (stack `#[api]` attributes on it), or give some of these routes another first path segment: each first segment is served by one API")
        })
        .collect()
}

impl EventSource for HttpRoute {
    fn name(&self) -> &'static str {
        wirestack_aws::trigger::api::NAME
    }

    fn origin(&self) -> Origin<'_> {
        Origin::Api(self.route_key())
    }

    fn as_written(&self) -> String {
        format!("route `{}` with `auth`", self.route_key())
    }

    fn target(&self) -> Option<(&str, &'static str)> {
        self.auth.as_deref().map(|pool| (pool, "user pool"))
    }

    fn render(&self, function: &Function<'_>, wiring: &mut Wiring<'_>) {
        let api = &function.graph.apis.serving(&function.action.name).id;
        let integration = LogicalId::new(&[&function.action.name, "Integration"]);
        if !wiring.fragment.has(&integration) {
            wiring.fragment.add(
                &integration,
                CfnResource::new(
                    "AWS::ApiGatewayV2::Integration",
                    Value::map([
                        ("ApiId", Value::reference(api)),
                        ("IntegrationType", Value::from("AWS_PROXY")),
                        ("IntegrationUri", Value::get_att(function.id, "Arn")),
                        ("PayloadFormatVersion", Value::from("2.0")),
                    ]),
                ),
            );
        }
        let route = self.logical_id();
        let mut properties = vec![
            ("ApiId", Value::reference(api)),
            ("RouteKey", Value::from(self.route_key())),
            ("Target", Value::Sub(vec!["integrations/".into(), Part::Ref(integration)])),
        ];
        match &self.auth {
            Some(pool) => {
                properties.push(("AuthorizationType", Value::from("JWT")));
                properties.push(("AuthorizerId", Value::reference(&user_pool::authorizer_id(pool, api))));
            }
            None => properties.push(("AuthorizationType", Value::from("NONE"))),
        }
        wiring.fragment.add(&route, CfnResource::new("AWS::ApiGatewayV2::Route", Value::map(properties)));
        let source = Value::arn_in_account("execute-api", [Part::Ref(api.clone()), self.source_path().into()]);
        wiring.fragment.add(
            &LogicalId::new(&[route.as_str(), "Permission"]),
            invoke_permission(function, "apigateway.amazonaws.com", source),
        );
    }

    /// A request for the route, `{param}`s filled in, with a JSON body for
    /// methods that take one.
    fn sample(&self) -> serde_json::Value {
        let method = if self.method == HttpMethod::Any { "GET" } else { self.method.as_str() };
        let path = self.path.split('/').map(|s| if s.starts_with('{') { "example" } else { s }).collect::<Vec<_>>();
        let body = matches!(self.method, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch).then_some("{}");
        sample::http(method, &path.join("/"), body)
    }
}

/// API Gateway allows one route per method and path shape.
pub(super) fn duplicate_routes(app: &App) -> Vec<Problem> {
    let mut problems = Vec::new();
    let routes = app.actions.iter().flat_map(|action| {
        action.triggers.iter().filter_map(|trigger| match &trigger.kind {
            TriggerKind::Http(route) => Some(((route.method, route.shape()), (route.route_key(), trigger.declared_at))),
            _ => None,
        })
    });
    let mut seen: BTreeMap<_, (String, Location)> = BTreeMap::new();
    for (key, (route_key, at)) in routes {
        if let Some((first_key, first_at)) = seen.get(&key) {
            problems.push(
                Problem::new(format!("route `{route_key}` is declared twice"))
                    .at(*first_at, format!("`{first_key}`"))
                    .at(at, format!("`{route_key}`"))
                    .help("give one of them another path or method"),
            );
        } else {
            seen.insert(key, (route_key, at));
        }
    }
    problems
}

/// A resource whose users a route may require.
#[diagnostic::on_unimplemented(
    message = "`auth` names the user pool whose users may call the route, but this singleton is a `{Self}`",
    label = "not a `UserPool`",
    note = "name a `#[singleton]` that returns `UserPool`"
)]
pub trait UserPoolKind {}
impl UserPoolKind for UserPool {}

/// `#[api(.., auth = S)]` compiles only when `S` is a user pool singleton.
pub fn auth<S: Singleton>()
where
    S::Resource: UserPoolKind,
{
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: HttpMethod, path: &str) -> HttpRoute {
        HttpRoute { method, path: path.to_owned(), auth: None }
    }

    #[test]
    fn ids_and_arns_follow_the_path() {
        let r = route(HttpMethod::Get, "/orders/{id}");
        assert_eq!(r.logical_id().as_str(), "RouteGetOrdersById");
        assert_eq!(r.source_path(), "/*/GET/orders/*");
        assert_eq!(r.route_key(), "GET /orders/{id}");
        assert_eq!(route(HttpMethod::Any, "/").source_path(), "/*/*/");
        assert_eq!(route(HttpMethod::Any, "/").logical_id().as_str(), "RouteAnyRoot");
        assert_eq!(route(HttpMethod::Get, "/files/{key+}").source_path(), "/*/GET/files/*");
    }

    #[test]
    fn shape_ignores_parameter_names() {
        assert_eq!(route(HttpMethod::Get, "/a/{id}").shape(), route(HttpMethod::Get, "/a/{key}").shape());
        assert_ne!(route(HttpMethod::Get, "/a/{id}").shape(), route(HttpMethod::Get, "/a/id").shape());
    }
}

#[cfg(test)]
mod model_tests {
    use crate::model::testing::*;

    #[test]
    fn a_duplicate_route_names_both_places() {
        let app = app(
            vec![
                action("a", 10, vec![route(HttpMethod::Get, "/orders/{id}")]),
                action("b", 20, vec![route(HttpMethod::Get, "/orders/{key}")]),
                action("c", 30, vec![route(HttpMethod::Post, "/orders/{id}")]),
            ],
            vec![],
        );
        let problems = problems(&app);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("route `GET /orders/{key}` is declared twice"), "{}", problems[0]);
        assert!(problems[0].contains("src/lib.rs:10:1") && problems[0].contains("src/lib.rs:20:1"), "{}", problems[0]);
    }

    #[test]
    fn an_app_without_routes_has_no_http_api() {
        let template = synthesize(&app(vec![action("a", 1, vec![])], vec![]), None).unwrap().stacks.remove(0).template;
        assert!(!template.resources.contains_key(&LogicalId::new(&["HttpApi"])));
        assert!(template.outputs.is_empty());
        assert!(template.dangling_references().is_empty());
    }

    #[test]
    fn a_route_may_require_users_of_an_existing_pool() {
        use crate::resource::IntoResource as _;
        let members = Resource {
            name: "members".to_owned(),
            defined_at: at(1),
            owner: None,
            spec: crate::UserPool::existing("eu-west-1_AbCdEf123", "5abcclientid").into_spec(),
        };
        let route = TriggerKind::Http(HttpRoute {
            method: HttpMethod::Get,
            path: "/me".to_owned(),
            auth: Some("members".to_owned()),
        });
        let template = synthesize(&app(vec![action("me", 10, vec![route])], vec![members]), None).unwrap();
        let template = template.stacks[0].template.to_json();
        assert!(template["Resources"].get("MembersUserPool").is_none(), "an existing pool is not created");
        assert_eq!(
            template["Resources"]["MembersAuthorizer"]["Properties"]["JwtConfiguration"],
            serde_json::json!({
                "Audience": ["5abcclientid"],
                "Issuer": {"Fn::Sub": "https://cognito-idp.eu-west-1.${AWS::URLSuffix}/eu-west-1_AbCdEf123"},
            })
        );
    }
}
