//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{admin, error, models, ops, packs, plugins, tickets};

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("the admin key, or a tenant key from `POST /v1/admin/tenants`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Missions Engine", description = "Rule packs (pricing, SLA, quotas), mission models and the helpdesk ledger of ESOMUS Missions-Manager. Errors are `application/problem+json`."),
    paths(
        packs::evaluate, packs::list, packs::show, packs::upload, packs::files, packs::rollback,
        tickets::create, tickets::usage,
        models::put, models::show, models::list, models::create_mission, models::show_mission, models::put_state, models::dashboard,
        admin::create_tenant, admin::list_tenants, admin::audit,
        plugins::put, plugins::list, plugins::show, plugins::delete,
        ops::healthz, ops::readyz, ops::metrics, openapi_json,
    ),
    components(schemas(error::Problem, error::FieldError, packs::PackUpload, tickets::TicketRequest, admin::TenantRequest, missions_store::Tenant, plugins::PluginRequest, missions_store::PluginRecord, missions_store::PluginLimits)),
    modifiers(&BearerKey),
    tags(
        (name = "packs", description = "evaluate rule packs; list their versions"),
        (name = "tickets", description = "the helpdesk ledger"),
        (name = "models", description = "a tenant's mission models"),
        (name = "missions", description = "missions planned from models, their state and dashboards"),
        (name = "admin", description = "admin key only: packs, tenants, tenants' plugins, audit"),
        (name = "ops", description = "health, readiness, metrics, this document"),
    )
)]
struct ApiDoc;

/// The OpenAPI document of the service.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops", responses((status = 200, description = "the OpenAPI 3.1 document", body = Object)))]
pub(crate) async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}
