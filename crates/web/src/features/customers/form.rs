//! The customer create / edit form with duplicate hints while typing.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::custom_field::CustomField;
use wharf_core::customers::{CUSTOMER_FIELDS, CustomerInput, STAGES};
use wharf_core::fields::{FieldDef, FieldValue, Kind, Record, Storage};

use super::labels::{ItemNames, choice_label, day_text, item_names};
use super::transfer_requests;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, form};

// ---- the form ------------------------------------------------------------------------

/// The form's inputs: the registry's form fields by kind (the owner choice after the
/// stage, on create), then the custom fields.
async fn customer_fields(
    state: &AppState,
    req: &Req,
    c: &CustomerInput,
    owner: Option<&str>,
) -> Result<Vec<Field>, AppError> {
    let zone = req.zone()?;
    let items = item_names(state, req).await?;
    let mut fields = Vec::new();
    for def in CUSTOMER_FIELDS.fields.iter().filter(|f| f.in_form) {
        let value = c.value(def.key).unwrap_or(FieldValue::Text(String::new()));
        fields.push(form_input(req, def, &value, &items, zone));
        if def.key == "stage"
            && let Some(owner) = owner
        {
            fields.push(owner_field(state, req, owner).await?);
        }
    }
    for f in state.store.custom_fields(req.actor()?).await? {
        fields.push(custom_form_field(req, &f, c));
    }
    Ok(fields)
}

/// Who will own a new customer: me, the pool, or a colleague.
async fn owner_field(state: &AppState, req: &Req, owner: &str) -> Result<Field, AppError> {
    let mut options = vec![
        ("me".to_string(), req.t("customer.owner.me")),
        ("pool".to_string(), req.t("customer.pool")),
    ];
    let me = req.actor()?.user_id;
    options.extend(
        state
            .store
            .active_staff(req.actor()?)
            .await?
            .into_iter()
            .filter(|(id, _)| *id != me)
            .map(|(id, n)| (id.to_string(), n)),
    );
    Ok(Field::select(req, "owner", owner, options))
}

/// A standard field's input by its kind: a list for choices, base data and ratings, a
/// date picker for days, a check box for flags, a text area for long text.
fn form_input(
    req: &Req,
    def: &'static FieldDef,
    value: &FieldValue,
    items: &ItemNames,
    zone: &wharf_core::zone::Zone,
) -> Field {
    let key = def.key;
    let mut field = match (def.kind, value) {
        (Kind::Choice { codes, .. }, FieldValue::Text(code)) => Field::select(
            req,
            key,
            code,
            codes
                .iter()
                .map(|c| (c.to_string(), choice_label(req, def, c, items)))
                .collect(),
        ),
        (Kind::Stage, FieldValue::Text(code)) => {
            Field::select(req, key, code, super::labels::stage_choices(items))
        }
        (Kind::DictRef(_), FieldValue::OptInt(id)) => {
            let names = items
                .iter()
                .find(|(f, _)| *f == key)
                .map(|(_, n)| n.as_slice())
                .unwrap_or_default();
            let mut options = vec![(String::new(), req.t("none"))];
            options.extend(names.iter().map(|(id, n)| (id.to_string(), n.clone())));
            Field::select(
                req,
                key,
                &id.map(|s| s.to_string()).unwrap_or_default(),
                options,
            )
        }
        (Kind::Rating { max }, FieldValue::Int(n)) => Field::select(
            req,
            key,
            &n.to_string(),
            (0..=max)
                .map(|n| {
                    let label = if n == 0 {
                        req.t("none")
                    } else {
                        "★".repeat(n as usize)
                    };
                    (n.to_string(), label)
                })
                .collect(),
        ),
        (Kind::Date, FieldValue::OptInt(t)) => Field::new(req, key, "date", day_text(*t, zone)),
        (Kind::Flag, FieldValue::Flag(on)) => {
            Field::new(req, key, "checkbox", if *on { "1" } else { "0" })
        }
        (Kind::LongText, v) => Field::new(req, key, "textarea", v.to_text()),
        (Kind::Number { .. }, v) => Field::new(req, key, "number", v.to_text()),
        (_, v) => Field::new(req, key, "text", v.to_text()),
    };
    field.label = req.t(def.label);
    field
}

/// The form's standard values by the registry (days come after, with the company's time
/// zone: [`with_dates`]) and every `cf<id>` of the form, which the store checks against
/// the definitions.
/// What a refused save typed, for a transfer request.
fn probe_of(input: &CustomerInput) -> wharf_store::customers::TransferProbe {
    wharf_store::customers::TransferProbe {
        name: input.name.clone(),
        emails: input.email.clone(),
        phones: input.phones.clone(),
        website: input.website.clone(),
    }
}

