//! A pack's parameters over HTTP (admin): read them with their schema, and change values by
//! path, as a dry run first (the impact on golden cases and recorded requests) and then for
//! real, optionally as a new version in force from a later date and with the golden cases'
//! expectations accepted. The tariff console of the workbench is built on these two routes.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use missions_engine::{FileUpdate, Pack, said};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AppState;
use super::answers::PackActivated;
use super::auth::Admin;
use super::blocking::blocking;
use super::body::{JsonBody, QueryParams};
use super::dry_run::{UploadQuery, dry_run_upload};
use super::error::{ApiError, FieldError, ProblemKind};
use super::packs::activation_answer;
use crate::service::DryRun;
use crate::service::params::{ParamChange, accept_expectations, as_new_version, set_params};

/// Most values one change may set.
const MAX_SET: usize = 1000;

/// A pack's parameters: the files that hold them, their values and their schema.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ParamsView {
    /// The pack.
    pub pack: String,
    /// The version the values are from: the newest activation still in force.
    pub version: String,
    /// The first day it applies to.
    pub effective_from: NaiveDate,
    /// The parameter files, as `pack.yaml` lists them.
    pub files: Vec<String>,
    /// Every value, merged from the files (decimals as strings).
    #[schema(value_type = Object)]
    pub values: Value,
    /// The JSON Schema of the values, with each parameter's `doc:` text; absent when the pack
    /// declares none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
}

/// Values to change, by path, in the newest version of a pack still in force.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamsChange {
    /// New values by path: `{"license_per_user_month": "36.00", "setup.tiers[2].price": "1300.00"}`.
    #[schema(value_type = Object)]
    pub set: BTreeMap<String, Value>,
    /// Make the change a new version in force from this day (its version number follows);
    /// without it the change replaces the version it is made to.
    pub effective_from: Option<NaiveDate>,
    /// Accept the new outputs as the expectations of the golden cases they change (only
    /// amounts and texts replaced, as `missions test --update`); without it a changed amount
    /// fails its case and the version is refused.
    #[serde(default)]
    pub accept_expectations: bool,
}

/// What a change of parameters did or would do.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct ParamsChanged {
    /// Each value written, with the file it is in and its old and new text.
    changes: Vec<ParamChange>,
    /// The new version's number, with `effective_from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_version: Option<String>,
    /// The golden cases whose expectations were accepted, by case file.
    accepted: Vec<FileUpdate>,
    /// With `dry_run=true`: the dry run of the changed pack.
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run: Option<DryRun>,
    /// Otherwise: the version activated (`PackActivated`, described by utoipa: the OpenAPI
    /// document points this field at it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Value>")]
    activated: Option<PackActivated>,
}

/// The newest version of `name` still in force, its files and its compiled pack.
fn newest(st: &AppState, name: &str) -> Result<(BTreeMap<String, String>, Pack), ApiError> {
    let record = st.packs().files(name)?.ok_or_else(|| {
        ApiError::new(ProblemKind::NotFound, said!("host-no-pack", name)).help(said!("host-help-unknown-pack"))
    })?;
    let snapshot = st.packs().snapshot();
    let pack = snapshot.versions(name).into_iter().map(|(p, _)| p).find(|p| p.id().digest == record.digest).cloned();
    let pack = pack.ok_or_else(|| {
        ApiError::internal("reading a pack's parameters", format!("version #{} of `{name}` is not loaded", record.seq))
    })?;
    Ok((record.files, pack))
}

