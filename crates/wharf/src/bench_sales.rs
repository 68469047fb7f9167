//! `wharf bench sales [--customers N] [--records M]`: the workbench at scale. Seeds a
//! fresh temporary SQLite store with N customers (default 100,000, a fifth in each
//! stage) and M contact records (default 300,000, spread over the last 60 days, with
//! revisit days from five days ago to ten ahead), then times the real workbench page
//! (`/sales`), its counts in the API for the team (`/api/v1/workbench?view=team`) and the
//! records list (`/records`) over HTTP, the router in-process, a signed-in admin. The
//! last line is `sales: N customers, M records, workbench p50 X ms, p99 Y ms, …`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::customers::STAGES;
use wharf_core::records::RecordInput;
use wharf_store::customers::import::ImportGroup;

use crate::bench::{fresh_store, temp_data_dir};
use crate::bench_customers::{customer, seed};

const KINDS: [&str; 7] = [
    "call", "mail", "visit", "meeting", "whatsapp", "wechat", "note",
];

pub async fn run(customers: usize, records: usize) -> anyhow::Result<()> {
    let dir = temp_data_dir()?;
    let result = measure(customers, records, &dir).await;
    if std::env::var("WHARF_BENCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn measure(count: usize, records: usize, dir: &std::path::Path) -> anyhow::Result<()> {
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
    let groups: Vec<ImportGroup> = (0..count).map(|n| customer(n, "Seed")).collect();
    for (stage_no, stage) in STAGES.iter().enumerate() {
        let of_stage: Vec<ImportGroup> = groups
            .iter()
            .enumerate()
            .filter(|(n, _)| n % STAGES.len() == stage_no)
            .map(|(_, g)| g.clone())
            .collect();
        seed(&store, &actor, admin, &of_stage, stage).await?;
    }
    let mut ids = Vec::new();
    for page in 1.. {
        let found = store
            .list_customers(
                &actor,
                &wharf_store::customers::CustomerQuery {
                    page,
                    per_page: 500,
                    sort: "created".into(),
                    ..Default::default()
                },
            )
            .await?;
        ids.extend(found.items.iter().map(|c| c.id));
        if found.items.len() < 500 {
            break;
        }
    }
    anyhow::ensure!(!ids.is_empty(), "no customers seeded");
    let zone = store.company_time_zone(&actor).await?;
    let now = wharf_store::now();
    let today = zone.today(now);
    let ctx = wharf_store::Ctx {
        actor: &actor,
        ip: "127.0.0.1",
    };
    let mut batch = Vec::new();
    for n in 0..records {
        let customer = ids[n % ids.len()];
        // Later records of a customer are newer; some plan a revisit.
        let age_days = ((records - n) * 60 / records.max(1)) as i64;
        let revisit = (n % 3 == 0).then(|| today.plus_days((n % 16) as i64 - 5).max(today));
        batch.push((
            customer,
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
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());

    let policy = wharf_store::auth::sessions::SessionPolicy {
        idle_seconds: 36_000,
        absolute_seconds: 86_400,
    };
    let session = store
        .create_session(admin, "127.0.0.1", "bench", policy)
        .await?;
    let state = wharf_web::AppState::new(store.clone(), policy, false, env.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let app = wharf_web::router(state);
    let cookie = format!("wharf_session={}", session.token);
    let time = |uris: Vec<String>| {
        let app = app.clone();
        let cookie = cookie.clone();
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
    let page = time((0..200).map(|_| "/sales".to_string()).collect()).await?;
    let api = time(
        (0..200)
            .map(|i| {
                if i % 2 == 0 {
                    "/api/v1/workbench?view=team".to_string()
                } else {
                    format!("/api/v1/workbench?person={admin}")
                }
            })
            .collect(),
    )
    .await?;
    let list = time(
        (0..100)
            .map(|i| {
                format!(
                    "/records?view=team&kind={}&page={}",
                    KINDS[i % KINDS.len()],
                    1 + i % 5
                )
            })
            .collect(),
    )
    .await?;
    println!(
        "sales: {count} customers, {records} records, workbench p50 {:.1} ms, p99 {:.1} ms; \
         team counts (API) p50 {:.1} ms, p99 {:.1} ms; records list p50 {:.1} ms, p99 {:.1} ms",
        ms(pct(&page, 50)),
        ms(pct(&page, 99)),
        ms(pct(&api, 50)),
        ms(pct(&api, 99)),
        ms(pct(&list, 50)),
        ms(pct(&list, 99)),
    );
    Ok(())
}
