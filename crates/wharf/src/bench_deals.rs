//! The opportunities part of `wharf bench sales`: seeds N opportunities (default 20,000)
//! on the salespeople's opportunity and won customers, in three currencies, spread over
//! the opportunity pipeline's stages, then times the board (page and API, the team view:
//! every column's totals, rotting counts and cards) over HTTP for a salesperson and for
//! the whole company.

use std::time::{Duration, Instant};

use wharf_core::deals::OpportunityInput;
use wharf_store::deals::OpportunityEdit;

const CURRENCIES: [&str; 3] = ["USD", "EUR", "CNY"];

/// A seller's customers in the opportunity and won stages.
async fn late_customers(
    store: &wharf_store::Store,
    seller: &wharf_core::Actor,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for stage in ["opportunity", "won"] {
        for page in 1.. {
            let query = wharf_store::customers::CustomerQuery {
                stage: Some(stage.into()),
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
    }
    Ok(ids)
}

/// Seeds `count` opportunities over the sellers' customers.
pub async fn seed(store: &wharf_store::Store, sellers: &[i64], count: usize) -> anyhow::Result<()> {
    let admin = store
        .load_actor(sellers[0])
        .await?
        .ok_or_else(|| anyhow::anyhow!("seller missing"))?;
    let stages = store.opportunity_pipelines(&admin).await?;
    let stages = &stages
        .first()
        .ok_or_else(|| anyhow::anyhow!("no opportunity pipeline"))?
        .stages;
    let per_seller = count.div_ceil(sellers.len());
    let mut made = 0;
    for seller in sellers {
        let actor = store
            .load_actor(*seller)
            .await?
            .ok_or_else(|| anyhow::anyhow!("seller missing"))?;
        let customers = late_customers(store, &actor).await?;
        anyhow::ensure!(!customers.is_empty(), "no opportunity customers to seed on");
        let ctx = wharf_store::Ctx {
            actor: &actor,
            ip: "127.0.0.1",
        };
        for n in 0..per_seller.min(count - made) {
            let edit = OpportunityEdit {
                input: OpportunityInput {
                    title: format!("Bench opportunity {made}"),
                    amount: format!("{}.{:02}", 1_000 + (made * 37) % 90_000, made % 100),
                    currency: CURRENCIES[made % CURRENCIES.len()].into(),
                    status: "selling".into(),
                    competitors: "Bench competitor".into(),
                    ..OpportunityInput::default()
                },
                stage_id: Some(stages[n % stages.len()].id),
                ..OpportunityEdit::default()
            };
            store
                .create_opportunity(ctx, customers[n % customers.len()], edit)
                .await?;
            made += 1;
        }
    }
    Ok(())
}

/// Times `rounds` board pages for each cookie: (p50, p99) over all.
pub async fn time_board(
    app: &axum::Router,
    cookies: &[String],
    rounds: usize,
) -> anyhow::Result<(Duration, Duration)> {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;
    let mut times = Vec::new();
    for i in 0..rounds {
        let cookie = &cookies[i % cookies.len()];
        let uri = if i % 2 == 0 {
            "/opportunities/board?view=team"
        } else {
            "/api/v1/opportunities/board?view=team"
        };
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())?;
        let t = Instant::now();
        let res = app.clone().oneshot(req).await?;
        let status = res.status();
        let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
        times.push(t.elapsed());
        anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
    }
    times.sort();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    Ok((pct(50), pct(99)))
}
