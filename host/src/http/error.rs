//! The one error type of the HTTP layer. Every error leaves as `application/problem+json`
//! (RFC 9457) with a stable `type` URI, a `title` fixed per type, the `status`, a `detail` that says
//! what is wrong and where, a `help` on how to fix it when there is one, and for bad input the
//! JSON `path` (engine style, `work[0].start`) and `pointer` (RFC 6901) of each offending field.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use missions_engine::{Diagnostic, EvalError, Lang, catalogue};
use missions_store::StoreError;
use serde::Serialize;
use serde_json::{Map, Value};

/// The prefix of every problem `type`: a stable identifier, documented in `docs/http.md`.
pub const PROBLEM_BASE: &str = "https://missions.esomus.be/problems/";

/// The kinds of problem a client can get; each has a stable `type`, `title` and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The body is not JSON (or not UTF-8).
    InvalidJson,
    /// The input does not match what the route or entry expects.
    InvalidInput,
    /// The rules refused the request.
    RuleRefused,
    /// A sandbox limit or a size limit was hit.
    LimitExceeded,
    /// The request body is larger than the route accepts.
    BodyTooLarge,
    /// The request body did not arrive in time.
    BodyTimeout,
    /// The body is in a format the route does not take (its `Content-Type`).
    UnsupportedMediaType,
    /// A script of the pack failed: a bug in the pack, not in the request.
    ScriptError,
    /// A plugin the tenant enabled refused, failed or answered something the host refuses.
    PluginFailed,
    /// No pack of that name is loaded.
    UnknownPack,
    /// The pack has no such entry.
    UnknownEntry,
    /// No version of the pack is in force on the request's date.
    NoVersion,
    /// A pack version was refused: it does not load or fails its golden cases.
    PackRejected,
    /// A mission model (or a mission's input or state) has errors.
    InvalidModel,
    /// No key, or a key the service does not know.
    Unauthorized,
    /// The key is valid but may not do this.
    Forbidden,
    /// The route or the record does not exist (for this tenant).
    NotFound,
    /// The method is not served on this route.
    MethodNotAllowed,
    /// The record exists already, or the change conflicts with the current state.
    Conflict,
    /// `If-Match` names a version that is no longer the current one.
    PreconditionFailed,
    /// The evaluation took longer than the service allows.
    EvaluationTimeout,
    /// The service cannot serve this now (shutting down, a pack it needs is missing).
    Unavailable,
    /// A failure inside the service.
    Internal,
}

impl ProblemKind {
    /// The last segment of the `type` URI.
    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::InvalidJson => "invalid-json",
            ProblemKind::InvalidInput => "invalid-input",
            ProblemKind::RuleRefused => "rule-refused",
            ProblemKind::LimitExceeded => "limit-exceeded",
            ProblemKind::BodyTooLarge => "body-too-large",
            ProblemKind::BodyTimeout => "body-timeout",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::ScriptError => "script-error",
            ProblemKind::PluginFailed => "plugin-failed",
            ProblemKind::UnknownPack => "unknown-pack",
            ProblemKind::UnknownEntry => "unknown-entry",
            ProblemKind::NoVersion => "no-version",
            ProblemKind::PackRejected => "pack-rejected",
            ProblemKind::InvalidModel => "invalid-model",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::Conflict => "conflict",
            ProblemKind::PreconditionFailed => "precondition-failed",
            ProblemKind::EvaluationTimeout => "evaluation-timeout",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ProblemKind::InvalidJson => StatusCode::BAD_REQUEST,
            ProblemKind::InvalidInput
            | ProblemKind::RuleRefused
            | ProblemKind::LimitExceeded
            | ProblemKind::NoVersion
            | ProblemKind::PluginFailed => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemKind::PackRejected | ProblemKind::InvalidModel => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemKind::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ProblemKind::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ProblemKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemKind::ScriptError | ProblemKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ProblemKind::UnknownPack | ProblemKind::UnknownEntry | ProblemKind::NotFound => StatusCode::NOT_FOUND,
            ProblemKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ProblemKind::Forbidden => StatusCode::FORBIDDEN,
            ProblemKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ProblemKind::Conflict => StatusCode::CONFLICT,
            ProblemKind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ProblemKind::EvaluationTimeout | ProblemKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The full `type` URI.
    pub fn uri(self) -> String {
        format!("{PROBLEM_BASE}{}", self.slug())
    }

