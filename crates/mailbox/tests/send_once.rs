//! Sending is an exactly-once effect on the job runner: a delivery recorded by a run
//! that died before it marked the message sent is not made again when the job runs
//! again; one not recorded is tried again.
#![allow(clippy::unwrap_used)]

mod common;

use wharf_jobs::{Registry, Runner, state};
use wharf_mailbox::worker::{self, WorkerConfig};
use wharf_store::{Ctx, testing};

#[tokio::test]
async fn a_recorded_delivery_is_not_sent_again() {
    for store in testing::backends().await {
        let env = common::env_for(&store);
        let actor = common::admin(&store).await;
        // A loopback port nobody listens on: any real attempt fails there.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut input = testing::local_account("sales@wharf.test", None);
        input.out_port = i64::from(closed);
        let account = store
            .create_account(
                Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                input,
            )
            .await
            .unwrap();
        let raw =
            b"From: sales@wharf.test\r\nTo: buyer@example.com\r\nSubject: Offer\r\n\r\nHello\r\n";
        let (_, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            None,
            "sales@wharf.test",
            &["buyer@example.com".to_string()],
            raw.to_vec(),
        )
        .await
        .unwrap();
        let registry = Registry::new()
            .with(worker::kinds(&env, &WorkerConfig::default()))
            .unwrap();
        let runner = Runner::new(store.clone(), registry, 2);

        // Not recorded: the job tries, the server is away, it comes round again.
        let job = runner.run_one().await.unwrap().expect("the send job");
        assert_eq!(
            (job.kind.as_str(), job.state.as_str()),
            ("send", state::QUEUED)
        );
        assert_eq!(
            store.get_outgoing(outgoing).await.unwrap().unwrap().state,
            "retrying"
        );

        // A run delivered it and died before saying so: the next run does not send.
        let key = wharf_mailbox::send::effect_key(outgoing);
        assert!(store.record_effect(&key, Some(job.id)).await.unwrap());
        testing::execute_sql(
            &store,
            &format!("UPDATE jobs SET run_at = 0 WHERE id = {}", job.id),
        )
        .await;
        let job = runner.run_one().await.unwrap().expect("the send job again");
        assert_eq!(job.state, state::DONE, "{}", job.last_error);
        let out = store.get_outgoing(outgoing).await.unwrap().unwrap();
        assert_eq!(out.state, "sent", "{}", out.last_error);
        assert!(out.sent_at.is_some());
    }
}
