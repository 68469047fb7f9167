//! Possible duplicates of a customer being typed (name, website, mail, phone).

use axum::extract::{Query, State};
use serde::Deserialize;
use wharf_store::customers::DuplicateProbe;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

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
                crate::i18n::people(req.locale, &h.owners)
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
