//! The printable customer list.

use axum::extract::{Query, RawQuery, State};
use axum::response::Response;

use super::columns::{self, CellData};
use super::labels::item_names;
use super::list_query::{ListParams, filtered_query};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customers::views::PrintPage;
use crate::render::{page, when};

/// The print view stops at this many rows (and says so).
const PRINT_LIMIT: i64 = 2000;

/// The list as it is filtered and sorted, with the user's columns, on a plain page for
/// the printer (CUST-5): every page up to [`PRINT_LIMIT`] rows.
pub async fn print(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let (mut query, defs) = filtered_query(&state, &req, &p, raw.as_deref()).await?;
    let zone = req.zone()?;
    query.per_page = 500;
    let mut customers = Vec::new();
    let mut total = 0;
    while (customers.len() as i64) < PRINT_LIMIT {
        let page = state.store.list_customers(actor, &query).await?;
        total = page.total;
        let last = page.items.len() < 500;
        customers.extend(page.items);
        if last {
            break;
        }
        query.page += 1;
    }
    customers.truncate(PRINT_LIMIT as usize);
    let chosen = columns::chosen(&state, &req, &defs).await?;
    let cells = CellData {
        items: item_names(&state, &req).await?,
        defs: defs.clone(),
        zone: zone.clone(),
    };
    let header: Vec<String> = std::iter::once(req.t("field.name"))
        .chain(chosen.iter().map(|c| columns::label(&req, c, &defs)))
        .collect();
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            std::iter::once(c.name.clone())
                .chain(
                    chosen
                        .iter()
                        .map(|code| columns::cell(&req, c, code, &cells)),
                )
                .collect()
        })
        .collect();
    let cut = (total > PRINT_LIMIT).then(|| {
        req.t("customer.print.cut")
            .replace("{shown}", &PRINT_LIMIT.to_string())
            .replace("{total}", &total.to_string())
    });
    Ok(page(
        &req,
        "customers/print.html",
        "customers",
        &req.t("nav.customers"),
        PrintPage {
            header,
            rows,
            cut,
            meta: req
                .t("customer.print.meta")
                .replace("{total}", &total.to_string())
                .replace("{when}", &when(wharf_store::now(), zone))
                .replace("{by}", &req.display_name),
            back: format!("/customers?{}", raw.unwrap_or_default()),
        },
    ))
}
