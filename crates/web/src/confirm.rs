//! Destructive actions are confirmed on the server too: a form without `confirmed=1`
//! (which the page script adds once the user said yes in the dialog) gets a page that
//! asks, with the same form to send again. So a page without JavaScript, or a script
//! that failed, still cannot release or delete without asking.

use axum::response::Response;
use serde::Serialize;

use crate::ctx::Req;
use crate::form::FormData;
use crate::render::page;

/// `None` when the form says the user confirmed; else the page that asks `question_key`
/// (a catalog key) before posting the same fields to `action`. `cancel` is where "no"
/// leads (a same-site path).
/// `shared/confirm.html`: the question, and the form posted again with `confirmed=1`.
#[derive(Serialize)]
pub struct ConfirmPage<'a> {
    pub action: &'a str,
    pub question: String,
    /// The form's fields as they came, carried along hidden.
    pub fields: Vec<(String, String)>,
    pub cancel: &'a str,
}

pub fn unless_confirmed(
    req: &Req,
    form: &FormData,
    action: &str,
    question_key: &str,
    cancel: &str,
) -> Option<Response> {
    if form.get("confirmed") == "1" {
        return None;
    }
    let fields: Vec<(String, String)> = form
        .0
        .iter()
        .filter(|(k, _)| k != "confirmed")
        .cloned()
        .collect();
    Some(page(
        req,
        "shared/confirm.html",
        "",
        &req.t("confirm.title"),
        ConfirmPage {
            action,
            question: req.t(question_key),
            fields,
            cancel,
        },
    ))
}
