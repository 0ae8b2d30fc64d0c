//! Rule packs over HTTP: evaluate an entry, list what is loaded, and (admin) upload a new version,
//! read the files of the current one, roll back.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use missions_engine::{EvalError, EvalOptions, InvoiceAdjuster, Pack, said};
use missions_plugins::TenantPlugin;
use missions_store::AuditRecord;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::answers::{PackActivated, PackFiles, PackList, PackView, RolledBack, VersionView};
use super::auth::{Admin, Principal};
use super::blocking::blocking;
use super::body::{self, Body, JsonBody, QueryParams};
use super::error::{ApiError, ProblemKind};
use super::etag::{IfMatch, etag};
use crate::service::pool::PoolError;
use crate::service::{LiveVersion, MAX_PACK_FILE_BYTES, MAX_PACK_FILES, RollbackError, SelectError, check_pack_path};

/// Query of an evaluation.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvalQuery {
    /// Include the rules that fired (`trace`).
    trace: Option<bool>,
}

/// A new version of a pack: every file, by path relative to the pack folder.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackUpload {
    /// `{"pack.yaml": "…", "tariff.yaml": "…", "quote.rhai": "…", "tests/quote.yaml": "…"}`.
    files: BTreeMap<String, String>,
}

/// The version of `name` for a request dated `date`, as an API error when there is none.
pub(crate) fn select(st: &AppState, name: &str, date: Option<NaiveDate>) -> Result<Pack, ApiError> {
    st.packs().select(name, date, st.now()).map_err(select_error)
}

/// No version of a pack to evaluate, as an API error.
pub(crate) fn select_error(e: SelectError) -> ApiError {
    match e {
        SelectError::UnknownPack(name, suggestion) => {
            let help = match suggestion {
                Some(s) => said!("host-help-unknown-pack-suggestion", s),
                None => said!("host-help-unknown-pack"),
            };
            ApiError::new(ProblemKind::UnknownPack, said!("host-unknown-pack", name)).help(help)
        }
        SelectError::NoVersion { pack, date, first } => {
            ApiError::new(ProblemKind::NoVersion, said!("host-no-version-yet", pack, date, first))
                .at("date")
                .help(said!("host-help-no-version-yet", first))
        }
    }
}

/// An evaluation's result as JSON text: the output with `pack` (name, version, effective_from,
/// digest) and, when asked, `trace` added (the document `missions eval --json` prints), written
/// once for the response and the audit log.
pub(crate) struct Evaluated {
    pub text: String,
}

impl Evaluated {
    /// The result as a JSON value.
    pub(crate) fn value(&self) -> Result<Value, ApiError> {
        serde_json::from_str(&self.text).map_err(|e| ApiError::internal("reading the result", e))
    }
}

/// The output's JSON text with `pack` and `trace` as its first members when it is an object
/// (an entry's output usually is), the output as it is otherwise. The output is spliced, not
/// parsed and written again: it is the largest part of the document.
fn result_text(output: &str, pack: &Value, trace: Option<&Vec<Value>>) -> Result<String, serde_json::Error> {
    let Some(members) = output.strip_prefix('{') else {
        return Ok(output.to_owned());
    };
    let mut text = String::with_capacity(output.len() + 160);
    text.push_str("{\"pack\":");
    text.push_str(&serde_json::to_string(pack)?);
    if let Some(t) = trace {
        text.push_str(",\"trace\":");
        text.push_str(&serde_json::to_string(t)?);
    }
    if members != "}" {
        text.push(',');
    }
    text.push_str(members);
    Ok(text)
}

/// Evaluate `entry` of `pack` on the evaluation pool, under the time limit, and audit it.
pub(crate) async fn run(
    st: &AppState,
    who: &str,
    pack: Pack,
    entry: &str,
    input: Value,
    trace: bool,
) -> Result<Evaluated, ApiError> {
    run_with(st, who, pack, entry, input, trace, Vec::new()).await
}

