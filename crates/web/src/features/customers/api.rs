//! The JSON API of customers (SPEC API-1): list, create, read, update, delete, claim,
//! release, transfer, duplicates, a customer's mail.

use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::customers::{CUSTOMER_FIELDS, CustomerInput};
use wharf_core::fields::{FieldValue, Record, Storage};
use wharf_store::customers::{CustomerQuery, DuplicateProbe, Quick};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// A customer as the API takes it: the registry's fields by key (JSON strings, integers,
/// `null` for no reference or day, booleans), the owners and the custom fields. A key
/// that names no field is refused, as is a value of another type.
#[derive(Deserialize, Default)]
pub struct CustomerBody {
    /// On create only: the owners (none: the shared pool). Missing: the caller.
    #[serde(default)]
    owner_ids: Option<Vec<i64>>,
    /// Admin-defined fields by key (`cf3`) or label. On update only the named ones
    /// change ("" clears one).
    #[serde(default)]
    custom_fields: Option<std::collections::BTreeMap<String, String>>,
    #[serde(flatten)]
    fields: serde_json::Map<String, Value>,
}

type BodyParts = (
    CustomerInput,
    Option<Vec<i64>>,
    Option<std::collections::BTreeMap<String, String>>,
);

impl CustomerBody {
    fn into_input(self) -> Result<BodyParts, AppError> {
        let mut input = CustomerInput::default();
        let mut named = Vec::new();
        for (key, value) in self.fields {
            let def = CUSTOMER_FIELDS.get(&key).ok_or(AppError::BadRequest)?;
            named.push(def.key);
            let value = match (def.kind.storage(), value) {
                (Storage::Text, Value::String(s)) => FieldValue::Text(s),
                (Storage::Int, Value::Number(n)) => {
                    FieldValue::Int(n.as_i64().ok_or(AppError::BadRequest)?)
                }
                (Storage::OptInt, Value::Null) => FieldValue::OptInt(None),
                (Storage::OptInt, Value::Number(n)) => {
                    FieldValue::OptInt(Some(n.as_i64().ok_or(AppError::BadRequest)?))
                }
                (Storage::Flag, Value::Bool(b)) => FieldValue::Flag(b),
                _ => return Err(AppError::BadRequest),
            };
            input.set(def.key, value);
        }
        // A required field must be named (the name; empty, the store says so); the
        // others default to empty.
        if CUSTOMER_FIELDS
            .fields
            .iter()
            .any(|f| f.required && !named.contains(&f.key))
        {
            return Err(AppError::BadRequest);
        }
        Ok((input, self.owner_ids, self.custom_fields))
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// all, mine, collaborative, pool, followed
    #[serde(default)]
    quick: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    stage: String,
    /// Next revisit in [revisit_from, revisit_to), Unix seconds.
    #[serde(default)]
    revisit_from: Option<i64>,
    #[serde(default)]
    revisit_to: Option<i64>,
    /// Members of this group.
    #[serde(default)]
    group: Option<i64>,
    /// Owned by this person / someone of this department (within the caller's scope).
    #[serde(default)]
    owner: Option<i64>,
    #[serde(default)]
    department: Option<i64>,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: bool,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
    /// The sales path's filters: the stage's flag, reserve like the team's winners.
    #[serde(default)]
    flag: String,
    #[serde(default)]
    like: String,
}

/// Also takes the query builder's conditions as `c0_f`, `c0_o`, `c0_v`, `c0_j` (`or`) …
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, AppError> {
    let quick = Quick::from_code(&p.quick).ok_or(AppError::BadRequest)?;
    let (conditions, _, error) = crate::features::customers::list_query::conditions_of(
        raw.as_deref(),
        &state.store.custom_fields(req.actor()?).await?,
    );
    if let Some(e) = error {
        return Err(e);
    }
    let zone = req.zone()?;
    let path = crate::features::pipeline::links::path_filter(&p.flag, &p.like)
        .ok_or(AppError::BadRequest)?;
    let page = state
        .store
        .list_customers(
            req.actor()?,
            &CustomerQuery {
                quick,
                stage: (!p.stage.is_empty()).then_some(p.stage),
                text: (!p.q.is_empty()).then_some(p.q),
                revisit: p.revisit_from.zip(p.revisit_to),
                group: p.group,
                owner: p.owner,
                department: p.department,
                ids: Vec::new(),
                sort: p.sort,
                descending: p.desc,
                page: p.page.unwrap_or(1),
                per_page: p.per_page.unwrap_or(50),
                conditions,
                time_zone: zone.clone(),
                path,
            },
        )
        .await?;
    Ok(Json(json!({
        "items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page,
    })))
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<CustomerBody>,
) -> Result<Response, AppError> {
    let (mut input, owners, custom) = body(b)?.into_input()?;
    input.custom = custom_values(&state, &req, custom.unwrap_or_default()).await?;
    let owners = owners.unwrap_or_else(|| req.actor().map(|a| vec![a.user_id]).unwrap_or_default());
    let id = state
        .store
        .create_customer(req.ctx()?, input, &owners)
        .await?;
    Ok(created(id))
}

/// Custom values named by key (`cf3`) or label (any case) as (field id, value).
async fn custom_values(
    state: &AppState,
    req: &Req,
    map: std::collections::BTreeMap<String, String>,
) -> Result<Vec<(i64, String)>, AppError> {
    let defs = state.store.custom_fields(req.actor()?).await?;
    let mut out = Vec::new();
    for (name, value) in map {
        let by_key = wharf_core::custom_field::parse_key(&name);
        let f = defs
            .iter()
            .find(|f| Some(f.id) == by_key || f.label.to_lowercase() == name.to_lowercase())
            .ok_or_else(|| {
                AppError::Domain(wharf_core::DomainError::field(
                    "custom_fields",
                    "unknown_field",
                ))
            })?;
        out.push((f.id, value));
    }
    Ok(out)
}

pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let actor = req.actor()?;
    let d = state.store.get_customer(actor, id).await?;
    let history = state.store.customer_history(actor, id).await?;
    let owner_log = state.store.customer_owner_log(actor, id).await?;
    Ok(Json(json!({
        "customer": d.customer, "contacts": d.contacts, "may_edit": d.may_edit,
        "history": history, "owner_log": owner_log,
    })))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<CustomerBody>,
) -> Result<Response, AppError> {
    let (mut input, owners, custom) = body(b)?.into_input()?;
    // The fields named are set ("" clears one); the others keep their values.
    let mut values = state
        .store
        .get_customer(req.actor()?, id)
        .await?
        .customer
        .fields
        .custom;
    for (field, value) in custom_values(&state, &req, custom.unwrap_or_default()).await? {
        values.retain(|(f, _)| *f != field);
        values.push((field, value));
    }
    input.custom = values;
    if owners.is_some() {
        // Owners change through /transfer, /release and /claim, which are logged.
        return Err(AppError::Domain(wharf_core::DomainError::field(
            "owner_ids",
            "unknown_field",
        )));
    }
    state.store.update_customer(req.ctx()?, id, input).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_customer(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn claim(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.claim_customer(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn release(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.release_customer(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    owner_ids: Vec<i64>,
}

pub async fn transfer(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<TransferBody>,
) -> Result<Response, AppError> {
    let to = body(b)?.owner_ids;
    state.store.transfer_customer(req.ctx()?, id, &to).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Default)]
pub struct DuplicateQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    phones: String,
    #[serde(default)]
    emails: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    exclude: Option<i64>,
}

pub async fn duplicates(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<DuplicateQuery>,
) -> Result<Json<Value>, AppError> {
    let hits = state
        .store
        .find_duplicates(
            req.actor()?,
            &DuplicateProbe {
                name: p.name,
                keywords: p.keywords,
                phones: p.phones,
                emails: p.emails,
                website: p.website,
                exclude: p.exclude,
            },
        )
        .await?;
    Ok(Json(json!({ "items": hits })))
}

/// A customer's mail (both directions, the caller's readable accounts) and the files
/// exchanged, newest first (LINK-4).
pub async fn customer_mail(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let actor = req.actor()?;
    let mail = state.store.customer_mail(actor, id, 200).await?;
    let files = state.store.customer_files(actor, id, 200).await?;
    Ok(Json(json!({ "mail": mail, "files": files })))
}
