//! The customer's one trail (LINK-4): contact records, mail with its contacts (already
//! linked, both directions), documents, owner and stage changes, opportunities, newest first, filtered by
//! kind and paged; beside it the form to add a record.

use serde::Deserialize;
use wharf_store::customers::documents::Document;
use wharf_store::customers::{CustomerDetail, OwnerChange};
use wharf_store::mail::view::MessageSummary;
use wharf_store::records::ContactRecord;

use super::form::{Shown, fields, progress_choices};
use super::views::{CustomerTrail, TrailItem};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Field, Pager, Tab, pick, when};

/// Entries per page of the trail.
const PER_PAGE: usize = 30;
/// The kinds the filter offers.
const KINDS: [&str; 8] = [
    "record",
    "mail",
    "document",
    "owner",
    "stage",
    "opportunity",
    "quote",
    "order",
];

/// The trail's place in the customer page's URL: `tl` (a kind) and `tp` (a page).
#[derive(Deserialize, Default, Debug)]
pub struct TrailParams {
    #[serde(default)]
    pub tl: String,
    #[serde(default)]
    pub tp: String,
}

/// What the customer page already read, handed over so nothing is read twice.
pub struct Read<'a> {
    pub detail: &'a CustomerDetail,
    pub mails: &'a [MessageSummary],
    pub documents: &'a [Document],
    pub owner_log: &'a [(OwnerChange, String)],
    /// Stage and flag changes (`features/pipeline`), as (when, text).
    pub stage_log: &'a [(i64, String)],
}

/// A record's second line: contact, progress, next revisit, reminder.
pub fn record_detail(req: &Req, r: &ContactRecord, zone: &wharf_core::zone::Zone) -> String {
    let mut parts = Vec::new();
    if !r.contact_name.is_empty() {
        parts.push(format!("{}: {}", req.t("field.contact_id"), r.contact_name));
    }
    let progress = pick(req.locale, &r.progress_zh, &r.progress_en);
    if !progress.is_empty() {
        parts.push(format!("{}: {progress}", req.t("field.progress_id")));
    }
    if let Some(d) = &r.next_revisit {
        parts.push(format!("{}: {d}", req.t("field.next_revisit")));
    }
    if let Some(t) = r.remind_at {
        parts.push(format!("{}: {}", req.t("field.remind_at"), when(t, zone)));
    }
    parts.join(" · ")
}

pub async fn customer_trail(
    state: &AppState,
    req: &Req,
    read: Read<'_>,
    params: &TrailParams,
) -> Result<CustomerTrail, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let id = read.detail.customer.id;
    let filter = KINDS.iter().find(|k| **k == params.tl).copied();
    let wants = |kind: &str| filter.is_none_or(|f| f == kind);
    let mut items: Vec<(i64, TrailItem)> = Vec::new();
    if wants("record") {
        for r in state.store.customer_records(actor, id, 1000).await? {
            // A record written just now says the minute (the form's precision): within
            // that minute its saving time orders it among the mail and owner changes.
            let at = if (0..60).contains(&(r.created_at - r.happened_at)) {
                r.created_at
            } else {
                r.happened_at
            };
            items.push((
                at,
                TrailItem {
                    kind: "record",
                    label: req.t(&format!("record.kind.{}", r.kind)),
                    when: when(r.happened_at, zone),
                    who: r.author_name.clone(),
                    detail: record_detail(req, &r, zone),
                    text: r.content.clone(),
                    href: None,
                    record_id: Some(r.id),
                    may_change: r.may_change,
                },
            ));
        }
    }
    if wants("mail") {
        for m in read.mails {
            let view = if m.folder_role.is_empty() {
                "inbox"
            } else {
                m.folder_role.as_str()
            };
            let arrow = if m.direction == "out" { "→" } else { "←" };
            items.push((
                m.received_at,
                TrailItem {
                    kind: "mail",
                    label: req.t("customer.timeline.mail"),
                    when: when(m.received_at, zone),
                    who: format!("{arrow} {}", crate::features::mail::mailbox::who(req, m)),
                    text: m.subject.clone(),
                    detail: String::new(),
                    href: Some(format!("/mail?view={view}&m={}", m.id)),
                    record_id: None,
                    may_change: false,
                },
            ));
        }
    }
    if wants("document") {
        for d in read.documents {
            items.push((
                d.created_at,
                TrailItem {
                    kind: "document",
                    label: req.t("customer.timeline.document"),
                    when: when(d.created_at, zone),
                    who: d.uploaded_by.clone(),
                    text: d.filename.clone(),
                    detail: String::new(),
                    href: Some(format!("/documents/{}", d.id)),
                    record_id: None,
                    may_change: false,
                },
            ));
        }
    }
    if wants("owner") {
        for (o, text) in read.owner_log {
            items.push((
                o.at,
                TrailItem {
                    kind: "owner",
                    label: req.t("customer.timeline.owner"),
                    when: when(o.at, zone),
                    who: o.user.clone(),
                    text: text.clone(),
                    detail: String::new(),
                    href: None,
                    record_id: None,
                    may_change: false,
                },
            ));
        }
    }
    if wants("stage") {
        for (at, text) in read.stage_log {
            items.push((
                *at,
                TrailItem {
                    kind: "stage",
                    label: req.t("customer.timeline.stage"),
                    when: when(*at, zone),
                    who: String::new(),
                    text: text.clone(),
                    detail: String::new(),
                    href: None,
                    record_id: None,
                    may_change: false,
                },
            ));
        }
    }
    if wants("opportunity") {
        items.extend(crate::features::deals::trail_items(state, req, id).await?);
    }
    if wants("quote") {
        items.extend(crate::features::quotes::trail::items(state, req, id).await?);
    }
    if wants("order") {
        items.extend(crate::features::orders::trail::items(state, req, id).await?);
    }
    items.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let total = items.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = params.tp.parse::<usize>().unwrap_or(1).clamp(1, pages);
    let link = |p: usize| {
        let tl = filter.map(|f| format!("tl={f}&")).unwrap_or_default();
        format!("/customers/{id}?{tl}tp={p}#trail")
    };
    let pager = (pages > 1).then(|| Pager {
        page: page as i64,
        pages: pages as i64,
        total: total as i64,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
    });
    let items = items
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|(_, i)| i)
        .collect();
    let mut filters = vec![Tab {
        href: format!("/customers/{id}#trail"),
        label: req.t("record.trail.all"),
        on: filter.is_none(),
    }];
    filters.extend(KINDS.iter().map(|k| Tab {
        href: format!("/customers/{id}?tl={k}#trail"),
        label: req.t(&format!("record.trail.{k}")),
        on: filter == Some(*k),
    }));
    Ok(CustomerTrail {
        customer_id: id,
        filters,
        items,
        pager,
        total,
        fields: add_fields(state, req, read.detail).await?,
    })
}

/// The add form's fields for a customer (its contacts; a call now).
pub async fn add_fields(
    state: &AppState,
    req: &Req,
    detail: &CustomerDetail,
) -> Result<Vec<Field>, AppError> {
    Ok(fields(
        req,
        &Shown::fresh(req.zone()?),
        &detail.contacts,
        progress_choices(state, req).await?,
    ))
}
