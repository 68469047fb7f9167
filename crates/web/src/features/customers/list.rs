//! Customers → the list with quick filters, search, sorting, saved queries and paging.

use axum::extract::{Query, RawQuery, State};
use axum::response::Response;
use minijinja::{Value, context};
use wharf_core::custom_field::CustomField;
use wharf_core::customer::STAGES;
use wharf_core::customer_query::{FIELDS, OPERATORS};
use wharf_store::customers::{CustomerQuery, Quick};

use super::columns::{self, CellData};
use super::labels::{item_names, stage_label};
use super::list_query::{
    ListParams, MAX_CONDITIONS, PER_PAGE, conditions_of, field_label, query_of, revisit_of,
};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::page;

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let defs = state.store.custom_fields(actor).await?;
    let (conditions, carry, query_error) = conditions_of(raw.as_deref(), &defs);
    let quick = Quick::from_code(&p.quick).ok_or(AppError::BadRequest)?;
    let zone = req.zone()?;
    let revisit = revisit_of(&p, &req)?;
    let page_no = p.page.parse::<i64>().unwrap_or(1).max(1);
    let query = CustomerQuery {
        page: page_no,
        per_page: PER_PAGE,
        conditions: conditions.clone(),
        ..query_of(&p, quick, revisit, zone)
    };
    let result = state.store.list_customers(actor, &query).await?;
    let staff: Vec<Value> = state
        .store
        .active_staff(actor)
        .await?
        .into_iter()
        .map(|(id, name)| context! { id => id, name => name })
        .collect();
    // Links keep every other parameter.
    let link = |key: &str, value: &str| {
        let mut pairs: Vec<(String, String)> = [
            ("quick", p.quick.as_str()),
            ("q", p.q.as_str()),
            ("stage", p.stage.as_str()),
            ("revisit", p.revisit.as_str()),
            ("group", p.group.as_str()),
            ("sort", p.sort.as_str()),
            ("desc", p.desc.as_str()),
        ]
        .into_iter()
        .filter(|(k, v)| *k != key && !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if !value.is_empty() {
            pairs.push((key.to_string(), value.to_string()));
        }
        pairs.extend(carry.iter().cloned());
        format!(
            "/customers?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let quicks: Vec<Value> = ["all", "mine", "collaborative", "pool", "followed"]
        .iter()
        .map(|q| {
            let on = p.quick == *q || (p.quick.is_empty() && *q == "all");
            context! { code => q, href => link("quick", if *q == "all" { "" } else { q }), label => req.t(&format!("customer.quick.{q}")), on => on }
        })
        .collect();
    let sort_link = |column: &str| {
        let desc = if p.sort == column && p.desc != "1" {
            "1"
        } else {
            ""
        };
        let mut pairs: Vec<(String, String)> = [
            ("quick", p.quick.as_str()),
            ("q", p.q.as_str()),
            ("stage", p.stage.as_str()),
            ("revisit", p.revisit.as_str()),
            ("group", p.group.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        pairs.push(("sort".into(), column.into()));
        if !desc.is_empty() {
            pairs.push(("desc".into(), desc.into()));
        }
        pairs.extend(carry.iter().cloned());
        format!(
            "/customers?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let chosen = columns::chosen(&state, &req, &defs).await?;
    let arrow = |sort: &str| {
        if p.sort == sort || (p.sort.is_empty() && sort == "updated") {
            if p.desc == "1" || p.sort.is_empty() {
                "▼"
            } else {
                "▲"
            }
        } else {
            ""
        }
    };
    let mut columns: Vec<Value> = vec![
        context! { label => req.t("field.name"), href => sort_link("name"), arrow => arrow("name") },
    ];
    columns.extend(chosen.iter().map(|code| {
        let sort = columns::sort_of(code);
        context! {
            label => columns::label(&req, code, &defs),
            href => sort.map(&sort_link), arrow => sort.map(arrow).unwrap_or(""),
        }
    }));
    let cells = CellData {
        items: item_names(&state, &req).await?,
        defs: defs.clone(),
        zone: zone.clone(),
    };
    let rows: Vec<Value> = result
        .items
        .iter()
        .map(|c| {
            context! {
                id => c.id, href => format!("/customers/{}", c.id), name => c.name.clone(), follow => c.follow,
                cells => chosen.iter().map(|code| columns::cell(&req, c, code, &cells)).collect::<Vec<_>>(),
            }
        })
        .collect();
    // The column chooser: every column, ticked as chosen.
    let column_choices: Vec<Value> = columns::STANDARD
        .iter()
        .map(|(code, _)| code.to_string())
        .chain(defs.iter().map(CustomField::key))
        .map(|code| context! { code => code.clone(), label => columns::label(&req, &code, &defs), on => chosen.contains(&code) })
        .collect();
    let pages = result.pages();
    // The builder: the conditions in force, then two empty rows.
    let field_options: Vec<Value> = FIELDS
        .iter()
        .map(|(f, _)| f.to_string())
        .chain(defs.iter().map(CustomField::key))
        .map(|f| context! { label => field_label(&req, &f, &defs), value => f })
        .collect();
    let op_options: Vec<Value> = OPERATORS
        .iter()
        .map(|o| context! { value => o, label => req.t(&format!("query.op.{o}")) })
        .collect();
    let mut builder: Vec<Value> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| context! { i => i, field => c.field.clone(), op => c.op.clone(), value => c.value.clone(), or => c.or })
        .collect();
    for i in conditions.len()..(conditions.len() + 2).min(MAX_CONDITIONS) {
        builder.push(context! { i => i, field => "", op => "contains", value => "", or => false });
    }
    let saved: Vec<Value> = state
        .store
        .saved_queries(actor)
        .await?
        .into_iter()
        .map(|(id, name, q)| context! { id => id, name => name, href => format!("/customers?{q}") })
        .collect();
    let current_query = raw.clone().unwrap_or_default();
    let stages: Vec<Value> = STAGES
        .iter()
        .map(|s| context! { value => s, label => stage_label(&req, s), on => p.stage == *s })
        .collect();
    Ok(page(
        &req,
        "customers.html",
        "customers",
        &req.t("nav.customers"),
        context! {
            quicks => quicks, columns => columns, rows => rows, total => result.total, staff => staff,
            builder => builder, field_options => field_options, op_options => op_options,
            builder_open => !conditions.is_empty() || query_error.is_some(),
            query_error => query_error.map(|e| e.message(req.locale)), saved => saved, current_query => current_query,
            groups => state.store.customer_groups(actor).await?.into_iter().map(|g| context! { id => g.id, name => g.name, on => p.group == g.id.to_string() }).collect::<Vec<_>>(),
            q => p.q.clone(), stages => stages, quick => p.quick.clone(), revisit => p.revisit.clone(),
            sort => p.sort.clone(), desc => p.desc.clone(),
            page_no => page_no, pages => pages,
            prev_href => (page_no > 1).then(|| link("page", &(page_no - 1).to_string())),
            next_href => (page_no < pages).then(|| link("page", &(page_no + 1).to_string())),
            export_csv => link("format", "csv").replacen("/customers?", "/customers/export?", 1),
            export_xlsx => link("format", "xlsx").replacen("/customers?", "/customers/export?", 1),
            print_href => link("page", "").replacen("/customers?", "/customers/print?", 1),
            column_choices => column_choices, list_href => link("", ""),
            revisits => ["today", "tomorrow", "week"].iter().map(|r| context! { value => r, label => req.t(&format!("customer.revisit.{r}")), on => p.revisit == *r }).collect::<Vec<_>>(),
        },
    ))
}
