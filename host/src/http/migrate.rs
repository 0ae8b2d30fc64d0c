//! Moving running missions to another version of their model (or to the tenant's new closure
//! days): `POST /v1/missions/{id}/migrate` for one, `POST /v1/models/{id}/migrate` for every
//! mission of a model, all or none. A dry run shows, per mission, the actions added, removed,
//! moved and re-dated and the recorded work that would be orphaned; an applied migration is
//! recorded in each mission's history.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use chrono::NaiveDate;
use missions_engine::{
    Calendar, Lang, MigrationBody, MigrationRequest, MissionChanges, MissionToMigrate, Model, Said, migrate_mission,
    said,
};
use missions_store::{MissionMigration, MissionRecord, ModelRecord, Store};
use serde::Serialize;

use super::AppState;
use super::answers::MigrationRecord;
use super::auth::{KeyId, TenantKey};
use super::blocking::blocking;
use super::body::{self, Body};
use super::calendar::calendar_with;
use super::error::{ApiError, ProblemKind};
use super::etag::IfMatch;
use super::lang::ClientLang;
use super::missions::{mission_tag, no_mission};
use super::models::load;

/// What a migration asks.
struct Ask {
    to: Option<i64>,
    dry_run: bool,
    request: MigrationRequest,
}

/// Read a migration's body. It is required, as the document says: a migration rewrites recorded
/// missions, so a request that says nothing (a retry that lost its body, a probe) moves nothing.
fn read_ask(bytes: &[u8], lang: Lang) -> Result<Ask, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            ApiError::new(ProblemKind::InvalidJson, said!("host-body-empty")).help(said!("host-help-migrate-empty"))
        );
    }
    let body = body::parse_value(bytes)?;
    let MigrationBody { to, dry_run, request } = MigrationBody::from_json(&body)
        .map_err(|d| ApiError::input_diagnostics(said!("host-migration-invalid"), &d.0, lang))?;
    Ok(Ask { to, dry_run, request })
}

/// One mission's migration, planned or applied.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct MissionMigrated {
    /// The mission.
    pub mission: String,
    /// The model version it followed.
    pub from_version: i64,
    /// The version it moves (or would move) to.
    pub to_version: i64,
    /// Whether it will be dated with other closure days (the tenant's current ones).
    pub closures_changed: bool,
    /// Whether the migration was applied (never on a dry run).
    pub applied: bool,
    /// Whether it can be applied: no problem is an error.
    pub applicable: bool,
    /// Actions added, removed, mapped, moved, re-dated; orphaned work; problems; and (for one
    /// mission) the new plan and state.
    #[schema(value_type = Object)]
    pub changes: MissionChanges,
}

/// `POST /v1/models/{id}/migrate`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ModelMigrated {
    /// The model.
    pub model: String,
    /// The version its missions move to.
    pub to_version: i64,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Whether the migration was applied, to every mission listed.
    pub applied: bool,
    /// Missions that cannot move as asked (each lists its `problems`).
    pub blocked: usize,
    /// The missions not already on `to_version` with the tenant's closure days, by id.
    pub missions: Vec<MissionMigrated>,
}

/// What the migrations of one request share: the target version, calendars by closure days,
/// the versions missions come from.
struct Migrator {
    store: Arc<dyn Store>,
    tenant: String,
    rules_dir: std::path::PathBuf,
    base: Arc<Calendar>,
    closures: Vec<NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
    lang: Lang,
    to: (Model, ModelRecord),
    versions: HashMap<i64, Model>,
    calendars: HashMap<Vec<NaiveDate>, Arc<Calendar>>,
}

impl Migrator {
    fn new(st: &AppState, tenant: &str, model: &str, to: Option<i64>, lang: Lang) -> Result<Migrator, ApiError> {
        let store = st.store().clone();
        let rules_dir = st.rules_dir().to_path_buf();
        let target = load(&*store, tenant, model, to, &rules_dir, lang)?;
        let closures = store.tenant_closures(tenant)?;
        let now = st.now();
        Ok(Migrator {
            tenant: tenant.to_owned(),
            base: st.0.calendar.clone(),
            now,
            today: now.with_timezone(&chrono_tz::Europe::Brussels).date_naive(),
            lang,
            closures,
            to: target,
            versions: HashMap::new(),
            calendars: HashMap::new(),
            store,
            rules_dir,
        })
    }

    fn calendar(&mut self, closures: &[NaiveDate]) -> Result<Arc<Calendar>, ApiError> {
        if let Some(c) = self.calendars.get(closures) {
            return Ok(c.clone());
        }
        let c = calendar_with(&self.base, closures)?;
        self.calendars.insert(closures.to_vec(), c.clone());
        Ok(c)
    }