    /// Every kind.
    pub const ALL: [ProblemKind; 23] = [
        ProblemKind::InvalidJson,
        ProblemKind::InvalidInput,
        ProblemKind::RuleRefused,
        ProblemKind::LimitExceeded,
        ProblemKind::BodyTooLarge,
        ProblemKind::BodyTimeout,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::ScriptError,
        ProblemKind::PluginFailed,
        ProblemKind::UnknownPack,
        ProblemKind::UnknownEntry,
        ProblemKind::NoVersion,
        ProblemKind::PackRejected,
        ProblemKind::InvalidModel,
        ProblemKind::Unauthorized,
        ProblemKind::Forbidden,
        ProblemKind::NotFound,
        ProblemKind::MethodNotAllowed,
        ProblemKind::Conflict,
        ProblemKind::PreconditionFailed,
        ProblemKind::EvaluationTimeout,
        ProblemKind::Unavailable,
        ProblemKind::Internal,
    ];

    /// The short, fixed summary of the kind in `lang`, from the catalogues
    /// (`host-problem-<slug>`).
    pub fn title(self, lang: Lang) -> String {
        catalogue::text(lang.code(), &format!("host-problem-{}", self.slug()), &[])
    }
}

/// One offending field of the input.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Where, as a JSON path (`work[0].start`; empty for the whole body).
    pub path: String,
    /// Where, as a JSON Pointer (`/work/0/start`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// The message in each language the rules speak, when they gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub messages: Option<Value>,
}

impl FieldError {
    /// A field error at a JSON path.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        Self { pointer: pointer(&path), path, message: message.into(), messages: None }
    }
}

/// The body of every error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Fixed summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, and where.
    pub detail: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The JSON path of the (first) bad input field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The same place as a JSON Pointer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Every bad input field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// More, by kind: `diagnostics` (file, line, column), `failed_cases`, `error` (the engine's
    /// error object, as `missions eval --json` prints it) …
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

/// An error response.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The body.
    pub problem: Box<Problem>,
    kind: ProblemKind,
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// A JSON path (`work[0].start`) as a JSON Pointer (`/work/0/start`).
pub fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        let name_end = rest.find('[').unwrap_or(rest.len());
        let (name, tail) = rest.split_at(name_end);
        if !name.is_empty() {
            out.push('/');
            out.push_str(&name.replace('~', "~0").replace('/', "~1"));
        }
        rest = tail;
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']').unwrap_or(stripped.len());
            out.push('/');
            out.push_str(stripped.get(..end).unwrap_or(""));
            rest = stripped.get(end + 1..).unwrap_or("");
        }
    }
    out
}

impl ApiError {
    /// An error of `kind` with its detail.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        let status = kind.status();
        Self {
            problem: Box::new(Problem {
                kind: kind.uri(),
                // Written when the error is answered, in the client's language.
                title: String::new(),
                status: status.as_u16(),
                detail: detail.into(),
                help: None,
                path: None,
                pointer: None,
                errors: Vec::new(),
                extra: Map::new(),
            }),
            kind,
            headers: Vec::new(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// Add how to fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.problem.help = Some(help.into());
        self
    }

    /// Name the bad input field (also listed in `errors`).
    #[must_use]
    pub fn at(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        let e = FieldError::new(path, self.problem.detail.clone());
        self.problem.path = Some(e.path.clone());
        self.problem.pointer = Some(e.pointer.clone());
        self.problem.errors.push(e);
        self
    }

    /// List the bad input fields; the first sets `path` and `pointer`.
    #[must_use]
    pub fn fields(mut self, errors: Vec<FieldError>) -> Self {
        if let Some(first) = errors.first() {
            self.problem.path = Some(first.path.clone());
            self.problem.pointer = Some(first.pointer.clone());
        }
        self.problem.errors = errors;
        self
    }

    /// Add a member to the body.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.problem.extra.insert(key.to_owned(), serde_json::to_value(value).unwrap_or(Value::Null));
        self
    }

