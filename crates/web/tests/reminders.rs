//! Reminders of contact records, on both databases: at the reminder time the
//! `record_reminders` job pushes it once — a second run, or a runner started after a
//! restart, repeats nothing — and the live stream (`/mail/events`) brings it to its
//! author's open tabs only.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use wharf_jobs::{Registry, Runner, state};
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::{Store, testing};
use wharf_web::features::records::reminders::REMINDER_JOB;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

fn runner(store: &Store) -> Runner {
    Runner::new(
        store.clone(),
        Registry::new().with(wharf_web::job_kinds()).unwrap(),
        2,
    )
}

/// Runs the reminder kind once now (as its schedule would).
async fn run_reminders(store: &Store, key: &str) {
    store.enqueue_job(REMINDER_JOB, key, "", 0).await.unwrap();
    let job = runner(store).run_one().await.unwrap().expect("the job");
    // A recurring kind's job is queued again for its next time once done.
    assert!(
        [state::DONE, state::QUEUED].contains(&job.state.as_str()) && job.last_error.is_empty(),
        "{} {}",
        job.state,
        job.last_error
    );
}

/// The text of the stream's frames until `want` shows up or `wait` passes.
async fn read_until(body: &mut Body, want: &str, wait: Duration) -> String {
    let mut seen = String::new();
    let end = tokio::time::Instant::now() + wait;
    while !seen.contains(want) {
        match tokio::time::timeout_at(end, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    seen.push_str(&String::from_utf8_lossy(data));
                }
            }
            _ => break,
        }
    }
    seen
}

#[tokio::test]
async fn a_reminder_reaches_its_authors_tabs_once() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let app = router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        );
        let li = testing::staff(&store, &admin, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &admin, "wang", "salesperson", None).await;
        let mut cookies = Vec::new();
        for (name, id) in [("li", li.user_id), ("wang", wang.user_id)] {
            store
                .cli_reset_password(name, "chosen-pass-1")
                .await
                .unwrap();
            let s = store
                .create_session(id, "127.0.0.1", "test", POLICY)
                .await
                .unwrap();
            cookies.push(format!("wharf_session={}", s.token));
        }
        let customer = store
            .create_customer(
                testing::ctx(&li),
                wharf_core::customers::CustomerInput {
                    name: "Rotterdam Valves BV".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await
            .unwrap();
        let at = wharf_store::now() + 1;
        let record = store
            .add_contact_record(
                testing::ctx(&li),
                customer,
                wharf_core::records::RecordInput {
                    kind: "call".into(),
                    contact_id: None,
                    content: "Call back about the sample".into(),
                    progress_id: None,
                    happened_at: wharf_store::now() - 60,
                    next_revisit: None,
                    remind_at: Some(at),
                },
            )
            .await
            .unwrap();
        let stream = |cookie: &str| {
            let app = app.clone();
            let req = Request::get("/mail/events")
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap();
            async move {
                let res = app.oneshot(req).await.unwrap();
                assert_eq!(res.status(), StatusCode::OK);
                res.into_body()
            }
        };
        let mut li_tab = stream(&cookies[0]).await;
        let mut wang_tab = stream(&cookies[1]).await;
        // Not due yet: nothing is pushed.
        run_reminders(&store, "early").await;
        assert!(store.due_reminders(at - 1, 10).await.unwrap().is_empty());
        tokio::time::sleep(Duration::from_millis(1100)).await;
        run_reminders(&store, "due").await;
        let seen = read_until(&mut li_tab, "event: reminder", Duration::from_secs(10)).await;
        assert!(seen.contains("event: reminder"), "{seen}");
        assert!(seen.contains("Reminder: Rotterdam Valves BV"), "{seen}");
        assert!(seen.contains("#trail"), "{seen}");
        let other = read_until(&mut wang_tab, "event: reminder", Duration::from_secs(4)).await;
        assert!(!other.contains("event: reminder"), "only its author's tabs");
        // Again, and from a runner of a restarted node: nothing more.
        run_reminders(&store, "again").await;
        run_reminders(&store, "after-restart").await;
        assert_eq!(
            testing::fetch_text(
                &store,
                &format!(
                    "SELECT CAST(COUNT(*) AS TEXT) FROM job_effects WHERE effect_key = 'reminder:{record}:{at}'"
                )
            )
            .await,
            "1"
        );
        let again = read_until(&mut li_tab, "event: reminder", Duration::from_secs(4)).await;
        assert!(!again.contains("event: reminder"), "pushed once: {again}");
    }
}
