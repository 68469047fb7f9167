//! GET /track?<the customer list's parameters>&id=<customer>: the tracking screen. The
//! customer must be one the user may see (a colleague's id answers 403 / 404 as on the
//! customer page); Next / Previous are the store's keyset neighbours in the same list.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::{FieldValue, Record};
use wharf_store::products::ProductFilter;

use super::views::{CompetitorItem, ContactLinks, ProductItem, ScriptItem, TrackPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customers::labels::{Reading, field_text, item_names};
use crate::features::customers::views::{DocumentRow, LabelValue};
use crate::features::records::timeline::{Read, TrailParams, customer_trail};
use crate::render::{page, when};

/// Parameters of the screen itself; everything else is the list's.
const OWN: [&str; 6] = ["id", "sq", "pq", "tl", "tp", "saved"];

/// The screen's URL parts: the list's own query string, the current id, and the
/// screen's parameters.
pub(super) struct Where {
    pub list: String,
    pub id: Option<i64>,
    pub get: Vec<(String, String)>,
}

impl Where {
    pub fn of(raw: &str) -> Result<Where, AppError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw).map_err(|_| AppError::BadRequest)?;
        let mut list_pairs: Vec<&(String, String)> = pairs
            .iter()
            .filter(|(k, v)| !OWN.contains(&k.as_str()) && !v.is_empty() && k != "page")
            .collect();
        // The list's default order is the last change, which working a customer changes:
        // a promoted or recorded customer would jump to the top and Next start over. The
        // screen walks an unsorted list in the order the customers came in instead.
        let by_arrival = ("sort".to_string(), "created".to_string());
        if !list_pairs.iter().any(|(k, _)| k == "sort") {
            list_pairs.push(&by_arrival);
        }
        let list = serde_urlencoded::to_string(list_pairs).map_err(|_| AppError::BadRequest)?;
        let id = match pairs.iter().find(|(k, _)| k == "id") {
            Some((_, v)) => Some(v.trim().parse().map_err(|_| AppError::BadRequest)?),
            None => None,
        };
        Ok(Where {
            list,
            id,
            get: pairs,
        })
    }

    pub fn param(&self, name: &str) -> String {
        self.get
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.chars().take(200).collect())
            .unwrap_or_default()
    }
}

/// The screen at customer `id` of the list `list`.
pub(super) fn href(list: &str, id: i64) -> String {
    if list.is_empty() {
        format!("/track?id={id}")
    } else {
        format!("/track?{list}&id={id}")
    }
}

pub async fn track(
    State(state): State<AppState>,
    req: Req,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let at = Where::of(raw.as_deref().unwrap_or(""))?;
    screen(&state, &req, &at, None).await
}

