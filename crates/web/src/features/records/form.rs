//! The contact record's form: its fields (kind, contact, content, progress, when, next
//! revisit, reminder) drawn with the generic form macros, and the submitted form read
//! into core's `RecordInput` (a time or day that is not one is a field error).

use wharf_core::DomainError;
use wharf_core::dict::DictKind;
use wharf_core::records::{RecordInput, RecordKind, local_datetime, parse_local_datetime};
use wharf_core::zone::Zone;
use wharf_store::customers::Contact;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, pick};

/// The values the form shows (a new record's defaults, a stored record, or what was
/// sent back with an error), as the inputs hold them.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub kind: String,
    pub contact_id: String,
    pub content: String,
    pub progress_id: String,
    pub happened_at: String,
    pub next_revisit: String,
    pub remind_at: String,
}

impl Shown {
    /// A new record: a call, now.
    pub fn fresh(zone: &Zone) -> Shown {
        Shown {
            kind: "call".into(),
            happened_at: local_datetime(zone, wharf_store::now()),
            ..Shown::default()
        }
    }

    pub fn of_form(form: &FormData) -> Shown {
        Shown {
            kind: form.get("kind"),
            contact_id: form.get("contact_id"),
            content: form.get("content"),
            progress_id: form.get("progress_id"),
            happened_at: form.get("happened_at"),
            next_revisit: form.get("next_revisit"),
            remind_at: form.get("remind_at"),
        }
    }

    pub fn of_record(r: &wharf_store::records::ContactRecord, zone: &Zone) -> Shown {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        Shown {
            kind: r.kind.clone(),
            contact_id: id(r.contact_id),
            content: r.content.clone(),
            progress_id: id(r.progress_id),
            happened_at: local_datetime(zone, r.happened_at),
            next_revisit: r.next_revisit.clone().unwrap_or_default(),
            remind_at: r
                .remind_at
                .map(|t| local_datetime(zone, t))
                .unwrap_or_default(),
        }
    }
}

/// The kinds as (code, label) choices.
pub fn kind_choices(req: &Req) -> Vec<(String, String)> {
    RecordKind::ALL
        .iter()
        .map(|k| {
            (
                k.code().to_string(),
                req.t(&format!("record.kind.{}", k.code())),
            )
        })
        .collect()
}

/// The follow-up progress choices of the dictionary, in the user's language.
pub async fn progress_choices(
    state: &AppState,
    req: &Req,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .store
        .list_dict(req.actor()?, DictKind::FollowupStage)
        .await?
        .into_iter()
        .map(|i| (i.id.to_string(), pick(req.locale, &i.name_zh, &i.name_en)))
        .collect())
}

/// The form's fields.
pub fn fields(
    req: &Req,
    shown: &Shown,
    contacts: &[Contact],
    progress: Vec<(String, String)>,
) -> Vec<Field> {
    let none = || (String::new(), req.t("record.none_chosen"));
    let contact_options = std::iter::once(none())
        .chain(contacts.iter().map(|k| (k.id.to_string(), k.name.clone())))
        .collect();
    let progress_options = std::iter::once(none()).chain(progress).collect();
    vec![
        Field::select(req, "kind", &shown.kind, kind_choices(req)),
        Field::select(req, "contact_id", &shown.contact_id, contact_options),
        Field::new(req, "content", "textarea", &shown.content),
        Field::select(req, "progress_id", &shown.progress_id, progress_options),
        Field::new(req, "happened_at", "datetime-local", &shown.happened_at),
        Field::new(req, "next_revisit", "date", &shown.next_revisit),
        Field::new(req, "remind_at", "datetime-local", &shown.remind_at),
    ]
}

/// Reads the submitted form; times in the company's zone.
pub fn input(form: &FormData, zone: &Zone) -> Result<RecordInput, AppError> {
    let mut errors = wharf_core::validate::FieldErrors::default();
    let mut time = |field: &'static str, required: bool| -> Option<i64> {
        let v = form.get(field);
        if v.trim().is_empty() {
            if required {
                errors.add(field, "required");
            }
            return None;
        }
        match parse_local_datetime(&v) {
            Some((day, h, m)) => Some(zone.at_clock(day, h, m)),
            None => {
                errors.add(field, "invalid_date");
                None
            }
        }
    };
    let happened_at = time("happened_at", true);
    let remind_at = time("remind_at", false);
    let next_revisit =
        match crate::form::day_field(&form.get("next_revisit"), "next_revisit", "invalid_date") {
            Ok(d) => d,
            Err(_) => {
                errors.add("next_revisit", "invalid_date");
                None
            }
        };
    let id = |name: &'static str, errors: &mut wharf_core::validate::FieldErrors| {
        form.id(name).unwrap_or_else(|_| {
            errors.add(name, "invalid_choice");
            None
        })
    };
    let contact_id = id("contact_id", &mut errors);
    let progress_id = id("progress_id", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Domain(DomainError::Invalid(errors)));
    }
    Ok(RecordInput {
        kind: form.get("kind"),
        contact_id,
        content: form.get("content"),
        progress_id,
        happened_at: happened_at.unwrap_or_default(),
        next_revisit,
        remind_at,
    })
}
