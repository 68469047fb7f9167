//! Adding a record from the customer's page, editing and deleting one. Without
//! JavaScript: a refused add shows the form again on a page of its own with the errors
//! beside their fields and everything typed kept.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::form::{Shown, fields, input, progress_choices};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{FormPage, form};

async fn form_page(
    state: &AppState,
    req: &Req,
    customer_id: i64,
    action: String,
    shown: &Shown,
    delete: Option<String>,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let d = state.store.get_customer(req.actor()?, customer_id).await?;
    let title = format!("{} · {}", d.customer.name, req.t("record.title"));
    let data = FormPage {
        action,
        fields: fields(req, shown, &d.contacts, progress_choices(state, req).await?),
        cancel: Some(format!("/customers/{customer_id}#trail")),
        delete_action: delete,
        ..FormPage::default()
    };
    Ok(form(req, "customers", &title, data, err))
}

/// POST /customers/{id}/records
pub async fn add(
    State(state): State<AppState>,
    req: Req,
    Path(customer_id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let zone = req.zone()?.clone();
    let result = match input(&form_data, &zone) {
        Ok(i) => state
            .store
            .add_contact_record(req.ctx()?, customer_id, i)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{customer_id}#trail")).into_response()),
        Err(e @ AppError::Domain(wharf_core::DomainError::Invalid(_))) => {
            form_page(
                &state,
                &req,
                customer_id,
                format!("/customers/{customer_id}/records"),
                &Shown::of_form(&form_data),
                None,
                Some(e),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// GET /records/{id}: the edit form.
pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = state.store.contact_record(req.actor()?, id).await?;
    if !r.may_change {
        return Err(AppError::Domain(wharf_core::DomainError::Denied));
    }
    form_page(
        &state,
        &req,
        r.customer_id,
        format!("/records/{id}"),
        &Shown::of_record(&r, req.zone()?),
        Some(format!("/records/{id}/delete")),
        None,
    )
    .await
}

/// POST /records/{id}
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let r = state.store.contact_record(req.actor()?, id).await?;
    let zone = req.zone()?.clone();
    let result = match input(&form_data, &zone) {
        Ok(i) => state
            .store
            .update_contact_record(req.ctx()?, id, i)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/customers/{}#trail", r.customer_id)).into_response()),
        Err(e @ AppError::Domain(wharf_core::DomainError::Invalid(_))) => {
            form_page(
                &state,
                &req,
                r.customer_id,
                format!("/records/{id}"),
                &Shown::of_form(&form_data),
                Some(format!("/records/{id}/delete")),
                Some(e),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// POST /records/{id}/delete
pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let customer = state.store.delete_contact_record(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{customer}#trail")).into_response())
}