/// The screen; `refused` is a record form sent back with its error.
pub(super) async fn screen(
    state: &AppState,
    req: &Req,
    at: &Where,
    refused: Option<(&crate::form::FormData, AppError)>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let query = crate::features::customers::list_query::query_of_raw(state, req, &at.list).await?;
    // Without a customer: the first of the list (or the list's empty state).
    let id = match at.id {
        Some(id) => id,
        None => {
            let first = state
                .store
                .list_customers(
                    actor,
                    &wharf_store::customers::CustomerQuery {
                        per_page: 1,
                        ..query.clone()
                    },
                )
                .await?;
            match first.items.first() {
                Some(c) => c.id,
                None => {
                    return Ok(crate::render::message(
                        req,
                        &req.t("track.title"),
                        &req.t("track.empty"),
                    ));
                }
            }
        }
    };
    let d = state.store.get_customer(actor, id).await?;
    let zone = req.zone()?;
    let c = &d.customer;
    let items = item_names(state, req).await?;
    let profile: Vec<LabelValue> = CUSTOMER_FIELDS
        .fields
        .iter()
        .filter(|f| f.on_page)
        .filter_map(|f| {
            let value = c.value(f.key)?;
            let text = field_text(req, f, &value, &items, zone, Reading::Page);
            (!text.is_empty() && !matches!(value, FieldValue::Text(ref t) if t.is_empty())).then(
                || LabelValue {
                    label: req.t(f.label),
                    value: text,
                },
            )
        })
        .collect();
    let contacts = d
        .contacts
        .iter()
        .map(|k| ContactLinks {
            card: crate::features::customers::show::contact_view(req, k),
            mails: split(&k.emails)
                .map(|m| {
                    let to = serde_urlencoded::to_string([("to", m)]).unwrap_or_default();
                    (m.to_string(), format!("/mail/compose?{to}"))
                })
                .collect(),
            phones: split(&k.phones)
                .map(|p| {
                    let dial: String = p
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect();
                    (p.to_string(), format!("tel:{dial}"))
                })
                .collect(),
        })
        .collect();
    let mails = state.store.customer_mail(actor, id, 200).await?;
    let document_rows = state.store.documents(actor, id).await?;
    let owner_entries = state.store.customer_owner_log(actor, id).await?;
    let owner_texts: Vec<_> = owner_entries
        .iter()
        .map(|o| {
            let text = req
                .t(&format!("customer.owner_log.{}", o.action))
                .replace("{before}", &o.before)
                .replace("{after}", &o.after);
            (o.clone(), text)
        })
        .collect();
    let (stage_bar, stage_events) =
        crate::features::pipeline::stage_bar::stage_bar(state, req, id).await?;
    let trail_params = TrailParams {
        tl: at.param("tl"),
        tp: at.param("tp"),
    };
    let mut trail = customer_trail(
        state,
        req,
        Read {
            detail: &d,
            mails: &mails,
            documents: &document_rows,
            owner_log: &owner_texts,
            stage_log: &stage_events,
        },
        &trail_params,
    )
    .await?;
    let mut record_error = None;
    if let Some((form, err)) = refused {
        use crate::features::records::form::{Shown, fields, progress_choices};
        trail.fields = fields(
            req,
            &Shown::of_form(form),
            &d.contacts,
            progress_choices(state, req).await?,
        );
        record_error = Some(crate::render::attach_errors(req, &mut trail.fields, &err));
    }
    let sq = at.param("sq");
    let scripts = state
        .store
        .list_scripts(actor, &sq)
        .await?
        .into_iter()
        .take(30)
        .map(|s| ScriptItem {
            id: s.id,
            title: s.title,
            category: s.category,
            body: s.body,
            reference: s.reference,
        })
        .collect();
    let pq = at.param("pq");
    let zh = req.locale.code() == "zh-CN";
    let products = state
        .store
        .list_products(
            actor,
            &ProductFilter {
                q: pq.clone(),
                active: Some(true),
                page: 1,
                per_page: 8,
                ..Default::default()
            },
        )
        .await?
        .items
        .into_iter()
        .map(|p| ProductItem {
            id: p.id,
            name: p.name(zh).to_string(),
            prices: p
                .tiers
                .iter()
                .map(|t| {
                    req.t("track.tier")
                        .replace("{currency}", t.currency.code())
                        .replace("{qty}", &t.min_qty.to_string())
                        .replace("{price}", &t.unit_price.to_string())
                })
                .collect(),
            model: p.model,
            unit: p.unit,
        })
        .collect();
    let item = |k: wharf_store::sales_kit::Competitor| CompetitorItem {
        id: k.id,
        name: k.name,
        website: k.website,
        strengths: k.strengths,
        weaknesses: k.weaknesses,
    };
    let linked = state.store.customer_competitors(actor, id).await?;
    let other_competitors = if d.may_edit {
        state
            .store
            .list_competitors(actor, "")
            .await?
            .into_iter()
            .filter(|k| !linked.iter().any(|l| l.id == k.id))
            .map(item)
            .collect()
    } else {
        Vec::new()
    };
    let neighbour = |forward| state.store.neighbour_customer(actor, &query, id, forward);
    let (prev, next) = (neighbour(false).await?, neighbour(true).await?);
    let list_href = if at.list.is_empty() {
        "/customers".to_string()
    } else {
        format!("/customers?{}", at.list)
    };
    let owners = if c.sharing == "shared" {
        req.t("customer.pool")
    } else {
        c.owners
            .iter()
            .map(|o| crate::i18n::person(req.locale, &o.1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let title = format!("{} · {}", c.name, req.t("track.title"));
    Ok(page(
        req,
        "tracking/track.html",
        "customers",
        &title,
        TrackPage {
            id,
            name: c.name.clone(),
            owners,
            in_pool: c.sharing == "shared",
            may_edit: d.may_edit,
            profile,
            contacts,
            stage_bar,
            trail,
            record_error,
            scripts,
            sq,
            products,
            pq,
            documents: document_rows
                .iter()
                .map(|d| DocumentRow {
                    id: d.id,
                    name: d.filename.clone(),
                    size: format!("{} KB", (d.size + 1023) / 1024),
                    by: d.uploaded_by.clone(),
                    when: when(d.created_at, zone),
                })
                .collect(),
            competitors: linked.into_iter().map(item).collect(),
            other_competitors,
            list: at.list.clone(),
            list_fields: serde_urlencoded::from_str(&at.list).unwrap_or_default(),
            list_href,
            prev_href: prev.map(|p| href(&at.list, p)),
            next_href: next.map(|n| href(&at.list, n)),
            order_href: format!("/orders/new?customer={id}"),
        },
    ))
}

/// The parts of a comma- or semicolon-separated list.
fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';', '，', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}
