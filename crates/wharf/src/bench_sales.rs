//! `wharf bench sales [--customers N] [--records M]`: the workbench at scale. Seeds a
//! fresh temporary SQLite store with N customers (default 100,000, a fifth in each
//! stage, owned by 20 salespeople) and M contact records (default 300,000, spread over
//! the last 60 days, a third planning a revisit in the next ten days), then times over
//! HTTP (the router in-process) a salesperson's workbench (`/sales`), the whole
//! company's for the admin (`/sales?view=team`, and one person's counts in
//! `/api/v1/workbench?person=`), the team's records list (`/records`) and the
//! opportunity board (`bench_deals.rs`, 20,000 opportunities by default), the orders
//! lists and the tracking screen's Next (`bench_orders.rs`, 10,000 orders by default), and
//! renders a quote PDF ten times (`bench_pdf.rs`, its `pdf:` line). The last line is
//! `sales: N customers, M records, … p50 X ms, p99 Y ms …`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::customers::STAGES;
use wharf_core::records::RecordInput;
use wharf_store::customers::import::ImportGroup;

use crate::bench::{fresh_store, temp_data_dir};
use crate::bench_customers::{customer, seed};

/// Salespeople the customers are spread over.
const SELLERS: usize = 20;

const KINDS: [&str; 7] = [
    "call", "mail", "visit", "meeting", "whatsapp", "wechat", "note",
];