    /// Load the versions `missions` follow.
    fn load_versions(&mut self, missions: &[MissionRecord]) -> Result<(), ApiError> {
        for m in missions {
            if !self.versions.contains_key(&m.model_version) {
                let (model, _) =
                    load(&*self.store, &self.tenant, &m.model_id, Some(m.model_version), &self.rules_dir, self.lang)?;
                self.versions.insert(m.model_version, model);
            }
        }
        Ok(())
    }

    fn check(&self, request: &MigrationRequest) -> Result<(), ApiError> {
        let olds: Vec<&Model> = self.versions.values().collect();
        request.check(&olds, &self.to.0).map_err(|d| {
            let d = d.localized(self.lang);
            ApiError::diagnostics(ProblemKind::InvalidInput, said!("host-migration-does-not-fit"), &d.0)
        })
    }

    fn needs_migration(&self, m: &MissionRecord) -> bool {
        m.model_version != self.to.1.version || m.closures != self.closures
    }

    fn plan(&mut self, m: &MissionRecord, request: &MigrationRequest) -> Result<MissionMigrated, ApiError> {
        let from_calendar = self.calendar(&m.closures.clone())?;
        let to_calendar = self.calendar(&self.closures.clone())?;
        let from = self.versions.get(&m.model_version).ok_or_else(|| {
            ApiError::internal("migrating a mission", format!("version {} was not loaded", m.model_version))
        })?;
        let changes = migrate_mission(
            &MissionToMigrate {
                from,
                to: &self.to.0,
                input: &m.input,
                state: m.state.as_ref(),
                from_calendar: &from_calendar,
                to_calendar: &to_calendar,
                as_of: self.today,
            },
            request,
            self.lang,
        );
        Ok(MissionMigrated {
            mission: m.id.clone(),
            from_version: m.model_version,
            to_version: self.to.1.version,
            closures_changed: m.closures != self.closures,
            applied: false,
            applicable: changes.applicable(),
            changes,
        })
    }

    fn migration(
        &self,
        m: &MissionRecord,
        planned: &MissionMigrated,
        ask: &Ask,
        by: Option<&str>,
    ) -> Result<MissionMigration, ApiError> {
        let plan =
            serde_json::to_value(&planned.changes.plan).map_err(|e| ApiError::internal("writing the plan", e))?;
        let dropped: Vec<&str> = planned.changes.orphaned.iter().filter(|o| o.dropped).map(|o| o.id.as_str()).collect();
        let at = self.now;
        Ok(MissionMigration {
            id: m.id.clone(),
            from_version: m.model_version,
            from_state: m.state.clone(),
            to_version: self.to.1.version,
            to_digest: self.to.1.digest.clone(),
            plan,
            state: if m.state.is_some() { planned.changes.state.clone() } else { None },
            closures: self.closures.clone(),
            history: serde_json::to_value(MigrationRecord {
                migrated_at: at,
                from_version: m.model_version,
                to_version: self.to.1.version,
                closures_changed: planned.closures_changed,
                map: ask.request.map.clone(),
                drop: ask.request.drop.clone(),
                dropped_work: dropped.iter().map(|d| (*d).to_owned()).collect(),
                by: by.map(str::to_owned),
            })
            .map_err(|e| ApiError::internal("writing the migration's record", e))?,
            at,
        })
    }
}

fn blocked(what: Said, planned: &[&MissionMigrated]) -> ApiError {
    let lang = super::lang::current();
    let diags: Vec<missions_engine::Diagnostic> = planned
        .iter()
        .flat_map(|p| {
            p.changes.problems.errors().map(|d| {
                let mut d = d.clone();
                let (mission, message) = (&p.mission, &d.message);
                d.message = said!("host-mission-problem", mission, message).get(lang);
                d
            })
        })
        .collect();
    ApiError::diagnostics(ProblemKind::InvalidInput, what, &diags).help(said!("host-help-migration-blocked"))
}

