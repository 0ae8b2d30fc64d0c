//! A tenant's mission models. A model is stored only once it validates (its diagnostics, with
//! line and column, come back otherwise); `extends:` finds the tenant's other models by id (or
//! `id.yaml`) and the shipped models of `--rules`/`models/` by file name. Every save that changes
//! the text is a new version, kept for ever with the texts of the models it extends, so that a
//! mission planned on it reads the same rules until it is migrated.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use missions_engine::{Diagnostic, Lang, MemModelFiles, Model, Said, SourceText, parse_model, said};
use missions_store::{ModelRecord, ModelVersionInfo, Store};

use super::AppState;
use super::answers::{ModelList, ModelListed, ModelSummary, ModelVersions};
use super::auth::{KeyId, TenantKey};
use super::blocking::blocking;
use super::body::YamlBody;
use super::error::{ApiError, ProblemKind};
use super::etag::{IfMatch, etag};
use super::lang::ClientLang;
use crate::service::sha256_hex;

pub(super) fn check_id(what: Said, id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        && !id.starts_with('-');
    if ok { Ok(()) } else { Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-id", what, id))) }
}

pub(super) fn digest(text: &str) -> String {
    sha256_hex(text.as_bytes())
}

/// The models `extends:` may name: the shipped ones, then the tenant's (which win on a clash).
fn model_files(store: &dyn Store, tenant: &str, rules_dir: &std::path::Path) -> Result<MemModelFiles, ApiError> {
    let mut files = HashMap::new();
    if let Ok(rd) = std::fs::read_dir(rules_dir.join("models")) {
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if (name.ends_with(".yaml") || name.ends_with(".yml"))
                && let Ok(text) = std::fs::read_to_string(e.path())
            {
                files.insert(name, text);
            }
        }
    }
    for m in store.models(tenant)? {
        files.insert(format!("{}.yaml", m.id), m.text.clone());
        files.insert(m.id, m.text);
    }
    Ok(MemModelFiles(files))
}

fn model_problem(id: &str, diags: &[Diagnostic], lang: Lang) -> ApiError {
    let diags: Vec<Diagnostic> = diags.iter().map(|d| d.localized(lang)).collect();
    ApiError::diagnostics(ProblemKind::InvalidModel, said!("host-model-has-errors", id), &diags)
}

fn own_name(id: &str) -> String {
    format!("{id}.yaml")
}

fn parse(id: &str, text: &str, files: &MemModelFiles, lang: Lang) -> Result<Model, ApiError> {
    let src =
        SourceText::from_bytes(own_name(id), text.as_bytes().to_vec()).map_err(|d| model_problem(id, &[d], lang))?;
    parse_model(src, files).map_err(|d| model_problem(id, &d.0, lang))
}

/// The texts of the models `model` extends, as `files` holds them now.
fn parents(model: &Model, files: &MemModelFiles) -> BTreeMap<String, String> {
    let own = own_name(model.id());
    model
        .files()
        .iter()
        .filter(|name| **name != own)
        .filter_map(|name| files.0.get(name).map(|text| (name.clone(), text.clone())))
        .collect()
}

fn no_model(id: &str) -> ApiError {
    ApiError::new(ProblemKind::NotFound, said!("host-no-model", id)).help(said!("host-help-no-model"))
}

/// A saved version of a tenant's model (the latest with `None`), read with the parents it was
/// saved with.
pub(super) fn load(
    store: &dyn Store,
    tenant: &str,
    id: &str,
    version: Option<i64>,
    rules_dir: &std::path::Path,
    lang: Lang,
) -> Result<(Model, ModelRecord), ApiError> {
    let rec = match version {
        None => store.model(tenant, id)?.ok_or_else(|| no_model(id))?,
        Some(v) => store.model_version(tenant, id, v)?.ok_or_else(|| {
            ApiError::new(ProblemKind::NotFound, said!("host-no-model-version", id, v))
                .help(said!("host-help-model-versions", id))
        })?,
    };
    let mut files = model_files(store, tenant, rules_dir)?;
    files.0.extend(rec.parents.iter().map(|(k, v)| (k.clone(), v.clone())));
    let model = parse(id, &rec.text, &files, lang)?;
    Ok((model, rec))
}

