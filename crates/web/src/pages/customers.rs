//! Customers → the list with quick filters, search, sorting and paging; a customer's
//! page (profile, contacts, owners with claim / release / transfer, owner log, field
//! history); the create / edit form with duplicate hints while typing; contacts
//! (SPEC CUST-1..5, LINK-6, BASE-5). The store decides who sees and edits what.

use axum::extract::{Path, Query, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use wharf_core::custom_field::CustomField;
use wharf_core::customer::{ContactInput, CustomerInput, STAGES};
use wharf_core::customer_query::{Condition, FIELDS, OPERATORS};
use wharf_core::dict::DictKind;
use wharf_core::zone::Zone;
use wharf_store::customers::{Contact, CustomerQuery, DuplicateProbe, Quick};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::pages::customer_columns::{self, CellData};
use crate::render::{Field, attach_errors, page, pick, when};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    quick: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    stage: String,
    /// today, tomorrow, week
    #[serde(default)]
    revisit: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    group: String,
}

fn stage_label(req: &Req, stage: &str) -> String {
    req.t(&format!("customer.stage.{stage}"))
}

/// Base-data items of one kind as (id, name) in the user's language.
async fn dict_names(
    state: &AppState,
    req: &Req,
    kind: DictKind,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .list_dict(req.actor()?, kind)
        .await?
        .into_iter()
        .map(|i| (i.id, pick(req.locale, &i.name_zh, &i.name_en)))
        .collect())
}

/// Up to this many query-builder conditions in a URL (`c0_f`, `c0_o`, `c0_v`, `c0_j` …).
const MAX_CONDITIONS: usize = 10;

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

fn field_label(req: &Req, field: &str, defs: &[CustomField]) -> String {
    if wharf_core::custom_field::parse_key(field).is_some() {
        return customer_columns::label(req, field, defs);
    }
    match field {
        "created_at" => req.t("customer.created"),
        "updated_at" => req.t("customer.updated"),
        f if f.starts_with("contact_") => req.t(&format!("import.target.{f}")),
        f => req.t(&format!("field.{f}")),
    }
}

fn query_of(
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
        ids: Vec::new(),
        sort: p.sort.clone(),
        descending: p.desc == "1" || p.sort.is_empty(),
        page: 1,
        per_page: PER_PAGE,
        conditions: Vec::new(),
        time_zone: zone.clone(),
    }
}

/// The quick revisit filters as UTC ranges of the company's days.
fn revisit_of(p: &ListParams, req: &Req) -> Result<Option<(i64, i64)>, AppError> {
    let (zone, today) = (req.zone()?, req.today()?);
    Ok(match p.revisit.as_str() {
        "today" => Some(zone.day_range(today)),
        "tomorrow" => Some(zone.day_range(today.next())),
        "week" => Some(zone.days_range(today, today.plus_days(6))),
        _ => None,
    })
}

#[derive(Deserialize, Default)]
pub struct ExportParams {
    #[serde(flatten)]
    list: ListParams,
    /// csv or xlsx
    #[serde(default)]
    format: String,
}

/// The list as it is filtered and sorted, every page, as CSV or xlsx; only what the
/// user may see (CUST-6).
pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(e): Query<ExportParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (query, _) = filtered_query(&state, &req, &e.list, raw.as_deref()).await?;
    export_response(
        &state,
        &req,
        &query,
        &e.format,
        raw.as_deref().unwrap_or(""),
    )
    .await
}

/// The list's query from its URL (filters and the builder's conditions, which must all
/// check out), with the custom fields it was checked against; for export and print.
async fn filtered_query(
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
        ..query_of(p, quick, revisit_of(p, req)?, req.zone()?)
    };
    Ok((query, defs))
}

