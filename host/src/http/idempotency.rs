//! `Idempotency-Key` on the routes that create something (tickets, missions, tenants): a client
//! that did not get its answer retries with the same key and gets the first answer, never a
//! second ticket or charge. The same key with another body is refused (422); while the first
//! request with a key is still running, a retry gets 409. Keys live a day, per tenant (or the
//! admin). Answers are kept for every outcome but a failure inside the service (5xx), after which
//! the key is released so the retry runs again.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use missions_store::{Claim, IdempotentRequest};

use super::AppState;
use super::auth::authenticate;
use super::blocking::blocking;
use super::body::{Accepts, read};
use super::error::{ApiError, ProblemKind};
use crate::service::sha256_hex;
use missions_engine::said;

/// The request header.
pub(crate) const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on an answer replayed from an earlier request.
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a key is remembered.
const TTL_HOURS: i64 = 24;
/// Largest answer kept for replay.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

fn usable(key: &str) -> bool {
    !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Middleware for a route that creates something.
pub(crate) async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Result<Response, ApiError> {
    let Some(key) = req.headers().get(&IDEMPOTENCY_KEY) else { return Ok(next.run(req).await) };
    let key = key.to_str().ok().filter(|k| usable(k)).map(str::to_owned).ok_or_else(|| {
        ApiError::new(ProblemKind::InvalidInput, said!("host-bad-idempotency-key"))
            .help(said!("host-help-bad-idempotency-key"))
    })?;
    let (parts, body) = req.into_parts();
    // Keys belong to whoever sends them: an unknown key is refused before anything is kept.
    let principal = authenticate(&st, &parts).await?.name().to_owned();
    // The path as sent, not the route's template: the same key on another ticket or tenant
    // (`/v1/tickets/7/events`, `/v1/tickets/8/events`) is another request.
    let route = format!("{} {}", parts.method, parts.uri.path());
    // Read as the route's own extractor reads it (media type, the route's size limit, the body
    // deadline, the same problems); the handler then gets the bytes.
    let mut probe = Request::new(body);
    *probe.headers_mut() = parts.headers.clone();
    *probe.extensions_mut() = parts.extensions.clone();
    let bytes = read(probe, &st, Accepts::Json).await?;
    let claim = IdempotentRequest { principal, key, route, body_sha256: sha256_hex(&bytes) };
    let store = st.store().clone();
    let (c, now) = (claim.clone(), st.now());
    let seen = blocking(move || store.claim_idempotency(&c, now, chrono::TimeDelta::hours(TTL_HOURS))).await?;
    match seen {
        Claim::Seen { route, body_sha256, answer } => {
            if route != claim.route || body_sha256 != claim.body_sha256 {
                return Err(ApiError::new(ProblemKind::InvalidInput, said!("host-idempotency-key-reused"))
                    .help(said!("host-help-idempotency-key-reused")));
            }
            match answer {
                Some((status, body)) => replay(status, body),
                None => Err(ApiError::new(ProblemKind::Conflict, said!("host-idempotency-pending"))
                    .help(said!("host-help-idempotency-pending"))
                    .header(header::RETRY_AFTER, "1")),
            }
        }
        Claim::New => {
            let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            keep(&st, &claim, resp).await
        }
    }
}

/// Store the answer to a claimed key (or release the key after a failure inside the service).
async fn keep(st: &AppState, claim: &IdempotentRequest, resp: Response) -> Result<Response, ApiError> {
    let store = st.store().clone();
    let (principal, key) = (claim.principal.clone(), claim.key.clone());
    if resp.status().is_server_error() {
        blocking(move || store.release_idempotency(&principal, &key)).await?;
        return Ok(resp);
    }
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, MAX_ANSWER_BYTES).await.map_err(|e| ApiError::internal("reading an answer", e))?;
    let (status, text) = (parts.status.as_u16(), String::from_utf8_lossy(&bytes).into_owned());
    blocking(move || store.finish_idempotency(&principal, &key, status, &text)).await?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(status: u16, body: String) -> Result<Response, ApiError> {
    // The store holds the status this service answered; anything else is a damaged record.
    let status = StatusCode::from_u16(status).map_err(|e| ApiError::internal("replaying a kept answer", e))?;
    let ctype = if status.is_success() { "application/json" } else { "application/problem+json" };
    let mut resp = (status, [(header::CONTENT_TYPE, ctype)], body).into_response();
    resp.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(resp)
}
