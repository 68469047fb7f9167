//! The quote editor: a new quote for a customer, or the current version of one (a
//! frozen version's changes are saved as the next version). A refused save shows the
//! form again with everything typed kept, the header's errors above and each row's in
//! its row.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::money::Currency;
use wharf_core::quotes::{Incoterm, QuoteRate, QuoteStatus};
use wharf_store::customers::CustomerDetail;
use wharf_store::quotes::{QuoteDetail, QuoteDraft, Saved};

use super::form::{RowText, Typed, header_errors, row_errors};
use super::views::{EditorPage, EditorRow};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, page};

/// Blank rows offered under the typed ones.
const BLANK_ROWS: u32 = 5;

/// The day's rate of `currency` against the company's base currency, stored with the
/// version (a missing one is the store's `NoRate`, said in the user's language).
async fn rate_for(state: &AppState, req: &Req, currency: &str) -> Result<QuoteRate, AppError> {
    let currency = Currency::from_code(currency)
        .map_err(|e| AppError::Domain(DomainError::field("currency", e.code())))?;
    let rate = state
        .store
        .rate_on(req.actor()?, req.today()?, currency)
        .await?;
    Ok(QuoteRate {
        base: rate.base.code().to_owned(),
        rate: rate.per_unit,
        on: rate.day,
    })
}

#[derive(Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    pub opportunity: String,
}

struct Shown<'a> {
    action: String,
    cancel: String,
    customer: &'a CustomerDetail,
    typed: Typed,
    version_note: Option<String>,
}

async fn editor(
    state: &AppState,
    req: &Req,
    shown: Shown<'_>,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let t = &shown.typed;
    let contacts: Vec<(String, String)> =
        std::iter::once((String::new(), req.t("quote.no_contact")))
            .chain(
                shown
                    .customer
                    .contacts
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.clone())),
            )
            .collect();
    let incoterms: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned()))
        .chain(
            Incoterm::ALL
                .iter()
                .map(|i| (i.code().to_owned(), i.code().to_owned())),
        )
        .collect();
    let mut fields = vec![
        Field::select(req, "contact_id", &t.contact_id, contacts),
        Field::select(
            req,
            "currency",
            &t.currency,
            crate::features::money::currency_options(req),
        ),
        Field::select(req, "incoterm", &t.incoterm, incoterms),
        Field::new(req, "port_loading", "text", &t.port_loading),
        Field::new(req, "port_destination", "text", &t.port_destination),
        Field::new(req, "payment_terms", "textarea", &t.payment_terms),
        Field::new(req, "valid_until", "date", &t.valid_until),
        Field::new(req, "notes", "textarea", &t.notes),
    ];
    let (errors, per_row) = match &err {
        Some(e) => {
            crate::render::attach_errors(req, &mut fields, e);
            let rows = row_errors(req, e, t.rows.len());
            let mut errors = header_errors(req, e);
            if rows.iter().any(|r| !r.is_empty()) {
                errors.push(req.t("quote.check_rows"));
            }
            (errors, rows)
        }
        None => (Vec::new(), vec![Vec::new(); t.rows.len()]),
    };
    let settings = state.store.quote_settings(req.actor()?).await?;
    let threshold_note = settings.discount_threshold.map(|d| {
        crate::i18n::t_with(
            req.locale,
            "quote.threshold_note",
            &[("pct", &wharf_core::quotes::format_discount(d))],
        )
    });
    let data = EditorPage {
        action: shown.action,
        cancel: shown.cancel,
        customer_name: shown.customer.customer.fields.name.clone(),
        customer_href: format!("/customers/{}", shown.customer.customer.id),
        fields,
        opportunity_id: t.opportunity_id.clone(),
        rows: t
            .rows
            .iter()
            .cloned()
            .zip(per_row)
            .map(|(row, errors)| EditorRow { row, errors })
            .chain((0..BLANK_ROWS).map(|_| EditorRow {
                row: super::form::RowText {
                    kind: "item".into(),
                    ..Default::default()
                },
                errors: Vec::new(),
            }))
            .collect(),
        errors,
        version_note: shown.version_note,
        threshold_note,
    };
    let title = format!(
        "{} · {}",
        shown.customer.customer.fields.name,
        req.t("quote.editor")
    );
    let mut res = page(req, "quotes/editor.html", "sales", &title, &data);
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    Ok(res)
}

/// GET /customers/{id}/quotes/new
pub async fn new_form(
    State(state): State<AppState>,
    req: Req,
    Path(customer_id): Path<i64>,
    Query(p): Query<NewParams>,
) -> Result<Response, AppError> {
    let customer = state.store.get_customer(req.actor()?, customer_id).await?;
    let base = state
        .store
        .company_settings(req.actor()?)
        .await?
        .base_currency;
    // From an opportunity's page: its currency and lines (one of this customer's only).
    let opportunity = match p.opportunity.trim() {
        "" => None,
        id => {
            let id = id
                .parse::<i64>()
                .map_err(|_| AppError::Domain(DomainError::NotFound))?;
            let o = state.store.opportunity(req.actor()?, id).await?;
            if o.customer_id != customer_id {
                return Err(AppError::Domain(DomainError::field(
                    "opportunity_id",
                    "quote_opportunity_other_customer",
                )));
            }
            Some(o)
        }
    };
    let rows = opportunity
        .iter()
        .flat_map(|o| o.lines.iter())
        .map(|l| RowText {
            kind: "item".into(),
            product: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
            name: l.name.clone(),
            unit: l.unit.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit_price: l.unit_price.normalize().to_string(),
            discount: "0.00".into(),
            ..RowText::default()
        })
        .collect();
    let currency = match &opportunity {
        Some(o) if !o.currency.is_empty() => o.currency.clone(),
        _ if base.code() == "CNY" => "USD".into(),
        _ => base.code().to_owned(),
    };
    let typed = Typed {
        contact_id: customer
            .contacts
            .first()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
        opportunity_id: opportunity
            .as_ref()
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
        currency,
        rows,
        incoterm: "FOB".into(),
        payment_terms: req.t("quote.default_payment_terms"),
        valid_until: req.today()?.plus_days(30).iso(),
        ..Typed::default()
    };
    let shown = Shown {
        action: format!("/customers/{customer_id}/quotes"),
        cancel: format!("/customers/{customer_id}"),
        customer: &customer,
        typed,
        version_note: None,
    };
    editor(&state, &req, shown, None).await
}

