//! How customer values read on pages: stage names, dictionary item names, days, and any
//! standard field's value by its kind in the registry (a list cell, an export cell, a
//! line of the customer's page, a history value).

use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::dict::DictKind;
use wharf_core::fields::{FieldDef, FieldValue, Kind};
use wharf_core::zone::Zone;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::pick;

/// A stage's name: the pipeline's stored label (an admin may rename it; a stage of a
/// pipeline other than the default reads "pipeline · stage"), else the catalog's, else
/// the key as it is.
pub(super) fn stage_label(req: &Req, stage: &str, items: &ItemNames) -> String {
    let find = |f: &str| {
        items
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, v)| v.as_slice())
    };
    let id = find(STAGE_KEYS)
        .and_then(|keys| keys.iter().find(|(_, k)| k == stage))
        .map(|(id, _)| *id);
    id.and_then(|id| find("stage")?.iter().find(|(i, _)| *i == id))
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| {
            if wharf_core::customers::STAGES.contains(&stage) {
                req.t(&format!("customer.stage.{stage}"))
            } else {
                stage.to_string()
            }
        })
}

/// The entry of [`ItemNames`] holding each stage's key by its id (`stage` holds its
/// label by the same id).
pub(super) const STAGE_KEYS: &str = "stage_key";

/// Every customer pipeline's stages as (id, key, label), in order: the choices of the
/// stage field.
pub(super) fn stage_choices(items: &ItemNames) -> Vec<(String, String)> {
    let find = |f: &str| {
        items
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, v)| v.as_slice())
    };
    let (Some(keys), Some(labels)) = (find(STAGE_KEYS), find("stage")) else {
        return Vec::new();
    };
    keys.iter()
        .filter_map(|(id, key)| {
            let label = labels.iter().find(|(i, _)| i == id)?;
            Some((key.clone(), label.1.clone()))
        })
        .collect()
}

/// A choice's name: a stored label where `items` has one for the field (by the code's
/// place in the registry's codes; the stages have theirs), else the catalog's.
pub(super) fn choice_label(req: &Req, def: &FieldDef, code: &str, items: &ItemNames) -> String {
    let Kind::Choice {
        codes,
        label_prefix,
    } = def.kind
    else {
        return code.to_string();
    };
    codes
        .iter()
        .position(|c| *c == code)
        .and_then(|i| {
            let names = &items.iter().find(|(f, _)| *f == def.key)?.1;
            names
                .iter()
                .find(|(n, _)| *n == i as i64)
                .map(|(_, l)| l.clone())
        })
        .unwrap_or_else(|| req.t(&format!("{label_prefix}{code}")))
}

/// Base-data items of one kind as (id, name) in the user's language.
pub(super) async fn dict_names(
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

/// Items by field: the registry's base-data fields with their items' names, read once
/// per page.
pub(crate) type ItemNames = Vec<(&'static str, Vec<(i64, String)>)>;

pub(crate) async fn item_names(state: &AppState, req: &Req) -> Result<ItemNames, AppError> {
    let mut out = Vec::new();
    for f in CUSTOMER_FIELDS.fields {
        if let Kind::DictRef(code) = f.kind
            && let Some(kind) = DictKind::from_code(code)
        {
            out.push((f.key, dict_names(state, req, kind).await?));
        }
    }
    let (labels, keys) = stored_stage_labels(state, req).await?;
    out.push(("stage", labels));
    out.push((STAGE_KEYS, keys));
    Ok(out)
}

/// The stages of every customer pipeline: (id, label) and (id, key), in order.
async fn stored_stage_labels(
    state: &AppState,
    req: &Req,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), AppError> {
    let mut labels = Vec::new();
    let mut keys = Vec::new();
    for p in state.store.pipelines(req.actor()?).await? {
        let pipeline = pick(req.locale, &p.name_zh, &p.name_en);
        for s in p.stages {
            let label = s.label(req.locale.code()).to_string();
            labels.push((
                s.id,
                if p.is_default {
                    label
                } else {
                    format!("{pipeline} · {label}")
                },
            ));
            keys.push((s.id, s.key));
        }
    }
    Ok((labels, keys))
}

pub(super) fn day_text(t: Option<i64>, zone: &Zone) -> String {
    t.map(|t| zone.day_of(t).iso()).unwrap_or_default()
}

/// Where a value is read; numbers and flags read differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A list cell or a line of the customer's page.
    Page,
    /// A cell of an exported table (ratings as digits).
    Export,
    /// An old or new value in the field history (flags as yes / no).
    History,
}

/// A standard field's value as the user reads it: names, not codes or ids.
pub(crate) fn field_text(
    req: &Req,
    def: &FieldDef,
    value: &FieldValue,
    items: &ItemNames,
    zone: &Zone,
    reading: Reading,
) -> String {
    match (def.kind, value) {
        (Kind::Choice { .. }, FieldValue::Text(code)) if !code.is_empty() => {
            choice_label(req, def, code, items)
        }
        (Kind::Stage, FieldValue::Text(code)) if !code.is_empty() => stage_label(req, code, items),
        (Kind::DictRef(_), FieldValue::OptInt(id)) => id
            .and_then(|id| {
                items
                    .iter()
                    .find(|(f, _)| *f == def.key)
                    .and_then(|(_, names)| names.iter().find(|(i, _)| *i == id))
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_default(),
        (Kind::Date, FieldValue::OptInt(t)) => day_text(*t, zone),
        (Kind::Rating { .. }, FieldValue::Int(n)) if reading == Reading::Export => {
            if *n > 0 {
                n.to_string()
            } else {
                String::new()
            }
        }
        (Kind::Rating { max }, FieldValue::Int(n)) => "★".repeat((*n).clamp(0, max) as usize),
        (Kind::Flag, FieldValue::Flag(on)) if reading == Reading::History => {
            req.t(if *on { "common.yes" } else { "common.no" })
        }
        (Kind::Flag, FieldValue::Flag(on)) => {
            if *on {
                req.t("common.yes")
            } else {
                String::new()
            }
        }
        (_, v) => v.to_text(),
    }
}
