//! How customer values read on pages: stage names, dictionary item names, days.

use wharf_core::dict::DictKind;
use wharf_core::zone::Zone;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::pick;

pub(super) fn stage_label(req: &Req, stage: &str) -> String {
    req.t(&format!("customer.stage.{stage}"))
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

/// The base-data fields of a customer with their items' names, read once per page.
pub(super) async fn item_names(
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

pub(super) fn day_text(t: Option<i64>, zone: &Zone) -> String {
    t.map(|t| zone.day_of(t).iso()).unwrap_or_default()
}