fn summary(m: &Model, rec: &ModelRecord, lang: Lang) -> ModelSummary {
    ModelSummary {
        id: rec.id.clone(),
        version: m.version().map(str::to_owned),
        saved_version: rec.version,
        digest: rec.digest.clone(),
        languages: m.languages().to_vec(),
        phases: m.phases().len(),
        actions: m.actions().len(),
        updated_at: rec.updated_at,
        warnings: m.warnings().localized(lang).0,
        missions_on_older_versions: None,
        plugin_findings: Vec::new(),
        text: None,
    }
}

/// Validate and store a mission model (the body is its YAML text) as its next version.
///
/// The model's `id:` must be the id in the URL. A model with errors is not stored: the problem
/// lists every diagnostic with file, line, column and a suggestion. A text equal to the latest
/// version's records no new version. The answer counts the tenant's missions that stay on older
/// versions (they move only through `POST /v1/models/{id}/migrate`). The tenant's plugins with
/// the `lint-model` hook check it too: their warnings come back in `plugin_findings`, and an
/// error (or a plugin that fails) refuses the save.
#[utoipa::path(
    put,
    path = "/v1/models/{id}",
    tag = "models",
    params(("id" = String, Path, description = "the model's id, as in its `id:`")),
    request_body(content = String, content_type = "application/yaml", description = "the model, YAML"),
    responses(
        (status = 201, description = "stored (new); its `ETag` is `digest`", body = ModelSummary),
        (status = 200, description = "stored (a new version, or the same text again)", body = ModelSummary),
        (status = 412, description = "`If-Match` names another version than the latest", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the model has errors: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn put(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    KeyId(saved_by): KeyId,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
    headers: HeaderMap,
    YamlBody(bytes): YamlBody,
) -> Result<(StatusCode, [(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    check_id(said!("host-what-model"), &id)?;
    let if_match = IfMatch::from_headers(&headers)?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(ProblemKind::InvalidInput, said!("host-model-not-utf8")).help(said!("host-help-model-not-utf8"))
    })?;
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    let now = st.now();
    let (created, summary, version) =
        blocking(move || {
            let files = model_files(&*store, &tenant.id, &rules_dir)?;
            let model = parse(&id, &text, &files, lang)?;
            if model.id() != id {
                let own = model.id();
                return Err(ApiError::new(ProblemKind::InvalidModel, said!("host-model-id-differs", own, id))
                    .help(said!("host-help-model-id-differs", own, id)));
            }
            if if_match == IfMatch::Exists {
                if_match.check(
                    store.model(&tenant.id, &id)?.as_ref().map(|m| m.digest.as_str()),
                    said!("host-the-model", id),
                )?;
            }
            let plugins = crate::service::plugins::tenant_plugins(&*store, &tenant.id)?;
            let findings = crate::service::hooks::lint(&plugins, &model, lang);
            if findings.iter().any(crate::service::hooks::Finding::is_error) {
                let detail = match findings.iter().find(|f| f.is_error()) {
                    Some(f) => {
                        let finding = &f.message;
                        said!("host-plugins-refuse-model-because", id, finding)
                    }
                    None => said!("host-plugins-refuse-model", id),
                };
                return Err(ApiError::new(ProblemKind::InvalidModel, detail)
                    .help(said!("host-help-plugins-refuse-model"))
                    .with("plugin_findings", &findings));
            }
            let mut rec = ModelRecord {
                id: id.clone(),
                version: 0,
                digest: digest(&text),
                parents: parents(&model, &files),
                text,
                updated_at: now,
                saved_by,
            };
            let saved = store.put_model(&tenant.id, &rec, if_match.version())?;
            rec.version = saved.version;
            let mut summary = summary(&model, &rec, lang);
            let heads = store.mission_heads(&tenant.id, Some(&id))?;
            let older = heads.iter().filter(|m| m.model_version < saved.version).count();
            summary.missions_on_older_versions = Some(older);
            summary.plugin_findings = findings;
            Ok::<_, ApiError>((saved.created, summary, rec.digest))
        })
        .await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, [etag(&version)], Json(summary)))
}

