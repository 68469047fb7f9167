//! Bulk actions on the ticked customers: stage, flag, follow, give, release, group, tag,
//! export, delete.

use axum::extract::State;
use axum::response::Response;
use wharf_store::customers::{CustomerQuery, Quick};

use super::export::export_response;
use super::list_query::{ListParams, query_of};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{MessagePage, page};

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
        && let Some(ask) = crate::confirm::unless_confirmed(
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
                "shared/message.html",
                "customers",
                &req.t("nav.customers"),
                MessagePage {
                    message: &req.t("customer.bulk.none_ticked"),
                    back: Some("/customers"),
                },
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
            "flag" => {
                state
                    .store
                    .set_stage_flag(ctx, *id, &form.get("flag"), "")
                    .await
            }
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
        "shared/message.html",
        "customers",
        &req.t("nav.customers"),
        MessagePage {
            message: &text,
            back: Some("/customers"),
        },
    ))
}

/// The tags with one more, unless it is there already (compared without case).
fn with_tag(tags: &str, tag: &str) -> String {
    let has =
        wharf_core::customers::split_list(tags).any(|t| t.to_lowercase() == tag.to_lowercase());
    match (has, tags.trim().is_empty()) {
        (true, _) => tags.to_string(),
        (false, true) => tag.to_string(),
        (false, false) => format!("{}, {tag}", tags.trim()),
    }
}
