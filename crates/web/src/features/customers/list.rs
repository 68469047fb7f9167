//! Customers → the list with quick filters, search, sorting, saved queries and paging.

use axum::extract::{Query, RawQuery, State};
use axum::response::Response;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::query::OPERATORS;
use wharf_store::customers::{CustomerQuery, Quick};

use super::columns::{self, CellData};
use super::labels::item_names;
use super::list_query::{
    ListParams, MAX_CONDITIONS, PER_PAGE, conditions_of, contacted_of, field_label, query_of,
    revisit_of, stale_of,
};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customers::views::{
    ColumnChoice, ColumnHead, ConditionRow, CustomerRow, FilterLink, Labelled, ListPage, Named,
    SavedQuery,
};
use crate::render::{SelectOption, page};

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
        contacted_since: contacted_of(&p, &req)?,
        stale_before: stale_of(&state, &req, &p).await?,
        ..query_of(&p, quick, revisit, zone)
    };
    let result = state.store.list_customers(actor, &query).await?;
    let staff: Vec<Named> = state
        .store
        .active_staff(actor)
        .await?
        .into_iter()
        .map(|(id, name)| Named {
            id,
            name,
            on: false,
        })
        .collect();
    // Links keep every other parameter.
    let link = |key: &str, value: &str| {
        let mut pairs: Vec<(String, String)> = [
            ("quick", p.quick.as_str()),
            ("q", p.q.as_str()),
            ("stage", p.stage.as_str()),
            ("revisit", p.revisit.as_str()),
            ("contacted", p.contacted.as_str()),
            ("rotting", p.rotting.as_str()),
            ("group", p.group.as_str()),
            ("owner", p.owner.as_str()),
            ("department", p.department.as_str()),
            ("sort", p.sort.as_str()),
            ("desc", p.desc.as_str()),
            ("flag", p.flag.as_str()),
            ("like", p.like.as_str()),
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
    let quicks: Vec<FilterLink> = ["all", "mine", "collaborative", "pool", "followed"]
        .into_iter()
        .map(|q| FilterLink {
            code: q,
            href: link("quick", if q == "all" { "" } else { q }),
            label: req.t(&format!("customer.quick.{q}")),
            on: p.quick == q || (p.quick.is_empty() && q == "all"),
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
            ("contacted", p.contacted.as_str()),
            ("rotting", p.rotting.as_str()),
            ("group", p.group.as_str()),
            ("owner", p.owner.as_str()),
            ("department", p.department.as_str()),
            ("flag", p.flag.as_str()),
            ("like", p.like.as_str()),
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
    let mut columns = vec![ColumnHead {
        label: req.t("field.name"),
        href: Some(sort_link("name")),
        arrow: arrow("name"),
    }];
    columns.extend(chosen.iter().map(|code| {
        let sort = columns::sort_of(code);
        ColumnHead {
            label: columns::label(&req, code, &defs),
            href: sort.map(&sort_link),
            arrow: sort.map(arrow).unwrap_or(""),
        }
    }));
    let cells = CellData {
        items: item_names(&state, &req).await?,
        defs: defs.clone(),
        zone: zone.clone(),
    };
    let ids: Vec<i64> = result.items.iter().map(|c| c.id).collect();
    let mut flags = crate::features::pipeline::list_part::row_flags(&state, &req, &ids).await?;
    let rows: Vec<CustomerRow> = result
        .items
        .iter()
        .map(|c| CustomerRow {
            flag: flags.remove(&c.id).unwrap_or_default(),
            id: c.id,
            href: format!("/customers/{}", c.id),
            name: c.name.clone(),
            follow: c.follow,
            cells: chosen
                .iter()
                .map(|code| columns::cell(&req, c, code, &cells))
                .collect(),
        })
        .collect();
    // The column chooser: every column, ticked as chosen.
    let column_choices: Vec<ColumnChoice> = columns::standard()
        .map(|(code, _)| code.to_string())
        .chain(defs.iter().map(CustomField::key))
        .map(|code| ColumnChoice {
            label: columns::label(&req, &code, &defs),
            on: chosen.contains(&code),
            code,
        })
        .collect();
    // The builder: the conditions in force, then two empty rows.
    let field_options: Vec<Labelled> = wharf_core::customers::query::fields()
        .map(|(f, _)| f.to_string())
        .chain(defs.iter().map(CustomField::key))
        .map(|f| Labelled {
            label: field_label(&req, &f, &defs),
            value: f,
        })
        .collect();
    let op_options: Vec<Labelled> = OPERATORS
        .iter()
        .map(|o| Labelled {
            value: o.to_string(),
            label: req.t(&format!("query.op.{o}")),
        })
        .collect();
    let mut builder: Vec<ConditionRow> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| ConditionRow {
            i,
            field: c.field.clone(),
            op: c.op.clone(),
            value: c.value.clone(),
            or: c.or,
        })
        .collect();
    for i in conditions.len()..(conditions.len() + 2).min(MAX_CONDITIONS) {
        builder.push(ConditionRow {
            i,
            field: String::new(),
            op: "contains".into(),
            value: String::new(),
            or: false,
        });
    }
    let saved: Vec<SavedQuery> = state
        .store
        .saved_queries(actor)
        .await?
        .into_iter()
        .map(|(id, name, q)| SavedQuery {
            id,
            name,
            href: format!("/customers?{q}"),
        })
        .collect();
    let option = |value: &str, label: String, current: &str| SelectOption {
        value: value.to_string(),
        label,
        on: current == value,
    };
    let path = crate::features::pipeline::list_part::list_path(
        &state,
        &req,
        (&p.stage, &p.flag, &p.like),
        &link,
    )
    .await?;
    let data = ListPage {
        path,
        bulk_flags: crate::features::pipeline::list_part::bulk_flags(&req),
        total: result.total,
        quicks,
        quick: p.quick.clone(),
        q: p.q.clone(),
        sort: p.sort.clone(),
        desc: p.desc.clone(),
        revisit: p.revisit.clone(),
        // Every customer pipeline's stages (a second sales method's too).
        stages: super::labels::stage_choices(&cells.items)
            .into_iter()
            .map(|(key, label)| option(&key, label, &p.stage))
            .collect(),
        groups: state
            .store
            .customer_groups(actor)
            .await?
            .into_iter()
            .map(|g| Named {
                on: p.group == g.id.to_string(),
                id: g.id,
                name: g.name,
            })
            .collect(),
        owners: {
            let people = state.store.owners_in_scope(actor).await?;
            // Only oneself in scope: nothing to choose.
            if people.len() > 1 {
                people
                    .into_iter()
                    .map(|(id, name)| Named {
                        on: p.owner == id.to_string(),
                        id,
                        name,
                    })
                    .collect()
            } else {
                Vec::new()
            }
        },
        departments: state
            .store
            .departments_in_scope(actor)
            .await?
            .into_iter()
            .map(|(id, name)| Named {
                on: p.department == id.to_string(),
                id,
                name,
            })
            .collect(),
        revisits: ["today", "tomorrow", "week", "overdue"]
            .iter()
            .map(|r| option(r, req.t(&format!("customer.revisit.{r}")), &p.revisit))
            .collect(),
        export_csv: link("format", "csv").replacen("/customers?", "/customers/export?", 1),
        export_xlsx: link("format", "xlsx").replacen("/customers?", "/customers/export?", 1),
        print_href: link("page", "").replacen("/customers?", "/customers/print?", 1),
        track_href: link("page", "").replacen("/customers?", "/track?", 1),
        list_href: link("", ""),
        column_choices,
        builder_open: !conditions.is_empty() || query_error.is_some(),
        query_error: query_error.map(|e| e.message(req.locale)),
        builder,
        field_options,
        op_options,
        current_query: raw.clone().unwrap_or_default(),
        saved,
        columns,
        rows,
        staff,
        page_no,
        pages: result.pages(),
        prev_href: (page_no > 1).then(|| link("page", &(page_no - 1).to_string())),
        next_href: (page_no < result.pages()).then(|| link("page", &(page_no + 1).to_string())),
    };
    Ok(page(
        &req,
        "customers/list.html",
        "customers",
        &req.t("nav.customers"),
        data,
    ))
}
