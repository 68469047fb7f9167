//! `wharf bench customers [--customers N]`: the customer list and the import at scale.
//! Seeds a fresh temporary SQLite store with N customers (default 100,000) and 2.5 contacts
//! each, then times the real `/customers` page over HTTP (the router in-process, a
//! signed-in admin) with a stage filter, a sort and a text condition (varied per
//! request), and imports an xlsx of N new rows through the same pages a user goes
//! through (upload, mapping, check with duplicate checks, run). The last line is
//! `customers: N customers, list p50 X ms, p99 Y ms, import R rows/s (import peak RSS Z MB)`
//! — the peak resident memory from the upload to the report (VmHWM, reset before it).

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::customers::{ContactInput, CustomerInput, STAGES};
use wharf_store::customers::import::ImportGroup;

use crate::bench::{current_rss_mb, fresh_store, peak_rss_mb, temp_data_dir};

const WORDS: &[&str] = &[
    "valves",
    "pumps",
    "flanges",
    "fittings",
    "bearings",
    "castings",
    "forgings",
    "gaskets",
    "hoses",
    "couplings",
    "motors",
    "gears",
    "springs",
    "fasteners",
    "filters",
    "seals",
];
const CITIES: &[&str] = &[
    "Hamburg", "Lyon", "Milan", "Dubai", "Houston", "Santos", "Mumbai", "Osaka", "Lagos", "Perth",
];