fn customer_input(form: &FormData) -> Result<CustomerInput, AppError> {
    let mut input = CustomerInput::default();
    for def in CUSTOMER_FIELDS.fields.iter().filter(|f| f.in_form) {
        let value = match (def.kind, def.kind.storage()) {
            (Kind::Date, _) => FieldValue::OptInt(None),
            (_, Storage::Text) => FieldValue::Text(form.get(def.key)),
            (_, Storage::Int) => FieldValue::Int(form.get(def.key).parse().unwrap_or(0)),
            (_, Storage::OptInt) => FieldValue::OptInt(form.id(def.key)?),
            (_, Storage::Flag) => FieldValue::Flag(form.flag(def.key)),
        };
        input.set(def.key, value);
    }
    input.custom = form
        .0
        .iter()
        .filter_map(|(k, v)| {
            wharf_core::custom_field::parse_key(k).map(|id| (id, v.trim().to_string()))
        })
        .collect();
    Ok(input)
}

/// A custom field in the form: a list of its options for a choice, a date picker for a
/// day, a text box otherwise (numbers may be typed with grouping, "1,200").
fn custom_form_field(req: &Req, f: &CustomField, c: &CustomerInput) -> Field {
    let value = c
        .custom
        .iter()
        .find(|(id, _)| *id == f.id)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let kind = match f.kind.as_str() {
        "choice" => "select",
        "date" => "date",
        _ => "text",
    };
    let mut field = Field::new(req, "name", kind, &value);
    field.name = std::borrow::Cow::Owned(f.key());
    field.label = if f.required {
        format!("{} *", f.label)
    } else {
        f.label.clone()
    };
    if f.kind == "choice" {
        field.options = std::iter::once((String::new(), req.t("none")))
            .chain(f.choices.iter().map(|o| (o.clone(), o.clone())))
            .map(|(v, label)| crate::render::Choice {
                selected: v == value,
                value: v,
                label,
            })
            .collect();
    }
    field
}

/// The form's days (`YYYY-MM-DD`) as the start of the day in the company's time zone.
fn with_dates(
    req: &Req,
    form: &FormData,
    mut input: CustomerInput,
) -> Result<CustomerInput, AppError> {
    let zone = req.zone()?;
    for def in CUSTOMER_FIELDS.fields.iter().filter(|f| f.in_form) {
        if def.kind == Kind::Date {
            let day = crate::form::day_field(&form.get(def.key), def.key, "invalid_choice")?
                .map(|day| zone.day_start(day));
            input.set(def.key, FieldValue::OptInt(day));
        }
    }
    Ok(input)
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    req: &Req,
    title: String,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    err: Option<AppError>,
    exclude: Option<i64>,
    delete_action: Option<String>,
    transfer_offer: Option<crate::render::TransferOffer>,
) -> Response {
    let data = FormPage {
        transfer_offer,
        action,
        fields,
        cancel: Some(cancel),
        delete_action,
        dup_check: true,
        dup_exclude: exclude.map(|e| e.to_string()).unwrap_or_default(),
        ..FormPage::default()
    };
    form(req, "customers", &title, data, err)
}

pub async fn new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let input = CustomerInput {
        party_kind: "customer".into(),
        stage: STAGES[0].into(),
        ..Default::default()
    };
    let fields = customer_fields(&state, &req, &input, Some("me")).await?;
    Ok(form_page(
        &req,
        req.t("customer.new"),
        "/customers".into(),
        "/customers".into(),
        fields,
        None,
        None,
        None,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let owner = form.get("owner");
    let owners: Vec<i64> = match owner.as_str() {
        "" | "me" => vec![actor.user_id],
        "pool" => Vec::new(),
        other => vec![other.parse().map_err(|_| AppError::BadRequest)?],
    };
    let input = with_dates(&req, &form, customer_input(&form)?);
    let result = match input {
        Ok(input) => state
            .store
            .create_customer(req.ctx()?, input, &owners)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => {
            let input = customer_input(&form)?;
            let offer = transfer_requests::offer_for(&state, &req, &e, probe_of(&input)).await?;
            let fields = customer_fields(&state, &req, &input, Some(&owner)).await?;
            Ok(form_page(
                &req,
                req.t("customer.new"),
                "/customers".into(),
                "/customers".into(),
                fields,
                Some(e),
                None,
                None,
                offer,
            ))
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = state.store.get_customer(req.actor()?, id).await?;
    if !d.may_edit {
        return Err(wharf_core::DomainError::Denied.into());
    }
    let c = &d.customer;
    let input = c.to_input();
    let fields = customer_fields(&state, &req, &input, None).await?;
    Ok(form_page(
        &req,
        c.name.clone(),
        format!("/customers/{id}"),
        format!("/customers/{id}"),
        fields,
        None,
        Some(id),
        Some(format!("/customers/{id}/delete")),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match with_dates(&req, &form, customer_input(&form)?) {
        Ok(input) => state
            .store
            .update_customer(req.ctx()?, id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => {
            let input = customer_input(&form)?;
            let offer = transfer_requests::offer_for(&state, &req, &e, probe_of(&input)).await?;
            let fields = customer_fields(&state, &req, &input, None).await?;
            Ok(form_page(
                &req,
                input.name.clone(),
                format!("/customers/{id}"),
                format!("/customers/{id}"),
                fields,
                Some(e),
                Some(id),
                Some(format!("/customers/{id}/delete")),
                offer,
            ))
        }
    }
}
