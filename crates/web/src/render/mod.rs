//! Server-rendered pages: the minijinja templates (`templates/`, embedded in the binary,
//! strict about undefined variables), the page frame (navigation, language switch) and
//! the typed page data of the shared templates (form, list, message).

mod form;
mod list;

pub use form::{
    Check, Choice, ExtraButton, Field, FormPage, ProviderNote, SelectOption, TransferOffer,
    attach_errors, form,
};
pub use list::{ListPage, ListRow, Pager, SearchBox, Tab};

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
        // The built-in administrator's seeded name ("系统管理员 Administrator") in the
        // reader's language wherever a page prints a name (staff, owners, audit,
        // assignees, the team switch, mail notes …): one place instead of every list.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(s) if s.contains(wharf_store::BUILTIN_ADMIN_NAME) => {
                let locale = state
                    .lookup("locale")
                    .and_then(|v| v.as_str().and_then(Locale::from_code))
                    .unwrap_or(Locale::ZhCn);
                let shown = s.replace(
                    wharf_store::BUILTIN_ADMIN_NAME,
                    &i18n::t(locale, "staff.builtin_admin"),
                );
                let shown = if value.is_safe() {
                    Value::from_safe_string(shown)
                } else {
                    Value::from(shown)
                };
                minijinja::escape_formatter(out, state, &shown)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        // `tn("import.rows", rows)`: "1 row", "2 rows" (see `i18n::t_n`).
        env.add_function("tn", |state: &State, key: &str, n: i64| -> String {
            let locale = state
                .lookup("locale")
                .and_then(|v| v.as_str().and_then(Locale::from_code))
                .unwrap_or(Locale::ZhCn);
            i18n::t_n(locale, key, n)
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
    let rates = req
        .actor
        .as_ref()
        .is_some_and(|a| a.has(wharf_core::Permission::ExchangeRates));
    [
        ("home", "/"),
        ("mail", "/mail"),
        ("customers", "/customers"),
        ("sales", "/sales"),
        ("products", "/products"),
        ("reports", "/reports"),
        ("system", "/system"),
    ]
    .into_iter()
    .filter(|(k, _)| *k != "system" || admin || rates)
    // Someone who manages exchange rates without administering goes straight there.
    .map(|(k, href)| match k {
        "system" if !admin => (k, "/system/exchange-rates"),
        _ => (k, href),
    })
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
    /// "Saved" after a form's redirect (`Req::saved`), in the user's language.
    notice: Option<String>,
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
        notice: req.saved.map(|code| req.t(&format!("saved.{code}"))),
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

/// `shared/message.html`: one sentence and a way back.
#[derive(Serialize)]
pub struct MessagePage<'a> {
    pub message: &'a str,
    /// Where the arrow leads; `None` draws no arrow.
    pub back: Option<&'a str>,
}

/// A plain message page (errors, confirmations).
pub fn message(req: &Req, title: &str, message: &str) -> Response {
    page(
        req,
        "shared/message.html",
        "",
        title,
        MessagePage {
            message,
            back: Some("/"),
        },
    )
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
pub(crate) mod tests {
    use super::*;

    /// The frame as a signed-in page has it, without a request.
    fn frame_fields() -> Frame<'static> {
        Frame {
            locale: "en",
            other_locale: "zh-CN",
            title: "T",
            me: Some("Me"),
            csrf: "tok",
            nav: vec![NavItem {
                key: "home",
                href: "/",
                on: true,
            }],
            search_q: "",
            notice: Some("Saved".into()),
        }
    }

    pub(crate) fn frame() -> Value {
        Value::from_serialize(frame_fields())
    }

    thread_local! {
        /// The templates `render_with` rendered on this thread (see
        /// `features::samples`, which checks that every template was).
        pub(crate) static RENDERED: std::cell::RefCell<std::collections::BTreeSet<String>> =
            Default::default();
    }

    /// Renders `template` with `data` inside a signed-in frame; strict, so a variable the
    /// data lacks fails here.
    pub(crate) fn render_with(template: &str, data: impl Serialize) -> String {
        RENDERED.with(|r| r.borrow_mut().insert(template.to_string()));
        render(template, Value::from_serialize(&data), frame())
            .unwrap_or_else(|e| panic!("{template}: {e:#}"))
    }

    #[test]
    fn templates_parse_and_times_format() {
        let _ = super::env();
        assert_eq!(
            super::when(0, &wharf_core::zone::Zone::default()),
            "1970-01-01 08:00"
        );
    }

    /// Any name a page prints (a staff row, an owner column, an audit line, "Wang Li,
    /// 系统管理员 Administrator" joined) shows the built-in admin in the reader's
    /// language only, and escaping stays as it was.
    #[test]
    fn the_builtin_admin_is_named_in_the_readers_language_everywhere() {
        let admin = wharf_store::BUILTIN_ADMIN_NAME;
        let page = |locale: &str| {
            let mut frame = frame_fields();
            frame.locale = if locale == "en" { "en" } else { "zh-CN" };
            render(
                "shared/message.html",
                Value::from_serialize(MessagePage {
                    message: &format!("<b>Wang Li, {admin}</b>"),
                    back: None,
                }),
                Value::from_serialize(frame),
            )
            .unwrap()
        };
        let en = page("en");
        assert!(
            en.contains("&lt;b&gt;Wang Li, Administrator&lt;&#x2f;b&gt;")
                || en.contains("&lt;b&gt;Wang Li, Administrator&lt;/b&gt;"),
            "{en}"
        );
        assert!(!en.contains("系统管理员"));
        let zh = page("zh-CN");
        assert!(zh.contains("Wang Li, 系统管理员&lt;"), "{zh}");
        assert!(!zh.contains("Administrator&lt;"));
    }

    /// The pages' CSP (`headers.rs`) allows scripts and styles from our own files only;
    /// a template must not need more.
    #[test]
    fn no_template_carries_inline_scripts_styles_or_handlers() {
        for (name, source) in templates() {
            let lower = source.to_ascii_lowercase();
            for (at, _) in lower.match_indices("<script") {
                let tag = &lower[at..lower[at..].find('>').map_or(lower.len(), |e| at + e)];
                assert!(tag.contains(" src="), "{name}: inline <script>");
            }
            assert!(!lower.contains("<style"), "{name}: <style>");
            assert!(!lower.contains(" style="), "{name}: style attribute");
            assert!(!lower.contains("javascript:"), "{name}: javascript: URL");
            let bytes = lower.as_bytes();
            for (at, _) in lower.match_indices(" on") {
                let word: String = lower[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                let after = bytes.get(at + 1 + word.len()).copied();
                assert!(
                    !(word.len() > 2 && after == Some(b'=')),
                    "{name}: inline handler {word}="
                );
            }
        }
    }

    /// The CSRF token never rides in a URL (it would show in the address bar after a
    /// refused upload): every form carries it as a field, uploads as their first one.
    #[test]
    fn no_form_action_carries_the_csrf_token() {
        for (name, source) in templates() {
            let lower = source.to_ascii_lowercase();
            for (at, _) in lower.match_indices("<form") {
                let tag = &lower[at..lower[at..].find('>').map_or(lower.len(), |e| at + e)];
                let action = tag.split("action=\"").nth(1).unwrap_or("");
                let action = &action[..action.find('"').unwrap_or(action.len())];
                assert!(!action.contains("csrf"), "{name}: {action}");
                if tag.contains("multipart/form-data") {
                    let after = &lower[at + tag.len() + 1..];
                    assert!(
                        after.trim_start().starts_with("{{ ui.csrf(csrf) }}")
                            || after
                                .trim_start()
                                .starts_with("<input type=\"hidden\" name=\"_csrf\""),
                        "{name}: an upload's first field is the token"
                    );
                }
            }
        }
    }

    #[test]
    fn an_undefined_variable_is_an_error() {
        let err = render("shared/message.html", context! {}, frame()).expect_err("strict");
        assert_eq!(err.kind(), minijinja::ErrorKind::UndefinedError);
    }

    #[test]
    pub(crate) fn the_shared_templates_render_their_typed_data() {
        let tab = Tab {
            href: "/a".into(),
            label: "A".into(),
            on: true,
        };
        let html = render_with("shared/form.html", FormPage::default());
        assert!(html.contains(r#"name="_csrf" value="tok""#), "{html}");
        let full = FormPage {
            action: "/x".into(),
            fields: vec![Field {
                name: "name".into(),
                label: "Name".into(),
                kind: "text",
                value: "v".into(),
                options: Vec::new(),
                suggestions: Vec::new(),
                error: Some("bad".into()),
            }],
            form_error: Some("refused".into()),
            cancel: Some("/back".into()),
            submit: Some("Go".into()),
            delete_action: Some("/x/delete".into()),
            subnav: vec![tab.clone()],
            extra_buttons: vec![ExtraButton {
                action: "/x/test".into(),
                id: "test-settings",
                label: "Test".into(),
            }],
            checks: vec![Check {
                id: "imap",
                ok: false,
                label: "IMAP".into(),
                text: "no".into(),
            }],
            provider_notes: vec![ProviderNote {
                code: "gmail",
                name: "Gmail".into(),
                text: "app password".into(),
            }],
            dup_check: true,
            dup_exclude: "7".into(),
            presets_json: Some("[]".into()),
            transfer_offer: Some(TransferOffer {
                owners: "Li".into(),
                emails: "ann@acme.de".into(),
                ..Default::default()
            }),
        };
        let html = render_with("shared/form.html", full);
        for part in [
            r#"id="err-name""#,
            r#"id="form-error""#,
            ">Go</button>",
            r#"id="delete""#,
            r#"id="test-settings""#,
            r#"id="check-imap""#,
            r#"id="preset-note-gmail""#,
            r#"data-exclude="7""#,
            r#"id="transfer-offer""#,
            r#"id="presets""#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        render_with("shared/list.html", ListPage::default());
        let html = render_with(
            "shared/list.html",
            ListPage {
                columns: vec!["C".into()],
                rows: vec![
                    ListRow {
                        cells: vec!["linked".into()],
                        href: Some("/r/1".into()),
                    },
                    ListRow {
                        cells: vec!["plain".into()],
                        href: None,
                    },
                ],
                subnav: vec![tab],
                search: vec![SearchBox {
                    name: "q",
                    label: "Q".into(),
                    value: "".into(),
                    kind: None,
                }],
                new_href: Some("/r/new".into()),
                pager: Some(Pager {
                    page: 2,
                    pages: 3,
                    total: 55,
                    prev: Some("/r?page=1".into()),
                    next: None,
                }),
            },
        );
        // minijinja escapes `/` too.
        assert!(
            html.contains(r#"<a href="&#x2f;r&#x2f;1">linked</a>"#),
            "{html}"
        );
        assert!(html.contains("<td>plain</td>"), "{html}");
        assert!(html.contains("2 &#x2f; 3 (55)"), "{html}");
        assert!(html.contains(r#"type="text" id="s-q""#), "{html}");
        for back in [Some("/"), None] {
            render_with("shared/message.html", MessagePage { message: "m", back });
        }
        // The signed-out frame (the sign-in page's).
        let signed_out = Value::from_serialize(Frame {
            me: None,
            ..frame_fields()
        });
        let html = render(
            "shared/message.html",
            Value::from_serialize(MessagePage {
                message: "m",
                back: None,
            }),
            signed_out,
        )
        .expect("renders signed out");
        assert!(html.contains(r#"href="/locale/zh-CN""#), "{html}");
    }
}