/// [`run`], with `plugins` adjusting an invoice entry's lines (the tenant's plugins).
pub(crate) async fn run_with(
    st: &AppState,
    who: &str,
    pack: Pack,
    entry: &str,
    input: Value,
    trace: bool,
    plugins: Vec<TenantPlugin>,
) -> Result<Evaluated, ApiError> {
    let id = pack.id().clone();
    if !pack.entries().any(|e| e == entry) {
        let err = pack.eval(entry, &Value::Null).err().unwrap_or(EvalError::Input(Vec::new()));
        return Err(ApiError::eval(&err));
    }
    let recorded = audit_input(&pack, entry, &input);
    let (e, m, name) = (entry.to_owned(), st.metrics().clone(), id.name.clone());
    let job = move || {
        let started = std::time::Instant::now();
        let adjusters: Vec<&dyn InvoiceAdjuster> = plugins.iter().map(|p| p as &dyn InvoiceAdjuster).collect();
        let r = pack.eval_adjusted(&e, &input, EvalOptions { trace }, &adjusters);
        m.evaluation_time(&name, &e, started.elapsed().as_secs_f64());
        r
    };
    let timeout = st.0.limits.eval_timeout;
    let outcome = match tokio::time::timeout(timeout, st.0.evals.run(job)).await {
        Ok(Ok(r)) => r,
        Ok(Err(PoolError::Busy)) => {
            st.metrics().evaluation(&id.name, entry, "busy");
            let waiting = st.0.limits.eval_queue;
            return Err(ApiError::new(ProblemKind::Unavailable, said!("host-busy", waiting))
                .help(said!("host-help-at-capacity"))
                .header(axum::http::header::RETRY_AFTER, "1"));
        }
        Ok(Err(PoolError::Failed)) => return Err(ApiError::internal("an evaluation", "the evaluation thread failed")),
        Err(_) => {
            st.metrics().evaluation(&id.name, entry, "timeout");
            let (pack, ms) = (&id.name, timeout.as_millis());
            let detail = said!("host-evaluation-timeout", entry, pack, ms);
            // The audit log is the operator's: in English.
            let result = json!({"kind": "timeout", "message": detail.get(missions_engine::Lang::En)}).to_string();
            audit(st, who, &id, entry, recorded, false, result).await;
            return Err(ApiError::new(ProblemKind::EvaluationTimeout, detail)
                .help(said!("host-help-evaluation-timeout"))
                .header(axum::http::header::RETRY_AFTER, "1"));
        }
    };
    match outcome {
        Ok(ev) => {
            st.metrics().evaluation(&id.name, entry, "ok");
            let text = result_text(ev.output.as_str(), &pack_json(&id), ev.trace.as_ref())
                .map_err(|e| ApiError::internal("writing the result", e))?;
            audit(st, who, &id, entry, recorded, true, text.clone()).await;
            Ok(Evaluated { text })
        }
        Err(err) => {
            st.metrics().evaluation(&id.name, entry, err.kind());
            audit(st, who, &id, entry, recorded, false, err.to_json().to_string()).await;
            Err(ApiError::eval(&err).with("pack", pack_json(&id)))
        }
    }
}

pub(crate) async fn audit(
    st: &AppState,
    who: &str,
    id: &missions_engine::PackId,
    entry: &str,
    (input_sha256, input): AuditInput,
    ok: bool,
    result: String,
) {
    st.audit()
        .append(AuditRecord {
            at: st.now(),
            tenant: who.to_owned(),
            pack: id.name.clone(),
            entry: entry.to_owned(),
            version: id.version.clone(),
            digest: id.digest.clone(),
            input_sha256,
            ok,
            result,
            request_id: super::request_id::current(),
            input,
        })
        .await;
}

/// The date a request is for: its input's `date` field when it has a valid one.
fn request_date(input: &Value) -> Option<NaiveDate> {
    input.get("date").and_then(Value::as_str).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// Evaluate an entry of a rule pack.
///
/// The body is the entry's input, exactly as `missions eval --input` takes it. The version used is
/// the newest whose `effective_from` is on or before the input's `date` (today in the pack's
/// timezone when the input has none); the result names it under `pack`.
#[utoipa::path(
    post,
    path = "/v1/packs/{pack}/{entry}",
    tag = "packs",
    params(("pack" = String, Path, description = "pack name (`esomus`)"), ("entry" = String, Path, description = "entry (`quote`)"), EvalQuery),
    request_body(content = Object, description = "the entry's input", example = json!({"contract": "nav", "priority": "P1", "opened": "2026-12-24T16:00:00+01:00"})),
    responses(
        (status = 200, description = "the entry's output, with `pack` (and `trace` when asked)", body = Object),
        (status = 400, description = "the body is not JSON", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown pack or entry", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid input, refused by the rules, limit exceeded, no version in force", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the evaluation timed out", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn evaluate(
    State(st): State<AppState>,
    who: Principal,
    Path((pack, entry)): Path<(String, String)>,
    QueryParams(q): QueryParams<EvalQuery>,
    Body(bytes): Body,
) -> Result<Response, ApiError> {
    let input = body::parse_value(&bytes)?;
    let chosen = select(&st, &pack, request_date(&input))?;
    let plugins = super::plugins::of(&st, &who).await?;
    let ev = run_with(&st, who.name(), chosen, &entry, input, q.trace.unwrap_or(false), plugins).await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], ev.text).into_response())
}