async fn draft_of(
    state: &AppState,
    req: &Req,
    customer_id: i64,
    typed: &Typed,
) -> Result<QuoteDraft, AppError> {
    let (header, lines) = typed.parse(customer_id)?;
    // A picked product must be one of the catalog (its name and model are the snapshot typed).
    for (n, line) in lines.iter().enumerate() {
        if let Some(product) = line.item.product_id
            && state
                .store
                .get_product(req.actor()?, product)
                .await
                .is_err()
        {
            return Err(AppError::Domain(DomainError::Invalid({
                let mut e = wharf_core::validate::FieldErrors::default();
                e.add_owned(format!("line{}_product", n + 1), "invalid_choice");
                e
            })));
        }
    }
    let rate = rate_for(state, req, &header.currency).await?;
    Ok(QuoteDraft {
        header,
        lines,
        rate,
        today: req.today()?,
    })
}

/// A new quote for a customer the reader has looked up, as the editor typed it: the
/// form's checks, then the store's. The page and the API both create through here.
pub(super) async fn save_new(
    state: &AppState,
    req: &Req,
    customer: &CustomerDetail,
    typed: &Typed,
) -> Result<Saved, AppError> {
    let draft = draft_of(state, req, customer.customer.id, typed).await?;
    Ok(state.store.create_quote(req.ctx()?, draft).await?)
}

/// A quote's current version changed as the editor typed it: a draft in place, a frozen
/// one as the next version (the store's rule). The page and the API both save here.
pub(super) async fn save_change(
    state: &AppState,
    req: &Req,
    q: &QuoteDetail,
    typed: &Typed,
) -> Result<Saved, AppError> {
    let draft = draft_of(state, req, q.summary.customer_id, typed).await?;
    Ok(state
        .store
        .save_quote(req.ctx()?, q.summary.id, draft)
        .await?)
}

/// POST /customers/{id}/quotes
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    Path(customer_id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let customer = state.store.get_customer(req.actor()?, customer_id).await?;
    let typed = Typed::of_form(&form);
    match save_new(&state, &req, &customer, &typed).await {
        Ok(saved) => Ok(Redirect::to(&format!("/quotes/{}", saved.quote_id)).into_response()),
        Err(
            e @ AppError::Domain(
                DomainError::Invalid(_) | DomainError::Refused { .. } | DomainError::NoRate(_),
            ),
        ) => {
            let shown = Shown {
                action: format!("/customers/{customer_id}/quotes"),
                cancel: format!("/customers/{customer_id}"),
                customer: &customer,
                typed,
                version_note: None,
            };
            editor(&state, &req, shown, Some(e)).await
        }
        Err(e) => Err(e),
    }
}

fn version_note(req: &Req, status: &str, version: i64) -> Option<String> {
    let frozen = QuoteStatus::from_code(status).is_some_and(QuoteStatus::is_frozen);
    frozen.then(|| {
        crate::i18n::t_with(
            req.locale,
            "quote.new_version_note",
            &[("v", &(version + 1).to_string())],
        )
    })
}

/// GET /quotes/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let q = state.store.quote(req.actor()?, id, None).await?;
    if !q.may_change {
        return Err(AppError::Domain(DomainError::Denied));
    }
    // A version waiting for a manager is not edited under them.
    if let Some(status) = QuoteStatus::from_code(&q.summary.status) {
        status.plan_edit()?;
    }
    let customer = state
        .store
        .get_customer(req.actor()?, q.summary.customer_id)
        .await?;
    let shown = Shown {
        action: format!("/quotes/{id}"),
        cancel: format!("/quotes/{id}"),
        customer: &customer,
        typed: Typed::of_quote(&q),
        version_note: version_note(&req, &q.summary.status, q.summary.version),
    };
    editor(&state, &req, shown, None).await
}

/// POST /quotes/{id}
pub async fn save(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let q = state.store.quote(req.actor()?, id, None).await?;
    let customer = state
        .store
        .get_customer(req.actor()?, q.summary.customer_id)
        .await?;
    let typed = Typed::of_form(&form);
    match save_change(&state, &req, &q, &typed).await {
        Ok(saved) => Ok(Redirect::to(&format!("/quotes/{}", saved.quote_id)).into_response()),
        Err(
            e @ AppError::Domain(
                DomainError::Invalid(_) | DomainError::Refused { .. } | DomainError::NoRate(_),
            ),
        ) => {
            let shown = Shown {
                action: format!("/quotes/{id}"),
                cancel: format!("/quotes/{id}"),
                customer: &customer,
                typed,
                version_note: version_note(&req, &q.summary.status, q.summary.version),
            };
            editor(&state, &req, shown, Some(e)).await
        }
        Err(e) => Err(e),
    }
}
