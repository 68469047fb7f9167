//! The records list (联系记录): the user's own records or the team's in their scope
//! (Mine / Team), filtered by kind, days, customer, author and words, paged; the same
//! filters export it (`export.rs`).

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::Permission;
use wharf_core::records::RecordKind;
use wharf_store::records::{ContactRecord, RecordQuery};

use super::views::{RecordRow, RecordsPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Pager, SelectOption, Tab, page, pick, when};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ListParams {
    /// "team" for the team's records.
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub author: String,
    /// YYYY-MM-DD, the first day.
    #[serde(default)]
    pub from: String,
    /// YYYY-MM-DD, the last day.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

impl ListParams {
    /// The URL of these filters (for tabs, pager and export), without `page`.
    pub fn href(&self, base: &str) -> String {
        let pairs = [
            ("view", &self.view),
            ("kind", &self.kind),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
            ("customer", &self.customer),
            ("q", &self.q),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencoding(v)))
            .collect();
        if query.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", query.join("&"))
        }
    }
}

fn urlencoding(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// The store's query of the URL's filters; a day or id that is not one is a field
/// error in the user's language.
pub fn query_of(req: &Req, p: &ListParams) -> Result<RecordQuery, AppError> {
    let zone = req.zone()?;
    let day = |v: &str, field: &'static str| crate::form::day_field(v, field, "invalid_date");
    let id = |v: &str, field: &'static str| -> Result<Option<i64>, AppError> {
        match v.trim() {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| {
                AppError::Domain(wharf_core::DomainError::field(field, "invalid_choice"))
            }),
        }
    };
    if !p.kind.is_empty() && RecordKind::from_code(&p.kind).is_none() {
        return Err(AppError::Domain(wharf_core::DomainError::field(
            "kind",
            "invalid_choice",
        )));
    }
    Ok(RecordQuery {
        team: p.view == "team",
        author: id(&p.author, "author")?,
        kind: (!p.kind.is_empty()).then(|| p.kind.clone()),
        from: day(&p.from, "from")?.map(|d| zone.day_start(d)),
        to: day(&p.to, "to")?.map(|d| zone.day_range(d).1),
        customer: id(&p.customer, "customer")?,
        text: (!p.q.trim().is_empty()).then(|| p.q.chars().take(200).collect()),
        page: p.page.parse().unwrap_or(1),
        per_page: PER_PAGE,
    })
}

pub fn row(req: &Req, r: &ContactRecord, zone: &wharf_core::zone::Zone) -> RecordRow {
    RecordRow {
        id: r.id,
        when: when(r.happened_at, zone),
        kind: req.t(&format!("record.kind.{}", r.kind)),
        customer: r.customer_name.clone(),
        customer_href: format!("/customers/{}#trail", r.customer_id),
        contact: r.contact_name.clone(),
        author: r.author_name.clone(),
        content: r.content.clone(),
        progress: pick(req.locale, &r.progress_zh, &r.progress_en),
        next_revisit: r.next_revisit.clone().unwrap_or_default(),
        may_change: r.may_change,
    }
}

/// GET /records
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let (rows, total, pager, error) = match query_of(&req, &p) {
        Ok(q) => {
            let found = state.store.list_contact_records(actor, &q).await?;
            let pages = found.pages();
            let base = p.href("/records");
            let sep = if base.contains('?') { '&' } else { '?' };
            let pager = (pages > 1).then(|| Pager {
                page: found.page,
                pages,
                total: found.total,
                prev: (found.page > 1).then(|| format!("{base}{sep}page={}", found.page - 1)),
                next: (found.page < pages).then(|| format!("{base}{sep}page={}", found.page + 1)),
            });
            let rows = found.items.iter().map(|r| row(&req, r, zone)).collect();
            (rows, found.total, pager, None)
        }
        Err(e) => (Vec::new(), 0, None, Some(e.message(req.locale))),
    };
    let team = p.view == "team";
    let tab = |view: &str, label: &str, on: bool| Tab {
        href: ListParams {
            view: view.into(),
            author: String::new(),
            ..p.clone()
        }
        .href("/records"),
        label: req.t(label),
        on,
    };
    let kinds = RecordKind::ALL
        .iter()
        .map(|k| SelectOption {
            value: k.code().into(),
            label: req.t(&format!("record.kind.{}", k.code())),
            on: p.kind == k.code(),
        })
        .collect();
    let authors = if team {
        state
            .store
            .owners_in_scope(actor)
            .await?
            .into_iter()
            .map(|(id, name)| SelectOption {
                on: p.author == id.to_string(),
                value: id.to_string(),
                label: name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(page(
        &req,
        "records/list.html",
        "sales",
        &req.t("record.list"),
        RecordsPage {
            tabs: vec![
                tab("", "record.mine", !team),
                tab("team", "record.team", team),
            ],
            team,
            kinds,
            authors,
            q: p.q.clone(),
            from: p.from.clone(),
            to: p.to.clone(),
            customer: p.customer.clone(),
            rows,
            total,
            pager,
            export_href: p.href("/records/export"),
            may_export: actor.has(Permission::Export),
            error,
        },
    ))
}