fn version_status(st: &AppState, v: &LiveVersion) -> &'static str {
    let today = st.now().date_naive();
    match st.packs().select(&v.name, None, st.now()) {
        Ok(p) if p.id().digest == v.digest => "active",
        _ if v.effective_from > today => "scheduled",
        _ => "superseded",
    }
}

fn pack_view(st: &AppState, name: &str) -> PackView {
    let snap = st.packs().snapshot();
    let mut active = None;
    let versions = snap
        .versions(name)
        .into_iter()
        .map(|(pack, live)| {
            let id = pack.id();
            let status = live.map(|l| version_status(st, l));
            if status == Some("active") {
                active = Some(id.version.clone());
            }
            VersionView {
                version: id.version.clone(),
                effective_from: id.effective_from,
                digest: id.digest.clone(),
                entries: pack.entries().map(str::to_owned).collect(),
                seq: live.map(|l| l.seq),
                activated_at: live.map(|l| l.activated_at),
                source: live.map(|l| l.source.clone()),
                status,
            }
        })
        .collect();
    PackView { name: name.to_owned(), active, versions, history: None }
}

/// The loaded packs: each version, its `effective_from`, and which one is in force today.
///
/// `status` is `active` (in force today), `scheduled` (its `effective_from` is later) or
/// `superseded` (a later version is in force; requests dated earlier still use it).
#[utoipa::path(get, path = "/v1/packs", tag = "packs", responses((status = 200, description = "every loaded pack", body = PackList)), security(("api_key" = [])))]
pub(crate) async fn list(State(st): State<AppState>, _who: Principal) -> Json<PackList> {
    let snap = st.packs().snapshot();
    Json(PackList { packs: snap.names().map(|n| pack_view(&st, n)).collect() })
}

