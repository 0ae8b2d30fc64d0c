//! Request bodies, read under the route's size limit and parsed with errors that name the place:
//! a syntax error gives line and column, a type error the JSON path of the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use missions_engine::{Said, clip, said};
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::error::{ApiError, ProblemKind};
use super::state::AppState;

/// The media types a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accepts {
    /// JSON (`application/json`, `application/*+json`).
    Json,
    /// JSON or YAML (mission models).
    JsonOrYaml,
}

impl Accepts {
    fn allows(self, essence: &str) -> bool {
        let json = essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
        let yaml = matches!(essence, "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml");
        json || (self == Accepts::JsonOrYaml && yaml)
    }

    fn names(self) -> Said {
        match self {
            Accepts::Json => said!("host-accepts-json"),
            Accepts::JsonOrYaml => said!("host-accepts-json-or-yaml"),
        }
    }
}

/// Read the body of `req` under the route's size limit and the service's body deadline, after
/// checking its `Content-Type` against `accepts`. A body without a `Content-Type` is taken as
/// the route's format.
pub(crate) async fn read(req: Request, state: &AppState, accepts: Accepts) -> Result<Bytes, ApiError> {
    if let Some(ctype) = req.headers().get(header::CONTENT_TYPE) {
        let essence = ctype.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !accepts.allows(&essence) {
            let (accepted, sent) = (accepts.names(), clip(&essence));
            return Err(ApiError::new(ProblemKind::UnsupportedMediaType, said!("host-media-type", accepted, sent))
                .help(said!("host-help-media-type", accepted)));
        }
    }
    let deadline = state.0.limits.body_timeout;
    match tokio::time::timeout(deadline, Bytes::from_request(req, state)).await {
        Err(_) => {
            let seconds = deadline.as_secs();
            Err(ApiError::new(ProblemKind::BodyTimeout, said!("host-body-timeout", seconds))
                .help(said!("host-help-body-timeout")))
        }
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(rej)) if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            Err(ApiError::new(ProblemKind::BodyTooLarge, said!("host-body-too-large"))
                .help(said!("host-help-body-too-large")))
        }
        Ok(Err(rej)) => Err(ApiError::new(ProblemKind::InvalidJson, said!("host-body-unreadable", rej))),
    }
}

/// The raw body of a JSON route, with a problem+json error when it is not JSON, too large, too
/// slow or cannot be read.
#[derive(Debug, Clone)]
pub(crate) struct Body(pub Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        read(req, state, Accepts::Json).await.map(Body)
    }
}

/// The raw body of a route that takes JSON or YAML (a mission model).
#[derive(Debug, Clone)]
pub(crate) struct YamlBody(pub Bytes);

impl FromRequest<AppState> for YamlBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        read(req, state, Accepts::JsonOrYaml).await.map(YamlBody)
    }
}

/// A JSON body deserialised into `T`; unknown fields and wrong types are reported at their path.
#[derive(Debug, Clone)]
pub(crate) struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let Body(bytes) = Body::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parse a JSON body into `T`, with the place of the problem. Duplicate keys are refused (JSON
/// readers disagree on which one wins); then `T` is read from the checked value.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = parse_value(bytes)?;
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let text = e.into_inner().to_string();
            Err(invalid_at(if path == "." { String::new() } else { path }, text))
        }
    }
}

/// Parse a JSON body into a value, refusing duplicate keys, with the place of the problem.
/// The body as a JSON object (`what` names it in the error).
pub(crate) fn object(v: Value, what: Said) -> Result<Map<String, Value>, ApiError> {
    match v {
        Value::Object(o) => Ok(o),
        _ => Err(ApiError::new(ProblemKind::InvalidInput, said!("host-not-an-object", what)).at("")),
    }
}

pub(crate) fn parse_value(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            ApiError::new(ProblemKind::InvalidJson, said!("host-body-empty")).help(said!("host-help-body-empty"))
        );
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, Strict>(&mut *de) {
        // Nothing but white space may follow the value.
        Ok(Strict(v)) => de.end().map(|()| v).map_err(|e| ApiError::json(&e)),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(ApiError::json(&inner));
            }
            // `{err}` ends with "at line L column C"; the path says it better.
            let text = inner.to_string();
            let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_owned();
            Err(invalid_at(if path == "." { String::new() } else { path }, message))
        }
    }
}

/// The JSON reader's own words (English) about the value at `path`.
fn invalid_at(path: String, problem: String) -> ApiError {
    let detail =
        if path.is_empty() { said!("host-json-value", problem) } else { said!("input-at-path", path, problem) };
    ApiError::new(ProblemKind::InvalidInput, detail).at(path)
}

/// A JSON value read with duplicate keys refused.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict::deserialize(d).map(|s| s.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "key `{}` is written twice; keep one of the two",
                    clip(&key)
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
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
            ApiError::new(ProblemKind::InvalidInput, said!("host-query", message)).help(said!("host-help-query"))
        })
    }
}