pub async fn run(
    customers: usize,
    records: usize,
    opportunities: usize,
    orders: usize,
) -> anyhow::Result<()> {
    let dir = temp_data_dir()?;
    let result = measure(customers, records, opportunities, orders, &dir).await;
    if std::env::var("WHARF_BENCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The salespeople, created by the admin.
async fn sellers(
    store: &wharf_store::Store,
    actor: &wharf_core::Actor,
) -> anyhow::Result<Vec<i64>> {
    let ctx = wharf_store::Ctx {
        actor,
        ip: "127.0.0.1",
    };
    let role = store
        .list_roles(actor)
        .await?
        .into_iter()
        .find(|r| r.code.as_deref() == Some("salesperson"))
        .ok_or_else(|| anyhow::anyhow!("no salesperson role"))?
        .id;
    let mut ids = Vec::new();
    for i in 0..SELLERS {
        let input = wharf_core::org::StaffInput {
            username: format!("seller{i}"),
            name: format!("Seller {i}"),
            role_id: Some(role),
            status: "active".into(),
            password: Some("bench-password-1".into()),
            ..Default::default()
        };
        ids.push(store.create_staff(ctx, input).await?);
        // A first password must be changed before anything else; the bench's is chosen.
        store
            .cli_reset_password(&format!("seller{i}"), "bench-password-2")
            .await?;
    }
    Ok(ids)
}

/// Every customer's id, in the order they were made.
async fn customer_ids(
    store: &wharf_store::Store,
    actor: &wharf_core::Actor,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for page in 1.. {
        let query = wharf_store::customers::CustomerQuery {
            page,
            per_page: 500,
            sort: "created".into(),
            ..Default::default()
        };
        let found = store.list_customers(actor, &query).await?;
        ids.extend(found.items.iter().map(|c| c.id));
        if found.items.len() < 500 {
            break;
        }
    }
    anyhow::ensure!(!ids.is_empty(), "no customers seeded");
    Ok(ids)
}

async fn seed_records(
    store: &wharf_store::Store,
    actor: &wharf_core::Actor,
    ids: &[i64],
    records: usize,
) -> anyhow::Result<()> {
    let ctx = wharf_store::Ctx {
        actor,
        ip: "127.0.0.1",
    };
    let zone = store.company_time_zone(actor).await?;
    let now = wharf_store::now();
    let today = zone.today(now);
    let mut batch = Vec::new();
    for n in 0..records {
        // A customer's later records are newer; a third plan a revisit.
        let age_days = ((records - n) * 60 / records.max(1)) as i64;
        let revisit = (n % 3 == 0).then(|| today.plus_days((n % 11) as i64));
        batch.push((
            ids[n % ids.len()],
            RecordInput {
                kind: KINDS[n % KINDS.len()].into(),
                contact_id: None,
                content: format!("Bench record {n}: asked for prices of item {}", n % 977),
                progress_id: None,
                happened_at: now - age_days * 86_400 - (n % 3600) as i64,
                next_revisit: revisit,
                remind_at: None,
            },
        ));
        if batch.len() == 20_000 {
            store
                .import_contact_records(ctx, std::mem::take(&mut batch))
                .await?;
        }
    }
    if !batch.is_empty() {
        store.import_contact_records(ctx, batch).await?;
    }
    Ok(())
}

async fn measure(
    count: usize,
    records: usize,
    opportunities: usize,
    orders: usize,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    let (env, _account, admin) = fresh_store(dir).await?;
    let store = env.store.clone();
    let actor = store
        .load_actor(admin)
        .await?
        .ok_or_else(|| anyhow::anyhow!("admin missing"))?;
    println!(
        "seeding {count} customers and {records} records into {}",
        dir.display()
    );
    let started = Instant::now();
    let sellers = sellers(&store, &actor).await?;
    let groups: Vec<ImportGroup> = (0..count).map(|n| customer(n, "Seed")).collect();
    for (stage_no, stage) in STAGES.iter().enumerate() {
        for (seller_no, seller) in sellers.iter().enumerate() {
            let of_stage: Vec<ImportGroup> = groups
                .iter()
                .enumerate()
                .filter(|(n, _)| {
                    n % STAGES.len() == stage_no && (n / STAGES.len()) % SELLERS == seller_no
                })
                .map(|(_, g)| g.clone())
                .collect();
            seed(&store, &actor, *seller, &of_stage, stage).await?;
        }
    }
    // Each salesperson writes the records of their own customers.
    for seller in &sellers {
        let seller = store
            .load_actor(*seller)
            .await?
            .ok_or_else(|| anyhow::anyhow!("seller missing"))?;
        let ids = customer_ids(&store, &seller).await?;
        seed_records(&store, &seller, &ids, records / SELLERS).await?;
    }
    crate::bench_deals::seed(&store, &sellers, opportunities).await?;
    crate::bench_orders::seed(&store, &sellers, orders).await?;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());

    let policy = wharf_store::auth::sessions::SessionPolicy {
        idle_seconds: 36_000,
        absolute_seconds: 86_400,
    };
    let state = wharf_web::AppState::new(store.clone(), policy, false, env.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let app = wharf_web::router(state);
    let admin_session = store
        .create_session(admin, "127.0.0.1", "bench", policy)
        .await?;
    let seller_session = store
        .create_session(sellers[0], "127.0.0.1", "bench", policy)
        .await?;
    let admin_cookie = format!("wharf_session={}", admin_session.token);
    let board_cookies = vec![
        admin_cookie.clone(),
        format!("wharf_session={}", seller_session.token),
    ];
    let seller_cookie = format!("wharf_session={}", seller_session.token);
    let time = |uris: Vec<String>, cookie: String| {
        let app = app.clone();
        async move {
            let mut times = Vec::new();
            for uri in uris {
                let req = Request::get(&uri)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())?;
                let t = Instant::now();
                let res = app.clone().oneshot(req).await?;
                let status = res.status();
                let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
                times.push(t.elapsed());
                anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
            }
            times.sort();
            Ok::<_, anyhow::Error>(times)
        }
    };
    let pct = |times: &[Duration], p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mine = time(
        (0..200).map(|_| "/sales".to_string()).collect(),
        seller_cookie.clone(),
    )
    .await?;
    let company = time(
        (0..200)
            .map(|i| {
                if i % 2 == 0 {
                    "/sales?view=team".to_string()
                } else {
                    format!("/api/v1/workbench?person={}", sellers[i % SELLERS])
                }
            })
            .collect(),
        admin_cookie,
    )
    .await?;
    let list = time(
        (0..100)
            .map(|i| {
                format!(
                    "/records?kind={}&page={}",
                    KINDS[i % KINDS.len()],
                    1 + i % 5
                )
            })
            .collect(),
        seller_cookie,
    )
    .await?;
    let (board_p50, board_p99) = crate::bench_deals::time_board(&app, &board_cookies, 100).await?;
    let ((orders_p50, orders_p99), (next_p50, next_p99)) =
        crate::bench_orders::time(&app, &board_cookies[1], &board_cookies[0], 100, 200).await?;
    // The quote PDF's figure beside the workbench's and the board's (its own line).
    crate::bench_pdf::run(10)?;
    println!(
        "sales: {count} customers, {records} records, {SELLERS} salespeople; \
         a salesperson's workbench p50 {:.1} ms, p99 {:.1} ms; \
         the whole company's (team page, a person's counts) p50 {:.1} ms, p99 {:.1} ms; \
         a salesperson's records list p50 {:.1} ms, p99 {:.1} ms; \
         {opportunities} opportunities, the board (company and a salesperson) p50 {:.1} ms, p99 {:.1} ms; \
         {orders} orders, the orders lists (a salesperson's, the team's) p50 {:.1} ms, p99 {:.1} ms; \
         the tracking screen's Next p50 {:.1} ms, p99 {:.1} ms",
        ms(pct(&mine, 50)),
        ms(pct(&mine, 99)),
        ms(pct(&company, 50)),
        ms(pct(&company, 99)),
        ms(pct(&list, 50)),
        ms(pct(&list, 99)),
        ms(board_p50),
        ms(board_p99),
        ms(orders_p50),
        ms(orders_p99),
        ms(next_p50),
        ms(next_p99),
    );
    Ok(())
}
