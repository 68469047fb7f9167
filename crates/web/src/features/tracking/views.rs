//! The tracking screen's typed data (`tracking/track.html`).

use serde::Serialize;

use crate::features::customers::views::{ContactCard, DocumentRow, LabelValue};
use crate::features::pipeline::views::StageBar;
use crate::features::records::views::CustomerTrail;

/// A script at hand.
#[derive(Serialize, Debug, Clone)]
pub struct ScriptItem {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub body: String,
    pub reference: bool,
}

/// A product at hand, with its price tiers as text.
#[derive(Serialize, Debug, Clone)]
pub struct ProductItem {
    pub id: i64,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub prices: Vec<String>,
}

/// A competitor at hand (linked to the customer, or one to link).
#[derive(Serialize, Debug, Clone)]
pub struct CompetitorItem {
    pub id: i64,
    pub name: String,
    pub website: String,
    pub strengths: String,
    pub weaknesses: String,
}

/// A contact with its mail (to Wharf's compose) and `tel:` links.
#[derive(Serialize)]
pub struct ContactLinks {
    pub card: ContactCard,
    /// (address, compose href)
    pub mails: Vec<(String, String)>,
    /// (number, `tel:` href)
    pub phones: Vec<(String, String)>,
}

/// `tracking/track.html`.
#[derive(Serialize)]
pub struct TrackPage {
    pub id: i64,
    pub name: String,
    pub owners: String,
    pub in_pool: bool,
    pub may_edit: bool,
    pub profile: Vec<LabelValue>,
    pub contacts: Vec<ContactLinks>,
    pub stage_bar: StageBar,
    pub trail: CustomerTrail,
    /// The record form's error sentence after a refused save.
    pub record_error: Option<String>,
    pub scripts: Vec<ScriptItem>,
    pub sq: String,
    pub products: Vec<ProductItem>,
    pub pq: String,
    pub documents: Vec<DocumentRow>,
    pub competitors: Vec<CompetitorItem>,
    /// Competitors not linked yet, for the link form.
    pub other_competitors: Vec<CompetitorItem>,
    /// The list's own query string (no `id`), carried by every link and form.
    pub list: String,
    /// The same as (name, value) pairs, for the GET forms' hidden fields.
    pub list_fields: Vec<(String, String)>,
    /// The list itself (`/customers?…`).
    pub list_href: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// The order helper's page (`/orders/new?customer=ID`).
    pub order_href: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::features::customers::views::ContactCard;
    use crate::render::tests::render_with;

    pub(crate) fn sample() -> TrackPage {
        TrackPage {
            id: 7,
            name: "宁波泵业".into(),
            owners: "Li".into(),
            in_pool: false,
            may_edit: true,
            profile: vec![LabelValue {
                label: "City".into(),
                value: "Ningbo".into(),
            }],
            contacts: vec![ContactLinks {
                card: ContactCard {
                    id: 1,
                    name: "Wang".into(),
                    title: "Buyer".into(),
                    gender: String::new(),
                    emails: "wang@nb.cn".into(),
                    phones: "+86 574 1234".into(),
                    ims: "WeChat: wang".into(),
                    notes: "n".into(),
                    primary: true,
                },
                mails: vec![("wang@nb.cn".into(), "/mail/compose?to=wang%40nb.cn".into())],
                phones: vec![("+86 574 1234".into(), "tel:+865741234".into())],
            }],
            stage_bar: crate::features::pipeline::views::tests::sample_bar(),
            trail: crate::features::records::views::tests::trail(),
            record_error: Some("bad".into()),
            scripts: vec![ScriptItem {
                id: 1,
                title: "开场白".into(),
                category: "开场".into(),
                body: "您好".into(),
                reference: true,
            }],
            sq: "开场".into(),
            products: vec![ProductItem {
                id: 2,
                name: "Ball valve".into(),
                model: "BV-200".into(),
                unit: "pcs".into(),
                prices: vec!["USD from 1: 12.50".into()],
            }],
            pq: "valve".into(),
            documents: vec![DocumentRow {
                id: 3,
                name: "catalog.pdf".into(),
                size: "1 KB".into(),
                by: "Li".into(),
                when: "w".into(),
            }],
            competitors: vec![CompetitorItem {
                id: 4,
                name: "NB Valve".into(),
                website: "nbvalve.cn".into(),
                strengths: "cheap".into(),
                weaknesses: "slow".into(),
            }],
            other_competitors: vec![CompetitorItem {
                id: 5,
                name: "SH Valve".into(),
                website: String::new(),
                strengths: String::new(),
                weaknesses: String::new(),
            }],
            list: "stage=reserve".into(),
            list_fields: vec![("stage".into(), "reserve".into())],
            list_href: "/customers?stage=reserve".into(),
            prev_href: Some("/track?stage=reserve&id=6".into()),
            next_href: Some("/track?stage=reserve&id=8".into()),
            order_href: "/orders/new?customer=7".into(),
        }
    }

    pub(crate) fn renders() {
        let html = render_with("tracking/track.html", sample());
        for part in [
            r#"id="track-next""#,
            r#"id="track-prev""#,
            "tel:+865741234",
            r#"id="script-1""#,
            r#"id="keys""#,
            r#"id="new-order""#,
        ] {
            assert!(html.contains(part), "{part}");
        }
        let mut last = sample();
        last.next_href = None;
        last.record_error = None;
        let html = render_with("tracking/track.html", last);
        assert!(html.contains(r#"id="track-end""#));
    }
}
