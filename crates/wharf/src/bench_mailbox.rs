//! `wharf bench mailbox [--messages N]`: the mail client's lists over one big folder.
//! Fills a fresh temporary SQLite store with N synthetic inbound messages (spread over
//! two years, from 500 senders, half of them unanswered), then times the real `/mail`
//! page over HTTP (the router in-process, a signed-in admin) on the first page, a page
//! in the middle and the last page of Inbox, and the first page of Pending; the reading
//! pane alone as the page's script fetches it (`?fragment=1`: a message opened anywhere,
//! and moving to the next); then walks every page of Inbox through the store. Prints medians; the last line is
//! `mailbox: N messages, …`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;
use wharf_mailbox::ingest::Origin;
use wharf_store::mail::view::{MailQuery, MailView};

use crate::bench::{fresh_store, peak_rss_mb, temp_data_dir};

const BATCH: usize = 2000;
const SAMPLES: usize = 15;

pub async fn run(messages: usize) -> anyhow::Result<()> {
    let dir = temp_data_dir()?;
    let result = measure(messages, &dir).await;
    if std::env::var("WHARF_BENCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn synthetic(n: usize) -> Vec<u8> {
    // Two years back from 2026-11-01, one message every ~10 minutes at 100,000.
    let at = 1_793_491_200 - (n as i64 * 631) % 63_072_000;
    let date = time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc2822)
                .ok()
        })
        .unwrap_or_default();
    format!(
        "From: Buyer {s} <buyer{s}@customer{s}.example>\r\nTo: bench@example.test\r\nSubject: RFQ {n}: valves, fittings and flanges\r\n\
         Message-ID: <bench-{n}@customer.example>\r\nDate: {date}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Dear Sir, please quote 500 pcs of item {n} FOB Ningbo. 请报价。\r\n",
        s = n % 500
    )
    .into_bytes()
}

