//! The customer create / edit form with duplicate hints while typing.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::custom_field::CustomField;
use wharf_core::customer::{CustomerInput, STAGES};
use wharf_core::dict::DictKind;

use super::labels::{day_text, dict_names, stage_label};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, form};

// ---- the form ------------------------------------------------------------------------

fn dict_field(
    req: &Req,
    name: &'static str,
    selected: Option<i64>,
    items: &[(i64, String)],
) -> Field {
    let mut options = vec![(String::new(), req.t("none"))];
    options.extend(items.iter().map(|(id, n)| (id.to_string(), n.clone())));
    Field::select(
        req,
        name,
        &selected.map(|s| s.to_string()).unwrap_or_default(),
        options,
    )
}

async fn customer_fields(
    state: &AppState,
    req: &Req,
    c: &CustomerInput,
    owner: Option<&str>,
) -> Result<Vec<Field>, AppError> {
    let zone = req.zone()?;
    let mut fields = vec![
        Field::new(req, "name", "text", &c.name),
        Field::new(req, "short_name", "text", &c.short_name),
        Field::new(req, "keywords", "text", &c.keywords),
        Field::select(
            req,
            "party_kind",
            &c.party_kind,
            ["customer", "supplier"]
                .iter()
                .map(|k| (k.to_string(), req.t(&format!("customer.kind.{k}"))))
                .collect(),
        ),
        Field::select(
            req,
            "stage",
            &c.stage,
            STAGES
                .iter()
                .map(|s| (s.to_string(), stage_label(req, s)))
                .collect(),
        ),
    ];
    if let Some(owner) = owner {
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
        fields.push(Field::select(req, "owner", owner, options));
    }
    for (name, kind, value) in [
        ("type_id", DictKind::CustomerType, c.type_id),
        ("status_id", DictKind::CustomerStatus, c.status_id),
        ("source_id", DictKind::CustomerSource, c.source_id),
        ("industry_id", DictKind::Industry, c.industry_id),
        ("country_id", DictKind::Country, c.country_id),
    ] {
        let items = dict_names(state, req, kind).await?;
        fields.push(dict_field(req, name, value, &items));
    }
    fields.extend([
        Field::new(req, "city", "text", &c.city),
        Field::new(req, "address", "text", &c.address),
        Field::new(req, "website", "text", &c.website),
        Field::new(req, "phones", "text", &c.phones),
        Field::new(req, "fax", "text", &c.fax),
        Field::new(req, "email", "text", &c.email),
        Field::new(req, "main_products", "textarea", &c.main_products),
        Field::new(req, "profile", "textarea", &c.profile),
        Field::new(req, "scale", "text", &c.scale),
        Field::select(
            req,
            "rating",
            &c.rating.to_string(),
            (0..=5)
                .map(|n| {
                    (
                        n.to_string(),
                        if n == 0 {
                            req.t("none")
                        } else {
                            "★".repeat(n)
                        },
                    )
                })
                .collect(),
        ),
        Field::new(
            req,
            "next_revisit_at",
            "date",
            day_text(c.next_revisit_at, zone),
        ),
        Field::new(req, "tags", "text", &c.tags),
        Field::new(req, "follow", "checkbox", if c.follow { "1" } else { "0" }),
    ]);
    for f in state.store.custom_fields(req.actor()?).await? {
        fields.push(custom_form_field(req, &f, c));
    }
    Ok(fields)
}

fn customer_input(form: &FormData) -> Result<CustomerInput, AppError> {
    Ok(CustomerInput {
        party_kind: form.get("party_kind"),
        name: form.get("name"),
        short_name: form.get("short_name"),
        keywords: form.get("keywords"),
        type_id: form.id("type_id")?,
        status_id: form.id("status_id")?,
        source_id: form.id("source_id")?,
        industry_id: form.id("industry_id")?,
        country_id: form.id("country_id")?,
        stage: form.get("stage"),
        city: form.get("city"),
        address: form.get("address"),
        website: form.get("website"),
        phones: form.get("phones"),
        fax: form.get("fax"),
        email: form.get("email"),
        main_products: form.get("main_products"),
        profile: form.get("profile"),
        scale: form.get("scale"),
        rating: form.get("rating").parse().unwrap_or(0),
        follow: form.flag("follow"),
        next_revisit_at: None,
        tags: form.get("tags"),
        // Every `cf<id>` of the form; the store checks them against the definitions.
        custom: form
            .0
            .iter()
            .filter_map(|(k, v)| {
                wharf_core::custom_field::parse_key(k).map(|id| (id, v.trim().to_string()))
            })
            .collect(),
    })
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

/// The form's revisit day as the start of that day in the company's zone.
fn with_revisit(
    req: &Req,
    form: &FormData,
    mut input: CustomerInput,
) -> Result<CustomerInput, AppError> {
    let zone = req.zone()?;
    input.next_revisit_at = crate::form::day_field(
        &form.get("next_revisit_at"),
        "next_revisit_at",
        "invalid_choice",
    )?
    .map(|day| zone.day_start(day));
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
) -> Response {
    let data = FormPage {
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
    let input = with_revisit(&req, &form, customer_input(&form)?);
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
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match with_revisit(&req, &form, customer_input(&form)?) {
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
            ))
        }
    }
}
