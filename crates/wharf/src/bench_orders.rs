//! The orders and tracking part of `wharf bench sales`: seeds N orders (default 10,000)
//! on the salespeople's won customers, then times over HTTP a salesperson's orders to
//! follow (`/orders`), the team's orders for the admin (`/orders?view=team&progress=all`)
//! and the tracking screen's "Next" through a salesperson's reserve list (each step the
//! screen of the next customer, found by the store's keyset neighbours).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::money::Decimal;
use wharf_core::orders::{OrderHeader, OrderLine, ShippingInput};
use wharf_core::quotes::ProductSnapshot;
use wharf_store::orders::{OrderDraft, OrderRate};

/// A seller's won customers (the bench seeds a fifth of each seller's in every stage).
async fn won_customers(
    store: &wharf_store::Store,
    seller: &wharf_core::Actor,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for page in 1.. {
        let query = wharf_store::customers::CustomerQuery {
            stage: Some("won".into()),
            owner: Some(seller.user_id),
            page,
            per_page: 500,
            sort: "created".into(),
            ..Default::default()
        };
        let found = store.list_customers(seller, &query).await?;
        ids.extend(found.items.iter().map(|c| c.id));
        if found.items.len() < 500 {
            break;
        }
    }
    Ok(ids)
}

/// Seeds `count` orders over the sellers' won customers, in CNY (the base currency).
pub async fn seed(store: &wharf_store::Store, sellers: &[i64], count: usize) -> anyhow::Result<()> {
    let first = store
        .load_actor(sellers[0])
        .await?
        .ok_or_else(|| anyhow::anyhow!("seller missing"))?;
    let today = store
        .company_time_zone(&first)
        .await?
        .today(wharf_store::now());
    let per_seller = count.div_ceil(sellers.len());
    let mut made = 0;
    for seller in sellers {
        let actor = store
            .load_actor(*seller)
            .await?
            .ok_or_else(|| anyhow::anyhow!("seller missing"))?;
        let customers = won_customers(store, &actor).await?;
        anyhow::ensure!(!customers.is_empty(), "no won customers to seed orders on");
        let ctx = wharf_store::Ctx {
            actor: &actor,
            ip: "127.0.0.1",
        };
        for n in 0..per_seller.min(count - made) {
            let draft = OrderDraft {
                header: OrderHeader {
                    customer_id: customers[n % customers.len()],
                    quote_id: None,
                    opportunity_id: None,
                    currency: "CNY".into(),
                    seller_id: actor.user_id,
                    follower_id: actor.user_id,
                    ordered_on: today,
                    payment_terms: "T/T".into(),
                    shipping: ShippingInput::default(),
                    notes: String::new(),
                },
                lines: vec![OrderLine {
                    item: ProductSnapshot {
                        name: format!("Bench valve {made}"),
                        unit: "pcs".into(),
                        ..ProductSnapshot::default()
                    },
                    quantity: Decimal::from(10 + made % 90),
                    unit_price: Decimal::new(1_250 + (made as i64 % 500), 2),
                    discount: Decimal::ZERO,
                }],
                payments: Vec::new(),
                rate: OrderRate {
                    base: "CNY".into(),
                    rate: Decimal::ONE,
                    on: today,
                },
                today,
            };
            store.create_order(ctx, draft).await?;
            made += 1;
        }
    }
    Ok(())
}

async fn get(app: &axum::Router, cookie: &str, uri: &str) -> anyhow::Result<(Duration, String)> {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())?;
    let t = Instant::now();
    let res = app.clone().oneshot(req).await?;
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
    let took = t.elapsed();
    anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
    Ok((took, String::from_utf8_lossy(&body).into_owned()))
}

/// The "Next" link of a tracking screen, unescaped (`None` at the end of the list).
fn next_link(html: &str) -> Option<String> {
    let at = html.find("id=\"track-next\"")?;
    let start = html[..at].rfind("href=\"")? + 6;
    let end = start + html[start..].find('"')?;
    Some(
        html[start..end]
            .replace("&#x2f;", "/")
            .replace("&#x3d;", "=")
            .replace("&amp;", "&"),
    )
}

/// Times `rounds` orders lists for the seller and the admin, and `steps` Nexts through
/// the seller's reserve list: ((p50, p99) of the lists, (p50, p99) of Next).
pub async fn time(
    app: &axum::Router,
    seller_cookie: &str,
    admin_cookie: &str,
    rounds: usize,
    steps: usize,
) -> anyhow::Result<((Duration, Duration), (Duration, Duration))> {
    let mut lists = Vec::new();
    for i in 0..rounds {
        let (cookie, uri) = if i % 2 == 0 {
            (seller_cookie, "/orders".to_string())
        } else {
            (
                admin_cookie,
                format!("/orders?view=team&progress=all&page={}", 1 + i % 7),
            )
        };
        lists.push(get(app, cookie, &uri).await?.0);
    }
    let mut nexts = Vec::new();
    let (_, mut html) = get(app, seller_cookie, "/track?stage=reserve").await?;
    for _ in 0..steps {
        let Some(next) = next_link(&html) else { break };
        let (took, page) = get(app, seller_cookie, &next).await?;
        nexts.push(took);
        html = page;
    }
    anyhow::ensure!(!nexts.is_empty(), "the tracking screen offered no Next");
    let pct = |times: &mut Vec<Duration>, p: usize| {
        times.sort();
        times[(times.len() * p / 100).min(times.len() - 1)]
    };
    Ok((
        (pct(&mut lists, 50), pct(&mut lists, 99)),
        (pct(&mut nexts, 50), pct(&mut nexts, 99)),
    ))
}
