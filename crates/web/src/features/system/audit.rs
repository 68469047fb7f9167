//! System → audit log (SPEC BASE-4): searchable, newest first.

use axum::extract::{Query, State};
use axum::response::Response;
use wharf_store::audit::AuditFilter;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{ListPage, ListRow, Pager, SearchBox, page, when};

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    action: String,
    /// YYYY-MM-DD, inclusive, in the company's time zone.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
}

/// A filter day (YYYY-MM-DD) as its range in the company's zone; `None` when empty.
fn day_range(req: &Req, value: &str) -> Result<Option<(i64, i64)>, AppError> {
    let zone = req.zone()?;
    Ok(crate::form::day_field(value, "from", "invalid_date")?.map(|d| zone.day_range(d)))
}

pub async fn audit(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let filter = AuditFilter {
        q: q.q.clone(),
        username: q.username.clone(),
        action: q.action.clone(),
        from: day_range(&req, &q.from)?.map(|(start, _)| start),
        // Inclusive: the day's last second (23 or 25 hours after its start on DST days).
        to: day_range(&req, &q.to)?.map(|(_, end)| end - 1),
        page: q.page.unwrap_or(1),
        per_page: 50,
    };
    let result = state.store.search_audit(actor, &filter).await?;
    let rows: Vec<ListRow> = result
        .items
        .iter()
        .map(|r| ListRow {
            href: None,
            cells: vec![
                when(r.at, zone),
                r.username.clone(),
                r.ip.clone(),
                action_label(req.locale, &r.action),
                r.summary.clone(),
            ],
        })
        .collect();
    let columns = [
        "field.at",
        "field.username",
        "field.ip",
        "field.action",
        "field.summary",
    ]
    .map(|k| req.t(k));
    let search_box = |name, label: &str, value: &str, kind| SearchBox {
        name,
        label: req.t(label),
        value: value.to_string(),
        kind,
    };
    let search = vec![
        search_box("q", "field.q", &q.q, None),
        search_box("username", "field.username", &q.username, None),
        search_box("action", "field.action", &q.action, None),
        search_box("from", "field.from", &q.from, Some("date")),
        search_box("to", "field.to", &q.to, Some("date")),
    ];
    let link = |p: i64| {
        let qs = serde_urlencoded::to_string([
            ("q", filter.q.as_str()),
            ("username", filter.username.as_str()),
            ("action", filter.action.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
        ])
        .unwrap_or_default();
        format!("/system/audit?{qs}&page={p}")
    };
    let pager = Pager {
        page: result.page,
        pages: result.pages(),
        total: result.total,
        prev: (result.page > 1).then(|| link(result.page - 1)),
        next: (result.page < result.pages()).then(|| link(result.page + 1)),
    };
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.audit"),
        ListPage {
            subnav: crate::features::system::admin_form::subnav(&req, "audit"),
            columns: columns.into(),
            rows,
            search,
            pager: Some(pager),
            new_href: None,
        },
    ))
}

/// An action's translated label (`audit.action.<code>`) where the catalogs have one,
/// else its stable code.
fn action_label(locale: crate::i18n::Locale, action: &str) -> String {
    let key = format!("audit.action.{action}");
    if crate::i18n::has_key(locale, &key) {
        crate::i18n::t(locale, &key)
    } else {
        action.to_string()
    }
}