/// Move a mission to another version of its model (the latest when `to` is left out) and to the
/// tenant's current closure days.
///
/// Body: `{"to": 3, "dry_run": true, "map": {"old-action": "new-action"}, "drop": ["old-action"]}`.
/// Recorded work on a removed action (done, in progress, or a key point) must be mapped or
/// dropped, else the migration is refused (422) and nothing changes.
#[utoipa::path(
    post,
    path = "/v1/missions/{id}/migrate",
    tag = "missions",
    params(("id" = String, Path, description = "mission id")),
    request_body(content = Object, example = json!({"to": 2, "dry_run": true, "map": {"nbb-filing": "satisfaction-survey"}})),
    responses(
        (status = 200, description = "the migration, planned (dry run) or applied", body = MissionMigrated),
        (status = 404, description = "no such mission or version", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "the mission changed since it was read (`If-Match`, or during the migration)", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the request does not fit, or recorded work would be lost: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn mission(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    KeyId(by): KeyId,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(bytes): Body,
) -> Result<Json<MissionMigrated>, ApiError> {
    let if_match = IfMatch::from_headers(&headers)?;
    let ask = read_ask(&bytes, lang)?;
    blocking(move || {
        let m = st.store().mission(&tenant.id, &id)?.ok_or_else(|| no_mission(&id))?;
        if_match.check(Some(&mission_tag(&m)), said!("host-the-mission", id))?;
        let mut mg = Migrator::new(&st, &tenant.id, &m.model_id, ask.to, lang)?;
        mg.load_versions(std::slice::from_ref(&m))?;
        mg.check(&ask.request)?;
        let mut planned = mg.plan(&m, &ask.request)?;
        if ask.dry_run || !mg.needs_migration(&m) {
            return Ok(Json(planned));
        }
        if !planned.applicable {
            return Err(blocked(said!("host-mission-cannot-move", id), &[&planned]));
        }
        let migration = mg.migration(&m, &planned, &ask, by.as_deref())?;
        st.store().migrate_missions(&tenant.id, &[migration])?;
        planned.applied = true;
        Ok(Json(planned))
    })
    .await
}

/// Move every mission of a model to one of its versions (the latest when `to` is left out) and to
/// the tenant's current closure days, all or none.
///
/// Same body as `POST /v1/missions/{id}/migrate`. The answer lists the missions that move, each
/// without its new plan and state (read them with `GET /v1/missions/{id}`).
#[utoipa::path(
    post,
    path = "/v1/models/{id}/migrate",
    tag = "models",
    params(("id" = String, Path, description = "model id")),
    request_body(content = Object, example = json!({"dry_run": true, "drop": ["nbb-filing"]})),
    responses(
        (status = 200, description = "the migrations, planned (dry run) or applied", body = ModelMigrated),
        (status = 404, description = "no such model or version", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "a mission changed during the migration; nothing was applied", body = super::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "the request does not fit, or some mission's recorded work would be lost: `diagnostics`", body = super::error::Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn model(
    State(st): State<AppState>,
    TenantKey(tenant): TenantKey,
    KeyId(by): KeyId,
    ClientLang(lang): ClientLang,
    Path(id): Path<String>,
    Body(bytes): Body,
) -> Result<Json<ModelMigrated>, ApiError> {
    let ask = read_ask(&bytes, lang)?;
    blocking(move || {
        let mut mg = Migrator::new(&st, &tenant.id, &id, ask.to, lang)?;
        // Read whole only the missions that move.
        let mut missions: Vec<MissionRecord> = Vec::new();
        for head in st.store().mission_heads(&tenant.id, Some(&id))? {
            if head.model_version != mg.to.1.version || head.closures != mg.closures {
                missions.extend(st.store().mission(&tenant.id, &head.id)?.filter(|m| mg.needs_migration(m)));
            }
        }
        mg.load_versions(&missions)?;
        mg.check(&ask.request)?;
        let mut planned = Vec::with_capacity(missions.len());
        for m in &missions {
            // Nothing is written before every mission is planned: stopping here loses nothing.
            if missions_engine::crates::base::interrupt::interrupted() {
                return Err(super::blocking::stopped());
            }
            planned.push(mg.plan(m, &ask.request)?);
        }
        let stuck: Vec<&MissionMigrated> = planned.iter().filter(|p| !p.applicable).collect();
        let mut answer = ModelMigrated {
            model: id.clone(),
            to_version: mg.to.1.version,
            dry_run: ask.dry_run,
            applied: false,
            blocked: stuck.len(),
            missions: Vec::new(),
        };
        if !ask.dry_run && !missions.is_empty() {
            if !stuck.is_empty() {
                let count = stuck.len();
                return Err(blocked(said!("host-missions-cannot-move", count, id), &stuck));
            }
            let all = missions
                .iter()
                .zip(&planned)
                .map(|(m, p)| mg.migration(m, p, &ask, by.as_deref()))
                .collect::<Result<Vec<_>, _>>()?;
            st.store().migrate_missions(&tenant.id, &all)?;
            answer.applied = true;
        }
        for p in &mut planned {
            p.applied = answer.applied;
            p.changes.plan = None;
            p.changes.state = None;
        }
        answer.missions = planned;
        Ok(Json(answer))
    })
    .await
}
