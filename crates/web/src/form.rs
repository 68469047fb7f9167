//! Reading submitted forms: repeated keys (checkboxes) are kept, so forms are a list of
//! pairs rather than a map. A value holding a control character other than a tab or a
//! line break (NUL, ESC, DEL, C1) is refused here, for every form, before any handler
//! sees it (`control_chars`, a 422); the per-field rules are core's `validate`. A `back`
//! field (where to return after the action) must be a same-site path, or the request is
//! refused before the handler runs.

use axum::extract::{FromRequest, Request};

use crate::error::AppError;

pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// An optional id: empty means none; anything unreadable is a bad request.
    pub fn id(&self, name: &str) -> Result<Option<i64>, AppError> {
        let v = self.get(name);
        if v.trim().is_empty() {
            return Ok(None);
        }
        v.trim().parse().map(Some).map_err(|_| AppError::BadRequest)
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name).as_str(), "1" | "on" | "true")
    }

    /// A form built from a JSON body's values (the API's way into a page's checks),
    /// held to the same rule as a submitted one: no control characters.
    pub fn of_pairs(pairs: Vec<(String, String)>) -> Result<FormData, AppError> {
        for (k, v) in &pairs {
            refuse_controls(k, v)?;
        }
        Ok(FormData(pairs))
    }
}

/// A JSON value as a form would have typed it: strings as they are, numbers in their
/// exact JSON text (never through a float), null and absent as empty.
pub fn json_text(v: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::to_bytes(req.into_body(), 1024 * 1024)
            .await
            .map_err(|_| AppError::BadRequest)?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest)?;
        for (k, v) in &pairs {
            refuse_controls(k, v)?;
        }
        let form = FormData(pairs.into_iter().filter(|(k, _)| k != "_csrf").collect());
        // A page to go back to is checked before the handler acts on anything.
        let back = form.get("back");
        if !back.is_empty() {
            crate::redirect::same_site_path(&back)?;
        }
        Ok(form)
    }
}

/// A date field (`YYYY-MM-DD`) as a calendar day, which `Req::zone` places in time;
/// empty means none, anything else is the error `code` on `field`.
pub fn day_field(
    value: &str,
    field: &'static str,
    code: &'static str,
) -> Result<Option<wharf_core::zone::Day>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    wharf_core::zone::Day::parse_iso(value)
        .map(Some)
        .ok_or_else(|| AppError::Domain(wharf_core::DomainError::field(field, code)))
}

/// A submitted value with a control character no text field can hold (anything but a
/// tab or a line break) is refused, naming the field.
pub fn refuse_controls(field: &str, value: &str) -> Result<(), AppError> {
    if field
        .chars()
        .chain(value.chars())
        .any(|c| !matches!(c, '\t' | '\n' | '\r') && c.is_control())
    {
        let mut errors = wharf_core::validate::FieldErrors::default();
        errors.add_owned(
            field.chars().filter(|c| !c.is_control()).collect(),
            "control_chars",
        );
        return Err(AppError::Domain(wharf_core::DomainError::Invalid(errors)));
    }
    Ok(())
}
