//! Supervision without side effects on the server (issue 17), against real Dovecot on
//! SQLite and PostgreSQL: a manager opening her salesperson's unread mail leaves
//! `\Seen` unset on the IMAP server; the salesperson opening it sets it.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wharf_core::mail::account::AccountInput;
use wharf_core::org::DepartmentInput;
use wharf_mailbox::sync::{SyncOptions, sync_account};
use wharf_store::testing::{self, backends, ctx};

async fn server_seen(s: &MailServers, user: &str) -> bool {
    let endpoint = wharf_mail::net::Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: wharf_mail::net::Security::None,
        accept_invalid_certs: true,
    };
    let mut conn = wharf_mail::imap::login(&endpoint, user, PASSWORD)
        .await
        .unwrap();
    conn.select("INBOX").await.unwrap();
    let uids: Vec<u32> = conn
        .uids_from(1)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let fetched = conn.fetch(&uids).await.unwrap();
    conn.logout().await;
    fetched[0].flags.contains("\\Seen")
}

#[tokio::test]
async fn a_supervisors_read_leaves_seen_unset_on_the_server() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let admin = testing::admin(&store).await;
        let sales = store
            .create_department(
                ctx(&admin),
                DepartmentInput {
                    name: "Sales".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let lucy = testing::staff(&store, &admin, "lucy", "salesperson", Some(sales)).await;
        let mia = testing::staff(&store, &admin, "mia", "department_manager", Some(sales)).await;
        let user = fresh_user("supervised");
        let addr = format!("{user}@{}", s.domain);
        append(&s, &user, &[message(1, &addr)]).await;
        let account = store
            .create_account(
                ctx(&admin),
                &env.vault,
                AccountInput {
                    address: addr.clone(),
                    kind: "personal".into(),
                    owner_id: Some(lucy.user_id),
                    in_protocol: "imap".into(),
                    in_host: s.host.clone(),
                    in_port: i64::from(s.imap),
                    in_security: "none".into(),
                    in_username: user.clone(),
                    in_password: PASSWORD.into(),
                    out_host: s.host.clone(),
                    out_port: i64::from(s.submission),
                    out_security: "starttls".into(),
                    out_username: user.clone(),
                    accept_invalid_certs: true,
                    leave_on_server: true,
                    sync_enabled: true,
                    max_attachment_mb: 25,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        let id = store.account_messages(account).await.unwrap()[0].id;
        assert!(!server_seen(&s, &user).await);

        // The manager reads it: nothing queued; a push of its state leaves it unread.
        let read = store.open_message(ctx(&mia), id, "pane").await.unwrap();
        assert!(!read.summary.seen);
        assert!(
            store
                .find_job(wharf_store::jobs::kinds::FLAGS, &id.to_string())
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            wharf_mailbox::flags::push(&env, id).await,
            (None, String::new())
        );
        assert!(!server_seen(&s, &user).await, "still unread on the server");

        // Lucy reads it: marked read, queued, and \Seen on the server once pushed.
        store.open_message(ctx(&lucy), id, "pane").await.unwrap();
        assert!(
            store
                .find_job(wharf_store::jobs::kinds::FLAGS, &id.to_string())
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            wharf_mailbox::flags::push(&env, id).await,
            (None, String::new())
        );
        assert!(
            server_seen(&s, &user).await,
            "\\Seen set by the owner's read"
        );
    }
}
