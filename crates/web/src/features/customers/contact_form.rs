//! A customer's contacts: the new / edit form, create, update, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::customer::ContactInput;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, form};

// ---- contacts ------------------------------------------------------------------------

fn contact_fields(req: &Req, k: &ContactInput) -> Vec<Field> {
    vec![
        Field::new(req, "name", "text", &k.name),
        Field::select(
            req,
            "gender",
            &k.gender,
            vec![
                (String::new(), req.t("none")),
                ("female".into(), req.t("contact.gender.female")),
                ("male".into(), req.t("contact.gender.male")),
            ],
        ),
        Field::new(req, "title", "text", &k.title),
        Field::new(req, "emails", "text", &k.emails),
        Field::new(req, "phones", "text", &k.phones),
        Field::new(req, "whatsapp", "text", &k.whatsapp),
        Field::new(req, "wechat", "text", &k.wechat),
        Field::new(req, "skype", "text", &k.skype),
        Field::new(req, "qq", "text", &k.qq),
        Field::new(req, "linkedin", "text", &k.linkedin),
        Field::new(req, "birthday", "date", &k.birthday),
        Field::new(req, "notes", "textarea", &k.notes),
        Field::new(
            req,
            "is_primary",
            "checkbox",
            if k.is_primary { "1" } else { "0" },
        ),
    ]
}

fn contact_input(form: &FormData) -> ContactInput {
    ContactInput {
        name: form.get("name"),
        gender: form.get("gender"),
        title: form.get("title"),
        emails: form.get("emails"),
        phones: form.get("phones"),
        whatsapp: form.get("whatsapp"),
        wechat: form.get("wechat"),
        skype: form.get("skype"),
        qq: form.get("qq"),
        linkedin: form.get("linkedin"),
        birthday: form.get("birthday"),
        notes: form.get("notes"),
        is_primary: form.flag("is_primary"),
    }
}

fn contact_page(
    req: &Req,
    action: String,
    cancel: String,
    fields: Vec<Field>,
    err: Option<AppError>,
    delete_action: Option<String>,
) -> Response {
    let data = FormPage {
        action,
        fields,
        cancel: Some(cancel),
        delete_action,
        ..FormPage::default()
    };
    form(req, "customers", &req.t("contact.title"), data, err)
}

pub async fn contact_new(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.get_customer(req.actor()?, id).await?;
    Ok(contact_page(
        &req,
        format!("/customers/{id}/contacts"),
        format!("/customers/{id}"),
        contact_fields(&req, &ContactInput::default()),
        None,
        None,
    ))
}

pub async fn contact_create(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = contact_input(&form);
    match state.store.add_contact(req.ctx()?, id, input.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => Ok(contact_page(
            &req,
            format!("/customers/{id}/contacts"),
            format!("/customers/{id}"),
            contact_fields(&req, &input),
            Some(e.into()),
            None,
        )),
    }
}

pub async fn contact_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let k = state.store.get_contact(req.actor()?, id).await?;
    let input = ContactInput {
        name: k.name,
        gender: k.gender,
        title: k.title,
        emails: k.emails,
        phones: k.phones,
        whatsapp: k.whatsapp,
        wechat: k.wechat,
        skype: k.skype,
        qq: k.qq,
        linkedin: k.linkedin,
        birthday: k.birthday,
        notes: k.notes,
        is_primary: k.is_primary,
    };
    Ok(contact_page(
        &req,
        format!("/contacts/{id}"),
        format!("/customers/{}", k.customer_id),
        contact_fields(&req, &input),
        None,
        Some(format!("/contacts/{id}/delete")),
    ))
}

pub async fn contact_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = contact_input(&form);
    let customer = state.store.get_contact(req.actor()?, id).await?.customer_id;
    match state
        .store
        .update_contact(req.ctx()?, id, input.clone())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/customers/{customer}")).into_response()),
        Err(e) => Ok(contact_page(
            &req,
            format!("/contacts/{id}"),
            format!("/customers/{customer}"),
            contact_fields(&req, &input),
            Some(e.into()),
            Some(format!("/contacts/{id}/delete")),
        )),
    }
}

pub async fn contact_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let customer = state.store.delete_contact(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{customer}")).into_response())
}
