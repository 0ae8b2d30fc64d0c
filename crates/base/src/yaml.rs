//! Reading YAML that people write by hand: bounded in size and depth, strict about unknown keys,
//! and able to say where in the file any value sits. Every crate of the engine reads YAML through
//! this module. Typed decoding is serde_yaml_ng's (a maintained fork of the deprecated serde_yaml);
//! positions come from a separate pass over yaml-rust2's marked events, which never expands
//! aliases. That pass runs first and stops at the first event past a limit: nesting deeper than
//! [`YamlLimits::max_depth`], or aliases that would expand to more than
//! [`YamlLimits::max_alias_bytes`]. So a hostile file costs time proportional to the part of it
//! read before the limit, and the typed decoder never sees it.

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::{Diagnostic, Location};

mod located;
mod scalars;
pub use located::located;
pub use scalars::{Quoting, ScalarSpan, scalar_spans, splice};

/// A YAML value kept untyped until a later step types it (a pack's calendar, a schema's bounds).
pub use serde_yaml_ng::{Mapping, Value};

/// Why a YAML text or value could not be decoded into a type.
pub type DecodeError = serde_yaml_ng::Error;

/// Decode a text into `T` without building positions or checking limits: for text the program
/// wrote itself, or that [`check`] has passed. On an error, call [`parse`] for a located
/// diagnostic.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_yaml_ng::from_str(text)
}

/// Type an untyped YAML value.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    serde_yaml_ng::from_value(value)
}

/// Bounds on a YAML file, so a hostile or broken file costs bounded time and memory.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most bytes that all aliases of a document together may add when expanded: what an alias
    /// refers to is counted again at every reference, as the decoder will copy it.
    pub max_alias_bytes: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        Self { max_bytes: 4 * 1024 * 1024, max_depth: 64, max_alias_bytes: 256 * 1024 }
    }
}

/// The text of a file the user wrote, with the name to show in diagnostics.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The file name as shown to the user.
    pub name: String,
    /// Its contents, valid UTF-8.
    pub text: String,
}

impl SourceText {
    /// Text that did not come from a file (an HTTP body, a test).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: text.into() }
    }

    /// Read a file, refusing one that is missing, too large, empty or not UTF-8.
    pub fn read(path: &Path, max_bytes: usize) -> Result<Self, Diagnostic> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path)
            .map_err(|e| unreadable(&name, &e).help_said(crate::said!("base-check-path-taken-relative-current")))?;
        if !meta.is_file() {
            return Err(Diagnostic::error_said("file.not-a-file", crate::said!("base-not-file", name)));
        }
        let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        if len > max_bytes {
            return Err(too_large(&name, meta.len(), max_bytes));
        }
        let bytes = std::fs::read(path).map_err(|e| unreadable(&name, &e))?;
        Self::from_bytes(name, bytes)
    }

    /// Check bytes received from elsewhere the way `read` checks a file.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = String::from_utf8_lossy(bytes.get(..at).unwrap_or_default());
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Diagnostic::error_said("file.not-utf8", crate::said!("base-not-valid-utf-8-byte", name, at))
                .at(Location::new(name.clone(), line, column))
                .help_said(crate::said!("base-save-file-as-utf-8"))
        })?;
        if text.trim().is_empty() {
            return Err(Diagnostic::error_said("file.empty", crate::said!("base-empty", name)).at(Location::new(
                name.clone(),
                1,
                1,
            )));
        }
        Ok(Self { name, text })
    }

    /// The location of a position reported by a parser.
    pub fn location(&self, line: usize, column: usize) -> Location {
        Location::new(self.name.clone(), line, column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    column: usize,
}

impl From<Marker> for Pos {
    fn from(m: Marker) -> Self {
        // yaml-rust2 counts columns from 0.
        Self { line: m.line(), column: m.col() + 1 }
    }
}

/// Where each value and key of a YAML document sits, by path: `entries.sla.script`,
/// `phases[2].actions[0].role`.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    file: String,
    values: HashMap<String, Pos>,
    keys: HashMap<String, Pos>,
}

impl SpanIndex {
    /// The location of the value at `path`, or of its closest ancestor that has one.
    pub fn value(&self, path: &str) -> Location {
        self.find(path, &self.values)
    }

    /// The location of the key that names `path` (falls back like [`SpanIndex::value`]).
    pub fn key(&self, path: &str) -> Location {
        match self.keys.get(path) {
            Some(p) => Location::new(self.file.clone(), p.line, p.column),
            None => self.value(path),
        }
    }

    /// The location of the value at `path` only if that exact path exists.
    pub fn exact(&self, path: &str) -> Option<Location> {
        self.values.get(path).map(|p| Location::new(self.file.clone(), p.line, p.column))
    }

