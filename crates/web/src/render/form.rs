//! The generic form (`shared/form.html`): its fields, the page data around them, and the
//! placing of a refused save's errors next to their fields.

use axum::response::Response;
use serde::Serialize;

use crate::ctx::Req;
use crate::error::AppError;

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

/// One option of a select the template draws itself (`<option … {% if o.on %}selected`).
#[derive(Serialize, Clone, Debug)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub on: bool,
}

/// One result of checking settings (a mail account's connection test): `check-<id>`.
#[derive(Serialize, Clone, Debug)]
pub struct Check {
    pub id: &'static str,
    pub ok: bool,
    pub label: String,
    pub text: String,
}

/// What a user must know about a mail provider before typing a password.
#[derive(Serialize, Clone, Debug)]
pub struct ProviderNote {
    pub code: &'static str,
    pub name: String,
    pub text: String,
}

/// A second submit button posting the same form elsewhere (e.g. "test settings").
#[derive(Serialize, Clone, Debug)]
pub struct ExtraButton {
    pub action: String,
    pub id: &'static str,
    pub label: String,
}

/// `shared/form.html`. Everything but `action` and `fields` is optional and drawn only
/// when set.
#[derive(Serialize, Default)]
pub struct FormPage {
    pub action: String,
    pub fields: Vec<Field>,
    /// The refused save's message; [`form`] fills it from the error.
    pub form_error: Option<String>,
    pub cancel: Option<String>,
    /// The submit button's label; "Save" when `None`.
    pub submit: Option<String>,
    pub delete_action: Option<String>,
    pub subnav: Vec<super::Tab>,
    pub extra_buttons: Vec<ExtraButton>,
    pub checks: Vec<Check>,
    pub provider_notes: Vec<ProviderNote>,
    /// Asks the duplicate check while typing a customer's name (app.js).
    pub dup_check: bool,
    /// The customer being edited, left out of its own duplicates.
    pub dup_exclude: String,
    /// The mail providers' settings for the account form's preset choice (JSON).
    pub presets_json: Option<String>,
    /// A customer's save ran into a colleague's customer: "request transfer" below.
    pub transfer_offer: Option<TransferOffer>,
}

/// The "request transfer" form under a customer save refused by a colleague's customer
/// (LINK-6): whose it is, and what was typed, carried along for the store to find it.
#[derive(Serialize, Clone, Debug, Default)]
pub struct TransferOffer {
    pub owners: String,
    pub name: String,
    pub emails: String,
    pub phones: String,
    pub website: String,
}

/// Renders a [`FormPage`]; with `err` (a refused save) the errors go next to their
/// fields and the response carries the error's status.
pub fn form(
    req: &Req,
    area: &str,
    title: &str,
    mut data: FormPage,
    err: Option<AppError>,
) -> Response {
    if let Some(e) = &err {
        data.form_error = Some(attach_errors(req, &mut data.fields, e));
    }
    let mut res = super::page(req, "shared/form.html", area, title, &data);
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
}
