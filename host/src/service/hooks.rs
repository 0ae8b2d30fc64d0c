//! The model hooks of tenants' plugins, for the command line and the HTTP host alike:
//! `lint-model` checks a model (`missions validate` and `plan`, `PUT /v1/models/{id}`), and
//! `dashboard-figures` adds figures to a mission's dashboard (`missions dashboard`,
//! `GET /v1/missions/{id}/dashboard`). A plugin that fails is reported, never fatal to the host.

use missions_engine::{Dashboard, Lang, Model};
use missions_plugins::{FindingSeverity, Hook, Labels, PluginError, TenantPlugin};
use serde::Serialize;

/// What a plugin's `lint-model` found in a model, or why the plugin could not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// `error`, `warning` or `info`; a plugin that fails is an `error`.
    pub severity: String,
    /// The plugin's code, prefixed with its name (or the host's code of the failure).
    pub code: String,
    /// The message in the reader's language.
    pub message: String,
    /// The message in fr, nl and en.
    pub messages: Labels,
    /// The plugin.
    pub plugin: String,
    /// The action it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// How to fix it, for a failing plugin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Finding {
    /// Whether it stops the model from being used.
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// A plugin's figure on a dashboard; the value is an exact decimal, as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// The plugin.
    pub plugin: String,
    /// Its code, prefixed with the plugin's name.
    pub code: String,
    /// Its name in fr, nl and en.
    pub label: Labels,
    /// The value, a decimal string.
    pub value: String,
    /// Its unit (`null` when it has none).
    pub unit: Option<String>,
}

/// Why a plugin's hook failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HookFailure {
    /// The plugin.
    pub plugin: String,
    /// The hook (`dashboard-figures`).
    pub hook: String,
    /// The failure's code (`plugin.deadline` …).
    pub code: String,
    /// What happened, in English.
    pub message: String,
    /// The same in fr, nl and en.
    pub messages: Labels,
}

/// The text of `labels` in `lang`, or in English when they have none in it (empty without either).
pub(crate) fn in_lang(labels: &Labels, lang: Lang) -> String {
    labels.get(lang.code()).or_else(|| labels.get("en")).cloned().unwrap_or_default()
}

fn failure(plugin: &TenantPlugin, hook: Hook, e: &PluginError) -> HookFailure {
    HookFailure {
        plugin: plugin.name().to_owned(),
        hook: hook.as_str().to_owned(),
        code: e.code().to_owned(),
        message: format!("plugin `{}` failed in `{hook}`: {e}", plugin.name()),
        messages: e.messages(),
    }
}

/// A tenant's stored plugin that no longer loads, as a failure of the `dashboard-figures` hook.
pub fn unloadable(plugin: &str, why: &str) -> HookFailure {
    let en = format!("plugin `{plugin}` cannot be loaded: {why}; enable it again or disable it");
    let messages = [
        (
            "fr".to_owned(),
            format!("le plugin `{plugin}` ne peut pas être chargé : {why} ; réactivez-le ou désactivez-le"),
        ),
        ("nl".to_owned(), format!("plugin `{plugin}` kan niet geladen worden: {why}; schakel hem opnieuw in of uit")),
        ("en".to_owned(), en.clone()),
    ]
    .into_iter()
    .collect();
    HookFailure {
        plugin: plugin.to_owned(),
        hook: Hook::DashboardFigures.as_str().to_owned(),
        code: "plugin.unloadable".to_owned(),
        message: en,
        messages,
    }
}

/// What every plugin with the `lint-model` hook finds in `model`, in their order.
pub fn lint(plugins: &[TenantPlugin], model: &Model, lang: Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    for plugin in plugins.iter().filter(|p| p.implements(Hook::LintModel)) {
        match plugin.lint_model(model) {
            Ok(found) => out.extend(found.into_iter().map(|f| Finding {
                severity: f.severity.as_str().to_owned(),
                code: f.code,
                message: in_lang(&f.message, lang),
                messages: f.message,
                plugin: plugin.name().to_owned(),
                action: f.action,
                help: None,
            })),
            Err(e) => {
                let failed = failure(plugin, Hook::LintModel, &e);
                out.push(Finding {
                    severity: FindingSeverity::Error.as_str().to_owned(),
                    code: failed.code,
                    message: if lang == Lang::En { failed.message } else { in_lang(&failed.messages, lang) },
                    messages: failed.messages,
                    plugin: failed.plugin,
                    action: None,
                    help: Some(format!("fix or disable the plugin `{}`, then check the model again", plugin.name())),
                });
            }
        }
    }
    out
}

/// The figures every plugin with the `dashboard-figures` hook adds, in their order, and the
/// failures of those that could not.
pub fn figures(plugins: &[TenantPlugin], board: &Dashboard) -> (Vec<Figure>, Vec<HookFailure>) {
    let (mut figures, mut failures) = (Vec::new(), Vec::new());
    for plugin in plugins.iter().filter(|p| p.implements(Hook::DashboardFigures)) {
        match plugin.dashboard_figures(board) {
            Ok(found) => figures.extend(found.into_iter().map(|f| Figure {
                plugin: plugin.name().to_owned(),
                code: f.code,
                label: f.label,
                value: f.value.to_string(),
                unit: f.unit,
            })),
            Err(e) => failures.push(failure(plugin, Hook::DashboardFigures, &e)),
        }
    }
    (figures, failures)
}
