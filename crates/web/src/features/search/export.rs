//! Exporting a search's mail (SPEC ACC-7): the messages the search finds — the same
//! query, filters and scope as the page, so the same policy — as one mbox file or a zip
//! of `.eml` files, original bytes unaltered, audited with the query. Bounded: above
//! `mail::export::MAX_MESSAGES` the user is asked to narrow the search.

use axum::extract::{Query, State};
use axum::response::Response;
use wharf_core::DomainError;
use wharf_search::MAX_LIMIT;

use super::handlers::{Params, run};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::export::{MAX_MESSAGES, file};
use crate::i18n::t_with;
use crate::render::message;

/// `GET /search/export?<the search's parameters>&format=mbox|zip`.
pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    if p.is_blank() {
        return Err(AppError::Domain(DomainError::refused(
            "export_empty_search",
            0,
        )));
    }
    let mut ids: Vec<i64> = Vec::new();
    let total = loop {
        let page = match run(&state, &req, &p.mail_only_from(ids.len()), MAX_LIMIT).await? {
            Ok(r) => r,
            Err(problem) => {
                let text = t_with(
                    req.locale,
                    &format!("error.{}", problem.code()),
                    &[("value", problem.value())],
                );
                return Ok(message(&req, &req.t("search.export"), &text));
            }
        };
        let total = page.mail.total;
        if total > MAX_MESSAGES {
            return Err(AppError::Domain(DomainError::refused(
                "export_too_large",
                i64::try_from(MAX_MESSAGES).unwrap_or(i64::MAX),
            )));
        }
        let got = page.mail.items.len();
        ids.extend(page.mail.items.iter().map(|m| m.hit.id));
        if got == 0 || ids.len() >= total {
            break total;
        }
    };
    ids.truncate(total.min(MAX_MESSAGES));
    let zip = p.format == "zip";
    state
        .store
        .record_mail_export(
            req.ctx()?,
            None,
            &p.href(0, 0),
            ids.len(),
            if zip { "zip" } else { "mbox" },
        )
        .await?;
    Ok(file(
        state.clone(),
        req.actor()?.clone(),
        ids,
        zip,
        "search-mail",
    ))
}
