//! The runner on both databases: claims and leases, retries with backoff, failure
//! after the attempts, cancellation, the per-kind limit, recurring jobs, progress and
//! exactly-once effects.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wharf_jobs::{JobCtx, JobError, Kind, Once, Outcome, Registry, Retry, Runner, Schedule, state};
use wharf_store::jobs::KindClaim;
use wharf_store::{Store, now, testing};

fn runner(store: &Store, kinds: Vec<Kind>) -> Runner {
    Runner::new(store.clone(), Registry::new().with(kinds).unwrap(), 4)
}

fn failing(text: &'static str) -> Kind {
    Kind::new("flaky", move |_ctx: JobCtx| async move {
        Err::<Outcome, _>(JobError::Retry(text.into()))
    })
}

/// Makes a waiting job due now (tests do not wait for backoffs).
async fn due_now(store: &Store, id: i64) {
    testing::execute_sql(
        store,
        &format!("UPDATE jobs SET run_at = 0 WHERE id = {id}"),
    )
    .await;
}

#[tokio::test]
async fn a_done_job_keeps_its_result_and_times_in_the_row() {
    for store in testing::backends().await {
        let r = runner(
            &store,
            vec![Kind::new("report", |ctx: JobCtx| async move {
                ctx.progress(3, 3).await?;
                Ok(Outcome::Done(format!("made {}", ctx.payload())))
            })],
        );
        store
            .enqueue_job("report", "r1", "42 rows", 0)
            .await
            .unwrap();
        let job = r.run_one().await.unwrap().expect("claimed");
        assert_eq!(job.state, state::DONE);
        assert_eq!(job.result, "made 42 rows");
        assert_eq!((job.progress_done, job.progress_total), (3, 3));
        assert!(job.started_at.is_some() && job.finished_at.is_some());
        assert_eq!(
            store.find_job("report", "r1").await.unwrap().unwrap(),
            job,
            "readable by key from any node"
        );
        assert!(r.run_one().await.unwrap().is_none(), "nothing left to run");
        // Queued again under its key, a finished job runs again.
        assert!(
            store
                .enqueue_job("report", "r1", "7 rows", 0)
                .await
                .unwrap()
        );
        assert_eq!(r.run_one().await.unwrap().unwrap().result, "made 7 rows");
    }
}

#[tokio::test]
async fn only_registered_kinds_are_claimed() {
    for store in testing::backends().await {
        let r = runner(&store, vec![failing("x")]);
        store.enqueue_job("unknown", "", "", 0).await.unwrap();
        assert!(r.run_one().await.unwrap().is_none());
        assert_eq!(r.registry().names(), vec!["flaky", wharf_jobs::PRUNE]);
        assert!(
            Registry::new().with([failing("a"), failing("b")]).is_err(),
            "a kind is registered once"
        );
    }
}

#[tokio::test]
async fn a_lapsed_lease_is_taken_over_and_counts_as_an_attempt() {
    for store in testing::backends().await {
        store.enqueue_job("long", "1", "", 0).await.unwrap();
        let claim = |owner: &'static str| {
            let store = store.clone();
            async move {
                store
                    .claim_job_of(
                        owner,
                        &[KindClaim {
                            kind: "long",
                            lease_secs: 1,
                            limit: 0,
                        }],
                    )
                    .await
                    .unwrap()
            }
        };
        let a = claim("node-a").await.expect("claimed");
        assert_eq!((a.state.as_str(), a.attempts), (state::RUNNING, 1));
        assert!(claim("node-b").await.is_none(), "held while leased");
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let b = claim("node-b").await.expect("taken over after the lease");
        assert_eq!((b.id, b.attempts), (a.id, 2));
        // The first holder's late outcome is ignored.
        store.complete_job(a.id, "node-a", "late").await.unwrap();
        assert_eq!(
            store.get_job(a.id).await.unwrap().unwrap().state,
            state::RUNNING
        );
    }
}

#[tokio::test]
async fn a_failed_run_is_retried_after_a_growing_wait() {
    for store in testing::backends().await {
        let r = runner(
            &store,
            vec![failing("server away").retry(Retry {
                max_attempts: 0,
                base_secs: 60,
                cap_secs: 150,
            })],
        );
        store.enqueue_job("flaky", "", "", 0).await.unwrap();
        let mut waits = Vec::new();
        for attempt in 1..=3 {
            let before = now();
            let job = r.run_one().await.unwrap().expect("due");
            assert_eq!(job.state, state::QUEUED);
            assert_eq!(job.attempts, attempt);
            assert_eq!(job.last_error, "server away");
            waits.push(job.run_at - before);
            assert!(
                r.run_one().await.unwrap().is_none(),
                "not due during its wait"
            );
            due_now(&store, job.id).await;
        }
        for (wait, expected) in waits.iter().zip([60, 120, 150]) {
            assert!((expected..=expected + 2).contains(wait), "{waits:?}");
        }
    }
}

