//! "Only show mail since" (ACC-5): mail older than the account's date stays stored but
//! is not listed, counted or put on Pending.

use wharf_store::Ctx;
use wharf_store::testing::backends;

use crate::setup::*;

#[tokio::test]
async fn mail_before_the_accounts_since_date_is_kept_but_not_listed() {
    use wharf_store::mail::view::{MailQuery, MailView};
    for store in backends().await {
        let (env, _) = setup(&store).await;
        let actor = store
            .load_actor(store.find_login("admin").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .unwrap();
        // 2026-01-01 00:00 UTC.
        let since = 1_767_225_600;
        let account = store
            .create_account(
                Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "since@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    show_since: Some(since),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let old = ingest(&env, account, "From: a@buyer.com\r\nTo: since@wharf.test\r\nSubject: Last year\r\nMessage-ID: <s1@x>\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\r\nPrice?\r\n").await;
        ingest(&env, account, "From: b@buyer.com\r\nTo: since@wharf.test\r\nSubject: This year\r\nMessage-ID: <s2@x>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n\r\nPrice?\r\n").await;
        let list = |view: MailView| {
            let store = store.clone();
            let actor = actor.clone();
            async move {
                let q = MailQuery {
                    view,
                    account_id: Some(account),
                    after: None,
                    limit: 50,
                    text: None,
                    party: None,
                };
                store
                    .list_mail(&actor, &q)
                    .await
                    .unwrap()
                    .0
                    .into_iter()
                    .map(|m| m.subject)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            list(MailView::Folder("inbox".into())).await,
            vec!["This year"]
        );
        assert_eq!(list(MailView::Pending).await, vec!["This year"]);
        assert_eq!(
            store.counts_for_accounts(&[account]).await.unwrap(),
            (1, 1),
            "unread and Pending count only what is shown"
        );
        // Beside an account without a date, each counts by its own rule.
        let other = store
            .create_account(
                Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "all@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        ingest(&env, other, "From: c@buyer.com\r\nTo: all@wharf.test\r\nSubject: Old but shown\r\nMessage-ID: <s3@x>\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\r\nPrice?\r\n").await;
        assert_eq!(
            store.counts_for_accounts(&[account, other]).await.unwrap(),
            (2, 2)
        );
        assert_eq!(store.counts_for_accounts(&[other]).await.unwrap(), (1, 1));
        // Still stored, as it came.
        assert_eq!(
            store
                .get_message(&actor, old)
                .await
                .unwrap()
                .summary
                .subject,
            "Last year"
        );
    }
}
