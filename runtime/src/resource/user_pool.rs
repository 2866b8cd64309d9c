//! `UserPool`: a Cognito user pool with one app client, for routes that
//! require a signed-in user (`#[api(GET "/me", auth = users)]`): the HTTP API
//! checks the pool's JWTs before the function runs.

use super::{name_too_long, Grant, Handle, IntoResource, ResourceKind, ResourceSpec, Scope};
use crate::capability::Access;
use crate::cfn::{CfnResource, Fragment, LogicalId, Part, Pseudo, Removal, Value};
use crate::naming::Naming;
use crate::problem::Problem;
use crate::trigger::api;
use crate::wiring::{EdgeKind, NodeId};
use std::collections::BTreeSet;

const MAX_NAME_LEN: usize = 128;
/// NIST's advice for passwords users choose: length over composition rules.
const DEFAULT_MIN_PASSWORD: u32 = 12;
/// What makes CloudFormation replace a pool (a new one, without its users).
const REPLACED_BY: [&str; 3] = ["UsernameAttributes", "AliasAttributes", "Schema"];
const PASSWORD_LENGTH: std::ops::RangeInclusive<u32> = 8..=99;

/// A user pool with an app client, declared with `#[singleton]`:
///
/// ```ignore
/// #[singleton]
/// fn customers() -> UserPool { UserPool::new() }
/// ```
pub struct UserPool {
    spec: UserPoolSpec,
}

/// A user pool's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct UserPoolSpec {
    /// Whether people may sign themselves up (else administrators invite them).
    pub self_sign_up: bool,
    pub min_password_length: u32,
    /// An existing pool and app client to use instead of creating them.
    pub existing: Option<ExistingPool>,
    /// Kept when the stack goes (the default), or deleted with it.
    pub removal: Removal,
}

/// An existing user pool, by id (`eu-west-1_AbCdEf123`), and its app client.
#[derive(Clone, Debug, PartialEq)]
pub struct ExistingPool {
    pub pool_id: String,
    pub client_id: String,
}

impl UserPool {
    /// People sign up with their email address, which Cognito verifies;
    /// passwords of at least 12 characters; app-based MFA available.
    pub fn new() -> UserPool {
        UserPool {
            spec: UserPoolSpec {
                self_sign_up: true,
                min_password_length: DEFAULT_MIN_PASSWORD,
                existing: None,
                removal: Removal::Retain,
            },
        }
    }

    /// An existing pool (`eu-west-1_AbCdEf123`) and the id of its app client
    /// whose tokens routes accept; nothing is created.
    pub fn existing(pool_id: &str, client_id: &str) -> UserPool {
        let existing = ExistingPool { pool_id: pool_id.to_owned(), client_id: client_id.to_owned() };
        UserPool { spec: UserPoolSpec { existing: Some(existing), ..UserPool::new().spec } }
    }

    /// Only administrators create users (they are sent an invitation).
    pub fn invite_only(mut self) -> UserPool {
        self.spec.self_sign_up = false;
        self
    }

    /// Passwords of at least `length` characters (8 to 99).
    pub fn min_password_length(mut self, length: u32) -> UserPool {
        self.spec.min_password_length = length;
        self
    }

    /// Deletes it with the stack (and when a change replaces it), instead
    /// of keeping it and its data in the account: for data nobody needs.
    pub fn delete_with_stack(mut self) -> UserPool {
        self.spec.removal = Removal::Delete;
        self
    }
}

impl Default for UserPool {
    fn default() -> UserPool {
        UserPool::new()
    }
}

impl IntoResource for UserPool {
    fn into_spec(self) -> ResourceSpec {
        ResourceSpec::UserPool(self.spec)
    }

    fn logical_id(name: &str) -> LogicalId {
        logical_id(name)
    }
}

pub fn logical_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "UserPool"])
}

/// The JWT authorizer on HTTP API `api` by which routes with `auth = name`
/// require its users (`OrdersAuthorizer` on the first API, as when there
/// was only one; `OrdersAuthorizerHttpApi1` on another).
pub fn authorizer_id(name: &str, api: &LogicalId) -> LogicalId {
    match api == &api::api_id() {
        true => LogicalId::new(&[name, "Authorizer"]),
        false => LogicalId::new(&[name, "Authorizer", api.as_str()]),
    }
}

pub fn client_id(name: &str) -> LogicalId {
    LogicalId::new(&[name, "UserPoolClient"])
}

impl UserPoolSpec {
    /// The issuer of the pool's tokens, as a JWT authorizer expects it.
    pub fn issuer(&self, name: &str) -> Value {
        match &self.existing {
            // A pool id starts with its region: `eu-west-1_AbCdEf123`.
            Some(existing) => {
                let region = existing.pool_id.split('_').next().unwrap_or_default();
                Value::Sub(vec![
                    format!("https://cognito-idp.{region}.").into(),
                    Pseudo::UrlSuffix.into(),
                    format!("/{}", existing.pool_id).into(),
                ])
            }
            None => Value::Sub(vec![
                "https://cognito-idp.".into(),
                Pseudo::Region.into(),
                ".".into(),
                Pseudo::UrlSuffix.into(),
                "/".into(),
                Part::Ref(logical_id(name)),
            ]),
        }
    }

    /// The app client whose tokens the routes accept.
    pub fn client(&self, name: &str) -> Value {
        match &self.existing {
            Some(existing) => Value::from(existing.client_id.clone()),
            None => Value::reference(&client_id(name)),
        }
    }
}