    /// The file the index was built from.
    pub fn file(&self) -> &str {
        &self.file
    }

    fn find(&self, path: &str, map: &HashMap<String, Pos>) -> Location {
        let mut p = path;
        loop {
            if let Some(pos) = map.get(p) {
                return Location::new(self.file.clone(), pos.line, pos.column);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return Location::new(self.file.clone(), 1, 1),
            }
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

struct Indexer {
    index: SpanIndex,
    stack: Vec<Frame>,
    /// Where each scalar starts, its style and its value, when a caller asked for them.
    scalars: Option<HashMap<String, (Pos, TScalarStyle, String)>>,
}

fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

impl Indexer {
    /// The path of the node that starts now, or `None` when the node is a mapping key.
    fn node_path(&mut self, scalar: Option<&str>, pos: Pos) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(child(path, &k)),
                None => {
                    // This node is a key. Complex keys (maps as keys) get a placeholder name.
                    let name = scalar.unwrap_or("?").to_owned();
                    let full = child(path, &name);
                    self.index.keys.insert(full, pos);
                    *key = Some(name);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from(mark);
        match ev {
            Event::Scalar(ref s, style, ..) => {
                if let Some(p) = self.node_path(Some(s), pos) {
                    if let Some(scalars) = self.scalars.as_mut() {
                        scalars.insert(p.clone(), (pos, style, s.clone()));
                    }
                    self.index.values.insert(p, pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.node_path(None, pos) {
                    self.index.values.insert(p, pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.node_path(None, pos).unwrap_or_else(|| "?".to_owned());
                // A block container's own marker is unhelpful; point at the key that names it.
                let at = self.index.keys.get(&path).copied().unwrap_or(pos);
                self.index.values.insert(path.clone(), at);
                if matches!(ev, Event::MappingStart(..)) {
                    self.stack.push(Frame::Map { path, key: None });
                } else {
                    self.stack.push(Frame::Seq { path, index: 0 });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Parse a YAML document into `T`, with unknown keys refused (when `T` says so with
/// `deny_unknown_fields`) and every error located in the file.
pub fn parse<T: DeserializeOwned>(src: &SourceText, limits: YamlLimits) -> Result<(T, SpanIndex), Diagnostic> {
    check_size(src, limits)?;
    let index = index(src, limits)?;
    let value: T = serde_yaml_ng::from_str(&src.text).map_err(|e| located(src, &e))?;
    Ok((value, index))
}

/// Build the span index of a document (also checks syntax and depth).
pub fn index(src: &SourceText, limits: YamlLimits) -> Result<SpanIndex, Diagnostic> {
    check_size(src, limits)?;
    index_with(src, limits, &mut Ignore)
}

/// Check a document against `limits` (size, syntax, nesting, alias expansion) without building
/// anything from it: the guard to run before [`decode`] on text a user wrote.
pub fn check(src: &SourceText, limits: YamlLimits) -> Result<(), Diagnostic> {
    check_size(src, limits)?;
    index_with(src, limits, &mut Ignore).map(drop)
}

fn unreadable(name: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error_said("file.unreadable", crate::said!("base-cannot-read", name, e))
}

fn too_large(name: &str, len: u64, max: usize) -> Diagnostic {
    Diagnostic::error_said("file.too-large", crate::said!("base-bytes-limit-bytes", name, len, max))
        .help_said(crate::said!("base-split-file-remove-generated-content"))
}

pub(crate) fn check_size(src: &SourceText, limits: YamlLimits) -> Result<(), Diagnostic> {
    if src.text.len() > limits.max_bytes {
        return Err(too_large(&src.name, src.text.len() as u64, limits.max_bytes));
    }
    Ok(())
}

/// Parse `src` once, giving every event both to the span indexer and to `also` (which builds
/// whatever the caller reads from the file), so a file is never parsed twice. Syntax errors,
/// nesting deeper than `limits.max_depth` and alias expansion past `limits.max_alias_bytes` are
/// reported here, at the event that crosses the limit: parsing stops there.
pub(crate) fn index_with<R: MarkedEventReceiver>(
    src: &SourceText,
    limits: YamlLimits,
    also: &mut R,
) -> Result<SpanIndex, Diagnostic> {
    index_into(src, limits, also, None).map(|i| i.index)
}

fn index_into<R: MarkedEventReceiver>(
    src: &SourceText,
    limits: YamlLimits,
    also: &mut R,
    scalars: Option<HashMap<String, (Pos, TScalarStyle, String)>>,
) -> Result<Indexer, Diagnostic> {
    let mut indexer =
        Indexer { index: SpanIndex { file: src.name.clone(), ..SpanIndex::default() }, stack: Vec::new(), scalars };
    let mut guard = Guard::new(limits);
    // `Parser::load` walks nested nodes by recursion; pulling events one by one keeps the stack
    // flat however deep the file, and lets the guard stop at the first event past a limit.
    let mut parser = Parser::new_from_str(&src.text);
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| {
            let pos = Pos::from(*e.marker());
            // The scanner reads ahead and stops flow nesting (`[[[…`) at 255 levels on its own,
            // before the guard sees that many starts; it is the same limit to the user.
            let d = if e.info() == "recursion limit exceeded" {
                Exceeded::Depth.diagnostic(limits)
            } else {
                {
                    let info = e.info();
                    Diagnostic::error_said("yaml.syntax", crate::said!("base-invalid-yaml", info))
                        .help_said(crate::said!("base-check-indentation-quoting-around-this"))
                }
            };
            d.at(src.location(pos.line, pos.column))
        })?;
        if let Err(exceeded) = guard.on_event(&ev) {
            let pos = Pos::from(mark);
            return Err(exceeded.diagnostic(limits).at(src.location(pos.line, pos.column)));
        }
        // One document per file: what follows the first one is the decoder's to refuse.
        let last = matches!(ev, Event::DocumentEnd | Event::StreamEnd);
        also.on_event(ev.clone(), mark);
        indexer.on_event(ev, mark);
        if last {
            break;
        }
    }
    Ok(indexer)
}

/// What a node costs beyond the bytes of its scalars, so that many references to an empty
/// value still count.
const NODE_COST: usize = 8;

enum Exceeded {
    Depth,
    Aliases,
}

impl Exceeded {
    fn diagnostic(&self, limits: YamlLimits) -> Diagnostic {
        match self {
            Self::Depth => {
                let n = limits.max_depth;
                Diagnostic::error_said("yaml.too-deep", crate::said!("base-nesting-deeper-than-levels", n))
                    .help_said(crate::said!("base-flatten-this-part-file"))
            }
            Self::Aliases => {
                let n = limits.max_alias_bytes;
                Diagnostic::error_said("yaml.aliases-too-large", crate::said!("base-aliases-expand-more-than-bytes", n))
                    .help_said(crate::said!("base-write-repeated-value-out-refer"))
            }
        }
    }
}

/// Counts nesting and the bytes that aliases will expand to, as the events arrive.
struct Guard {
    /// Open containers: their anchor (0 for none) and the expanded size of their content so far.
    open: Vec<(usize, usize)>,
    /// Expanded size of every anchored node closed so far.
    anchors: HashMap<usize, usize>,
    alias_bytes: usize,
    limits: YamlLimits,
}

impl Guard {
    fn new(limits: YamlLimits) -> Self {
        Self { open: Vec::new(), anchors: HashMap::new(), alias_bytes: 0, limits }
    }

    fn add(&mut self, size: usize) {
        if let Some((_, total)) = self.open.last_mut() {
            *total = total.saturating_add(size);
        }
    }

    fn on_event(&mut self, ev: &Event) -> Result<(), Exceeded> {
        match ev {
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if self.open.len() >= self.limits.max_depth {
                    return Err(Exceeded::Depth);
                }
                self.open.push((*anchor, NODE_COST));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((anchor, size)) = self.open.pop() {
                    if anchor != 0 {
                        self.anchors.insert(anchor, size);
                    }
                    self.add(size);
                }
            }
            Event::Scalar(text, _, anchor, _) => {
                let size = NODE_COST.saturating_add(text.len());
                if *anchor != 0 {
                    self.anchors.insert(*anchor, size);
                }
                self.add(size);
            }
            Event::Alias(anchor) => {
                // An alias to a node still open (a cycle) has no size yet; the decoder refuses it.
                let size = self.anchors.get(anchor).copied().unwrap_or(NODE_COST);
                self.alias_bytes = self.alias_bytes.saturating_add(size);
                if self.alias_bytes > self.limits.max_alias_bytes {
                    return Err(Exceeded::Aliases);
                }
                self.add(size);
            }
            _ => {}
        }
        Ok(())
    }
}

/// A receiver for callers that only want the index.
struct Ignore;

impl MarkedEventReceiver for Ignore {
    fn on_event(&mut self, _ev: Event, _mark: Marker) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        entries: HashMap<String, Entry>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        script: String,
    }

    fn src(text: &str) -> SourceText {
        SourceText::new("pack.yaml", text)
    }

    #[test]
    fn index_locates_nested_values_and_keys() {
        let s = src("name: x\nentries:\n  sla:\n    script: sla.rhai\nlist:\n  - a\n  - {b: 1}\n");
        let idx = index(&s, YamlLimits::default()).unwrap();
        assert_eq!(idx.value("entries.sla.script"), Location::new("pack.yaml", 4, 13));
        assert_eq!(idx.key("entries.sla.script"), Location::new("pack.yaml", 4, 5));
        assert_eq!(idx.value("list[1].b"), Location::new("pack.yaml", 7, 9));
        // A missing path falls back to its closest ancestor.
        assert_eq!(idx.value("entries.sla.nope"), Location::new("pack.yaml", 3, 3));
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let e =
            parse::<Doc>(&src("name: x\nentries:\n  sla:\n    scirpt: sla.rhai\n"), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.unknown-key", "{e:?}");
        assert!(e.message.contains("`scirpt`"), "{e}");
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(4));
        assert_eq!(e.help.as_deref(), Some("did you mean `script`?"));
    }

    #[test]
    fn syntax_error_names_line() {
        let e = parse::<Doc>(&src("name: x\nentries: [a,\n  b: c: d\n"), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.syntax");
        assert!(e.location.is_some());
    }

    #[test]
    fn depth_limit_fires() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let e = parse::<Value>(&src(&deep), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.too-deep");
    }

    #[test]
    fn size_limit_fires() {
        let e = parse::<Value>(&src("a: 1\n"), YamlLimits { max_bytes: 3, ..YamlLimits::default() }).unwrap_err();
        assert_eq!(e.code, "file.too-large");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse::<Value>(&src(&text), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.aliases-too-large", "{e}");
    }

    /// One large anchor referenced many times: few expansions, many bytes (the count of
    /// expansions alone let this through).
    #[test]
    fn alias_bytes_are_limited_not_just_their_count() {
        let mut text = format!("label: {{en: &s \"{}\"}}\nactions:\n", "x".repeat(100_000));
        for i in 0..8_000 {
            text.push_str(&format!("  - {{id: a{i}, label: *s}}\n"));
        }
        let e = check(&src(&text), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.aliases-too-large", "{e}");
        // It stops at the reference that crosses the limit: the third one.
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(5), "{e:?}");
        // A few references to a small anchor are fine, merges included.
        let ok = "base: &b {role: partner, days: 3}\na: {<<: *b, id: x}\nb: *b\n";
        check(&src(ok), YamlLimits::default()).unwrap();
    }

    /// Nested aliases count what they expand to, not the text that names them.
    #[test]
    fn nested_alias_expansion_is_counted() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x]\n");
        for i in 1..6 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let e = check(&src(&text), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.aliases-too-large", "{e}");
    }

    /// Deep flow nesting stops at the limit without reading the rest, and without recursion, so
    /// a file far deeper than any stack is refused as quickly as a shallow one is read.
    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let depth = 1_000_000;
        let deep = format!("description: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let e = check(&src(&deep), YamlLimits { max_bytes: usize::MAX, ..YamlLimits::default() }).unwrap_err();
        assert_eq!(e.code, "yaml.too-deep", "{e}");
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(1), "{e:?}");
        // Block nesting has no scanner limit: the guard stops it.
        let block: String = (0..200).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        let e = check(&src(&format!("{block}{}v\n", "  ".repeat(200))), YamlLimits::default()).unwrap_err();
        assert_eq!(e.code, "yaml.too-deep", "{e}");
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(65), "{e:?}");
        // The same with a recursive reader of our own: value trees.
        let e =
            crate::value::Node::from_yaml(&src(&deep), YamlLimits { max_bytes: usize::MAX, ..YamlLimits::default() })
                .unwrap_err();
        assert_eq!(e.code, "yaml.too-deep");
    }

    /// A file that is one long string (a foreign file named as a pack's) is not echoed whole.
    #[test]
    fn a_value_the_decoder_quotes_is_clipped() {
        let passwd = "root:x:0:0:root:/root:/bin/bash ".repeat(1_000);
        let e = parse::<Doc>(&src(&passwd), YamlLimits::default()).unwrap_err();
        assert!(e.message.len() < 400, "{e}");
        assert!(e.message.contains("… (31999 chars)"), "{e}");
        assert_eq!(located::clip_quoted(r#"a "b\"c" d "e"#), r#"a "b\"c" d "e"#);
    }

    #[test]
    fn non_utf8_and_empty_are_refused() {
        let e = SourceText::from_bytes("p.yaml".into(), b"a: \xff\n".to_vec()).unwrap_err();
        assert_eq!(e.code, "file.not-utf8");
        let e = SourceText::from_bytes("p.yaml".into(), b"  \n".to_vec()).unwrap_err();
        assert_eq!(e.code, "file.empty");
    }
}
