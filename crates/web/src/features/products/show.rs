//! The product page: its fields, price tiers, pictures and documents.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Serialize;
use wharf_core::Permission;

use super::views::{TierLine, row, tier_lines};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::page;

#[derive(Serialize)]
struct FileView {
    id: i64,
    name: String,
    size: String,
}

#[derive(Serialize)]
struct ShowData {
    id: i64,
    name: String,
    other_name: String,
    active: bool,
    facts: Vec<(String, String)>,
    spec: String,
    description: String,
    tiers: Vec<TierLine>,
    pictures: Vec<FileView>,
    documents: Vec<FileView>,
    may_manage: bool,
}

fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let p = state.store.get_product(actor, id).await?;
    let files = state.store.product_files(actor, id).await?;
    let r = row(&req, &p);
    let fact = |key: &str, value: String| (req.t(&format!("products.col.{key}")), value);
    let facts = vec![
        fact("model", p.model.clone()),
        fact("type", r.type_name.clone()),
        fact("unit", p.unit.clone()),
        fact("hs_code", p.hs_code.clone()),
        fact("moq", r.moq.clone()),
        fact(
            "lead_time_days",
            p.lead_time_days
                .map(|d| crate::i18n::t_n(req.locale, "products.days", d))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let view = |f: &wharf_store::products::ProductFile| FileView {
        id: f.id,
        name: f.filename.clone(),
        size: size_text(f.size),
    };
    let data = ShowData {
        id,
        name: r.name.clone(),
        other_name: r.other_name.clone(),
        active: p.active,
        facts,
        spec: p.spec.clone(),
        description: p.description.clone(),
        tiers: tier_lines(&p.tiers),
        pictures: files
            .iter()
            .filter(|f| f.kind == "picture")
            .map(view)
            .collect(),
        documents: files
            .iter()
            .filter(|f| f.kind != "picture")
            .map(view)
            .collect(),
        may_manage: actor.has(Permission::Products),
    };
    Ok(page(&req, "products/show.html", "products", &r.name, data))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn renders() {
        for active in [true, false] {
            let file = |id| FileView {
                id,
                name: "a.png".into(),
                size: "1 KB".into(),
            };
            let html = render_with(
                "products/show.html",
                ShowData {
                    id: 1,
                    name: "球阀".into(),
                    other_name: "Ball valve".into(),
                    active,
                    facts: vec![("Model".into(), "BV-200".into())],
                    spec: "DN50".into(),
                    description: "Stainless".into(),
                    tiers: vec![TierLine {
                        currency: "USD".into(),
                        from: "100".into(),
                        price: "11.00 USD".into(),
                    }],
                    pictures: vec![file(2)],
                    documents: vec![file(3)],
                    may_manage: true,
                },
            );
            assert!(html.contains("11.00 USD") && html.contains("/products/files/3"));
        }
    }
}