    /// Add a response header.
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: &'static str) -> Self {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }

    /// A request without a usable key.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        ApiError::new(ProblemKind::Unauthorized, detail)
            .help("send `Authorization: Bearer <key>`: the admin key printed on first start (or `MISSIONS_ADMIN_KEY`), or a tenant key from `POST /v1/admin/tenants`")
            .header(header::WWW_AUTHENTICATE, "Bearer")
    }

    /// A failure inside the service; the cause is logged, the client gets a generic detail.
    pub fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(what, %cause, "internal error");
        ApiError::new(ProblemKind::Internal, format!("{what} failed inside the service"))
            .help("retry later; if it persists, the operator finds the cause in the service's log")
    }

    /// Diagnostics about a file the client sent (a pack file, a model), with file, line and column.
    pub fn diagnostics(kind: ProblemKind, detail: impl Into<String>, diags: &[Diagnostic]) -> Self {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let first = diags.iter().find(|d| d.is_error()).or(diags.first());
        let mut e = ApiError::new(kind, detail.into());
        if let Some(d) = first {
            let at = d.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default();
            let more =
                if errors > 1 { format!(" (and {} more; see `diagnostics`)", errors - 1) } else { String::new() };
            e.problem.detail = format!("{}: {}{at}{more}", e.problem.detail, d.message);
            if let Some(h) = &d.help {
                e.problem.help = Some(h.clone());
            }
        }
        e.with("diagnostics", diags)
    }

    /// Problems with a request's input that the models report (a mission's plan input, a state, a
    /// migration): `diagnostics` in the client's language, and each problem tied to a value also
    /// in `errors`, with its path and its message in every language of the catalogues (fr, nl, en
    /// and any other), as an entry's input errors are.
    pub fn input_diagnostics(detail: &str, diags: &[Diagnostic], lang: Lang) -> Self {
        let fields = diags
            .iter()
            .filter_map(|d| {
                let path = d.path.clone()?;
                let mut f = FieldError::new(path, d.message_in(lang));
                f.messages = Some(in_every_language(|l| d.message_in(l)));
                Some(f)
            })
            .collect();
        let localized: Vec<Diagnostic> = diags.iter().map(|d| d.localized(lang)).collect();
        ApiError::diagnostics(ProblemKind::InvalidInput, detail, &localized).fields(fields)
    }

    /// The error of an evaluation.
    pub fn eval(err: &EvalError) -> Self {
        let e = match err {
            EvalError::UnknownEntry { available, suggestion, .. } => {
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the pack's entries are {}", available.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")),
                };
                ApiError::new(ProblemKind::UnknownEntry, err.to_string()).help(help).with("available", available)
            }
            EvalError::Input(errs) => {
                let fields = errs
                    .iter()
                    .map(|e| {
                        let mut f = FieldError::new(e.path.clone(), e.to_string());
                        let said = e.problem.said();
                        f.messages = Some(in_every_language(|l| said.get(l)));
                        f
                    })
                    .collect();
                ApiError::new(ProblemKind::InvalidInput, err.to_string()).fields(fields).help("fix the listed fields; the entry's input schema is in the pack's `pack.yaml`")
            }
            EvalError::Rule { path, code, message } => {
                let mut e = ApiError::new(ProblemKind::RuleRefused, err.to_string()).with("code", code).with("messages", message);
                if let Some(p) = path {
                    e = e.at(p.clone());
                }
                e
            }
            EvalError::Limit { limit, .. } => ApiError::new(ProblemKind::LimitExceeded, err.to_string())
                .with("limit", limit)
                .help("make the input smaller; if the input is reasonable, the pack's script needs fixing"),
            EvalError::Script { .. } | EvalError::Output { .. } => {
                ApiError::new(ProblemKind::ScriptError, err.to_string()).help("this is a bug in the rule pack, not in the request: report it to the pack's authors with this response")
            }
            EvalError::NoVersion { .. } => ApiError::new(ProblemKind::NoVersion, err.to_string()).at("date").help("use a later `date`; `GET /v1/packs` lists each version's `effective_from`"),
            EvalError::Plugin { plugin, code, message } => ApiError::new(ProblemKind::PluginFailed, err.to_string())
                .with("plugin", plugin)
                .with("code", code)
                .with("messages", message)
                .help("the tenant's plugin, not the request, failed: its partner or ESOMUS can disable or fix it"),
        };
        e.with("error", err.to_json())
    }

    /// A JSON body that does not parse.
    pub fn json(err: &serde_json::Error) -> Self {
        ApiError::new(ProblemKind::InvalidJson, format!("the body is not valid JSON: {err}"))
            .help("send a JSON object, e.g. `{\"contract\": \"nav\", \"priority\": \"P1\", \"opened\": \"2026-12-24T16:00:00+01:00\"}`")
            .with("line", err.line())
            .with("column", err.column())
    }
}

