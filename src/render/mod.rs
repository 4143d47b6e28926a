//! Templates through minijinja: the built-in defaults in `templates/`, embedded in the binary,
//! overridden per repository by `.hotfix/templates/NAME` on mainline.

pub mod audit;
pub mod junit;
pub mod report;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{Error, Result};

/// The built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "tag-message.txt",
        include_str!("../../templates/tag-message.txt"),
    ),
    ("hotfix.toml", include_str!("../../templates/hotfix.toml")),
    (
        "ci-github.yml",
        include_str!("../../templates/ci-github.yml"),
    ),
    (
        "ci-gitlab.yml",
        include_str!("../../templates/ci-gitlab.yml"),
    ),
    ("retro.md", include_str!("../../templates/retro.md")),
    ("runbook.md", include_str!("../../templates/runbook.md")),
    ("pr-body.md", include_str!("../../templates/pr-body.md")),
    (
        "release-notes.md",
        include_str!("../../templates/release-notes.md"),
    ),
    ("report.md", include_str!("../../templates/report.md")),
    ("report.html", include_str!("../../templates/report.html")),
    ("audit.md", include_str!("../../templates/audit.md")),
    ("audit.html", include_str!("../../templates/audit.html")),
];

/// Returns a built-in template's text.
pub fn builtin(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("every template name used in code is built in")
}

/// Finds the repository's override of a template on mainline, if it has one: where it is, and
/// its text.
pub fn override_text(ctx: &Ctx, name: &str) -> Option<(String, String)> {
    let mainline = ctx.mainline().ok()?;
    let path = format!("{}/{name}", ctx.config.templates.dir.trim_end_matches('/'));
    let content = ctx.repo.file_at(mainline.tip, &path).ok()??;
    Some((
        format!("{path} on {}", mainline.display),
        String::from_utf8_lossy(&content).into_owned(),
    ))
}

/// Renders a template by name with a context, preferring the repository's override.
pub fn render<S: Serialize>(ctx: Option<&Ctx>, name: &str, context: &S) -> Result<String> {
    let (origin, text) = ctx.and_then(|c| override_text(c, name)).unwrap_or_else(|| {
        (
            format!("built-in template {name}"),
            builtin(name).to_string(),
        )
    });
    render_text(&origin, &text, context)
}

/// Renders template text; errors name the template and line.
pub fn render_text<S: Serialize>(origin: &str, text: &str, context: &S) -> Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    // HTML templates escape what they interpolate; text and markdown templates do not.
    let html = origin.contains(".html");
    env.set_auto_escape_callback(move |_| {
        if html {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    let bad = |e: minijinja::Error| {
        let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
        Error::usage(format!("the template {origin}{line} is broken"))
            .cause(e.to_string())
            .hint("fix the template, or delete the override to use the built-in one")
    };
    env.add_template_owned("t".to_string(), text.to_string())
        .map_err(bad)?;
    let tmpl = env.get_template("t").map_err(bad)?;
    let mut text = tmpl.render(minijinja::value::Serde(context)).map_err(bad)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
