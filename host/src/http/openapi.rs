//! The OpenAPI document, generated from the handlers' `#[utoipa::path]` annotations, completed
//! with what every route shares (the answers to a missing or wrong key, to a body too large, too
//! slow or not JSON), and with the input schema of every loaded pack's entries.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::{
    admin, calendar, clocks, dry_run, error, migrate, missions, models, ops, packs, params, plugins, tenant_keys,
    tickets,
};

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
        tickets::create, tickets::usage, clocks::list, clocks::show, clocks::add_event,
        models::put, models::show, models::list, models::versions, models::version, migrate::model,
        missions::create_mission, missions::list_missions, missions::show_mission, missions::put_state, missions::dashboard, migrate::mission,
        calendar::show, calendar::put,
        admin::create_tenant, admin::list_tenants, tenant_keys::issue, tenant_keys::list, tenant_keys::revoke, admin::audit, admin::audit_inputs, dry_run::candidate, params::show_params, params::change_params,
        plugins::put, plugins::list, plugins::show, plugins::delete, plugins::history, plugins::rollback,
        ops::healthz, ops::readyz, ops::metrics, openapi_json,
    ),
    components(schemas(error::Problem, error::FieldError, packs::PackUpload, params::ParamsChange, params::ParamsView, crate::service::params::ParamChange, tickets::TicketRequest, admin::TenantRequest, missions_store::Tenant, plugins::PluginRequest, missions_store::PluginRecord, missions_store::PluginLimits, crate::service::hooks::Figure, crate::service::hooks::HookFailure)),
    modifiers(&BearerKey, &Shared),
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

/// Routes that take either key; every other secured route takes one kind only (403 otherwise).
const EITHER_KEY: [&str; 3] = ["packs_evaluate", "packs_list", "packs_show"];

/// What every operation shares, added to each: a unique `operationId` (`{tag}_{function}`), the
/// 401 and 403 of secured routes, and the 408, 413 and 415 of routes that read a body.
struct Shared;

fn problem(description: &str) -> ResponseBuilder {
    let content = Content::new(Some(Ref::from_schema_name("Problem")));
    ResponseBuilder::new().description(description).content("application/problem+json", content)
}

impl Shared {
    fn complete(op: &mut Operation) {
        let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_else(|| "ops".into());
        let id = op.operation_id.take().unwrap_or_default();
        let id = if id.starts_with(&format!("{tag}_")) { id } else { format!("{tag}_{id}") };
        let responses = &mut op.responses.responses;
        let mut add = |status: &str, description: &str| {
            responses.entry(status.to_owned()).or_insert_with(|| problem(description).into());
        };
        if op.security.is_some() {
            add("401", "no key, or a key the service does not know (`unauthorized`)");
            if !EITHER_KEY.contains(&id.as_str()) {
                add("403", "the other kind of key: a tenant key on an admin route, or the reverse (`forbidden`)");
            }
        }
        if op.request_body.is_some() {
            add("408", "the body did not arrive in time (`body-timeout`)");
            add("413", "the body is larger than the route accepts (`body-too-large`)");
            add("415", "the body's `Content-Type` is not one the route takes (`unsupported-media-type`)");
            add("400", "the body is not JSON (`invalid-json`)");
            add("422", "the body does not match what the route takes (`invalid-input`)");
        }
        if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
            add("422", "a parameter is not what the route takes (`invalid-input`)");
        }
        op.operation_id = Some(id);
    }
}

/// The records that answer an `ETag` and take `If-Match` on the request that changes them.
const CONDITIONAL: [&str; 4] =
    ["/v1/models/{id}", "/v1/missions/{id}/state", "/v1/admin/packs/{pack}", "/v1/missions/{id}/migrate"];

/// The routes that create something, and take an `Idempotency-Key`.
const IDEMPOTENT: [&str; 5] =
    ["/v1/tickets", "/v1/tickets/{number}/events", "/v1/missions", "/v1/admin/tenants", "/v1/admin/tenants/{id}/keys"];

