//! What the system pages share: the sub-navigation and the form page.

use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Field, FormPage, Tab};
use axum::response::Response;

pub fn subnav(req: &Req, on: &str) -> Vec<Tab> {
    [
        ("departments", "/system/departments"),
        ("staff", "/system/staff"),
        ("roles", "/system/roles"),
        ("pipelines", "/system/pipelines"),
        ("dict", "/system/dict"),
        ("customer_fields", "/system/customer-fields"),
        ("settings", "/system/settings"),
        ("exchange_rates", "/system/exchange-rates"),
        ("quotes", "/quotes/settings"),
        ("audit", "/system/audit"),
    ]
    .into_iter()
    .map(|(k, href)| Tab {
        href: href.to_string(),
        label: req.t(&format!("system.{k}")),
        on: k == on,
    })
    .collect()
}

/// The generic form page of the System area: fields, the errors of a refused save (and
/// its status), and an optional delete button.
// Each part of the frame differs per page; grouping them in a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn show_form(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    err: Option<AppError>,
    delete_action: Option<String>,
) -> Response {
    let data = FormPage {
        subnav: subnav(req, on),
        action,
        cancel: Some(cancel),
        fields,
        delete_action,
        ..FormPage::default()
    };
    crate::render::form(req, "system", &title, data, err)
}

pub(super) fn form_page(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: &str,
    fields: Vec<Field>,
    delete_action: Option<String>,
) -> Response {
    show_form(
        req,
        on,
        title,
        action,
        cancel.to_string(),
        fields,
        None,
        delete_action,
    )
}

/// Re-shows a form with the errors of a refused save, with the error's status.
pub(super) fn refused(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: &str,
    fields: Vec<Field>,
    err: AppError,
) -> Response {
    show_form(
        req,
        on,
        title,
        action,
        cancel.to_string(),
        fields,
        Some(err),
        None,
    )
}
