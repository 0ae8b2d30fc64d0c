//! Blocking work (the store, pack loading) run off the async threads.

use super::error::ApiError;

/// Run blocking work (the store, pack loading) on tokio's blocking pool.
pub(crate) async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(Into::into),
        Err(e) => Err(ApiError::internal("a background task", e)),
    }
}
