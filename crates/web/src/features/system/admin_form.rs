//! What the system pages share: the sub-navigation and the form page.

use axum::response::Response;
use minijinja::{Value, context};

use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Field, attach_errors, page};

pub fn subnav(req: &Req, on: &str) -> Value {
    let items: Vec<Value> = [
        ("departments", "/system/departments"),
        ("staff", "/system/staff"),
        ("roles", "/system/roles"),
        ("dict", "/system/dict"),
        ("customer_fields", "/system/customer-fields"),
        ("settings", "/system/settings"),
        ("audit", "/system/audit"),
    ]
    .into_iter()
    .map(|(k, href)| context! { href => href, label => req.t(&format!("system.{k}")), on => k == on })
    .collect();
    Value::from(items)
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
    mut fields: Vec<Field>,
    err: Option<AppError>,
    delete_action: Option<String>,
) -> Response {
    let form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    let mut res = page(
        req,
        "form.html",
        "system",
        &title,
        context! {
            subnav => subnav(req, on), action => action, cancel => cancel, fields => fields, form_error => form_error, delete_action => delete_action,
        },
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
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
