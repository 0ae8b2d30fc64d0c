//! Dry runs of pack versions over HTTP: `PUT /v1/admin/packs/{pack}?dry_run=true` (an upload that
//! activates nothing) and `GET /v1/admin/packs/{pack}/candidate` (the latest refused save of the
//! watched folder). Both answer the registry's [`DryRun`]: validation, failing golden cases with
//! expected and actual values, and the impact over the golden cases and the recorded requests.
//!
//! A dry run is bounded: one at a time (another gets 503 and `Retry-After`), on one blocking
//! thread beside the evaluation pool (live requests keep their threads), paced to
//! [`CPU_PERCENT`] of one core, at most [`MAX_RECORDED`] recorded requests, and [`DEADLINE`] of
//! replay, after which the report says how many inputs it did not compare.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use missions_engine::{ImpactLimits, ReplayInput, said};
use missions_store::InputQuery;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::Admin;
use super::blocking::blocking;
use super::body::QueryParams;
use super::error::{ApiError, ProblemKind};
use crate::service::DryRun;

/// Most recorded requests one dry run replays.
pub(crate) const MAX_RECORDED: u32 = 20_000;
/// Recorded requests replayed by default.
const DEFAULT_RECORDED: u32 = 10_000;
/// Longest a dry run replays before it reports what it compared.
const DEADLINE: Duration = Duration::from_secs(30);
/// The share of one core a dry run's replay takes, in percent.
const CPU_PERCENT: u32 = 50;
/// Recorded requests read at a time.
const READ_PAGE: u32 = 500;
/// How far back recorded requests are taken from by default.
const DEFAULT_SINCE_DAYS: i64 = 92;

/// Query of `PUT /v1/admin/packs/{pack}`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadQuery {
    /// `true`: validate, run the golden cases and report the impact, activate nothing.
    pub(crate) dry_run: Option<bool>,
    /// Dry run: replay requests recorded on or after this day (`2026-09-01`) or instant; default
    /// the last 92 days.
    pub(crate) since: Option<String>,
    /// Dry run: most recorded requests replayed, 0 to 20000; default 10000.
    pub(crate) max_inputs: Option<u32>,
}

/// The requests recorded for `pack` that a dry run replays, newest kept when there are more.
async fn recorded(st: &AppState, pack: &str, q: &UploadQuery) -> Result<Vec<ReplayInput>, ApiError> {
    let max = q.max_inputs.unwrap_or(DEFAULT_RECORDED);
    if max > MAX_RECORDED {
        let most = MAX_RECORDED;
        return Err(ApiError::new(ProblemKind::LimitExceeded, said!("host-max-inputs", max, most))
            .at("max_inputs")
            .help(said!("host-help-max-inputs")));
    }
    let since: DateTime<Utc> = super::admin::since_param(q.since.as_deref())?
        .unwrap_or_else(|| st.now() - chrono::TimeDelta::days(DEFAULT_SINCE_DAYS));
    let store = st.store().clone();
    let query = InputQuery { pack: Some(pack.to_owned()), entry: None, since: Some(since), newest: Some(max) };
    blocking(move || {
        // The newest `max`, oldest first, in pages paced like the replay: reading and parsing
        // them is most of a dry run's own work.
        let mut out: Vec<ReplayInput> = Vec::new();
        let mut after = 0;
        while let Some(left) = max.checked_sub(u32::try_from(out.len()).unwrap_or(u32::MAX)).filter(|l| *l > 0) {
            let started = Instant::now();
            let page = store.recorded_inputs(&query, after, left.min(READ_PAGE))?;
            let Some(last) = page.last().map(|r| r.id) else { break };
            out.extend(page.into_iter().map(|r| ReplayInput {
                entry: r.entry,
                input: missions_engine::crates::base::Node::from_json(&r.input),
                source: format!("recorded request {} ({})", r.id, r.at.format("%Y-%m-%d %H:%M")),
                tenant: Some(r.tenant),
            }));
            after = last;
            std::thread::sleep(started.elapsed() * (100 - CPU_PERCENT) / CPU_PERCENT);
        }
        Ok::<_, ApiError>(out)
    })
    .await
}

fn limits() -> ImpactLimits {
    ImpactLimits { deadline: Some(Instant::now() + DEADLINE), cpu_percent: CPU_PERCENT, ..ImpactLimits::default() }
}

fn busy() -> ApiError {
    ApiError::new(ProblemKind::Unavailable, said!("host-dry-run-busy"))
        .help(said!("host-help-retry-seconds"))
        .header(axum::http::header::RETRY_AFTER, "5")
}

/// `PUT /v1/admin/packs/{pack}?dry_run=true`, once the upload's files are checked.
pub(crate) async fn dry_run_upload(
    st: &AppState,
    name: &str,
    files: BTreeMap<String, String>,
    q: &UploadQuery,
) -> Result<Json<DryRun>, ApiError> {
    let _permit = st.0.dry_runs.try_acquire().map_err(|_| busy())?;
    let inputs = recorded(st, name, q).await?;
    let reg = st.packs().clone();
    let n = name.to_owned();
    let run = blocking(move || Ok::<_, ApiError>(reg.dry_run_files(&n, &files, &inputs, limits()))).await?;
    run.map(Json).map_err(|rej| ApiError::internal("unpacking the upload for a dry run", rej.reason))
}

/// The latest refused save of a watched pack folder, and its dry run.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Candidate {
    /// The folder under `--rules` (its name only).
    folder: String,
    /// When the save was refused.
    refused_at: DateTime<Utc>,
    /// Why, in one sentence.
    reason: String,
    /// The dry run of the folder as it is now.
    dry_run: DryRun,
}

/// Why the latest save of a pack's folder under `--rules` was refused (admin): the same report as
/// a dry run, for the person who saved the file.
#[utoipa::path(
    get,
    path = "/v1/admin/packs/{pack}/candidate",
    tag = "admin",
    params(("pack" = String, Path, description = "pack name")),
    responses(
        (status = 200, description = "the refused save: `folder`, `refused_at`, `reason`, and `dry_run` (validation, failing cases with expected and actual values, impact)", body = Object),
        (status = 404, description = "no save of the pack's folder was refused since the last one that activated", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn candidate(
    State(st): State<AppState>,
    _admin: Admin,
    Path(name): Path<String>,
    QueryParams(q): QueryParams<UploadQuery>,
) -> Result<Json<Candidate>, ApiError> {
    let Some(saved) = st.packs().refused_save(&name) else {
        return Err(ApiError::new(ProblemKind::NotFound, said!("host-no-refused-save", name))
            .help(said!("host-help-no-refused-save")));
    };
    let _permit = st.0.dry_runs.try_acquire().map_err(|_| busy())?;
    let inputs = recorded(&st, &name, &q).await?;
    let reg = st.packs().clone();
    let (n, dir) = (name.clone(), saved.dir.clone());
    let dry_run = blocking(move || Ok::<_, ApiError>(reg.dry_run_dir(&n, &dir, &inputs, limits()))).await?;
    let folder = saved.dir.file_name().map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
    Ok(Json(Candidate { folder, refused_at: saved.at, reason: saved.rejection.reason, dry_run }))
}
