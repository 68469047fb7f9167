//! The customer import as a job (issue 16): its progress is in the job's row, and a
//! restart — mid-run or after the commit — leases the job again without importing any
//! customer twice. Both databases.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use wharf_jobs::{Registry, Runner, state};
use wharf_store::customer_imports::ImportGroup;
use wharf_store::jobs::KindClaim;
use wharf_store::{Store, testing};
use wharf_web::features::customer_import::job::{IMPORT_JOB, ImportJob};

const FILE: &[u8] = b"Company,City\nRestart Co,Ningbo\nSecond Co,Xiamen\nThird Co,Qingdao\n";

/// An import of [`FILE`], mapped and queued as the run button does.
async fn queued_import(store: &Store, actor: &wharf_core::Actor) -> i64 {
    let import = store
        .create_import(actor, "leads.csv", FILE, 3)
        .await
        .unwrap();
    store
        .save_import_settings(
            actor,
            import,
            &["name".to_string(), "city".to_string()],
            "me",
            "reserve",
            false,
        )
        .await
        .unwrap();
    store.set_import_state(import, "running", "").await.unwrap();
    let payload = ImportJob {
        import,
        user: actor.user_id,
        ip: "127.0.0.1".into(),
        owners: vec![actor.user_id],
        failed_text: "failed: {reason}".into(),
    };
    let payload = serde_json::to_string(&payload).unwrap();
    assert!(
        store
            .enqueue_job(IMPORT_JOB, &import.to_string(), &payload, 0)
            .await
            .unwrap()
    );
    import
}

fn runner(store: &Store) -> Runner {
    Runner::new(
        store.clone(),
        Registry::new().with(wharf_web::job_kinds()).unwrap(),
        2,
    )
}

#[tokio::test]
async fn an_import_runs_as_a_job_with_its_progress_in_the_row() {
    for store in testing::backends().await {
        let actor = testing::admin(&store).await;
        let import = queued_import(&store, &actor).await;
        let job = runner(&store)
            .run_one()
            .await
            .unwrap()
            .expect("the import job");
        assert_eq!(job.state, state::DONE, "{}", job.last_error);
        assert_eq!((job.progress_done, job.progress_total), (3, 3));
        assert!(job.result.contains("\"customers\":3"), "{}", job.result);
        assert_eq!(store.import_state(&actor, import).await.unwrap().0, "done");
        assert_eq!(testing::count_rows(&store, "customers").await, 3);
    }
}

/// The process died mid-run (its transaction rolled back) and again after the commit
/// but before the job was marked done: every customer lands once.
#[tokio::test]
async fn a_restarted_import_does_not_duplicate_customers() {
    for store in testing::backends().await {
        let actor = testing::admin(&store).await;
        let import = queued_import(&store, &actor).await;
        // Node A claims it, writes a first customer in the import's transaction, dies.
        let claimed = store
            .claim_job_of(
                "node-a",
                &[KindClaim {
                    kind: IMPORT_JOB,
                    lease_secs: 1,
                    limit: 1,
                }],
            )
            .await
            .unwrap()
            .unwrap();
        {
            let mut w = store
                .start_import(
                    testing::ctx(&actor),
                    import,
                    &[actor.user_id],
                    "reserve",
                    Arc::new(AtomicUsize::new(0)),
                )
                .await
                .unwrap();
            let group = ImportGroup {
                customer: wharf_core::customer::CustomerInput {
                    name: "Restart Co".into(),
                    ..Default::default()
                },
                contacts: Vec::new(),
                existing: None,
            };
            w.write(vec![group], 1).await.unwrap();
        }
        assert_eq!(
            testing::count_rows(&store, "customers").await,
            0,
            "rolled back"
        );
        tokio::time::sleep(Duration::from_millis(2100)).await;
        // Node B takes the lapsed lease over and runs it from the start.
        let r = runner(&store);
        let job = r.run_one().await.unwrap().expect("taken over");
        assert_eq!((job.id, job.attempts), (claimed.id, 2));
        assert_eq!(job.state, state::DONE, "{}", job.last_error);
        assert_eq!(testing::count_rows(&store, "customers").await, 3);
        // Node B died after the commit, before it marked the job done: run again, the
        // import's own state (committed with its rows) says it is done.
        testing::execute_sql(
            &store,
            &format!(
                "UPDATE jobs SET state = 'running', lease_owner = 'node-b', lease_until = 0 WHERE id = {}",
                job.id
            ),
        )
        .await;
        let again = r.run_one().await.unwrap().expect("leased again");
        assert_eq!(again.state, state::DONE);
        assert_eq!(again.result, "imported before");
        assert_eq!(testing::count_rows(&store, "customers").await, 3, "once");
    }
}

#[tokio::test]
async fn a_cancelled_import_is_rolled_back_and_may_run_again() {
    for store in testing::backends().await {
        let actor = testing::admin(&store).await;
        let import = queued_import(&store, &actor).await;
        let job = store
            .find_job(IMPORT_JOB, &import.to_string())
            .await
            .unwrap()
            .unwrap();
        // Asked to cancel before any node took it: it ends, nothing imported.
        assert!(store.request_job_cancel(job.id).await.unwrap());
        assert!(runner(&store).run_one().await.unwrap().is_none());
        assert_eq!(
            store.get_job(job.id).await.unwrap().unwrap().state,
            state::CANCELLED
        );
        assert_eq!(testing::count_rows(&store, "customers").await, 0);
    }
}
