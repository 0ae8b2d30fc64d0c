//! The language a client reads messages in: the first language of the catalogues (`fr`, `nl`,
//! `en`, and any other added as data) its `Accept-Language` names with a non-zero weight, by
//! weight (ties in the order written); English otherwise.

use axum::extract::{FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use missions_engine::Lang;

tokio::task_local! {
    /// The language of the request being served, for the texts of its errors.
    static REQUEST_LANG: Lang;
}

/// The language of the request this task serves ([`scope`]); English outside a request.
pub(crate) fn current() -> Lang {
    REQUEST_LANG.try_with(|lang| *lang).unwrap_or(Lang::En)
}

/// Run blocking work in `lang`: the request's errors built there are written in its language.
pub(crate) fn within<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    REQUEST_LANG.sync_scope(lang, f)
}

/// Middleware: serve the request with its language known to [`current`], so an error is
/// written in the client's language wherever it is built.
pub(crate) async fn scope(req: Request, next: Next) -> Response {
    let lang = of_headers(req.headers());
    REQUEST_LANG.scope(lang, next.run(req)).await
}

fn of_headers(headers: &HeaderMap) -> Lang {
    headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map_or(Lang::En, preferred)
}

/// The language of the request's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientLang(pub Lang);

/// The preferred language of an `Accept-Language` value (`nl-BE, fr;q=0.8`).
pub(crate) fn preferred(header: &str) -> Lang {
    let mut best: Option<(u16, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(1000, |q| q.trim().parse::<f32>().map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16));
        if let Some(lang) = Lang::from_code(primary)
            && weight > 0
            && best.is_none_or(|(w, _)| weight > w)
        {
            best = Some((weight, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

impl<S: Send + Sync> FromRequestParts<S> for ClientLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientLang(of_headers(&parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heaviest_known_language_wins() {
        assert_eq!(preferred("nl-BE, fr;q=0.8"), Lang::Nl);
        assert_eq!(preferred("xx, fr;q=0.5, nl;q=0.4"), Lang::Fr);
        assert_eq!(preferred("de-CH, fr;q=0.5"), Lang::from_code("de").unwrap_or(Lang::Fr));
        assert_eq!(preferred("en;q=0.2, fr;q=0.9"), Lang::Fr);
        assert_eq!(preferred("fr;q=0, xx"), Lang::En);
        assert_eq!(preferred("*"), Lang::En);
        assert_eq!(preferred("fr;q=abc, nl"), Lang::Nl);
    }
}
