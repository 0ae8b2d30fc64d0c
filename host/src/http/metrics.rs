//! The request middleware of the metrics: every request timed and counted by its route template.
//! The metrics themselves are a service ([`crate::service::Metrics`]), shared with the pack
//! registry and the audit log.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// Middleware: time and count every request by its route template (never the raw path, so ids
/// do not explode the label set), and log it.
pub(crate) async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let resp = next.run(req).await;
    let elapsed = start.elapsed();
    let status = resp.status().as_u16();
    st.metrics().request(&method, &route, status, elapsed.as_secs_f64());
    if status >= 500 {
        tracing::warn!(%method, %route, status, micros = elapsed.as_micros() as u64, "request failed");
    } else {
        tracing::debug!(%method, %route, status, micros = elapsed.as_micros() as u64, "request");
    }
    resp
}
