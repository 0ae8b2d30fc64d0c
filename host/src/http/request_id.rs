//! Every request has an id: the client's `X-Request-Id` when it sends a usable one, else a new
//! random one. It is echoed in the response, carried by the request's log lines, and stored in
//! the audit records the request writes, so one failure can be followed from the client to the
//! log and the audit log.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::keys::{hex, random_hex};

/// The header.
pub const REQUEST_ID: &str = "x-request-id";

/// Longest id taken from a client; a longer or odd one is replaced, not echoed.
const MAX_LEN: usize = 64;

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being served on this task, if any.
pub(crate) fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

fn usable(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

fn fresh() -> String {
    random_hex(12).unwrap_or_else(|_| {
        // Without entropy the id is still unique enough within a process to follow a request.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        hex(&nanos.to_le_bytes()[..12])
    })
}

/// Middleware: give the request its id, serve it inside a span and the task-local that carry the
/// id, and echo the id in the response.
pub(crate) async fn assign(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| usable(v))
        .map_or_else(fresh, str::to_owned);
    let span = tracing::info_span!("request", id = %id);
    let mut resp = CURRENT.scope(id.clone(), next.run(req)).instrument(span).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_clients_are_kept_only_when_plain_and_short() {
        assert!(usable("3f2a-9c.01:x_y"));
        assert!(!usable(""));
        assert!(!usable(&"a".repeat(65)));
        assert!(!usable("a b"));
        assert!(!usable("<script>"));
        assert_eq!(fresh().len(), 24);
        assert_ne!(fresh(), fresh());
    }
}
