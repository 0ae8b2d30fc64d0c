//! The one error type of the HTTP layer. Every error leaves as `application/problem+json`
//! (RFC 9457) with a stable `type` URI, a `title` fixed per type, the `status`, a `detail` that says
//! what is wrong and where, a `help` on how to fix it when there is one, and for bad input the
//! JSON `path` (engine style, `work[0].start`) and `pointer` (RFC 6901) of each offending field.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use missions_engine::{Diagnostic, EvalError, Lang, Said, catalogue, said};
use missions_store::{Record, StoreError};
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

    /// A field error whose message the catalogues write: in the request's language, and in every
    /// language under `messages`.
    pub fn said(path: impl Into<String>, message: &Said) -> Self {
        let mut f = FieldError::new(path, message.get(super::lang::current()));
        f.messages = Some(in_every_language(|l| message.get(l)));
        f
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
    /// An error of `kind` with its detail, written in the language of the request being served
    /// (`lang::current`; the request's blocking work runs in it too).
    pub fn new(kind: ProblemKind, detail: Said) -> Self {
        let detail = detail.get(super::lang::current());
        let status = kind.status();
        Self {
            problem: Box::new(Problem {
                kind: kind.uri(),
                // Written when the error is answered, in the client's language.
                title: String::new(),
                status: status.as_u16(),
                detail,
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

    /// Add how to fix it, in the request's language.
    #[must_use]
    pub fn help(mut self, help: Said) -> Self {
        self.problem.help = Some(help.get(super::lang::current()));
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
    pub fn unauthorized(detail: Said) -> Self {
        ApiError::new(ProblemKind::Unauthorized, detail)
            .help(said!("host-help-unauthorized"))
            .header(header::WWW_AUTHENTICATE, "Bearer")
    }

    /// A failure inside the service: what failed and why are logged (in English, for the
    /// operator); the client reads that the service failed, in its language.
    pub fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(what, %cause, "internal error");
        ApiError::new(ProblemKind::Internal, said!("host-internal")).help(said!("host-help-internal"))
    }

    /// Diagnostics about a file the client sent (a pack file, a model), with file, line and column:
    /// `detail`, then the first error's message, where it is, and how many more there are.
    pub fn diagnostics(kind: ProblemKind, detail: Said, diags: &[Diagnostic]) -> Self {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let first = diags.iter().find(|d| d.is_error()).or(diags.first());
        let mut text = detail;
        let mut help = None;
        if let Some(d) = first {
            let message = &d.message;
            text.push(&match &d.location {
                Some(location) => said!("host-diagnostic-at", message, location),
                None => said!("host-diagnostic", message),
            });
            let more = errors.saturating_sub(1);
            if more > 0 {
                text.push(&said!("host-diagnostics-more", more));
            }
            help.clone_from(&d.help);
        }
        let mut e = ApiError::new(kind, text);
        e.problem.help = help;
        e.with("diagnostics", diags)
    }

    /// Problems with a request's input that the models report (a mission's plan input, a state, a
    /// migration): `diagnostics` in the client's language, and each problem tied to a value also
    /// in `errors`, with its path and its message in every language of the catalogues (fr, nl, en
    /// and any other), as an entry's input errors are.
    pub fn input_diagnostics(detail: Said, diags: &[Diagnostic], lang: Lang) -> Self {
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

    /// The error of an evaluation, in the request's language wherever the engine gives one: a
    /// rule's refusal, a plugin's message and each input error come in every language; what a
    /// script or a limit says stays the engine's English, inside a sentence in the client's.
    pub fn eval(err: &EvalError) -> Self {
        let lang = super::lang::current();
        // A message the rules or a plugin gave per language code, in the client's or in English.
        let pick = |m| crate::service::hooks::in_lang(m, lang);
        let e = match err {
            EvalError::UnknownEntry { pack, entry, available, suggestion } => {
                let help = match suggestion {
                    Some(s) => Said::did_you_mean_help(s),
                    None => {
                        let entries = available.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                        said!("host-help-entries", entries)
                    }
                };
                ApiError::new(ProblemKind::UnknownEntry, said!("host-unknown-entry", pack, entry))
                    .help(help)
                    .with("available", available)
            }
            EvalError::Input(errs) => {
                let problems = errs.iter().map(|e| e.message(lang.code())).collect::<Vec<_>>().join("; ");
                let fields = errs
                    .iter()
                    .map(|e| {
                        let mut f = FieldError::new(e.path.clone(), e.message(lang.code()));
                        let said = e.problem.said();
                        f.messages = Some(in_every_language(|l| said.get(l)));
                        f
                    })
                    .collect();
                ApiError::new(ProblemKind::InvalidInput, said!("input-invalid", problems))
                    .fields(fields)
                    .help(said!("host-help-input"))
            }
            EvalError::Rule { path, code, message } => {
                let said = pick(message);
                let said = if said.is_empty() { code.clone() } else { said };
                let detail = match path {
                    Some(path) => said!("host-rule-refused-at", path, said),
                    None => said!("host-rule-refused", said),
                };
                let mut e =
                    ApiError::new(ProblemKind::RuleRefused, detail).with("code", code).with("messages", message);
                if let Some(p) = path {
                    e = e.at(p.clone());
                }
                e
            }
            EvalError::Limit { limit, what } => ApiError::new(ProblemKind::LimitExceeded, said!("host-limit", what))
                .with("limit", limit)
                .help(said!("host-help-limit")),
            EvalError::Script { .. } | EvalError::Output { .. } => {
                let error = err.to_string();
                ApiError::new(ProblemKind::ScriptError, said!("host-script-error", error))
                    .help(said!("host-help-script"))
            }
            EvalError::NoVersion { pack, date } => {
                ApiError::new(ProblemKind::NoVersion, said!("host-no-version", pack, date))
                    .at("date")
                    .help(said!("host-help-no-version"))
            }
            EvalError::Plugin { plugin, code, message } => {
                let said = pick(message);
                ApiError::new(ProblemKind::PluginFailed, said!("host-plugin-failed", plugin, said, code))
                    .with("plugin", plugin)
                    .with("code", code)
                    .with("messages", message)
                    .help(said!("host-help-plugin"))
            }
        };
        e.with("error", err.to_json())
    }

    /// A JSON body that does not parse (the parser's own words, in English, say where).
    pub fn json(err: &serde_json::Error) -> Self {
        let error = err.to_string();
        ApiError::new(ProblemKind::InvalidJson, said!("host-invalid-json", error))
            .help(said!("host-help-invalid-json"))
            .with("line", err.line())
            .with("column", err.column())
    }
}

/// 412: `If-Match` named a version of `what` that is no longer current.
pub(crate) fn stale(what: Said) -> ApiError {
    ApiError::new(ProblemKind::PreconditionFailed, said!("host-stale", what)).help(said!("host-help-stale"))
}

/// A record the store names, in the client's language.
fn record(r: &Record) -> Said {
    match r {
        Record::Tenant(id) => said!("host-record-tenant", id),
        Record::Key { key, tenant: None } => said!("host-record-key", key),
        Record::Key { key, tenant: Some(tenant) } => said!("host-record-tenant-key", key, tenant),
        Record::KeyRevocation(key) => said!("host-record-key-revocation", key),
        Record::PackVersion(seq) => said!("host-record-pack-version", seq),
        Record::Model(id) => said!("host-the-model", id),
        Record::Mission(id) => said!("host-the-mission", id),
        Record::MissionState(id) => said!("host-record-mission-state", id),
        Record::Ticket(n) => said!("host-record-ticket", n),
        Record::TicketEvents { ticket, max } => said!("host-record-ticket-events", ticket, max),
        Record::PluginHistory { plugin, tenant } => said!("host-record-plugin-history", plugin, tenant),
        Record::PluginEntry { plugin, seq } => said!("host-record-plugin-entry", plugin, seq),
        Record::PluginDisablingEntry { plugin, seq } => said!("host-record-plugin-disabling-entry", plugin, seq),
        Record::PluginEnabledAsEntry { plugin, seq } => said!("host-record-plugin-enabled-as-entry", plugin, seq),
        // A record a later store names: its English name.
        other => {
            let what = other.to_string();
            said!("host-record", what)
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => {
                let what = record(&what);
                ApiError::new(ProblemKind::Conflict, said!("host-exists", what)).help(said!("host-help-exists"))
            }
            StoreError::NotFound(what) => {
                let what = record(&what);
                ApiError::new(ProblemKind::NotFound, said!("host-not-found", what))
            }
            StoreError::Stale(what) => stale(record(&what)),
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

    /// Counts choose their plural form in each language.
    #[test]
    fn counts_choose_their_plural_form() {
        let text = |more: usize, lang: Lang| said!("host-diagnostics-more", more).get(lang);
        assert_eq!(text(1, Lang::En), " (and 1 more; see `diagnostics`)");
        assert_eq!(text(3, Lang::En), " (and 3 more; see `diagnostics`)");
        assert_eq!(text(1, Lang::Fr), " (et 1 autre ; voir `diagnostics`)");
        assert_eq!(text(2, Lang::Fr), " (et 2 autres ; voir `diagnostics`)");
        let (count, id) = (1, "audit");
        assert_eq!(
            said!("host-missions-cannot-move", count, id).get(Lang::Nl),
            "1 missie van model `audit` kan niet migreren zoals gevraagd"
        );
        let count = 12;
        assert_eq!(
            said!("host-missions-cannot-move", count, id).get(Lang::Nl),
            "12 missies van model `audit` kunnen niet migreren zoals gevraagd"
        );
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