#[tokio::test]
async fn after_its_attempts_a_job_is_failed_with_its_last_error() {
    for store in testing::backends().await {
        let r = runner(
            &store,
            vec![failing("mailbox full").retry(Retry {
                max_attempts: 2,
                base_secs: 1,
                cap_secs: 1,
            })],
        );
        store.enqueue_job("flaky", "", "", 0).await.unwrap();
        let first = r.run_one().await.unwrap().unwrap();
        assert_eq!(first.state, state::QUEUED);
        due_now(&store, first.id).await;
        let last = r.run_one().await.unwrap().unwrap();
        assert_eq!(last.state, state::FAILED);
        assert_eq!(last.last_error, "mailbox full");
        assert!(last.finished_at.is_some());
        due_now(&store, last.id).await;
        assert!(
            r.run_one().await.unwrap().is_none(),
            "a failed job stays failed"
        );
    }
}

#[tokio::test]
async fn a_permanent_error_fails_at_once() {
    for store in testing::backends().await {
        let r = runner(
            &store,
            vec![Kind::new("strict", |ctx: JobCtx| async move {
                ctx.key_id()?;
                Ok(Outcome::done())
            })],
        );
        store
            .enqueue_job("strict", "not-a-number", "", 0)
            .await
            .unwrap();
        let job = r.run_one().await.unwrap().unwrap();
        assert_eq!(job.state, state::FAILED);
        assert!(job.last_error.contains("bad job key"), "{}", job.last_error);
    }
}

#[tokio::test]
async fn a_waiting_job_asked_to_cancel_ends_at_once() {
    for store in testing::backends().await {
        let r = runner(&store, vec![failing("x")]);
        store
            .enqueue_job("flaky", "k", "", now() + 3600)
            .await
            .unwrap();
        let id = store.find_job("flaky", "k").await.unwrap().unwrap().id;
        assert!(store.request_job_cancel(id).await.unwrap());
        let job = store.get_job(id).await.unwrap().unwrap();
        assert_eq!(job.state, state::CANCELLED);
        due_now(&store, id).await;
        assert!(r.run_one().await.unwrap().is_none());
        assert!(
            !store.request_job_cancel(id).await.unwrap(),
            "already ended"
        );
    }
}

#[tokio::test]
async fn a_running_job_sees_the_cancel_between_units_and_is_not_retried() {
    for store in testing::backends().await {
        let units = Arc::new(AtomicUsize::new(0));
        let seen = units.clone();
        let r = runner(
            &store,
            vec![Kind::new("batch", move |ctx: JobCtx| {
                let units = seen.clone();
                async move {
                    for n in 1..=600u64 {
                        if ctx.cancelled().await {
                            return Ok(Outcome::Cancelled);
                        }
                        units.fetch_add(1, Ordering::SeqCst);
                        ctx.progress(n, 600).await?;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                    Ok(Outcome::done())
                }
            })],
        );
        store.enqueue_job("batch", "b", "", 0).await.unwrap();
        let id = store.find_job("batch", "b").await.unwrap().unwrap().id;
        let running = tokio::spawn({
            let r = r.clone();
            async move { r.run_one().await.unwrap() }
        });
        while units.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(store.request_job_cancel(id).await.unwrap());
        let job = running.await.unwrap().unwrap();
        assert_eq!(job.state, state::CANCELLED);
        assert!(job.progress_done >= 3 && job.progress_done < 600, "{job:?}");
        assert!(units.load(Ordering::SeqCst) < 600);
        due_now(&store, id).await;
        assert!(r.run_one().await.unwrap().is_none(), "not retried");
    }
}

#[tokio::test]
async fn a_kind_runs_within_its_limit_across_nodes() {
    for store in testing::backends().await {
        for key in ["1", "2", "3"] {
            store.enqueue_job("import", key, "", 0).await.unwrap();
        }
        store.enqueue_job("other", "", "", 0).await.unwrap();
        let claim = |owner: &'static str| {
            let store = store.clone();
            async move {
                let claims = [
                    KindClaim {
                        kind: "import",
                        lease_secs: 60,
                        limit: 1,
                    },
                    KindClaim {
                        kind: "other",
                        lease_secs: 60,
                        limit: 0,
                    },
                ];
                store.claim_job_of(owner, &claims).await.unwrap()
            }
        };
        let a = claim("node-a").await.unwrap();
        assert_eq!(a.kind, "import");
        let b = claim("node-b").await.unwrap();
        assert_eq!(b.kind, "other", "the second import waits for the first");
        assert!(claim("node-b").await.is_none());
        store.complete_job(a.id, "node-a", "").await.unwrap();
        assert_eq!(claim("node-b").await.unwrap().kind, "import");
    }
}