/// Add an optional request header to `op`, and the problem answered when it does not hold.
fn header(op: &mut Operation, name: &str, schema: ObjectBuilder, doc: &str, status: &str, problem_doc: &str) {
    let param = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(doc))
        .schema(Some(schema.schema_type(Type::String)))
        .build();
    op.parameters.get_or_insert_with(Vec::new).push(param);
    op.responses.responses.entry(status.into()).or_insert_with(|| problem(problem_doc).into());
}

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut doc.paths.paths {
            if IDEMPOTENT.contains(&path.as_str())
                && let Some(op) = &mut item.post
            {
                let key = ObjectBuilder::new().min_length(Some(1)).max_length(Some(255)).pattern(Some("^[!-~]+$"));
                header(
                    op,
                    "Idempotency-Key",
                    key,
                    "retry with the same key to get the first answer, never a second creation; 1 to 255 visible ASCII characters, kept 24 h",
                    "409",
                    "the first request with this `Idempotency-Key` is still being answered, or the id is taken (`conflict`)",
                );
            }
            // A `PUT` of the record, or the `POST` that changes it (a mission's migration).
            if CONDITIONAL.contains(&path.as_str())
                && let Some(op) = item.put.as_mut().or(item.post.as_mut())
            {
                header(
                    op,
                    "If-Match",
                    ObjectBuilder::new(),
                    "the `ETag` the record was read with: the change applies only to that version (else 412); `*`: only if it exists",
                    "412",
                    "the record changed since the version `If-Match` names (`precondition-failed`)",
                );
            }
            for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete].into_iter().flatten() {
                Shared::complete(op);
            }
        }
    }
}

/// The OpenAPI document of the service's routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The schemas of the answers the engine's own types write (a plan, a dashboard, a migration, a
/// dry run's report), generated from those types under `components.schemas`; and the routes and
/// fields that answer them pointing at them.
fn typed_answers(doc: &mut Value) {
    use missions_engine::{Dashboard, Input, MissionChanges, Plan, PlanInput, input_schema};
    // As they are written (a field skipped when empty is not required), not as they are read.
    let settings = schemars::generate::SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.contract = schemars::generate::Contract::Serialize;
    });
    let mut generator = settings.into_generator();
    let plan = generator.subschema_for::<Plan>().to_value();
    let dashboard = generator.subschema_for::<Dashboard>().to_value();
    let input = generator.subschema_for::<PlanInput>().to_value();
    let changes = generator.subschema_for::<MissionChanges>().to_value();
    let diagnostic = generator.subschema_for::<missions_engine::Diagnostic>().to_value();
    let dry_run = generator.subschema_for::<crate::service::DryRun>().to_value();
    let candidate = generator.subschema_for::<super::dry_run::Candidate>().to_value();
    let params_changed = generator.subschema_for::<super::params::ParamsChanged>().to_value();
    for (name, schema) in generator.take_definitions(true) {
        // The service's own types keep their names: a model type never replaces one.
        if doc["components"]["schemas"].get(&name).is_none() {
            doc["components"]["schemas"][name] = schema;
        }
    }
    let schema = |d: &Value| json!({"allOf": [d]});
    // The dashboard with the figures of the tenant's plugins, and their failures.
    let board = json!({
        "allOf": [dashboard],
        "properties": {
            "plugin_figures": {"type": "array", "items": {"$ref": "#/components/schemas/Figure"}, "description": "the figures of the tenant's plugins, when one gives any"},
            "plugin_failures": {"type": "array", "items": {"$ref": "#/components/schemas/HookFailure"}, "description": "why a plugin's figures are missing"},
        },
    });
    let answers = [
        ("/paths/~1v1~1missions~1{id}~1dashboard/get", board),
        // A dry run's report, or the version already active when the same files come again.
        (
            "/paths/~1v1~1admin~1packs~1{pack}/put",
            json!({"anyOf": [dry_run, {"$ref": "#/components/schemas/PackActivated"}]}),
        ),
        ("/paths/~1v1~1admin~1packs~1{pack}~1candidate/get", candidate),
    ];
    for (operation, schema) in answers {
        if let Some(answer) = doc.pointer_mut(&format!("{operation}/responses/200/content/application~1json")) {
            answer["schema"] = schema;
        }
    }
    // A change of parameters answers the same fields whether it activated (201) or not (200).
    for status in ["200", "201"] {
        let at =
            format!("/paths/~1v1~1admin~1packs~1{{pack}}~1params/post/responses/{status}/content/application~1json");
        if let Some(answer) = doc.pointer_mut(&at) {
            answer["schema"] = params_changed.clone();
        }
    }
    // The bodies the models' routes read, from their declaration in the schema language.
    for (operation, input, name) in [
        ("/paths/~1v1~1missions/post", Input::NewMission, "NewMission"),
        ("/paths/~1v1~1missions~1{id}~1state/put", Input::RecordedState, "RecordedState"),
        ("/paths/~1v1~1missions~1{id}~1migrate/post", Input::Migration, "MigrationBody"),
        ("/paths/~1v1~1models~1{id}~1migrate/post", Input::Migration, "MigrationBody"),
    ] {
        let Ok(schema) = input_schema(input) else { continue };
        doc["components"]["schemas"][name] = schema;
        if let Some(body) = doc.pointer_mut(&format!("{operation}/requestBody/content/application~1json")) {
            body["schema"] = json!({"$ref": format!("#/components/schemas/{name}")});
        }
    }
    if let Some(p) = doc.pointer_mut("/components/schemas/ParamsChanged/properties/activated") {
        let description = p["description"].clone();
        *p = json!({"$ref": "#/components/schemas/PackActivated", "description": description});
    }
    let warnings = json!({"type": "array", "items": diagnostic});
    for (component, field, typed) in [
        ("MissionCreated", "plan", schema(&plan)),
        ("MissionView", "plan", schema(&plan)),
        ("MissionView", "input", schema(&input)),
        ("MissionMigrated", "changes", schema(&changes)),
        ("ModelSummary", "warnings", warnings),
    ] {
        if let Some(p) = doc.pointer_mut(&format!("/components/schemas/{component}/properties/{field}")) {
            let description = p["description"].clone();
            *p = typed;
            p["description"] = description;
        }
    }
}

