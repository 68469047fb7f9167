//! Server-rendered pages: the minijinja templates (embedded in the binary), the page
//! frame (navigation, language switch) and small view-model types shared by pages.

use std::sync::OnceLock;

use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, State, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::ctx::Req;
use crate::error::AppError;
use crate::i18n::{self, Locale};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// Every file under `templates/`, named by its path there (`customers/list.html`); the
/// list is made by `build.rs`, so a new template is only a new file.
pub fn templates() -> &'static [(&'static str, &'static str)] {
    embedded::TEMPLATES
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A variable the handler did not pass is an error, not an empty string, so a
        // misspelt or forgotten value shows in the page tests instead of in production.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in templates() {
            env.add_template(name, source)
                .expect("templates parse (checked by tests)");
        }
        // Our own URLs (a path and a hex hash), not escaped.
        env.add_function("asset", |name: &str| {
            Value::from_safe_string(crate::assets::url(name))
        });
        env.add_function("t", |state: &State, key: &str| -> String {
            let locale = state
                .lookup("locale")
                .and_then(|v| v.as_str().and_then(Locale::from_code))
                .unwrap_or(Locale::ZhCn);
            i18n::t(locale, key)
        });
        env
    })
}

#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    href: &'static str,
    on: bool,
}

/// The areas of SPEC in the top navigation; `system` only for administrators.
fn nav(req: &Req, area: &str) -> Vec<NavItem> {
    let admin = req
        .actor
        .as_ref()
        .is_some_and(|a| a.has(wharf_core::Permission::SystemAdmin));
    [
        ("home", "/"),
        ("mail", "/mail"),
        ("customers", "/customers"),
        ("sales", "/sales"),
        ("reports", "/reports"),
        ("system", "/system"),
    ]
    .into_iter()
    .filter(|(k, _)| *k != "system" || admin)
    .map(|(key, href)| NavItem {
        key,
        href,
        on: key == area,
    })
    .collect()
}

/// What every page gets besides its own data: the frame `shared/layout.html` draws.
#[derive(Serialize)]
struct Frame<'a> {
    locale: &'static str,
    other_locale: &'static str,
    title: &'a str,
    /// The signed-in person's name; `None` draws the signed-out frame.
    me: Option<&'a str>,
    csrf: &'a str,
    nav: Vec<NavItem>,
    /// The global search box's text; the search page passes its own.
    search_q: &'a str,
}

/// Renders `template` inside the frame. `area` marks the navigation entry. `data` is the
/// page's own data, a `#[derive(Serialize)]` struct (or a `context!` map); its keys win
/// over the frame's.
pub fn page(req: &Req, template: &str, area: &str, title: &str, data: impl Serialize) -> Response {
    let frame = Frame {
        locale: req.locale.code(),
        other_locale: req.locale.other().code(),
        title,
        me: req.actor.as_ref().map(|_| req.display_name.as_str()),
        csrf: &req.csrf,
        nav: nav(req, area),
        search_q: "",
    };
    match render(
        template,
        Value::from_serialize(&data),
        Value::from_serialize(&frame),
    ) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, template, "template failed");
            AppError::Internal(e.to_string()).into_response()
        }
    }
}

fn render(template: &str, data: Value, frame: Value) -> Result<String, minijinja::Error> {
    let ctx = context! { ..data, ..frame };
    env().get_template(template)?.render(ctx)
}

/// A plain message page (errors, confirmations).
pub fn message(req: &Req, title: &str, message: &str) -> Response {
    page(
        req,
        "shared/message.html",
        "",
        title,
        context! { message => message, back => "/" },
    )
}

/// One form field as the generic form template draws it.
#[derive(Serialize, Clone, Debug)]
pub struct Field {
    /// The form name; custom fields' (`cf<id>`) are made at run time.
    pub name: std::borrow::Cow<'static, str>,
    pub label: String,
    /// text, password, email, number, date, select, textarea, checkbox, checkboxes
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub error: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Field {
    pub fn new(req: &Req, name: &'static str, kind: &'static str, value: impl ToString) -> Field {
        Field {
            name: std::borrow::Cow::Borrowed(name),
            label: req.t(&format!("field.{name}")),
            kind,
            value: value.to_string(),
            options: Vec::new(),
            error: None,
        }
    }

    pub fn select(
        req: &Req,
        name: &'static str,
        selected: &str,
        options: Vec<(String, String)>,
    ) -> Field {
        let mut f = Field::new(req, name, "select", selected);
        f.options = options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == selected,
                value,
                label,
            })
            .collect();
        f
    }

    pub fn checkboxes(
        req: &Req,
        name: &'static str,
        options: Vec<(String, String, bool)>,
    ) -> Field {
        let mut f = Field::new(req, name, "checkboxes", "");
        f.options = options
            .into_iter()
            .map(|(value, label, selected)| Choice {
                value,
                label,
                selected,
            })
            .collect();
        f
    }
}

/// Puts field errors (from a refused save) next to their fields; returns the message for
/// errors that belong to no field.
pub fn attach_errors(req: &Req, fields: &mut [Field], err: &AppError) -> String {
    let AppError::Domain(wharf_core::DomainError::Invalid(errors)) = err else {
        return err.message(req.locale);
    };
    let mut unplaced = Vec::new();
    for e in &errors.0 {
        let text = req.t(&format!("error.{}", e.code));
        match fields.iter_mut().find(|f| f.name == e.field) {
            Some(f) => f.error = Some(text),
            None => unplaced.push(text),
        }
    }
    let mut msg = req.t("error.invalid_input");
    for u in unplaced {
        msg.push(' ');
        msg.push_str(&u);
    }
    msg
}

/// "YYYY-MM-DD HH:MM" in the company's time zone.
pub fn when(unix: i64, offset_minutes: i64) -> String {
    let offset = time::UtcOffset::from_whole_seconds((offset_minutes * 60) as i32)
        .unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(offset))
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// A localised name from a Chinese / English pair, falling back to whichever is set.
pub fn pick(locale: Locale, zh: &str, en: &str) -> String {
    match locale {
        Locale::ZhCn if !zh.is_empty() => zh.to_string(),
        Locale::En if !en.is_empty() => en.to_string(),
        _ if zh.is_empty() => en.to_string(),
        _ => zh.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_parse_and_times_format() {
        let _ = super::env();
        assert_eq!(super::when(0, 480), "1970-01-01 08:00");
    }
}