pub async fn run(customers: usize) -> anyhow::Result<()> {
    let dir = temp_data_dir()?;
    let result = measure(customers, &dir).await;
    if std::env::var("WHARF_BENCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

pub(crate) fn customer(n: usize, prefix: &str) -> ImportGroup {
    let word = WORDS[n % WORDS.len()];
    let city = CITIES[(n / 7) % CITIES.len()];
    let contacts = (0..2 + n % 2)
        .map(|k| ContactInput {
            name: format!("Buyer {n}-{k}"),
            emails: format!("buyer{k}.{n}@{prefix}{n}.example"),
            phones: format!("+49 40 {:08}", n * 3 + k),
            ..Default::default()
        })
        .collect();
    ImportGroup {
        customer: CustomerInput {
            name: format!("{prefix} {city} {word} {n}"),
            keywords: word.into(),
            city: city.into(),
            website: format!("www.{prefix}{n}.example"),
            stage: STAGES[n % STAGES.len()].into(),
            ..Default::default()
        },
        contacts,
        existing: None,
    }
}

async fn measure(count: usize, dir: &std::path::Path) -> anyhow::Result<()> {
    let (env, _account, admin) = fresh_store(dir).await?;
    let store = env.store.clone();
    let actor = store
        .load_actor(admin)
        .await?
        .ok_or_else(|| anyhow::anyhow!("admin missing"))?;
    println!("seeding {count} customers into {}", dir.display());
    let started = Instant::now();
    let groups: Vec<ImportGroup> = (0..count).map(|n| customer(n, "Seed")).collect();
    let contacts: usize = groups.iter().map(|g| g.contacts.len()).sum();
    // Seeded through the import's own transaction, 10,000 customers at a time, a
    // fifth in each stage.
    for (stage_no, stage) in STAGES.iter().enumerate() {
        let of_stage: Vec<ImportGroup> = groups
            .iter()
            .enumerate()
            .filter(|(n, _)| n % STAGES.len() == stage_no)
            .map(|(_, g)| g.clone())
            .collect();
        seed(&store, &actor, admin, &of_stage, stage).await?;
    }
    println!(
        "seeded {count} customers and {contacts} contacts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    measure_pages(&env, &actor, admin, count).await
}

pub(crate) async fn seed(
    store: &wharf_store::Store,
    actor: &wharf_core::Actor,
    admin: i64,
    groups: &[ImportGroup],
    stage: &str,
) -> anyhow::Result<()> {
    for chunk in groups.chunks(10_000) {
        let id = store.create_import(actor, "seed.csv", b"seed", 0).await?;
        store
            .run_import(
                wharf_store::Ctx {
                    actor,
                    ip: "127.0.0.1",
                },
                id,
                chunk,
                &[admin],
                stage,
                Arc::new(AtomicUsize::new(0)),
            )
            .await?;
    }
    Ok(())
}

async fn measure_pages(
    env: &wharf_mailbox::Env,
    actor: &wharf_core::Actor,
    admin: i64,
    count: usize,
) -> anyhow::Result<()> {
    let store = env.store.clone();

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
    let csrf = session.csrf_token.clone();
    let call = |req: Request<Body>| {
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await?;
            let status = res.status();
            let location = res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = axum::body::to_bytes(res.into_body(), usize::MAX).await?;
            Ok::<_, anyhow::Error>((status, location, body))
        }
    };

    // The list: a stage filter, a sort and a text condition, varied per request.
    let mut times = Vec::new();
    let sorts = ["name", "updated", "city", "revisit"];
    for i in 0..200 {
        let uri = format!(
            "/customers?stage={}&sort={}&q={}",
            STAGES[i % STAGES.len()],
            sorts[i % sorts.len()],
            WORDS[i % WORDS.len()]
        );
        let req = Request::get(&uri)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())?;
        let t = Instant::now();
        let (status, _, _) = call(req).await?;
        times.push(t.elapsed());
        anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
    }
    times.sort();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    let (p50, p99) = (pct(50), pct(99));

    // The import as a user runs it: upload, mapping, check, run, wait.
    let header_row: Vec<String> = ["客户名称", "城市", "网址", "联系人", "邮箱", "电话"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows: Vec<Vec<String>> = (0..count)
        .map(|n| {
            let g = customer(n, "Import");
            let k = &g.contacts[0];
            vec![
                g.customer.name,
                g.customer.city,
                g.customer.website,
                k.name.clone(),
                k.emails.clone(),
                k.phones.clone(),
            ]
        })
        .collect();
    let xlsx = wharf_sheets::to_xlsx("Sheet1", &header_row, &rows)?;
    let boundary = "wharfbenchboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"leads.xlsx\"\r\n\
         Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&xlsx);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    // The import's own peak: the high-water mark restarts here (Linux: 5 > clear_refs).
    drop(rows);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    // What the process holds before the import (the allocator keeps some of the
    // seeding's memory), so the import's own growth is the peak minus this.
    let rss_before = current_rss_mb();
    let started = Instant::now();
    let (status, location, _) = call(
        Request::post(format!("/customers/import?_csrf={csrf}"))
            .header(header::COOKIE, &cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))?,
    )
    .await?;
    let mapping = location.ok_or_else(|| anyhow::anyhow!("upload refused: {status}"))?;
    let id = mapping
        .trim_start_matches("/customers/import/")
        .trim_end_matches("/mapping")
        .to_string();
    let form = format!(
        "_csrf={csrf}&col0=name&col1=city&col2=website&col3=contact_name&col4=contact_emails&col5=contact_phones&owner=me&stage=reserve"
    );
    let (status, _, _) = call(
        Request::post(&mapping)
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))?,
    )
    .await?;
    anyhow::ensure!(status == StatusCode::SEE_OTHER, "mapping: {status}");
    let (status, _, preview) = call(
        Request::get(format!("/customers/import/{id}"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())?,
    )
    .await?;
    anyhow::ensure!(
        status == StatusCode::OK && String::from_utf8_lossy(&preview).contains("id=\"run-form\""),
        "the check found errors"
    );
    let checked = started.elapsed();
    let (status, _, _) = call(
        Request::post(format!("/customers/import/{id}/run"))
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("_csrf={csrf}")))?,
    )
    .await?;
    anyhow::ensure!(status == StatusCode::SEE_OTHER, "run: {status}");
    loop {
        let (state, report) = store.import_state(actor, id.parse()?).await?;
        match state.as_str() {
            "done" => break,
            "failed" => anyhow::bail!("import failed: {report}"),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let import_rss = peak_rss_mb();
    // The rows commit with the import's `done`; the runner closes its job row just
    // after. Wait for that too, so closing the store does not cut it off.
    while store
        .find_job("customer_import", &id)
        .await?
        .is_some_and(|job| job.finished_at.is_none())
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    store.close().await;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "import of {count} xlsx rows: upload + mapping + check {:.1} s, all {:.1} s",
        checked.as_secs_f64(),
        secs
    );
    println!(
        "customers: {count} customers, list p50 {:.1} ms, p99 {:.1} ms, import {:.0} rows/s (import peak RSS {import_rss} MB, {rss_before} MB before it)",
        ms(p50),
        ms(p99),
        count as f64 / secs,
    );
    Ok(())
}