/// The document with, for each entry of each loaded pack, its own path
/// (`/v1/packs/esomus/quote`) whose request body is the entry's input schema and whose answer is
/// its output schema (with `pack` and `trace`), also kept under `components.schemas` as
/// `{pack}.{entry}.input` and `{pack}.{entry}.output`. An entry that declares no output (no
/// `returns:`, not an invoice) keeps the generic answer.
pub fn openapi_with_entries(st: &AppState) -> Value {
    let mut doc = serde_json::to_value(openapi()).unwrap_or(Value::Null);
    typed_answers(&mut doc);
    let Some(generic) = doc.pointer("/paths/~1v1~1packs~1{pack}~1{entry}/post").cloned() else { return doc };
    let snapshot = st.packs().snapshot();
    let mut seen = BTreeSet::new();
    for name in snapshot.names() {
        // The newest version describes the entries clients will call from now on.
        let Some((pack, _)) = snapshot.versions(name).into_iter().last() else { continue };
        for entry in pack.entries() {
            let Some(schema) = pack.input_schema(entry) else { continue };
            if !seen.insert((name.to_owned(), entry.to_owned())) {
                continue;
            }
            let key = format!("{name}.{entry}.input");
            doc["components"]["schemas"][&key] = schema;
            let mut op = generic.clone();
            op["operationId"] = json!(format!("packs_evaluate_{name}_{entry}"));
            op["summary"] = json!(format!("{name} {entry}"));
            if let Some(d) = pack.entry_doc(entry) {
                op["description"] = json!(d);
            }
            if let Some(params) = op["parameters"].as_array_mut() {
                params.retain(|p| p["in"] != "path");
            }
            op["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{key}")}}},
            });
            if let Some(mut output) = pack.output_schema(entry) {
                // What the host adds to every output.
                output["properties"]["pack"] = json!({"$ref": "#/components/schemas/PackRef"});
                output["properties"]["trace"] =
                    json!({"type": "array", "description": "the rules that fired, with `?trace=true`"});
                if let Some(required) = output["required"].as_array_mut() {
                    required.push(json!("pack"));
                }
                let key = format!("{name}.{entry}.output");
                doc["components"]["schemas"][&key] = output;
                op["responses"]["200"]["content"]["application/json"]["schema"] =
                    json!({"$ref": format!("#/components/schemas/{key}")});
            }
            doc["paths"][format!("/v1/packs/{name}/{entry}")] = json!({"post": op});
        }
    }
    // A filed ticket carries the helpdesk decision and the SLA clock: those entries' answers.
    for (field, key) in [("decision", "esomus.helpdesk.output"), ("sla", "norriq.sla.output")] {
        if doc["components"]["schemas"].get(key).is_some()
            && let Some(p) = doc.pointer_mut(&format!("/components/schemas/TicketFiled/properties/{field}"))
        {
            let description = p["description"].clone();
            *p = json!({"allOf": [{"$ref": format!("#/components/schemas/{key}")}], "description": description});
        }
    }
    doc
}

/// This document: every route, and the input of every loaded entry.
#[utoipa::path(get, path = "/openapi.json", tag = "ops", responses((status = 200, description = "the OpenAPI 3.1 document", body = Object)))]
pub(crate) async fn openapi_json(State(st): State<AppState>) -> Json<Value> {
    Json(openapi_with_entries(&st))
}