/// A stored model, its latest version: its summary and YAML text.
#[utoipa::path(
    get,
    path = "/v1/models/{id}",
    tag = "models",
    params(("id" = String, Path, description = "model id")),
    responses((status = 200, description = "the model, with its YAML `text`; its `ETag` is `digest`", body = ModelSummary), (status = 404, description = "no such model for this tenant", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn show(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
) -> Result<([(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    show_version(st, tenant.id.clone(), id, None, lang).await
}

async fn show_version(
    st: AppState,
    tenant: String,
    id: String,
    version: Option<i64>,
    lang: Lang,
) -> Result<([(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    let store = st.store().clone();
    let rules_dir = st.rules_dir().to_path_buf();
    blocking(move || {
        let (model, rec) = load(&*store, &tenant, &id, version, &rules_dir, lang)?;
        let mut v = summary(&model, &rec, lang);
        v.text = Some(rec.text);
        Ok::<_, ApiError>(([etag(&rec.digest)], Json(v)))
    })
    .await
}

/// Every saved version of a model, oldest first.
#[utoipa::path(
    get,
    path = "/v1/models/{id}/versions",
    tag = "models",
    params(("id" = String, Path, description = "model id")),
    responses((status = 200, description = "its versions", body = ModelVersions), (status = 404, description = "no such model for this tenant", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn versions(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    Path(id): Path<String>,
) -> Result<Json<ModelVersions>, ApiError> {
    let store = st.store().clone();
    blocking(move || {
        let versions: Vec<ModelVersionInfo> = store.model_versions(&tenant.id, &id)?;
        if versions.is_empty() {
            return Err(no_model(&id));
        }
        Ok(Json(ModelVersions { model: id, versions }))
    })
    .await
}

/// One saved version of a model, with its YAML text.
#[utoipa::path(
    get,
    path = "/v1/models/{id}/versions/{version}",
    tag = "models",
    params(("id" = String, Path, description = "model id"), ("version" = i64, Path, description = "version number, from 1")),
    responses((status = 200, description = "the version, with its YAML `text`; its `ETag` is `digest`", body = ModelSummary), (status = 404, description = "no such model or version", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn version(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    ClientLang(lang): ClientLang,
    Path((id, version)): Path<(String, String)>,
) -> Result<([(HeaderName, HeaderValue); 1], Json<ModelSummary>), ApiError> {
    let n = parse_version(&version).map_err(|e| e.at("version"))?;
    show_version(st, tenant.id.clone(), id, Some(n), lang).await
}

/// A version number from a path or a body: a whole number from 1.
pub(super) fn parse_version(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|v| *v >= 1).ok_or_else(|| {
        let version = missions_engine::clip(text);
        ApiError::new(ProblemKind::InvalidInput, said!("host-bad-version", version))
            .help(said!("host-help-bad-version"))
    })
}

/// The tenant's models.
#[utoipa::path(get, path = "/v1/models", tag = "models", responses((status = 200, description = "the tenant's models", body = ModelList)), security(("api_key" = [])))]
pub(crate) async fn list(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
) -> Result<Json<ModelList>, ApiError> {
    let store = st.store().clone();
    let models = blocking(move || store.models(&tenant.id)).await?;
    let models = models
        .into_iter()
        .map(|m| ModelListed { id: m.id, version: m.version, digest: m.digest, updated_at: m.updated_at })
        .collect();
    Ok(Json(ModelList { models }))
}
