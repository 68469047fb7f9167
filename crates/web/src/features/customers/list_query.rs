//! The customer list's query string: filters, quick views, conditions and paging,
//! turned into the store's `CustomerQuery` (shared by the list, export, print and bulk).

use serde::Deserialize;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::query::Condition;
use wharf_core::zone::Zone;
use wharf_store::customers::{CustomerQuery, Quick};

use super::columns;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub(super) const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    pub(super) quick: String,
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) stage: String,
    /// today, tomorrow, week, overdue
    #[serde(default)]
    pub(super) revisit: String,
    /// today, week, month: last contacted (a contact record) since then (the workbench's
    /// links, `features/records`).
    #[serde(default)]
    pub(super) contacted: String,
    /// 1: rotting in its stage (the workbench's link; needs `stage`).
    #[serde(default)]
    pub(super) rotting: String,
    #[serde(default)]
    pub(super) sort: String,
    #[serde(default)]
    pub(super) desc: String,
    #[serde(default)]
    pub(super) page: String,
    #[serde(default)]
    pub(super) group: String,
    /// An owner's user id (the filter bar's owner select).
    #[serde(default)]
    pub(super) owner: String,
    #[serde(default)]
    pub(super) department: String,
    /// The sales path's filters (`flag=paused`, `like=industry`).
    #[serde(default)]
    pub(super) flag: String,
    #[serde(default)]
    pub(super) like: String,
}

/// An id filter from the URL: a number, or one that matches nothing when forged.
fn id_filter(value: &str) -> Option<i64> {
    match value.trim() {
        "" => None,
        v => Some(v.parse().unwrap_or(0)),
    }
}

/// Up to this many query-builder conditions in a URL (`c0_f`, `c0_o`, `c0_v`, `c0_j` …).
pub(super) const MAX_CONDITIONS: usize = 10;

/// The builder's conditions from the URL, the ones that check out, the URL pairs that
/// carry them (for links), and an error for the first one that does not.
pub(crate) fn conditions_of(
    raw: Option<&str>,
    defs: &[CustomField],
) -> (Vec<Condition>, Vec<(String, String)>, Option<AppError>) {
    let pairs: Vec<(String, String)> = raw
        .and_then(|r| serde_urlencoded::from_str(r).ok())
        .unwrap_or_default();
    let get = |k: String| {
        pairs
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (mut out, mut carry, mut error) = (Vec::new(), Vec::new(), None);
    for i in 0..MAX_CONDITIONS {
        let field = get(format!("c{i}_f"));
        if field.is_empty() {
            continue;
        }
        let c = Condition {
            field,
            op: get(format!("c{i}_o")),
            value: get(format!("c{i}_v")),
            or: get(format!("c{i}_j")) == "or",
        };
        match c.clone().validate(defs) {
            Ok(c) => {
                let n = out.len();
                carry.push((format!("c{n}_f"), c.field.clone()));
                carry.push((format!("c{n}_o"), c.op.clone()));
                carry.push((format!("c{n}_v"), c.value.clone()));
                if c.or {
                    carry.push((format!("c{n}_j"), "or".into()));
                }
                out.push(c);
            }
            Err(e) if error.is_none() => error = Some(AppError::Domain(e)),
            Err(_) => {}
        }
    }
    (out, carry, error)
}

pub(super) fn field_label(req: &Req, field: &str, defs: &[CustomField]) -> String {
    if wharf_core::custom_field::parse_key(field).is_some() {
        return columns::label(req, field, defs);
    }
    match field {
        "created_at" => req.t("customer.created"),
        "updated_at" => req.t("customer.updated"),
        "owner" => req.t("field.owner"),
        "department" => req.t("field.department_id"),
        f if f.starts_with("contact_") => req.t(&format!("import.target.{f}")),
        f => req.t(&format!("field.{f}")),
    }
}

pub(super) fn query_of(
    p: &ListParams,
    quick: Quick,
    revisit: Option<(i64, i64)>,
    zone: &Zone,
) -> CustomerQuery {
    CustomerQuery {
        quick,
        stage: (!p.stage.is_empty()).then(|| p.stage.clone()),
        text: (!p.q.trim().is_empty()).then(|| p.q.clone()),
        revisit,
        group: p.group.parse().ok(),
        owner: id_filter(&p.owner),
        department: id_filter(&p.department),
        ids: Vec::new(),
        sort: p.sort.clone(),
        descending: p.desc == "1" || p.sort.is_empty(),
        page: 1,
        per_page: PER_PAGE,
        conditions: Vec::new(),
        time_zone: zone.clone(),
        contacted_since: None,
        stale_before: None,
        // A forged value filters nothing rather than failing the page.
        path: crate::features::pipeline::links::path_filter(&p.flag, &p.like).unwrap_or_default(),
    }
}

/// The workbench's "rotting" filter: the stage's threshold as a time (none without a
/// stage or a threshold).
pub(super) async fn stale_of(
    state: &AppState,
    req: &Req,
    p: &ListParams,
) -> Result<Option<i64>, AppError> {
    if p.rotting != "1" || p.stage.is_empty() {
        return Ok(None);
    }
    crate::features::workbench::counts::stale_before(state, req, &p.stage).await
}

/// The workbench's "contacted" filter as the first second it counts from.
pub(super) fn contacted_of(p: &ListParams, req: &Req) -> Result<Option<i64>, AppError> {
    let (zone, today) = (req.zone()?, req.today()?);
    Ok(match p.contacted.as_str() {
        "today" => Some(zone.day_start(today)),
        "week" => Some(zone.week_start(today)),
        "month" => Some(zone.month_start(today)),
        _ => None,
    })
}

/// The quick revisit filters as UTC ranges of the company's days.
pub(super) fn revisit_of(p: &ListParams, req: &Req) -> Result<Option<(i64, i64)>, AppError> {
    let (zone, today) = (req.zone()?, req.today()?);
    Ok(match p.revisit.as_str() {
        "today" => Some(zone.day_range(today)),
        "tomorrow" => Some(zone.day_range(today.next())),
        "week" => Some(zone.days_range(today, today.plus_days(6))),
        // Any day before today (the workbench's "overdue").
        "overdue" => Some((i64::MIN / 2, zone.day_start(today))),
        _ => None,
    })
}

/// The list's query from its URL (filters and the builder's conditions, which must all
/// check out), with the custom fields it was checked against; for export and print.
pub(super) async fn filtered_query(
    state: &AppState,
    req: &Req,
    p: &ListParams,
    raw: Option<&str>,
) -> Result<(CustomerQuery, Vec<CustomField>), AppError> {
    let defs = state.store.custom_fields(req.actor()?).await?;
    let (conditions, _, query_error) = conditions_of(raw, &defs);
    if let Some(err) = query_error {
        return Err(err);
    }
    let quick = Quick::from_code(&p.quick).ok_or(AppError::BadRequest)?;
    let query = CustomerQuery {
        conditions,
        contacted_since: contacted_of(p, req)?,
        stale_before: stale_of(state, req, p).await?,
        ..query_of(p, quick, revisit_of(p, req)?, req.zone()?)
    };
    Ok((query, defs))
}

/// The list's query from a raw query string with the customer list's own parameters
/// (the tracking screen walks the same list; other parameters are ignored).
pub(crate) async fn query_of_raw(
    state: &AppState,
    req: &Req,
    raw: &str,
) -> Result<CustomerQuery, AppError> {
    let p: ListParams = serde_urlencoded::from_str(raw).map_err(|_| AppError::BadRequest)?;
    Ok(filtered_query(state, req, &p, Some(raw)).await?.0)
}
