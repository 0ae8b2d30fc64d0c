//! Optimistic concurrency on the records people edit (models, mission state, packs): a read
//! answers the record's version as an `ETag`; a `PUT` with `If-Match` changes the record only if
//! it is still that version, else 412. Without `If-Match` the last write wins, as before.

use axum::http::{HeaderMap, HeaderValue, header};

use super::error::{ApiError, ProblemKind};
use missions_engine::{Said, said};

/// What `If-Match` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IfMatch {
    /// No header: no condition.
    Any,
    /// `*`: the record must exist.
    Exists,
    /// One of these versions (the `ETag`s' values, quotes removed).
    OneOf(Vec<String>),
}

impl IfMatch {
    /// Read `If-Match` from the request's headers.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
        let Some(v) = headers.get(header::IF_MATCH) else { return Ok(IfMatch::Any) };
        let text = v.to_str().map_err(|_| bad())?.trim();
        if text == "*" {
            return Ok(IfMatch::Exists);
        }
        let tags: Option<Vec<String>> = text
            .split(',')
            .map(|t| {
                let t = t.trim();
                // A weak tag never matches for a change (RFC 9110, strong comparison).
                t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).filter(|t| !t.contains('"')).map(str::to_owned)
            })
            .collect();
        tags.filter(|t| !t.is_empty()).map(IfMatch::OneOf).ok_or_else(bad)
    }

    /// The single version the store must still hold, when the condition is one.
    pub(crate) fn version(&self) -> Option<&str> {
        match self {
            IfMatch::OneOf(tags) => tags.first().map(String::as_str),
            IfMatch::Any | IfMatch::Exists => None,
        }
    }

    /// Check the condition against the current version (`None`: the record does not exist).
    pub(crate) fn check(&self, current: Option<&str>, what: Said) -> Result<(), ApiError> {
        let ok = match (self, current) {
            (IfMatch::Any, _) => true,
            (IfMatch::Exists, c) => c.is_some(),
            (IfMatch::OneOf(tags), Some(c)) => tags.iter().any(|t| t == c),
            (IfMatch::OneOf(_), None) => false,
        };
        if ok { Ok(()) } else { Err(super::error::stale(what)) }
    }
}

fn bad() -> ApiError {
    ApiError::new(ProblemKind::InvalidInput, said!("host-if-match")).help(said!("host-help-if-match"))
}

/// The `ETag` header of a version. Versions are hexadecimal digests, always a valid header
/// value; were one not, the tag would be the empty `""`, which no `If-Match` sent back matches
/// a real version with.
pub(crate) fn etag(version: &str) -> (header::HeaderName, HeaderValue) {
    let value = HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"\""));
    (header::ETAG, value)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(v: &str) -> Result<IfMatch, ApiError> {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        IfMatch::from_headers(&h)
    }

    #[test]
    fn if_match_is_read_and_checked_strongly() {
        assert_eq!(IfMatch::from_headers(&HeaderMap::new()).unwrap(), IfMatch::Any);
        assert_eq!(parse("*").unwrap(), IfMatch::Exists);
        assert_eq!(parse(r#""a", "b""#).unwrap(), IfMatch::OneOf(vec!["a".into(), "b".into()]));
        assert!(parse(r#"W/"a""#).is_err());
        assert!(parse("a").is_err());
        assert!(parse(r#""a"#).is_err());
        let id = "x";
        assert!(parse("\"a\"").unwrap().check(Some("a"), said!("host-the-model", id)).is_ok());
        assert_eq!(
            parse("\"a\"").unwrap().check(Some("b"), said!("host-the-model", id)).unwrap_err().kind(),
            ProblemKind::PreconditionFailed
        );
        assert!(parse("*").unwrap().check(None, said!("host-the-model", id)).is_err());
        assert!(IfMatch::Any.check(None, said!("host-the-model", id)).is_ok());
    }
}