/// One pack: its loaded versions and, for the admin key, every version ever activated (rolled
/// back ones included).
#[utoipa::path(
    get,
    path = "/v1/packs/{pack}",
    tag = "packs",
    params(("pack" = String, Path, description = "pack name")),
    responses((status = 200, description = "the pack's versions (and `history` for the admin key)", body = PackView), (status = 404, description = "unknown pack", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn show(
    State(st): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
) -> Result<Json<PackView>, ApiError> {
    select(&st, &name, Some(NaiveDate::MAX)).map(|_| ())?;
    let mut v = pack_view(&st, &name);
    // Where versions came from (server folders) and what was rolled back is the operator's business.
    if matches!(who, Principal::Admin) {
        let reg = st.packs().clone();
        let n = name.clone();
        let history = blocking(move || reg.history(&n)).await?;
        v.history = Some(history);
    }
    Ok(Json(v))
}

fn check_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty()
        || name.len() > 64
        || !name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
    {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-bad-pack-name", name)));
    }
    Ok(())
}

/// Activate a new version of a pack (admin), or with `dry_run=true` only report what it would do.
///
/// The body carries every file of the version. It is loaded, compiled and must pass its own golden
/// cases (`tests/*.yaml`); then it is recorded and swapped in atomically. A version with a later
/// `effective_from` is stored and waits for its date; one with the same `effective_from` as a
/// loaded version replaces it. A refused version changes nothing; the response lists every
/// problem with its file, line and column, and every failing case.
///
/// `dry_run=true` activates nothing and answers 200 with the report: `would_activate`,
/// `diagnostics`, `failed_cases` (each differing field with `expected` and `actual`),
/// `compared_with` (the version it replaces or follows) and `impact` over both versions' golden
/// cases and the pack's recorded requests (`since`, `max_inputs`).
#[utoipa::path(
    put,
    path = "/v1/admin/packs/{pack}",
    tag = "admin",
    params(("pack" = String, Path, description = "pack name, as in its `pack.yaml`"), super::dry_run::UploadQuery),
    request_body(content = PackUpload),
    responses(
        (status = 201, description = "activated", body = PackActivated),
        (status = 200, description = "with `dry_run=true`: the dry run's report (nothing activated); without: the same files were already active", body = Object),
        (status = 422, description = "refused: `diagnostics`, `failed_cases`", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "with `dry_run=true`: another dry run is in progress (`Retry-After`)", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn upload(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
    QueryParams(q): QueryParams<super::dry_run::UploadQuery>,
    headers: HeaderMap,
    JsonBody(up): JsonBody<PackUpload>,
) -> Result<Response, ApiError> {
    check_name(&name)?;
    let dry_run = q.dry_run == Some(true);
    if !dry_run && (q.since.is_some() || q.max_inputs.is_some()) {
        return Err(
            ApiError::new(ProblemKind::InvalidInput, said!("host-dry-run-only")).help(said!("host-help-dry-run-only"))
        );
    }
    let if_match = IfMatch::from_headers(&headers)?;
    let field = |p: &str| format!("files[{}]", serde_json::to_string(p).unwrap_or_default());
    if up.files.len() > MAX_PACK_FILES {
        let (count, most) = (up.files.len(), MAX_PACK_FILES);
        return Err(ApiError::new(ProblemKind::LimitExceeded, said!("host-too-many-files", count, most)).at("files"));
    }
    for (path, text) in &up.files {
        if let Err(why) = check_pack_path(path) {
            return Err(
                ApiError::new(ProblemKind::InvalidInput, said!("host-bad-file-path", path, why)).at(field(path))
            );
        }
        if text.len() > MAX_PACK_FILE_BYTES {
            let (bytes, most) = (text.len(), MAX_PACK_FILE_BYTES);
            return Err(ApiError::new(ProblemKind::LimitExceeded, said!("host-file-too-large", path, bytes, most))
                .at(field(path)));
        }
    }
    if !up.files.contains_key("pack.yaml") {
        return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-no-pack-yaml"))
            .at("files")
            .help(said!("host-help-no-pack-yaml")));
    }
    if dry_run {
        return super::dry_run::dry_run_upload(&st, &name, up.files, &q).await.map(IntoResponse::into_response);
    }
    let reg = st.packs().clone();
    let n = name.clone();
    let result = blocking(move || {
        if if_match == IfMatch::Exists {
            if_match.check(reg.files(&n)?.as_ref().map(|r| r.digest.as_str()), {
                let name = &n;
                said!("host-the-pack", name)
            })?;
        }
        Ok::<_, ApiError>(reg.activate_files(&n, &up.files, if_match.version()))
    })
    .await?;
    activation_answer(&st, &name, result).map(|(code, tag, body)| (code, [tag], Json(body)).into_response())
}

/// What an activation answers: 201 with the version when it changed what is served, 200 when the
/// same files were in force already; a refused version as a problem with its diagnostics and
/// failing cases.
pub(crate) fn activation_answer(
    st: &AppState,
    name: &str,
    result: Result<crate::service::Activated, crate::service::Rejection>,
) -> Result<(StatusCode, (HeaderName, HeaderValue), PackActivated), ApiError> {
    match result {
        Ok(a) => {
            let status = version_status(st, &a.version);
            let code = if a.changed { StatusCode::CREATED } else { StatusCode::OK };
            let tag = etag(&a.version.digest);
            Ok((code, tag, PackActivated { activated: a.version, changed: a.changed, cases: a.cases, status }))
        }
        Err(rej) if rej.stale => Err(super::error::stale(said!("host-the-pack", name))),
        Err(rej) => {
            // The reasons, diagnostics and cases are the pack author's (ESOMUS's), in English.
            let reason = &rej.reason;
            let mut e = match rej.failed_cases.first() {
                Some(c) => {
                    let (case, location, failure) = (&c.name, &c.location, &c.failure);
                    ApiError::new(
                        ProblemKind::PackRejected,
                        said!("host-pack-refused-case", reason, case, location, failure),
                    )
                    .help(said!("host-help-pack-refused-case"))
                }
                None => ApiError::new(ProblemKind::PackRejected, said!("host-pack-refused", reason)),
            };
            if !rej.diagnostics.is_empty() && rej.failed_cases.is_empty() {
                e = ApiError::diagnostics(
                    ProblemKind::PackRejected,
                    said!("host-pack-refused", reason),
                    &rej.diagnostics,
                );
            }
            Err(e.with("diagnostics", &rej.diagnostics).with("failed_cases", &rej.failed_cases))
        }
    }
}

/// The files of the newest version of a pack still in force (admin): edit and `PUT` them back.
#[utoipa::path(
    get,
    path = "/v1/admin/packs/{pack}",
    tag = "admin",
    params(("pack" = String, Path, description = "pack name")),
    responses((status = 200, description = "the files of the newest version in force; its `ETag` is `digest`", body = PackFiles), (status = 404, description = "unknown pack", body = super::error::Problem, content_type = "application/problem+json")),
    security(("api_key" = []))
)]
pub(crate) async fn files(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<([(HeaderName, HeaderValue); 1], Json<PackFiles>), ApiError> {
    let reg = st.packs().clone();
    let n = name.clone();
    let rec = blocking(move || reg.files(&n))
        .await?
        .ok_or_else(|| ApiError::new(ProblemKind::UnknownPack, said!("host-pack-never-activated", name)))?;
    let tag = etag(&rec.digest);
    let files = PackFiles {
        name: rec.name,
        version: rec.version,
        effective_from: rec.effective_from,
        digest: rec.digest,
        seq: rec.seq,
        files: rec.files,
    };
    Ok(([tag], Json(files)))
}

/// Undo the last activation of a pack (admin).
///
/// The version that activation replaced (same `effective_from`) serves again, or the version it
/// added goes away. The undone version stays in the store's history.
#[utoipa::path(
    post,
    path = "/v1/admin/packs/{pack}/rollback",
    tag = "admin",
    params(("pack" = String, Path, description = "pack name")),
    responses(
        (status = 200, description = "the activation undone and the versions served now", body = RolledBack),
        (status = 404, description = "unknown pack", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "nothing to roll back to", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn rollback(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
) -> Result<Json<RolledBack>, ApiError> {
    let reg = st.packs().clone();
    let n = name.clone();
    let result = blocking(move || Ok::<_, ApiError>(reg.rollback(&n))).await?;
    match result {
        Ok((rolled_back, serving)) => Ok(Json(RolledBack { rolled_back, serving })),
        Err(RollbackError::UnknownPack(n)) => {
            Err(ApiError::new(ProblemKind::UnknownPack, said!("host-no-active-version", n)))
        }
        Err(RollbackError::NothingToRollBackTo(v)) => {
            let version = &v.version;
            Err(ApiError::new(ProblemKind::Conflict, said!("host-nothing-to-roll-back", name, version))
                .help(said!("host-help-nothing-to-roll-back", name)))
        }
        Err(RollbackError::Broken(rej)) => {
            let reason = &rej.reason;
            Err(ApiError::diagnostics(
                ProblemKind::Conflict,
                said!("host-cannot-roll-back", name, reason),
                &rej.diagnostics,
            ))
        }
        Err(RollbackError::Store(e)) => Err(e.into()),
    }
}

/// An input as the audit log records it: the SHA-256 of its JSON text, and the text kept for
/// replaying it against a candidate version, personal fields masked.
pub(crate) type AuditInput = (String, Option<String>);

/// The [`AuditInput`] of `input` to `entry` of `pack`. The input is written as JSON once; a
/// masked copy is made only when the entry has personal fields.
pub(crate) fn audit_input(pack: &Pack, entry: &str, input: &Value) -> AuditInput {
    let text = input.to_string();
    let digest = crate::service::sha256_hex(text.as_bytes());
    let kept = pack.mask_personal(entry, input).map_or(text, |masked| masked.to_string());
    (digest, Some(kept))
}

/// The identity a result carries.
pub(crate) fn pack_json(id: &missions_engine::PackId) -> serde_json::Value {
    serde_json::json!({"name": id.name, "version": id.version, "effective_from": id.effective_from, "digest": id.digest})
}
