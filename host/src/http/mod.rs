//! The HTTP host (`missions serve`): a multi-tenant JSON API over the engine. [`router`] builds the
//! whole service from an [`AppState`] so tests drive it without a socket; [`server`] binds it,
//! watches `--rules` and shuts down gracefully. Handlers are thin: they authenticate, parse, call
//! the engine or the store (blocking work off the async threads), and answer; every error is an
//! [`ApiError`] rendered as `application/problem+json`.

mod admin;
mod answers;
mod audit;
mod auth;
mod blocking;
mod body;
mod calendar;
mod clocks;
mod dry_run;
mod error;
mod etag;
mod idempotency;
mod keys;
mod lang;
mod metrics;
mod migrate;
mod missions;
mod models;
mod openapi;
mod ops;
mod packs;
mod params;
mod plugins;
mod request_id;
pub mod server;
mod state;
mod tenant_keys;
mod tickets;
mod ui;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

pub use audit::AuditLog;
pub use auth::Principal;
pub use error::{ApiError, FieldError, PROBLEM_BASE, Problem, ProblemKind, pointer};
pub use keys::{IssuedKey, hash_key, issue_key};
pub use openapi::openapi;
pub use state::{
    AdminKey, AppState, Clock, DEFAULT_AUDIT_RETENTION_DAYS, FixedClock, Limits, ServiceConfig, StartError, Startup,
    SystemClock, TicketRules,
};

/// The whole service: every route, with body limits, metrics and problem+json fallbacks.
pub fn router(state: AppState) -> Router {
    let limits = state.0.limits;
    let idempotent = axum::middleware::from_fn_with_state(state.clone(), idempotency::guard);
    let api = Router::new()
        .route("/v1/packs", get(packs::list))
        .route("/v1/packs/{pack}", get(packs::show))
        .route("/v1/packs/{pack}/{entry}", post(packs::evaluate))
        .route(
            "/v1/admin/packs/{pack}",
            put(packs::upload).get(packs::files).layer(DefaultBodyLimit::max(limits.pack_body_bytes)),
        )
        .route("/v1/admin/packs/{pack}/rollback", post(packs::rollback))
        .route("/v1/admin/packs/{pack}/candidate", get(dry_run::candidate))
        .route("/v1/admin/packs/{pack}/params", get(params::show_params).post(params::change_params))
        .route("/v1/admin/tenants", post(admin::create_tenant).layer(idempotent.clone()).get(admin::list_tenants))
        .route("/v1/admin/tenants/{id}/keys", post(tenant_keys::issue).layer(idempotent.clone()).get(tenant_keys::list))
        .route("/v1/admin/tenants/{id}/keys/{key_id}", axum::routing::delete(tenant_keys::revoke))
        .route("/v1/admin/audit", get(admin::audit))
        .route("/v1/admin/audit/inputs", get(admin::audit_inputs))
        .route("/v1/admin/tenants/{id}/plugins", get(plugins::list))
        .route(
            "/v1/admin/tenants/{id}/plugins/{name}",
            put(plugins::put).get(plugins::show).delete(plugins::delete).layer(DefaultBodyLimit::max(
                limits.pack_body_bytes.max(crate::service::plugins::MAX_PLUGIN_BYTES * 4 / 3 + 65536),
            )),
        )
        .route("/v1/admin/tenants/{id}/plugins/{name}/history", get(plugins::history))
        .route("/v1/admin/tenants/{id}/plugins/{name}/rollback", post(plugins::rollback))
        .route("/v1/tickets", post(tickets::create).layer(idempotent.clone()).get(clocks::list))
        .route("/v1/tickets/{number}", get(clocks::show))
        .route("/v1/tickets/{number}/events", post(clocks::add_event).layer(idempotent.clone()))
        .route("/v1/usage", get(tickets::usage))
        .route("/v1/models", get(models::list))
        .route("/v1/models/{id}", put(models::put).get(models::show))
        .route("/v1/models/{id}/versions", get(models::versions))
        .route("/v1/models/{id}/versions/{version}", get(models::version))
        .route("/v1/models/{id}/migrate", post(migrate::model))
        .route("/v1/missions", post(missions::create_mission).layer(idempotent.clone()).get(missions::list_missions))
        .route("/v1/missions/{id}", get(missions::show_mission))
        .route("/v1/missions/{id}/state", put(missions::put_state))
        .route("/v1/missions/{id}/dashboard", get(missions::dashboard))
        .route("/v1/missions/{id}/migrate", post(migrate::mission))
        .route("/v1/tenant/calendar", get(calendar::show).put(calendar::put))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/ui", get(ui::root))
        .route("/ui/", get(ui::index))
        .route("/ui/{file}", get(ui::file))
        .route("/docs", get(ui::docs))
        .fallback(ops::not_found)
        .method_not_allowed_fallback(ops::method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.body_bytes));
    api.layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(axum::middleware::from_fn(request_id::assign))
        .layer(axum::middleware::from_fn(lang::scope))
        .with_state(state)
}