/// Every customer of a query as a CSV or xlsx download: all standard fields, the
/// custom ones, and the primary contact.
async fn export_response(
    state: &AppState,
    req: &Req,
    query: &CustomerQuery,
    format: &str,
    described: &str,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    if !matches!(format, "xlsx" | "csv" | "") {
        return Err(AppError::BadRequest);
    }
    let zone = req.zone()?;
    let defs = state.store.custom_fields(actor).await?;
    let rows = state
        .store
        .export_customers(req.ctx()?, query, described)
        .await?;
    let dicts = item_names(state, req).await?;
    let name = |i: usize, id: Option<i64>| {
        id.and_then(|id| {
            dicts[i]
                .1
                .iter()
                .find(|(d, _)| *d == id)
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_default()
    };
    let header: Vec<String> = [
        "field.name",
        "field.short_name",
        "field.party_kind",
        "field.stage",
        "field.type_id",
        "field.status_id",
        "field.source_id",
        "field.industry_id",
        "field.country_id",
        "field.city",
        "field.address",
        "field.website",
        "field.phones",
        "field.fax",
        "field.email",
        "field.keywords",
        "field.main_products",
        "field.scale",
        "field.rating",
        "field.tags",
        "field.next_revisit_at",
        "field.owners",
        "contact.title",
        "field.emails",
        "contact.phones",
    ]
    .iter()
    .map(|k| req.t(k))
    .chain(defs.iter().map(|f| f.label.clone()))
    .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, k)| {
            vec![
                c.name.clone(),
                c.short_name.clone(),
                req.t(&format!("customer.kind.{}", c.party_kind)),
                stage_label(req, &c.stage),
                name(0, c.type_id),
                name(1, c.status_id),
                name(2, c.source_id),
                name(3, c.industry_id),
                name(4, c.country_id),
                c.city.clone(),
                c.address.clone(),
                c.website.clone(),
                c.phones.clone(),
                c.fax.clone(),
                c.email.clone(),
                c.keywords.clone(),
                c.main_products.clone(),
                c.scale.clone(),
                if c.rating > 0 {
                    c.rating.to_string()
                } else {
                    String::new()
                },
                c.tags.clone(),
                day_text(c.next_revisit_at, zone),
                if c.sharing == "shared" {
                    req.t("customer.pool")
                } else {
                    c.owners
                        .iter()
                        .map(|o| o.1.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                k.as_ref().map(|k| k.name.clone()).unwrap_or_default(),
                k.as_ref().map(|k| k.emails.clone()).unwrap_or_default(),
                k.as_ref().map(|k| k.phones.clone()).unwrap_or_default(),
            ]
            .into_iter()
            .chain(defs.iter().map(|f| {
                c.custom
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            }))
            .collect()
        })
        .collect();
    let (bytes, content_type, ext) = match format {
        "xlsx" => (
            wharf_sheets::to_xlsx(&req.t("nav.customers"), &header, &table)
                .map_err(|e| AppError::Internal(format!("xlsx export: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" | "" => (
            wharf_sheets::to_csv(&header, &table)
                .map_err(|e| AppError::Internal(format!("csv export: {e}")))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => return Err(AppError::BadRequest),
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"customers.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

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
    let chosen = customer_columns::chosen(&state, &req, &defs).await?;
    let cells = CellData {
        items: item_names(&state, &req).await?,
        defs: defs.clone(),
        zone: zone.clone(),
    };
    let header: Vec<String> = std::iter::once(req.t("field.name"))
        .chain(
            chosen
                .iter()
                .map(|c| customer_columns::label(&req, c, &defs)),
        )
        .collect();
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            std::iter::once(c.name.clone())
                .chain(
                    chosen
                        .iter()
                        .map(|code| customer_columns::cell(&req, c, code, &cells)),
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
        "customers_print.html",
        "customers",
        &req.t("nav.customers"),
        context! {
            header => header, rows => rows, cut => cut,
            meta => req.t("customer.print.meta")
                .replace("{total}", &total.to_string())
                .replace("{when}", &when(wharf_store::now(), zone))
                .replace("{by}", &req.display_name),
            back => format!("/customers?{}", raw.unwrap_or_default()),
        },
    ))
}

/// The base-data fields of a customer with their items' names, read once per page.
async fn item_names(
    state: &AppState,
    req: &Req,
) -> Result<Vec<(&'static str, Vec<(i64, String)>)>, AppError> {
    let mut out = Vec::new();
    for (field, kind) in [
        ("type_id", DictKind::CustomerType),
        ("status_id", DictKind::CustomerStatus),
        ("source_id", DictKind::CustomerSource),
        ("industry_id", DictKind::Industry),
        ("country_id", DictKind::Country),
    ] {
        out.push((field, dict_names(state, req, kind).await?));
    }
    Ok(out)
}

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
    let chosen = customer_columns::chosen(&state, &req, &defs).await?;
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
        let sort = customer_columns::sort_of(code);
        context! {
            label => customer_columns::label(&req, code, &defs),
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
                cells => chosen.iter().map(|code| customer_columns::cell(&req, c, code, &cells)).collect::<Vec<_>>(),
            }
        })
        .collect();
    // The column chooser: every column, ticked as chosen.
    let column_choices: Vec<Value> = customer_columns::STANDARD
        .iter()
        .map(|(code, _)| code.to_string())
        .chain(defs.iter().map(CustomField::key))
        .map(|code| context! { code => code.clone(), label => customer_columns::label(&req, &code, &defs), on => chosen.contains(&code) })
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

/// Bulk actions on the customers ticked in the list (CUST-5): change stage, follow or
/// unfollow, give to an owner, release to the pool, delete. Each customer goes through
/// the same store operation (and checks) as one at a time; the page says how many were
/// done and how many refused.
pub async fn bulk(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let ctx = req.ctx()?;
    let ids: Vec<i64> = form
        .all("ids")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let action = form.get("action");
    if action == "delete"
        && let Some(ask) = super::confirm::unless_confirmed(
            &req,
            &form,
            "/customers/bulk",
            "customer.bulk.confirm_delete",
            "/customers",
        )
    {
        return Ok(ask);
    }
    // Export of the ticked rows only (as many as a page shows); in the user's scope, as
    // every list.
    if let Some(format) = action.strip_prefix("export_") {
        if ids.is_empty() {
            return Ok(page(
                &req,
                "message.html",
                "customers",
                &req.t("nav.customers"),
                context! { message => req.t("customer.bulk.none_ticked"), back => "/customers" },
            ));
        }
        let described = format!(
            "ticked: {}",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        let query = CustomerQuery {
            ids,
            ..query_of(&ListParams::default(), Quick::All, None, req.zone()?)
        };
        return export_response(&state, &req, &query, format, &described).await;
    }
    let tag = form.get("tag").trim().to_string();
    if action == "tag" && tag.is_empty() {
        return Err(AppError::Domain(wharf_core::DomainError::field(
            "tags", "required",
        )));
    }
    let (mut done, mut refused) = (0, 0);
    for id in &ids {
        let result = match action.as_str() {
            "stage" | "follow" | "unfollow" | "tag" => {
                match state.store.get_customer(ctx.actor, *id).await {
                    Ok(d) => {
                        let mut input = d.customer.to_input();
                        match action.as_str() {
                            "stage" => input.stage = form.get("stage"),
                            "follow" => input.follow = true,
                            "tag" => input.tags = with_tag(&input.tags, &tag),
                            _ => input.follow = false,
                        }
                        state.store.update_customer(ctx, *id, input).await
                    }
                    Err(e) => Err(e),
                }
            }
            "transfer" => {
                let to = form
                    .get("owner")
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest)?;
                state.store.transfer_customer(ctx, *id, &[to]).await
            }
            "release" => state.store.release_customer(ctx, *id).await,
            "group" => state
                .store
                .add_to_group(ctx, *id, &form.get("group_name"))
                .await
                .map(|_| ()),
            "delete" => state.store.delete_customer(ctx, *id).await,
            _ => return Err(AppError::BadRequest),
        };
        match result {
            Ok(()) => done += 1,
            Err(_) => refused += 1,
        }
    }
    let text = req
        .t("customer.bulk.done")
        .replace("{done}", &done.to_string())
        .replace("{refused}", &refused.to_string());
    Ok(page(
        &req,
        "message.html",
        "customers",
        &req.t("nav.customers"),
        context! { message => text, back => "/customers" },
    ))
}

/// The tags with one more, unless it is there already (compared without case).
fn with_tag(tags: &str, tag: &str) -> String {
    let has =
        wharf_core::customer::split_list(tags).any(|t| t.to_lowercase() == tag.to_lowercase());
    match (has, tags.trim().is_empty()) {
        (true, _) => tags.to_string(),
        (false, true) => tag.to_string(),
        (false, false) => format!("{}, {tag}", tags.trim()),
    }
}

// ---- the form ------------------------------------------------------------------------

fn dict_field(
    req: &Req,
    name: &'static str,
    selected: Option<i64>,
    items: &[(i64, String)],
) -> Field {
    let mut options = vec![(String::new(), req.t("none"))];
    options.extend(items.iter().map(|(id, n)| (id.to_string(), n.clone())));
    Field::select(
        req,
        name,
        &selected.map(|s| s.to_string()).unwrap_or_default(),
        options,
    )
}

fn day_text(t: Option<i64>, zone: &Zone) -> String {
    t.map(|t| zone.day_of(t).iso()).unwrap_or_default()
}

async fn customer_fields(
    state: &AppState,
    req: &Req,
    c: &CustomerInput,
    owner: Option<&str>,
) -> Result<Vec<Field>, AppError> {
    let zone = req.zone()?;
    let mut fields = vec![
        Field::new(req, "name", "text", &c.name),
        Field::new(req, "short_name", "text", &c.short_name),
        Field::new(req, "keywords", "text", &c.keywords),
        Field::select(
            req,
            "party_kind",
            &c.party_kind,
            ["customer", "supplier"]
                .iter()
                .map(|k| (k.to_string(), req.t(&format!("customer.kind.{k}"))))
                .collect(),
        ),
        Field::select(
            req,
            "stage",
            &c.stage,
            STAGES
                .iter()
                .map(|s| (s.to_string(), stage_label(req, s)))
                .collect(),
        ),
    ];
    if let Some(owner) = owner {
        let mut options = vec![
            ("me".to_string(), req.t("customer.owner.me")),
            ("pool".to_string(), req.t("customer.pool")),
        ];
        let me = req.actor()?.user_id;
        options.extend(
            state
                .store
                .active_staff(req.actor()?)
                .await?
                .into_iter()
                .filter(|(id, _)| *id != me)
                .map(|(id, n)| (id.to_string(), n)),
        );
        fields.push(Field::select(req, "owner", owner, options));
    }
    for (name, kind, value) in [
        ("type_id", DictKind::CustomerType, c.type_id),
        ("status_id", DictKind::CustomerStatus, c.status_id),
        ("source_id", DictKind::CustomerSource, c.source_id),
        ("industry_id", DictKind::Industry, c.industry_id),
        ("country_id", DictKind::Country, c.country_id),
    ] {
        let items = dict_names(state, req, kind).await?;
        fields.push(dict_field(req, name, value, &items));
    }
    fields.extend([
        Field::new(req, "city", "text", &c.city),
        Field::new(req, "address", "text", &c.address),
        Field::new(req, "website", "text", &c.website),
        Field::new(req, "phones", "text", &c.phones),
        Field::new(req, "fax", "text", &c.fax),
        Field::new(req, "email", "text", &c.email),
        Field::new(req, "main_products", "textarea", &c.main_products),
        Field::new(req, "profile", "textarea", &c.profile),
        Field::new(req, "scale", "text", &c.scale),
        Field::select(
            req,
            "rating",
            &c.rating.to_string(),
            (0..=5)
                .map(|n| {
                    (
                        n.to_string(),
                        if n == 0 {
                            req.t("none")
                        } else {
                            "★".repeat(n)
                        },
                    )
                })
                .collect(),
        ),
        Field::new(
            req,
            "next_revisit_at",
            "date",
            day_text(c.next_revisit_at, zone),
        ),
        Field::new(req, "tags", "text", &c.tags),
        Field::new(req, "follow", "checkbox", if c.follow { "1" } else { "0" }),
    ]);
    for f in state.store.custom_fields(req.actor()?).await? {
        fields.push(custom_form_field(req, &f, c));
    }
    Ok(fields)
}

fn customer_input(form: &FormData) -> Result<CustomerInput, AppError> {
    Ok(CustomerInput {
        party_kind: form.get("party_kind"),
        name: form.get("name"),
        short_name: form.get("short_name"),
        keywords: form.get("keywords"),
        type_id: form.id("type_id")?,
        status_id: form.id("status_id")?,
        source_id: form.id("source_id")?,
        industry_id: form.id("industry_id")?,
        country_id: form.id("country_id")?,
        stage: form.get("stage"),
        city: form.get("city"),
        address: form.get("address"),
        website: form.get("website"),
        phones: form.get("phones"),
        fax: form.get("fax"),
        email: form.get("email"),
        main_products: form.get("main_products"),
        profile: form.get("profile"),
        scale: form.get("scale"),
        rating: form.get("rating").parse().unwrap_or(0),
        follow: form.flag("follow"),
        next_revisit_at: None,
        tags: form.get("tags"),
        // Every `cf<id>` of the form; the store checks them against the definitions.
        custom: form
            .0
            .iter()
            .filter_map(|(k, v)| {
                wharf_core::custom_field::parse_key(k).map(|id| (id, v.trim().to_string()))
            })
            .collect(),
    })
}

/// A custom field in the form: a list of its options for a choice, a date picker for a
/// day, a text box otherwise (numbers may be typed with grouping, "1,200").
fn custom_form_field(req: &Req, f: &CustomField, c: &CustomerInput) -> Field {
    let value = c
        .custom
        .iter()
        .find(|(id, _)| *id == f.id)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let kind = match f.kind.as_str() {
        "choice" => "select",
        "date" => "date",
        _ => "text",
    };
    let mut field = Field::new(req, "name", kind, &value);
    field.name = std::borrow::Cow::Owned(f.key());
    field.label = if f.required {
        format!("{} *", f.label)
    } else {
        f.label.clone()
    };
    if f.kind == "choice" {
        field.options = std::iter::once((String::new(), req.t("none")))
            .chain(f.choices.iter().map(|o| (o.clone(), o.clone())))
            .map(|(v, label)| crate::render::Choice {
                selected: v == value,
                value: v,
                label,
            })
            .collect();
    }
    field
}

/// The form's revisit day as the start of that day in the company's zone.
fn with_revisit(
    req: &Req,
    form: &FormData,
    mut input: CustomerInput,
) -> Result<CustomerInput, AppError> {
    let zone = req.zone()?;
    input.next_revisit_at = crate::form::day_field(
        &form.get("next_revisit_at"),
        "next_revisit_at",
        "invalid_choice",
    )?
    .map(|day| zone.day_start(day));
    Ok(input)
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    req: &Req,
    title: String,
    action: String,
    cancel: String,
    mut fields: Vec<Field>,
    err: Option<AppError>,
    exclude: Option<i64>,
    delete_action: Option<String>,
) -> Response {
    let form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    let mut res = page(
        req,
        "form.html",
        "customers",
        &title,
        context! {
            action => action, cancel => cancel, fields => fields, form_error => form_error,
            dup_check => true, dup_exclude => exclude.map(|e| e.to_string()).unwrap_or_default(),
            delete_action => delete_action,
        },
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
}

pub async fn new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let input = CustomerInput {
        party_kind: "customer".into(),
        stage: STAGES[0].into(),
        ..Default::default()
    };
    let fields = customer_fields(&state, &req, &input, Some("me")).await?;
    Ok(form_page(
        &req,
        req.t("customer.new"),
        "/customers".into(),
        "/customers".into(),
        fields,
        None,
        None,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let owner = form.get("owner");
    let owners: Vec<i64> = match owner.as_str() {
        "" | "me" => vec![actor.user_id],
        "pool" => Vec::new(),
        other => vec![other.parse().map_err(|_| AppError::BadRequest)?],
    };
    let input = with_revisit(&req, &form, customer_input(&form)?);
    let result = match input {
        Ok(input) => state
            .store
            .create_customer(req.ctx()?, input, &owners)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => {
            let input = customer_input(&form)?;
            let fields = customer_fields(&state, &req, &input, Some(&owner)).await?;
            Ok(form_page(
                &req,
                req.t("customer.new"),
                "/customers".into(),
                "/customers".into(),
                fields,
                Some(e),
                None,
                None,
            ))
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = state.store.get_customer(req.actor()?, id).await?;
    if !d.may_edit {
        return Err(wharf_core::DomainError::Denied.into());
    }
    let c = &d.customer;
    let input = c.to_input();
    let fields = customer_fields(&state, &req, &input, None).await?;
    Ok(form_page(
        &req,
        c.name.clone(),
        format!("/customers/{id}"),
        format!("/customers/{id}"),
        fields,
        None,
        Some(id),
        Some(format!("/customers/{id}/delete")),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match with_revisit(&req, &form, customer_input(&form)?) {
        Ok(input) => state
            .store
            .update_customer(req.ctx()?, id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => {
            let input = customer_input(&form)?;
            let fields = customer_fields(&state, &req, &input, None).await?;
            Ok(form_page(
                &req,
                input.name.clone(),
                format!("/customers/{id}"),
                format!("/customers/{id}"),
                fields,
                Some(e),
                Some(id),
                Some(format!("/customers/{id}/delete")),
            ))
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_customer(req.ctx()?, id).await?;
    Ok(Redirect::to("/customers").into_response())
}

// ---- duplicates while typing ---------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct DuplicateParams {
    #[serde(default)]
    name: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    phones: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    exclude: String,
}

/// `[{id, name, owners, visible, matched, text}]`: matches across all owners; `text` is
/// the sentence the form shows.
pub async fn duplicates(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<DuplicateParams>,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let hits = state
        .store
        .find_duplicates(
            req.actor()?,
            &DuplicateProbe {
                name: p.name,
                keywords: p.keywords,
                phones: p.phones,
                emails: p.email,
                website: p.website,
                exclude: p.exclude.parse().ok(),
            },
        )
        .await?;
    let out: Vec<serde_json::Value> = hits
        .into_iter()
        .map(|h| {
            let owners = if h.shared {
                req.t("customer.pool")
            } else {
                h.owners.clone()
            };
            let line = if h.visible {
                "customer.duplicate.line"
            } else {
                "customer.duplicate.hidden"
            };
            let text = req
                .t(line)
                .replace("{name}", &h.name)
                .replace("{owners}", &owners)
                .replace("{field}", &req.t(&format!("customer.match.{}", h.matched)));
            serde_json::json!({
                "id": h.id, "name": h.name, "owners": owners, "visible": h.visible,
                "matched": h.matched, "text": text,
                "href": h.id.map(|id| format!("/customers/{id}")),
            })
        })
        .collect();
    Ok(axum::Json(serde_json::Value::Array(out)))
}

// ---- one customer --------------------------------------------------------------------

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let d = state.store.get_customer(actor, id).await?;
    let zone = req.zone()?;
    let c = &d.customer;
    let name_of = |items: &[(i64, String)], id: Option<i64>| {
        id.and_then(|id| items.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()))
            .unwrap_or_default()
    };
    let mut profile: Vec<(String, String)> = vec![
        (
            req.t("field.party_kind"),
            req.t(&format!("customer.kind.{}", c.party_kind)),
        ),
        (req.t("field.stage"), stage_label(&req, &c.stage)),
    ];
    let dicts = item_names(&state, &req).await?;
    for ((field, items), value) in dicts.iter().zip([
        c.type_id,
        c.status_id,
        c.source_id,
        c.industry_id,
        c.country_id,
    ]) {
        profile.push((req.t(&format!("field.{field}")), name_of(items, value)));
    }
    for (label, value) in [
        ("field.short_name", &c.short_name),
        ("field.keywords", &c.keywords),
        ("field.city", &c.city),
        ("field.address", &c.address),
        ("field.website", &c.website),
        ("field.phones", &c.phones),
        ("field.fax", &c.fax),
        ("field.email", &c.email),
        ("field.main_products", &c.main_products),
        ("field.scale", &c.scale),
        ("field.tags", &c.tags),
        ("field.profile", &c.profile),
    ] {
        profile.push((req.t(label), value.clone()));
    }
    profile.push((
        req.t("field.rating"),
        "★".repeat(c.rating.clamp(0, 5) as usize),
    ));
    profile.push((
        req.t("field.next_revisit_at"),
        day_text(c.next_revisit_at, zone),
    ));
    let defs = state.store.custom_fields(actor).await?;
    for f in &defs {
        let value = c.custom.iter().find(|(id, _)| *id == f.id);
        profile.push((
            f.label.clone(),
            value.map(|(_, v)| v.clone()).unwrap_or_default(),
        ));
    }
    let profile: Vec<Value> = profile
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, value)| context! { label => label, value => value })
        .collect();
    let contacts: Vec<Value> = d.contacts.iter().map(|k| contact_view(&req, k)).collect();
    // History values as the user reads them: names, not codes or ids.
    let readable = |field: &str, value: &str| -> String {
        if value.is_empty() {
            return String::new();
        }
        match field {
            "stage" => stage_label(&req, value),
            "party_kind" => req.t(&format!("customer.kind.{value}")),
            "follow" => req.t(if value == "1" {
                "common.yes"
            } else {
                "common.no"
            }),
            "rating" => "★".repeat(value.parse::<usize>().unwrap_or(0).min(5)),
            "next_revisit_at" => day_text(value.parse().ok(), zone),
            _ => match dicts.iter().find(|(f, _)| *f == field) {
                Some((_, items)) => name_of(items, value.parse().ok()),
                None => value.to_string(),
            },
        }
    };
    let history: Vec<Value> = state
        .store
        .customer_history(actor, id)
        .await?
        .into_iter()
        .map(|h| {
            let (old, new) = (readable(&h.field, &h.old_value), readable(&h.field, &h.new_value));
            let field = if wharf_core::custom_field::parse_key(&h.field).is_some() {
                // A custom field deleted since keeps its key in the history.
                Some(customer_columns::label(&req, &h.field, &defs))
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| h.field.clone())
            } else {
                req.t(&format!("field.{}", h.field))
            };
            context! { when => when(h.at, zone), user => h.user, field => field, old => old, new => new }
        })
        .collect();
    let owner_log: Vec<Value> = state
        .store
        .customer_owner_log(actor, id)
        .await?
        .into_iter()
        .map(|o| {
            let text = req
                .t(&format!("customer.owner_log.{}", o.action))
                .replace("{before}", &o.before)
                .replace("{after}", &o.after);
            context! { when => when(o.at, zone), user => o.user, text => text }
        })
        .collect();
    let documents: Vec<Value> = state
        .store
        .documents(actor, id)
        .await?
        .into_iter()
        .map(|d| {
            context! {
                id => d.id, name => d.filename, size => format!("{} KB", (d.size + 1023) / 1024),
                by => d.uploaded_by, when => when(d.created_at, zone),
            }
        })
        .collect();
    let owners = if c.sharing == "shared" {
        req.t("customer.pool")
    } else {
        c.owners
            .iter()
            .map(|o| o.1.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The mail with its contacts (both directions, the accounts the user may read) and
    // the files exchanged (LINK-4).
    let mails = state.store.customer_mail(actor, id, 200).await?;
    // One row per conversation: its latest mail, with how many there are.
    let mut in_thread: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for m in &mails {
        *in_thread.entry(m.thread_id.unwrap_or(-m.id)).or_default() += 1;
    }
    let mut shown_threads = std::collections::HashSet::new();
    let mail_rows: Vec<Value> = mails
        .iter()
        .filter(|m| shown_threads.insert(m.thread_id.unwrap_or(-m.id)))
        .map(|m| {
            let count = in_thread.get(&m.thread_id.unwrap_or(-m.id)).copied().unwrap_or(1);
            let view = if m.folder_role.is_empty() { "inbox" } else { m.folder_role.as_str() };
            context! {
                id => m.id, href => format!("/mail?view={view}&m={}", m.id), when => when(m.received_at, zone),
                out => m.direction == "out", who => crate::pages::mailbox::who(m), subject => m.subject.clone(),
                attach => m.has_attachments, unread => !m.seen, count => (count > 1).then_some(count),
            }
        })
        .collect();
    let files: Vec<Value> = state
        .store
        .customer_files(actor, id, 200)
        .await?
        .into_iter()
        .map(|f| {
            context! {
                name => f.filename, size => format!("{} KB", (f.size + 1023) / 1024), when => when(f.received_at, zone),
                out => f.direction == "out", subject => f.subject,
                href => format!("/mail/m/{}/attachments/{}", f.message_id, f.id),
                mail_href => format!("/mail?view=inbox&m={}", f.message_id),
            }
        })
        .collect();
    // One timeline of everything that happened with the customer, newest first.
    let mut timeline: Vec<(i64, &'static str, String)> = mails
        .iter()
        .map(|m| {
            let arrow = if m.direction == "out" { "→" } else { "←" };
            (m.received_at, "mail", format!("{arrow} {}", m.subject))
        })
        .collect();
    for d in state.store.documents(actor, id).await? {
        timeline.push((d.created_at, "document", d.filename));
    }
    for o in state.store.customer_owner_log(actor, id).await? {
        let text = req
            .t(&format!("customer.owner_log.{}", o.action))
            .replace("{before}", &o.before)
            .replace("{after}", &o.after);
        timeline.push((o.at, "owner", format!("{}: {text}", o.user)));
    }
    timeline.sort_by_key(|e| std::cmp::Reverse(e.0));
    timeline.truncate(100);
    let timeline: Vec<Value> = timeline
        .into_iter()
        .map(|(at, kind, text)| context! { when => when(at, zone), kind => kind, label => req.t(&format!("customer.timeline.{kind}")), text => text })
        .collect();
    let staff: Vec<Value> = if d.may_edit {
        state
            .store
            .active_staff(actor)
            .await?
            .into_iter()
            .map(|(id, name)| context! { id => id, name => name, on => c.owners.iter().any(|o| o.0 == id) })
            .collect()
    } else {
        Vec::new()
    };
    Ok(page(
        &req,
        "customer.html",
        "customers",
        &c.name,
        context! {
            id => id, name => c.name.clone(), follow => c.follow,
            sharing => req.t(&format!("customer.sharing.{}", c.sharing)), owners => owners,
            in_pool => c.sharing == "shared", may_edit => d.may_edit,
            is_owner => c.owners.iter().any(|o| o.0 == actor.user_id),
            profile => profile, contacts => contacts, history => history, owner_log => owner_log, staff => staff,
            documents => documents, mails => mail_rows, mail_total => mails.len(), files => files, timeline => timeline,
            groups => state.store.groups_of(actor, id).await?,
            all_groups => state.store.customer_groups(actor).await?.into_iter().map(|g| g.name).collect::<Vec<_>>(),
        },
    ))
}

fn contact_view(req: &Req, k: &Contact) -> Value {
    let ims: Vec<String> = [
        ("WhatsApp", &k.whatsapp),
        ("WeChat", &k.wechat),
        ("Skype", &k.skype),
        ("QQ", &k.qq),
        ("LinkedIn", &k.linkedin),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(l, v)| format!("{l}: {v}"))
    .collect();
    context! {
        id => k.id, name => k.name.clone(), title => k.title.clone(), emails => k.emails.clone(), phones => k.phones.clone(),
        ims => ims.join(" · "), primary => k.is_primary, notes => k.notes.clone(), birthday => k.birthday.clone(),
        gender => if k.gender.is_empty() { String::new() } else { req.t(&format!("contact.gender.{}", k.gender)) },
    }
}

pub async fn claim(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.claim_customer(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn release(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let back = format!("/customers/{id}");
    if let Some(ask) = super::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/customers/{id}/release"),
        "customer.release_confirm",
        &back,
    ) {
        return Ok(ask);
    }
    state.store.release_customer(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn transfer(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to: Vec<i64> = form
        .all("owners")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    state.store.transfer_customer(req.ctx()?, id, &to).await?;
    // The new owners may be out of the user's sight now.
    match state.store.get_customer(req.actor()?, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(_) => Ok(Redirect::to("/customers").into_response()),
    }
}

// ---- saved queries -------------------------------------------------------------------

pub async fn save_query(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let query = form.get("query");
    let target = format!("/customers?{query}");
    crate::redirect::same_site_path(&target)?;
    state
        .store
        .save_query(req.actor()?, &form.get("query_name"), &query)
        .await?;
    crate::redirect::to(&target)
}

pub async fn delete_query(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_saved_query(req.actor()?, id).await?;
    Ok(Redirect::to("/customers").into_response())
}

// ---- groups --------------------------------------------------------------------------

pub async fn group_add(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .add_to_group(req.ctx()?, id, &form.get("group_name"))
        .await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

pub async fn group_remove(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let group = form
        .get("group_id")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    state.store.remove_from_group(req.ctx()?, id, group).await?;
    Ok(Redirect::to(&format!("/customers/{id}")).into_response())
}

// ---- documents -----------------------------------------------------------------------

/// Uploads files to keep with a customer (multipart; the CSRF token rides in the URL).
pub async fn document_upload(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    mut mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let mut added = 0;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() != Some("files") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        if name.is_empty() && bytes.is_empty() {
            continue;
        }
        // Checked before the bytes are written: a refused file leaves no blob.
        state
            .store
            .may_add_document(req.actor()?, id, &name)
            .await?;
        let (hash, size, inline) = state
            .mail
            .put_blob(bytes.to_vec())
            .await
            .map_err(|e| AppError::Internal(format!("document blob: {e}")))?;
        state
            .store
            .add_document(
                req.ctx()?,
                id,
                &name,
                &content_type,
                &hash,
                size,
                inline.as_deref(),
            )
            .await?;
        added += 1;
    }
    let none = || AppError::Domain(wharf_core::DomainError::field("file", "required"));
    (added > 0).then_some(()).ok_or_else(none)?;
    Ok(Redirect::to(&format!("/customers/{id}#documents")).into_response())
}

/// Downloads a document (as an attachment, never shown inline).
pub async fn document_download(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = state.store.document(req.actor()?, id).await?;
    let bytes = state
        .mail
        .read_blob(&d.blob_hash)
        .await
        .map_err(|e| AppError::Internal(format!("document {id}: {e}")))?;
    Ok(crate::pages::mail_downloads::attachment_response(
        bytes,
        &d.content_type,
        &d.filename,
    ))
}

pub async fn document_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = super::confirm::unless_confirmed(
        &req,
        &form,
        &format!("/documents/{id}/delete"),
        "action.confirm_delete",
        "/customers",
    ) {
        return Ok(ask);
    }
    let customer = state.store.delete_document(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{customer}#documents")).into_response())
}

// ---- contacts ------------------------------------------------------------------------

fn contact_fields(req: &Req, k: &ContactInput) -> Vec<Field> {
    vec![
        Field::new(req, "name", "text", &k.name),
        Field::select(
            req,
            "gender",
            &k.gender,
            vec![
                (String::new(), req.t("none")),
                ("female".into(), req.t("contact.gender.female")),
                ("male".into(), req.t("contact.gender.male")),
            ],
        ),
        Field::new(req, "title", "text", &k.title),
        Field::new(req, "emails", "text", &k.emails),
        Field::new(req, "phones", "text", &k.phones),
        Field::new(req, "whatsapp", "text", &k.whatsapp),
        Field::new(req, "wechat", "text", &k.wechat),
        Field::new(req, "skype", "text", &k.skype),
        Field::new(req, "qq", "text", &k.qq),
        Field::new(req, "linkedin", "text", &k.linkedin),
        Field::new(req, "birthday", "date", &k.birthday),
        Field::new(req, "notes", "textarea", &k.notes),
        Field::new(
            req,
            "is_primary",
            "checkbox",
            if k.is_primary { "1" } else { "0" },
        ),
    ]
}

fn contact_input(form: &FormData) -> ContactInput {
    ContactInput {
        name: form.get("name"),
        gender: form.get("gender"),
        title: form.get("title"),
        emails: form.get("emails"),
        phones: form.get("phones"),
        whatsapp: form.get("whatsapp"),
        wechat: form.get("wechat"),
        skype: form.get("skype"),
        qq: form.get("qq"),
        linkedin: form.get("linkedin"),
        birthday: form.get("birthday"),
        notes: form.get("notes"),
        is_primary: form.flag("is_primary"),
    }
}

fn contact_page(
    req: &Req,
    action: String,
    cancel: String,
    mut fields: Vec<Field>,
    err: Option<AppError>,
    delete_action: Option<String>,
) -> Response {
    let form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    let mut res = page(
        req,
        "form.html",
        "customers",
        &req.t("contact.title"),
        context! { action => action, cancel => cancel, fields => fields, form_error => form_error, delete_action => delete_action },
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
}

pub async fn contact_new(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.get_customer(req.actor()?, id).await?;
    Ok(contact_page(
        &req,
        format!("/customers/{id}/contacts"),
        format!("/customers/{id}"),
        contact_fields(&req, &ContactInput::default()),
        None,
        None,
    ))
}

pub async fn contact_create(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = contact_input(&form);
    match state.store.add_contact(req.ctx()?, id, input.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{id}")).into_response()),
        Err(e) => Ok(contact_page(
            &req,
            format!("/customers/{id}/contacts"),
            format!("/customers/{id}"),
            contact_fields(&req, &input),
            Some(e.into()),
            None,
        )),
    }
}

pub async fn contact_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let k = state.store.get_contact(req.actor()?, id).await?;
    let input = ContactInput {
        name: k.name,
        gender: k.gender,
        title: k.title,
        emails: k.emails,
        phones: k.phones,
        whatsapp: k.whatsapp,
        wechat: k.wechat,
        skype: k.skype,
        qq: k.qq,
        linkedin: k.linkedin,
        birthday: k.birthday,
        notes: k.notes,
        is_primary: k.is_primary,
    };
    Ok(contact_page(
        &req,
        format!("/contacts/{id}"),
        format!("/customers/{}", k.customer_id),
        contact_fields(&req, &input),
        None,
        Some(format!("/contacts/{id}/delete")),
    ))
}

pub async fn contact_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = contact_input(&form);
    let customer = state.store.get_contact(req.actor()?, id).await?.customer_id;
    match state
        .store
        .update_contact(req.ctx()?, id, input.clone())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/customers/{customer}")).into_response()),
        Err(e) => Ok(contact_page(
            &req,
            format!("/contacts/{id}"),
            format!("/customers/{customer}"),
            contact_fields(&req, &input),
            Some(e.into()),
            Some(format!("/contacts/{id}/delete")),
        )),
    }
}

pub async fn contact_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let customer = state.store.delete_contact(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/customers/{customer}")).into_response())
}
