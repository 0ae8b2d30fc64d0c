//! The web workbench: `/ui/` (sign-in with an API key, the playground) and `/docs` (the API
//! reference), plain HTML, CSS and JavaScript modules embedded in the binary. The pages call the
//! same API with the same keys; nothing is fetched from anywhere else (the Content-Security-Policy
//! says so to the browser too).

use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use missions_engine::{Lang, catalogue, said};
use serde_json::Value;

use super::error::{ApiError, ProblemKind};

/// Each asset: its name under `/ui/`, its media type and its text.
const ASSETS: &[(&str, &str, &str)] = &[
    ("index.html", "text/html; charset=utf-8", include_str!("../../ui/index.html")),
    ("docs.html", "text/html; charset=utf-8", include_str!("../../ui/docs.html")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../ui/app.js")),
    ("docs.js", "text/javascript; charset=utf-8", include_str!("../../ui/docs.js")),
    ("i18n.js", "text/javascript; charset=utf-8", include_str!("../../ui/i18n.js")),
    ("dom.js", "text/javascript; charset=utf-8", include_str!("../../ui/dom.js")),
    ("session.js", "text/javascript; charset=utf-8", include_str!("../../ui/session.js")),
    ("tariffs.js", "text/javascript; charset=utf-8", include_str!("../../ui/tariffs.js")),
    ("models.js", "text/javascript; charset=utf-8", include_str!("../../ui/models.js")),
    ("app.css", "text/css; charset=utf-8", include_str!("../../ui/app.css")),
];

/// What the pages may load and call: this origin only, no inline script, no framing.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The pages' texts, from the catalogues' `ui.ftl` files: `export const TEXTS = {key: {fr: …}}`,
/// each text in every language that has a `ui.ftl` (a missing text in English).
static TEXTS_JS: LazyLock<String> = LazyLock::new(|| {
    let langs: Vec<&str> =
        Lang::all().iter().map(|l| l.code()).filter(|code| catalogue::ids(code).contains_key("ui")).collect();
    let ids = catalogue::ids("en").remove("ui").unwrap_or_default();
    // Written by hand rather than through a JSON map, which would sort the languages: the pages
    // offer them in the catalogues' order (fr, nl, en, then the others).
    let quoted = |s: &str| Value::String(s.to_owned()).to_string();
    let texts: Vec<String> = ids
        .iter()
        .map(|id| {
            let key = id.trim_start_matches("ui-").replace('-', "_");
            let each: Vec<String> = langs
                .iter()
                .map(|code| format!("{}: {}", quoted(code), quoted(&catalogue::text(code, id, &[]))))
                .collect();
            format!("  {}: {{{}}}", quoted(&key), each.join(", "))
        })
        .collect();
    format!(
        "// The workbench's texts, from the catalogues (locales/*/ui.ftl).\nexport const TEXTS = {{\n{}\n}};\n",
        texts.join(",\n")
    )
});

fn asset(name: &str) -> Response {
    let found = ASSETS.iter().find(|(n, _, _)| *n == name).map(|(_, media, text)| (*media, *text));
    let found = found.or_else(|| (name == "texts.js").then(|| ("text/javascript; charset=utf-8", TEXTS_JS.as_str())));
    let Some((media, text)) = found else {
        return ApiError::new(ProblemKind::NotFound, said!("host-no-page", name))
            .help(said!("host-help-no-page"))
            .into_response();
    };
    let mut resp = (StatusCode::OK, text).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    // Always revalidated, so a new build's pages are used at once.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    resp
}

/// `GET /ui`: to `/ui/`, so the pages' relative paths hold.
pub(crate) async fn root() -> Redirect {
    Redirect::permanent("/ui/")
}

/// `GET /ui/`: the workbench.
pub(crate) async fn index() -> Response {
    asset("index.html")
}

/// `GET /ui/{file}`: a script or style sheet of the pages.
pub(crate) async fn file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    asset(&name)
}

/// `GET /docs`: the API reference.
pub(crate) async fn docs() -> Response {
    asset("docs.html")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn no_asset_loads_anything_from_elsewhere() {
        for (name, _, text) in ASSETS {
            // The SVG namespace is a name the DOM needs, not an address anything is fetched from.
            let text = text.replace("\"http://www.w3.org/2000/svg\"", "");
            for needle in ["http://", "https://", "//cdn", "@import", "<script>", "onclick=", "javascript:"] {
                assert!(!text.contains(needle), "{name} contains `{needle}`");
            }
        }
    }

    #[test]
    fn every_text_the_pages_name_is_in_three_languages() {
        let mut named = std::collections::BTreeSet::new();
        for (_, _, text) in ASSETS {
            for part in text.split("data-t=\"").skip(1) {
                named.extend(part.split('"').next().map(str::to_owned));
            }
            // `t("key")`, not `split("/")`: the call stands alone.
            for (at, _) in text.match_indices("t(\"") {
                let before = text[..at].chars().next_back().unwrap_or(' ');
                if !(before.is_alphanumeric() || before == '_' || before == '.') {
                    named.extend(text[at + 3..].split('"').next().map(str::to_owned));
                }
            }
        }
        assert!(named.len() > 20, "found only {named:?}");
        for key in &named {
            let id = format!("ui-{}", key.replace('_', "-"));
            for lang in ["fr", "nl", "en"] {
                assert!(catalogue::has(lang, &id), "`{key}` has no `{lang}` text (`{id}` in locales/{lang}/ui.ftl)");
            }
        }
        // And the generated module carries them, in each language.
        let texts = TEXTS_JS.as_str();
        assert!(texts.starts_with("// The workbench's texts"));
        // German is offered because `locales/de/ui.ftl` exists: data, no change here.
        assert!(
            texts.contains(
                r#""language_name": {"fr": "Français", "nl": "Nederlands", "en": "English", "de": "Deutsch"}"#
            ),
            "{texts}"
        );
        for key in &named {
            assert!(texts.contains(&format!("\"{key}\": {{")), "`{key}` is not in /ui/texts.js");
        }
    }
}