/// A pack's parameters (admin): the values of the newest version still in force, the files that
/// hold them and their schema, for a form.
#[utoipa::path(
    get,
    path = "/v1/admin/packs/{pack}/params",
    tag = "admin",
    params(("pack" = String, Path, description = "pack name")),
    responses(
        (status = 200, description = "the parameters", body = ParamsView),
        (status = 404, description = "no such pack", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn show_params(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<Json<ParamsView>, ApiError> {
    let s = st.clone();
    blocking(move || {
        let (_, pack) = newest(&s, &name)?;
        let values = pack.params_json().map_err(|why| ApiError::internal("reading a pack's parameters", why))?;
        Ok::<_, ApiError>(Json(ParamsView {
            pack: name,
            version: pack.id().version.clone(),
            effective_from: pack.id().effective_from,
            files: pack.param_files().to_vec(),
            values,
            schema: pack.params_schema(),
        }))
    })
    .await
}

/// Change parameter values by path (admin), in place in the parameter files of the newest
/// version still in force: comments and layout stay. With `effective_from` the result is a new
/// version from that day; with `accept_expectations` the golden cases take the new outputs as
/// their expectations. With `dry_run=true` nothing is activated and the answer carries the dry
/// run (validation, failing cases, impact on golden cases and recorded requests); otherwise the
/// changed pack is activated like an upload, golden cases first.
#[utoipa::path(
    post,
    path = "/v1/admin/packs/{pack}/params",
    tag = "admin",
    params(
        ("pack" = String, Path, description = "pack name"),
        ("dry_run" = Option<bool>, Query, description = "`true`: report, activate nothing"),
        ("since" = Option<String>, Query, description = "dry run: replay requests recorded from this day or instant"),
        ("max_inputs" = Option<u32>, Query, description = "dry run: most recorded requests replayed (0 to 20000)"),
    ),
    request_body = ParamsChange,
    responses(
        (status = 200, description = "`changes` (each value written: file, path, from, to), `new_version`, `accepted` (the cases whose expectations were accepted), and `dry_run` (with `dry_run=true`) or `activated` (the same files were in force already)", body = Object),
        (status = 201, description = "activated: the same fields, with `activated`", body = Object),
        (status = 404, description = "no such pack", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a path with no value to replace, a value of no one-line form, a date not after the version's, or a changed pack refused (diagnostics, failing cases)", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "with `dry_run=true`: another dry run is in progress (`Retry-After`)", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn change_params(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
    QueryParams(q): QueryParams<UploadQuery>,
    JsonBody(body): JsonBody<ParamsChange>,
) -> Result<Response, ApiError> {
    if body.set.is_empty() {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-set-empty"))
            .at("set")
            .help(said!("host-help-set-empty")));
    }
    if body.set.len() > MAX_SET {
        let (count, most) = (body.set.len(), MAX_SET);
        return Err(ApiError::new(ProblemKind::LimitExceeded, said!("host-set-too-many", count, most)).at("set"));
    }
    let s = st.clone();
    let n = name.clone();
    let (files, changes, new_version, accepted) = blocking(move || {
        let (mut files, pack) = newest(&s, &n)?;
        let changes = set_params(&mut files, pack.param_files(), &body.set).map_err(|refused| {
            let errors = refused
                .into_iter()
                .map(|r| FieldError::new(format!("set[{}]", Value::String(r.path)), r.why))
                .collect::<Vec<_>>();
            ApiError::new(ProblemKind::InvalidInput, said!("host-set-refused"))
                .fields(errors)
                .help(said!("host-help-set-refused"))
        })?;
        let new_version = match body.effective_from {
            Some(day) => Some(as_new_version(&mut files, pack.id(), day).map_err(|why| {
                ApiError::new(ProblemKind::InvalidInput, said!("host-bad-effective-from", why)).at("effective_from")
            })?),
            None => None,
        };
        let mut accepted = Vec::new();
        if body.accept_expectations {
            match accept_expectations(&mut files) {
                Ok(Some(updates)) => accepted = updates,
                // A changed pack that does not load has no output to accept: the dry run or the
                // activation below reports why, at the file, line and column.
                Ok(None) => {}
                Err(why) => return Err(ApiError::internal("accepting the golden cases' new outputs", why)),
            }
        }
        Ok::<_, ApiError>((files, changes, new_version, accepted))
    })
    .await?;
    if q.dry_run == Some(true) {
        let Json(run) = dry_run_upload(&st, &name, files, &q).await?;
        return Ok(
            Json(ParamsChanged { changes, new_version, accepted, dry_run: Some(run), activated: None }).into_response()
        );
    }
    if q.since.is_some() || q.max_inputs.is_some() {
        return Err(
            ApiError::new(ProblemKind::InvalidInput, said!("host-dry-run-only")).help(said!("host-help-dry-run-only"))
        );
    }
    let reg = st.packs().clone();
    let n = name.clone();
    let result = blocking(move || Ok::<_, ApiError>(reg.activate_files(&n, &files, None))).await?;
    let (code, tag, activated) = activation_answer(&st, &name, result)?;
    let answer = ParamsChanged { changes, new_version, accepted, dry_run: None, activated: Some(activated) };
    Ok((code, [tag], Json(answer)).into_response())
}
