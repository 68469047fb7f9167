//! Server-rendered pages: the minijinja templates (embedded in the binary), the page
//! frame (navigation, language switch) and small view-model types shared by pages.

use std::sync::OnceLock;

use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, State, Value, context};
use serde::Serialize;

use crate::ctx::Req;
use crate::error::AppError;
use crate::i18n::{self, Locale};

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            ("layout.html", include_str!("../templates/layout.html")),
            ("form.html", include_str!("../templates/form.html")),
            ("list.html", include_str!("../templates/list.html")),
            ("message.html", include_str!("../templates/message.html")),
            ("confirm.html", include_str!("../templates/confirm.html")),
            ("login.html", include_str!("../templates/login.html")),
            ("home.html", include_str!("../templates/home.html")),
            ("profile.html", include_str!("../templates/profile.html")),
            ("accounts.html", include_str!("../templates/accounts.html")),
            ("account.html", include_str!("../templates/account.html")),
            (
                "customers.html",
                include_str!("../templates/customers.html"),
            ),
            ("customer.html", include_str!("../templates/customer.html")),
            (
                "mail_customer.html",
                include_str!("../templates/mail_customer.html"),
            ),
            (
                "customers_print.html",
                include_str!("../templates/customers_print.html"),
            ),
            (
                "customer_import.html",
                include_str!("../templates/customer_import.html"),
            ),
            ("mailbox.html", include_str!("../templates/mailbox.html")),
            ("search.html", include_str!("../templates/search.html")),
            ("compose.html", include_str!("../templates/compose.html")),
        ] {
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

/// Renders `template` inside the frame. `area` marks the navigation entry.
pub fn page(req: &Req, template: &str, area: &str, title: &str, data: Value) -> Response {
    let frame = context! {
        locale => req.locale.code(),
        other_locale => req.locale.other().code(),
        title => title,
        me => if req.actor.is_some() { Some(req.display_name.clone()) } else { None },
        csrf => req.csrf.clone(),
        nav => nav(req, area),
    };
    let ctx = context! { ..data, ..frame };
    match env().get_template(template).and_then(|t| t.render(ctx)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, template, "template failed");
            AppError::Internal(e.to_string()).into_response()
        }
    }
}

/// A plain message page (errors, confirmations).
pub fn message(req: &Req, title: &str, message: &str) -> Response {
    page(
        req,
        "message.html",
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
    /// Values a text input offers while any other may still be typed (a `<datalist>`).
    pub suggestions: Vec<String>,
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
            suggestions: Vec::new(),
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

/// "YYYY-MM-DD HH:MM" in the company's time zone (`Req::zone`).
pub fn when(unix: i64, zone: &wharf_core::zone::Zone) -> String {
    zone.format(unix)
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
        assert_eq!(
            super::when(0, &wharf_core::zone::Zone::default()),
            "1970-01-01 08:00"
        );
    }
}