#[tokio::test]
async fn a_runner_keeps_to_a_kind_limit_on_its_node() {
    for store in testing::backends().await {
        let (now_running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (n, m) = (now_running.clone(), most.clone());
        let r = runner(
            &store,
            vec![
                Kind::new("slow", move |_ctx: JobCtx| {
                    let (n, m) = (n.clone(), m.clone());
                    async move {
                        let k = n.fetch_add(1, Ordering::SeqCst) + 1;
                        m.fetch_max(k, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        n.fetch_sub(1, Ordering::SeqCst);
                        Ok(Outcome::done())
                    }
                })
                .limit(2),
            ],
        );
        for key in 0..5 {
            store
                .enqueue_job("slow", &key.to_string(), "", 0)
                .await
                .unwrap();
        }
        let stop = Arc::new(tokio::sync::Notify::new());
        let loop_ = tokio::spawn(r.clone().run(stop.clone()));
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = (0..5).map(|k| k.to_string());
            let mut done = 0;
            for key in left {
                if store.find_job("slow", &key).await.unwrap().unwrap().state == state::DONE {
                    done += 1;
                }
            }
            if done == 5 || std::time::Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.notify_waiters();
        loop_.await.unwrap();
        assert_eq!(most.load(Ordering::SeqCst), 2, "two at once, never three");
    }
}

#[tokio::test]
async fn a_recurring_job_comes_round_at_its_next_time() {
    for store in testing::backends().await {
        let hourly = Schedule::cron("0 0 * * * *").unwrap();
        let r = runner(
            &store,
            vec![
                Kind::new("tidy", |_ctx: JobCtx| async {
                    Ok(Outcome::Done("tidied".into()))
                })
                .every("hourly", hourly.clone()),
            ],
        );
        r.schedule_recurring().await.unwrap();
        r.schedule_recurring().await.unwrap();
        let job = store.find_job("tidy", "hourly").await.unwrap().unwrap();
        let next = hourly.next_after(now()).unwrap();
        assert!(job.run_at == next && next % 3600 == 0, "due on the hour");
        assert!(r.run_one().await.unwrap().is_none(), "not before its time");
        due_now(&store, job.id).await;
        let ran = r.run_one().await.unwrap().unwrap();
        assert_eq!((ran.id, ran.state.as_str()), (job.id, state::QUEUED));
        assert_eq!(ran.result, "tidied");
        assert_eq!(ran.run_at, hourly.next_after(now()).unwrap());
        assert!(Schedule::cron("61 * * * *").is_err());
    }
}

#[tokio::test]
async fn finished_jobs_are_pruned_after_a_week() {
    for store in testing::backends().await {
        let r = runner(&store, vec![failing("x")]);
        store.enqueue_job("flaky", "old", "", 0).await.unwrap();
        store
            .enqueue_job("flaky", "waiting", "", now() + 3600)
            .await
            .unwrap();
        let old = store.find_job("flaky", "old").await.unwrap().unwrap().id;
        store.request_job_cancel(old).await.unwrap();
        testing::execute_sql(
            &store,
            &format!("UPDATE jobs SET finished_at = 1 WHERE id = {old}"),
        )
        .await;
        let prune = store
            .find_job(wharf_jobs::PRUNE, "every_10_minutes")
            .await
            .unwrap();
        assert!(prune.is_none(), "scheduled by the runner");
        r.schedule_recurring().await.unwrap();
        let prune = store
            .find_job(wharf_jobs::PRUNE, "every_10_minutes")
            .await
            .unwrap()
            .unwrap();
        due_now(&store, prune.id).await;
        let ran = r.run_one().await.unwrap().unwrap();
        assert_eq!(ran.result, "1 removed");
        assert!(store.get_job(old).await.unwrap().is_none());
        assert!(store.find_job("flaky", "waiting").await.unwrap().is_some());
    }
}

/// The effect is done, the process dies before the job is finished, the lease lapses
/// and another node runs the job again: the effect is not repeated.
#[tokio::test]
async fn an_effect_is_not_repeated_when_a_killed_job_runs_again() {
    for store in testing::backends().await {
        let sent = Arc::new(AtomicUsize::new(0));
        let effect = |sent: Arc<AtomicUsize>| async move {
            sent.fetch_add(1, Ordering::SeqCst);
            Ok::<_, JobError>("250 queued")
        };
        store.enqueue_job("mail", "9", "", 0).await.unwrap();
        // Node A: claims with a short lease, sends, and is killed.
        let a = store
            .claim_job_of(
                "node-a",
                &[KindClaim {
                    kind: "mail",
                    lease_secs: 1,
                    limit: 0,
                }],
            )
            .await
            .unwrap()
            .unwrap();
        let first = wharf_jobs::once(&store, "send:9", Some(a.id), effect(sent.clone()))
            .await
            .unwrap();
        assert_eq!(first, Once::Done("250 queued"));
        tokio::time::sleep(Duration::from_millis(2100)).await;
        // Node B: the same job again.
        let s = sent.clone();
        let b = runner(
            &store,
            vec![Kind::new("mail", move |ctx: JobCtx| {
                let s = s.clone();
                async move {
                    match ctx.once("send:9", effect(s)).await? {
                        Once::Done(_) => Ok(Outcome::Done("sent now".into())),
                        Once::AlreadyDone(_) => Ok(Outcome::Done("sent before".into())),
                    }
                }
            })],
        );
        let job = b.run_one().await.unwrap().expect("taken over");
        assert_eq!((job.id, job.attempts), (a.id, 2));
        assert_eq!(job.result, "sent before");
        assert_eq!(sent.load(Ordering::SeqCst), 1, "sent once");
        // A failed effect is not recorded, so it may be tried again.
        let failed = wharf_jobs::once(&store, "send:10", None, async {
            Err::<(), JobError>(JobError::Retry("421 try later".into()))
        })
        .await;
        assert!(failed.is_err());
        assert_eq!(store.effect_done_at("send:10").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_panicking_handler_fails_its_run_not_the_runner() {
    for store in testing::backends().await {
        let r = runner(
            &store,
            vec![
                Kind::new("boom", |ctx: JobCtx| async move {
                    if ctx.job().attempts < 2 {
                        panic!("bug");
                    }
                    Ok(Outcome::done())
                })
                .retry(Retry {
                    max_attempts: 3,
                    base_secs: 1,
                    cap_secs: 1,
                }),
            ],
        );
        store.enqueue_job("boom", "", "", 0).await.unwrap();
        let job = r.run_one().await.unwrap().unwrap();
        assert_eq!(job.state, state::QUEUED);
        assert!(
            job.last_error.contains("handler stopped"),
            "{}",
            job.last_error
        );
        due_now(&store, job.id).await;
        assert_eq!(r.run_one().await.unwrap().unwrap().state, state::DONE);
    }
}

/// A request made while a job of its kind and key runs (a flag changed again, another
/// move) is not swallowed: the job runs once more after the run that was going, for
/// any way that run ends.
#[tokio::test]
async fn a_request_made_during_a_run_causes_another_run_afterwards() {
    for store in testing::backends().await {
        for ending in ["done", "retry", "permanent"] {
            let runs = Arc::new(AtomicUsize::new(0));
            let (entered_tx, entered_rx) = tokio::sync::oneshot::channel::<()>();
            let entered = Arc::new(std::sync::Mutex::new(Some(entered_tx)));
            let release = Arc::new(tokio::sync::Notify::new());
            let (r2, e2, rel2) = (runs.clone(), entered.clone(), release.clone());
            let r = runner(
                &store,
                vec![
                    Kind::new("flags", move |_ctx: JobCtx| {
                        let (runs, entered, release) = (r2.clone(), e2.clone(), rel2.clone());
                        async move {
                            let n = runs.fetch_add(1, Ordering::SeqCst);
                            if n == 0 {
                                if let Some(tx) = entered.lock().unwrap().take() {
                                    let _ = tx.send(());
                                }
                                release.notified().await;
                                return match ending {
                                    "retry" => Err(JobError::RetryAt(now() + 3600, "later".into())),
                                    "permanent" => Err(JobError::Permanent("refused".into())),
                                    _ => Ok(Outcome::done()),
                                };
                            }
                            Ok(Outcome::done())
                        }
                    })
                    .retry(Retry {
                        max_attempts: 5,
                        base_secs: 3600,
                        cap_secs: 3600,
                    }),
                ],
            );
            let key = format!("m-{ending}");
            store.run_job_now("flags", &key).await.unwrap();
            let first = tokio::spawn({
                let r = r.clone();
                async move { r.run_one().await.unwrap().unwrap() }
            });
            entered_rx.await.unwrap();
            // The second request arrives while the first run is going.
            store.run_job_now("flags", &key).await.unwrap();
            release.notify_one();
            let after_first = first.await.unwrap();
            assert_eq!(after_first.state, state::QUEUED, "{ending}: queued again");
            assert!(after_first.run_at <= now(), "{ending}: due at once");
            let second = r.run_one().await.unwrap().expect("runs again");
            assert_eq!(second.state, state::DONE, "{ending}");
            assert_eq!(runs.load(Ordering::SeqCst), 2, "{ending}: two runs");
            assert!(
                r.run_one().await.unwrap().is_none(),
                "{ending}: not a third"
            );
        }
    }
}
