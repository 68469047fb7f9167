//! Transfer requests (LINK-6) on the pages: the offer under a save refused by a
//! colleague's customer, the request itself, the list a decider and a requester see
//! (its own page, the customer page, the home page) and approve / decline. The store
//! finds the customer again from what was typed and decides who may do what.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use wharf_core::DomainError;
use wharf_store::customers::{TransferProbe, TransferRequest};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{TransferOffer, page, when};

/// One request as a row of `customers/transfer_list.html`.
#[derive(Serialize, Clone, Debug)]
pub struct TransferRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub requester: String,
    pub reason: String,
    pub when: String,
    /// `pending`, `approved`, `declined`, in words.
    pub state: String,
    pub pending: bool,
    pub answer: String,
    pub decided_by: String,
}

/// `customers/transfer_requests.html`.
#[derive(Serialize)]
struct RequestsPage {
    /// Just sent one: say so.
    sent: bool,
    to_decide: Vec<TransferRow>,
    mine: Vec<TransferRow>,
    back: String,
}

pub fn rows(req: &Req, list: Vec<TransferRequest>) -> Result<Vec<TransferRow>, AppError> {
    let zone = req.zone()?;
    Ok(list
        .into_iter()
        .map(|r| TransferRow {
            id: r.id,
            customer_id: r.customer_id,
            customer: r.customer_name,
            requester: r.requester,
            reason: r.reason,
            when: when(r.created_at, zone),
            state: req.t(&format!("customer.transfer_request.state.{}", r.state)),
            pending: r.state == "pending",
            answer: if r.answer.is_empty() && r.state == "declined" {
                req.t("customer.transfer_request.moot")
            } else {
                r.answer
            },
            decided_by: r.decided_by,
        })
        .collect())
}

/// The offer for a refused save, when it ran into a colleague's customer.
pub async fn offer_for(
    state: &AppState,
    req: &Req,
    err: &AppError,
    probe: TransferProbe,
) -> Result<Option<TransferOffer>, AppError> {
    let blocked = match err {
        AppError::Domain(DomainError::Taken { .. }) => true,
        AppError::Domain(DomainError::Invalid(f)) => {
            f.0.iter().any(|e| e.code == "duplicate_customer")
        }
        _ => false,
    };
    if !blocked {
        return Ok(None);
    }
    let Some(target) = state.store.transfer_target(req.actor()?, &probe).await? else {
        return Ok(None);
    };
    Ok(Some(TransferOffer {
        owners: crate::i18n::people(req.locale, &target.owners),
        name: probe.name,
        emails: probe.emails,
        phones: probe.phones,
        website: probe.website,
    }))
}

#[derive(serde::Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    sent: String,
}

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    axum::extract::Query(q): axum::extract::Query<ListParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let to_decide = rows(
        &req,
        state.store.transfer_requests_to_decide(actor, None).await?,
    )?;
    let mine = rows(&req, state.store.my_transfer_requests(actor).await?)?;
    Ok(page(
        &req,
        "customers/transfer_requests.html",
        "customers",
        &req.t("customer.transfer_request.title"),
        RequestsPage {
            sent: q.sent == "1",
            to_decide,
            mine,
            back: "/customers/transfer-requests".into(),
        },
    ))
}

/// Where to go after a decision: the page it was made on, if it is one of ours.
fn back_of(form: &FormData) -> String {
    let back = form.get("back");
    if back.starts_with('/') && !back.starts_with("//") {
        back
    } else {
        "/customers/transfer-requests".into()
    }
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let probe = TransferProbe {
        name: form.get("name"),
        emails: form.get("emails"),
        phones: form.get("phones"),
        website: form.get("website"),
    };
    state
        .store
        .request_transfer(req.ctx()?, &probe, &form.get("reason"))
        .await?;
    Ok(Redirect::to("/customers/transfer-requests?sent=1").into_response())
}

pub async fn approve(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .decide_transfer_request(req.ctx()?, id, true, &form.get("answer"))
        .await?;
    Ok(Redirect::to(&back_of(&form)).into_response())
}

pub async fn decline(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .decide_transfer_request(req.ctx()?, id, false, &form.get("answer"))
        .await?;
    Ok(Redirect::to(&back_of(&form)).into_response())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn row(pending: bool) -> TransferRow {
        TransferRow {
            id: 3,
            customer_id: 9,
            customer: "Acme".into(),
            requester: "Wang".into(),
            reason: "wrote to me".into(),
            when: "2026-12-07 10:00".into(),
            state: "pending".into(),
            pending,
            answer: "no".into(),
            decided_by: "Li".into(),
        }
    }

    /// Called by `samples::every_template_renders_with_its_typed_page_data`.
    pub(crate) fn the_requests_page_renders_its_data() {
        let html = crate::render::tests::render_with(
            "customers/transfer_requests.html",
            RequestsPage {
                sent: true,
                to_decide: vec![row(true)],
                mine: vec![row(false)],
                back: "/x".into(),
            },
        );
        assert!(html.contains("/customers/transfer-requests/3/approve"));
        assert!(html.contains("id=\"my-request-3\""));
    }
}