/// 412: `If-Match` named a version of `what` that is no longer current.
pub(crate) fn stale(what: &str) -> ApiError {
    ApiError::new(ProblemKind::PreconditionFailed, format!("{what} changed since the version `If-Match` names")).help(
        "read it again (its `ETag` is the current version), apply your change to that, and send it with the new `ETag`",
    )
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => ApiError::new(ProblemKind::Conflict, format!("{what} already exists"))
                .help("choose another id, or change the existing record"),
            StoreError::NotFound(what) => ApiError::new(ProblemKind::NotFound, format!("{what} does not exist")),
            StoreError::Stale(what) => stale(&what),
            StoreError::Aborted(inner) => match inner.downcast::<ApiError>() {
                Ok(api) => *api,
                Err(other) => ApiError::internal("a store transaction", other),
            },
            other => ApiError::internal("the store", other),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.problem.detail)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        // The title in the client's language (RFC 9457 allows a title to change only so); the
        // `type` stays the stable identifier.
        self.problem.title = self.kind.title(super::lang::current());
        let body = serde_json::to_vec(&*self.problem).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp =
            (self.kind.status(), [(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"))], body)
                .into_response();
        for (k, v) in self.headers {
            resp.headers_mut().insert(k, v);
        }
        resp
    }
}

/// A text in every language of the catalogues, by code: `{"fr": …, "nl": …, "en": …}`.
fn in_every_language(text: impl Fn(Lang) -> String) -> Value {
    Value::Object(Lang::all().iter().map(|&l| (l.code().to_owned(), Value::String(text(l)))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind's title is in every catalogue language, and each kind has its own.
    #[test]
    fn every_title_is_in_every_language() {
        for kind in ProblemKind::ALL {
            for &lang in Lang::all() {
                let id = format!("host-problem-{}", kind.slug());
                assert!(catalogue::has(lang.code(), &id), "{id} is missing in {}", lang.code());
            }
            assert_ne!(kind.title(Lang::Fr), kind.title(Lang::En), "{} in French", kind.slug());
        }
        let slugs: std::collections::BTreeSet<_> = ProblemKind::ALL.iter().map(|k| k.slug()).collect();
        assert_eq!(slugs.len(), ProblemKind::ALL.len());
        let titles: std::collections::BTreeSet<_> = ProblemKind::ALL.iter().map(|k| k.title(Lang::En)).collect();
        assert_eq!(titles.len(), ProblemKind::ALL.len());
    }

    #[test]
    fn pointers() {
        assert_eq!(pointer("work[0].start"), "/work/0/start");
        assert_eq!(pointer("client.country"), "/client/country");
        assert_eq!(pointer(""), "");
        assert_eq!(pointer("a[1][2]"), "/a/1/2");
        assert_eq!(pointer("x/y"), "/x~1y");
    }
}