async fn measure(messages: usize, dir: &std::path::Path) -> anyhow::Result<()> {
    let (env, account, admin) = fresh_store(dir).await?;
    println!("filling {messages} messages into {}", dir.display());
    let started = Instant::now();
    let mut n = 0;
    while n < messages {
        let batch: Vec<(Vec<u8>, Origin)> = (n..(n + BATCH).min(messages))
            .map(|i| {
                (
                    synthetic(i),
                    Origin {
                        account_id: account,
                        own_addresses: vec!["bench@example.test".into()],
                        folder_role: "inbox".into(),
                        // Half read; unread mail is what the counts add up.
                        seen: i % 2 == 0,
                        source: "bench".into(),
                        ..Default::default()
                    },
                )
            })
            .collect();
        n += batch.len();
        env.ingestor().ingest_raw(batch, None).await?;
    }
    println!("filled in {:.1} s", started.elapsed().as_secs_f64());

    let store = env.store.clone();
    let actor = store
        .load_actor(admin)
        .await?
        .ok_or_else(|| anyhow::anyhow!("admin missing"))?;
    // Every page of Inbox through the store, newest first, by keyset.
    let mut page_times = Vec::new();
    let mut cursors = Vec::new();
    let mut after = None;
    loop {
        let q = MailQuery {
            view: MailView::Folder("inbox".into()),
            account_id: None,
            after,
            limit: 50,
            text: None,
            party: None,
        };
        let t = Instant::now();
        let (items, more) = store.list_mail(&actor, &q).await?;
        page_times.push(t.elapsed());
        cursors.push(after);
        let Some(last) = items.last() else { break };
        after = Some((last.received_at, last.id));
        if !more {
            break;
        }
    }
    let listed_pages = page_times.len();
    // The queries every mail page makes besides the list, on their own.
    let timed = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let t = Instant::now();
    store.mail_counts(&actor).await?;
    let counts = t.elapsed();
    let t = Instant::now();
    store.list_accounts(&actor).await?;
    let accounts = t.elapsed();
    let t = Instant::now();
    store.due_follow_ups(&[account]).await?;
    println!(
        "per page besides the list: unread and Pending counts {}, accounts with counts {}, due follow-ups {}",
        timed(counts),
        timed(accounts),
        timed(t.elapsed())
    );

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
    let page = |uri: String| {
        let (app, cookie) = (app.clone(), cookie.clone());
        async move {
            let mut times = Vec::new();
            for _ in 0..SAMPLES {
                let req = Request::get(&uri)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())?;
                let t = Instant::now();
                let res = app.clone().oneshot(req).await?;
                let status = res.status();
                axum::body::to_bytes(res.into_body(), usize::MAX).await?;
                times.push(t.elapsed());
                anyhow::ensure!(status.is_success(), "{uri}: {status}");
            }
            Ok::<Duration, anyhow::Error>(median(&mut times))
        }
    };
    let at = |i: usize| {
        cursors
            .get(i)
            .copied()
            .flatten()
            .map(|(a, b)| format!("&after={a}:{b}"))
            .unwrap_or_default()
    };
    let first = page("/mail?view=inbox".into()).await?;
    let middle = page(format!("/mail?view=inbox{}", at(listed_pages / 2))).await?;
    let last = page(format!("/mail?view=inbox{}", at(listed_pages - 1))).await?;
    let pending = page("/mail?view=pending".into()).await?;
    let opened = {
        let q = MailQuery {
            view: MailView::Folder("inbox".into()),
            account_id: None,
            after: None,
            limit: 1,
            text: None,
            party: None,
        };
        let id = store.list_mail(&actor, &q).await?.0[0].id;
        page(format!("/mail?view=inbox&m={id}")).await?
    };
    // The reading pane alone, as the page's script fetches it: opening a message picked
    // anywhere in the mailbox, and moving to the next one (j) down the list.
    let pane = |uris: Vec<String>| {
        let (app, cookie) = (app.clone(), cookie.clone());
        async move {
            let mut times = Vec::new();
            for uri in uris {
                let req = Request::get(&uri)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())?;
                let t = Instant::now();
                let res = app.clone().oneshot(req).await?;
                let status = res.status();
                axum::body::to_bytes(res.into_body(), usize::MAX).await?;
                times.push(t.elapsed());
                anyhow::ensure!(status.is_success(), "{uri}: {status}");
            }
            times.sort();
            Ok::<(Duration, Duration), anyhow::Error>((
                times[times.len() / 2],
                times[(times.len() * 95 / 100).min(times.len() - 1)],
            ))
        }
    };
    let mut spread = Vec::new();
    for i in (0..listed_pages)
        .step_by((listed_pages / 100).max(1))
        .take(100)
    {
        let q = MailQuery {
            view: MailView::Folder("inbox".into()),
            account_id: None,
            after: cursors.get(i).copied().flatten(),
            limit: 1,
            text: None,
            party: None,
        };
        if let Some(m) = store.list_mail(&actor, &q).await?.0.first() {
            spread.push(format!("/mail?view=inbox{}&m={}&fragment=1", at(i), m.id));
        }
    }
    let (open_p50, open_p95) = pane(spread).await?;
    let mut down = Vec::new();
    let mut after = None;
    while down.len() < 100 {
        let q = MailQuery {
            view: MailView::Folder("inbox".into()),
            account_id: None,
            after,
            limit: 50,
            text: None,
            party: None,
        };
        let (rows, more) = store.list_mail(&actor, &q).await?;
        for m in &rows {
            down.push(format!("/mail?view=inbox&m={}&fragment=1", m.id));
        }
        match rows.last() {
            Some(l) if more => after = Some((l.received_at, l.id)),
            _ => break,
        }
    }
    down.truncate(100);
    let down_ids: Vec<i64> = down
        .iter()
        .filter_map(|u| u.split("m=").nth(1)?.split('&').next()?.parse().ok())
        .collect();
    let (next_p50, next_p95) = pane(down).await?;
    crate::bench_mailbox_parts::print(&env, &actor, &down_ids).await?;
    let mut sorted = page_times.clone();
    let walk_median = median(&mut sorted);
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
    let max = sorted[sorted.len() - 1];
    store.close().await;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "store: {listed_pages} pages of 50 walked by keyset: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(walk_median),
        ms(p95),
        ms(max)
    );
    println!(
        "reading pane alone (?fragment=1, 100 each): open anywhere p50 {:.1} ms, p95 {:.1} ms; next down the list p50 {:.1} ms, p95 {:.1} ms",
        ms(open_p50),
        ms(open_p95),
        ms(next_p50),
        ms(next_p95)
    );
    println!(
        "mailbox: {messages} messages, /mail page (median of {SAMPLES}): first {:.1} ms, middle {:.1} ms, last {:.1} ms, \
         Pending {:.1} ms, message open {:.1} ms, peak RSS {} MB",
        ms(first),
        ms(middle),
        ms(last),
        ms(pending),
        ms(opened),
        peak_rss_mb()
    );
    Ok(())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
