//! The sales path's part of the customer list: with a stage chosen, its flags as tabs
//! and, for a reserve stage, the reserve filters (like the team's winners); the flag of
//! each row; the flags the bulk action offers.

use std::collections::HashMap;

use wharf_core::pipeline::{Flag, StageRole};
use wharf_store::pipeline::LikeWinners;

use super::stage_bar::flag_label;
use super::views::{ListPath, PathLink};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The tabs above the list. `link(key, value)` is the list's own address with one
/// parameter replaced (empty: removed).
pub async fn list_path(
    state: &AppState,
    req: &Req,
    (stage, flag, like): (&str, &str, &str),
    link: impl Fn(&str, &str) -> String,
) -> Result<ListPath, AppError> {
    let role = state
        .store
        .pipelines(req.actor()?)
        .await?
        .iter()
        .flat_map(|p| p.stages.iter())
        .find(|s| s.key == stage)
        .and_then(|s| StageRole::from_code(&s.role));
    let Some(role) = role else {
        return Ok(ListPath::default());
    };
    let mut flags = vec![PathLink {
        code: String::new(),
        label: req.t("pipeline.list.all_flags"),
        href: link("flag", ""),
        on: flag.is_empty(),
    }];
    flags.extend(role.flags().into_iter().map(|f| PathLink {
        code: f.code().to_string(),
        label: flag_label(req, f.code()),
        href: link("flag", f.code()),
        on: flag == f.code(),
    }));
    let likes = if role == StageRole::Reserve {
        LikeWinners::ALL
            .into_iter()
            .map(|l| PathLink {
                code: l.code().to_string(),
                label: req.t(&format!("pipeline.list.like.{}", l.code())),
                href: link("like", if like == l.code() { "" } else { l.code() }),
                on: like == l.code(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ListPath {
        flags,
        likes,
        flag: flag.to_string(),
        like: like.to_string(),
    })
}

/// The flag of each listed customer, as the user reads it.
pub async fn row_flags(
    state: &AppState,
    req: &Req,
    ids: &[i64],
) -> Result<HashMap<i64, String>, AppError> {
    Ok(state
        .store
        .stage_flags(req.actor()?, ids)
        .await?
        .into_iter()
        .map(|(id, code)| (id, flag_label(req, &code)))
        .collect())
}

/// Every flag, for the bulk action's choice (the store refuses one that does not fit a
/// customer's stage, which the page counts as refused).
pub fn bulk_flags(req: &Req) -> Vec<PathLink> {
    Flag::ALL
        .into_iter()
        .map(|f| PathLink {
            code: f.code().to_string(),
            label: flag_label(req, f.code()),
            href: String::new(),
            on: false,
        })
        .collect()
}