impl ResourceKind for UserPoolSpec {
    fn handle(&self, name: &str, _naming: &Naming) -> Handle {
        Handle { arn: None, name: None, id: self.existing.is_none().then(|| logical_id(name)) }
    }

    fn kind(&self) -> &'static str {
        "user pool"
    }

    fn is_existing(&self) -> bool {
        self.existing.is_some()
    }

    /// No capability acts on a pool in this version; routes use it with `auth`.
    fn grant(&self, _scope: &Scope<'_>, _access: Access) -> Option<Grant> {
        None
    }

    fn render(&self, scope: &Scope<'_>) -> Fragment {
        let name = &scope.resource.name;
        let physical = scope.naming.physical(name);
        let mut fragment = scope.fragment();
        // A pool that guards routes gives the app's HTTP API a JWT
        // authorizer that trusts its tokens (an existing pool too).
        let pool = NodeId::Resource(name.clone());
        let apis: BTreeSet<&LogicalId> = scope
            .graph
            .edges_from(&pool)
            .filter_map(|edge| match (&edge.kind, &edge.to) {
                (EdgeKind::Auth { .. }, NodeId::Action(action)) => Some(&scope.graph.apis.serving(action).id),
                _ => None,
            })
            .collect();
        for api in apis {
            let jwt = Value::map([("Audience", Value::list([self.client(name)])), ("Issuer", self.issuer(name))]);
            fragment.add(
                &authorizer_id(name, api),
                CfnResource::new(
                    "AWS::ApiGatewayV2::Authorizer",
                    Value::map([
                        ("ApiId", Value::reference(api)),
                        ("Name", Value::from(physical.clone())),
                        ("AuthorizerType", Value::from("JWT")),
                        ("IdentitySource", Value::list([Value::from("$request.header.Authorization")])),
                        ("JwtConfiguration", jwt),
                    ]),
                ),
            );
        }
        if self.existing.is_some() {
            return fragment;
        }
        let pool = logical_id(name);
        let email = || Value::list([Value::from("email")]);
        let password = Value::map([
            ("MinimumLength", Value::from(self.min_password_length)),
            ("RequireLowercase", Value::from(false)),
            ("RequireUppercase", Value::from(false)),
            ("RequireNumbers", Value::from(false)),
            ("RequireSymbols", Value::from(false)),
            ("TemporaryPasswordValidityDays", Value::from(7)),
        ]);
        let recovery = Value::map([(
            "RecoveryMechanisms",
            Value::list([Value::map([("Name", Value::from("verified_email")), ("Priority", Value::from(1))])]),
        )]);
        let properties = Value::map([
            ("UserPoolName", Value::from(physical.clone())),
            ("UsernameAttributes", email()),
            ("AutoVerifiedAttributes", email()),
            ("Policies", Value::map([("PasswordPolicy", password)])),
            ("MfaConfiguration", Value::from("OPTIONAL")),
            ("EnabledMfas", Value::list([Value::from("SOFTWARE_TOKEN_MFA")])),
            ("AccountRecoverySetting", recovery),
            ("AdminCreateUserConfig", Value::map([("AllowAdminCreateUserOnly", Value::from(!self.self_sign_up))])),
        ]);
        fragment.add(
            &pool,
            CfnResource::new("AWS::Cognito::UserPool", properties).holding_data(&REPLACED_BY, self.removal),
        );
        // A public client (a browser or app): no secret, sign-in by SRP,
        // and no hint whether an address has an account.
        let flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"].map(Value::from);
        let client = Value::map([
            ("UserPoolId", Value::reference(&pool)),
            ("ClientName", Value::from(physical)),
            ("GenerateSecret", Value::from(false)),
            ("ExplicitAuthFlows", Value::list(flows)),
            ("PreventUserExistenceErrors", Value::from("ENABLED")),
            ("EnableTokenRevocation", Value::from(true)),
        ]);
        fragment.add(&client_id(name), CfnResource::new("AWS::Cognito::UserPoolClient", client));
        fragment.output(
            LogicalId::new(&[name, "UserPoolId"]),
            format!("Id of user pool `{name}`"),
            Value::reference(&pool),
        );
        fragment.output(
            LogicalId::new(&[name, "UserPoolClientId"]),
            format!("App client id of user pool `{name}`"),
            Value::reference(&client_id(name)),
        );
        fragment
    }

    fn problems(&self, scope: &Scope<'_>) -> Vec<Problem> {
        let resource = scope.resource;
        if let Some(existing) = &self.existing {
            let valid = matches!(existing.pool_id.split_once('_'), Some((region, id)) if region.contains('-') && !id.is_empty())
                && !existing.client_id.is_empty();
            return if valid {
                Vec::new()
            } else {
                vec![Problem::new(format!(
                    "user pool `{}` names pool `{}` and client `{}`, which is not a pool id and an app client id",
                    resource.name, existing.pool_id, existing.client_id
                ))
                .at(resource.defined_at, "declared here")
                .help("write `UserPool::existing(\"eu-west-1_AbCdEf123\", \"<app client id>\")`")]
            };
        }
        let mut problems: Vec<Problem> =
            name_too_long(scope, &scope.naming.physical(&resource.name), MAX_NAME_LEN, "user pool")
                .into_iter()
                .collect();
        if !PASSWORD_LENGTH.contains(&self.min_password_length) {
            problems.push(
                Problem::new(format!(
                    "user pool `{}` asks for passwords of at least {} characters; Cognito allows 8 to 99",
                    resource.name, self.min_password_length
                ))
                .at(resource.defined_at, "declared here"),
            );
        }
        problems
    }
}
