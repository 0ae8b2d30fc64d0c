//! Request bodies, read under the route's size limit and parsed with errors that name the place:
//! a syntax error gives line and column, a type error the JSON path of the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use super::error::{ApiError, ProblemKind};

/// The raw body, with a problem+json error when it is too large or cannot be read.
#[derive(Debug, Clone)]
pub(crate) struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state).await.map(Body).map_err(|rej| {
            if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ProblemKind::BodyTooLarge, "the request body is larger than this route accepts")
                    .help("send a smaller body; the limits are in `docs/http.md` (1 MiB, 16 MiB for pack uploads)")
            } else {
                ApiError::new(ProblemKind::InvalidJson, format!("cannot read the request body: {rej}"))
            }
        })
    }
}

/// A JSON body deserialised into `T`; unknown fields and wrong types are reported at their path.
#[derive(Debug, Clone)]
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Body(bytes) = Body::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parse JSON into `T`, with the place of the problem.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(ProblemKind::InvalidJson, "the request body is empty").help("send a JSON object"));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(ApiError::json(&inner));
            }
            // `{err}` ends with "at line L column C"; the path says it better.
            let text = inner.to_string();
            let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_owned();
            let path = if path == "." { String::new() } else { path };
            let detail = if path.is_empty() { message.clone() } else { format!("`{path}`: {message}") };
            Err(ApiError::new(ProblemKind::InvalidInput, detail).at(path))
        }
    }
}

/// Query parameters deserialised into `T`, with a problem+json error naming the parameter.
#[derive(Debug, Clone)]
pub(crate) struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri).map(|q| QueryParams(q.0)).map_err(|rej| {
            let text = rej.body_text();
            let message = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_owned();
            ApiError::new(ProblemKind::InvalidInput, format!("invalid query string: {message}"))
                .help("see `/openapi.json` for the parameters of this route")
        })
    }
}
