//! The sales kit's pages and API (PIPE-3): sales scripts (one's own and the company's
//! reference ones) and competitors — lists with search, forms, delete — and
//! `/api/v1/scripts`, `/api/v1/competitors`. The tracking screen shows both at hand.

mod api;
mod competitors;
mod routes;
mod scripts;

pub use routes::routes;

use crate::ctx::Req;
use crate::render::Tab;

/// The two tabs over the kit's lists.
fn tabs(req: &Req, on: &str) -> Vec<Tab> {
    ["scripts", "competitors"]
        .iter()
        .map(|k| Tab {
            href: format!("/sales/{k}"),
            label: req.t(&format!("kit.{k}")),
            on: *k == on,
        })
        .collect()
}
