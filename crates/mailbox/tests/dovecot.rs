//! Sync, sending and settings checks against real Dovecot and Postfix on loopback
//! (started by `scripts/test`), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wharf_mail::net::{Endpoint, Security, Step};
use wharf_mailbox::check::{CheckSettings, check};
use wharf_mailbox::sync::{SyncOptions, sync_account};
use wharf_store::testing::backends;

fn imap_endpoint(s: &MailServers) -> Endpoint {
    Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: Security::None,
        accept_invalid_certs: true,
    }
}

/// Every message in a user's INBOX on the server, with its bytes and flags.
async fn server_inbox(s: &MailServers, user: &str) -> Vec<wharf_mail::imap::Fetched> {
    let mut conn = wharf_mail::imap::login(&imap_endpoint(s), user, PASSWORD)
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
    let server = conn.fetch(&uids).await.unwrap();
    conn.logout().await;
    server
}

/// Every INBOX message on the server is stored once, byte for byte.
async fn assert_inbox_matches(
    env: &wharf_mailbox::Env,
    s: &MailServers,
    user: &str,
    account: i64,
) -> usize {
    let server = server_inbox(s, user).await;
    let folders = env.store.list_folders(account).await.unwrap();
    let inbox = folders.iter().find(|f| f.role == "inbox").unwrap();
    let stored = env.store.folder_uids(inbox.id).await.unwrap();
    assert_eq!(
        stored.len(),
        server.len(),
        "one stored location per server message"
    );
    for (f, (uid, hash)) in server.iter().zip(&stored) {
        assert_eq!(i64::from(f.uid), *uid);
        assert_eq!(&wharf_mail::sha256_hex(&f.bytes), hash);
        assert_eq!(
            env.read_blob(hash).await.unwrap(),
            f.bytes,
            "stored bytes are the server's"
        );
    }
    server.len()
}

#[tokio::test]
async fn imap_sync_is_incremental_and_exact() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let actor = admin(&store).await;
        let user = fresh_user("sync");
        let addr = format!("{user}@{}", s.domain);
        append(
            &s,
            &user,
            &(0..25).map(|n| message(n, &addr)).collect::<Vec<_>>(),
        )
        .await;
        let account = account(&env, &actor, &s, &user, "imap").await;
        let opts = SyncOptions {
            batch_messages: 7,
            ..Default::default()
        };
        let first = sync_account(&env, account, &opts).await.unwrap();
        assert_eq!(first.fetched, 25);
        assert!(first.idle, "Dovecot offers IDLE");
        assert_eq!(assert_inbox_matches(&env, &s, &user, account).await, 25);
        // Nothing new: nothing fetched again.
        assert_eq!(sync_account(&env, account, &opts).await.unwrap().fetched, 0);
        append(&s, &user, &[message(100, &addr), message(101, &addr)]).await;
        assert_eq!(sync_account(&env, account, &opts).await.unwrap().fetched, 2);
        assert_eq!(assert_inbox_matches(&env, &s, &user, account).await, 27);
        let a = env.store.get_account(&actor, account).await.unwrap();
        assert_eq!(a.sync_state, "idle");
        assert_eq!(a.message_count, 27);
        let folders = env.store.list_folders(account).await.unwrap();
        assert!(
            folders.iter().any(|f| f.role == "sent"),
            "special-use Sent found"
        );
    }
}

#[tokio::test]
async fn same_bytes_twice_on_the_server_are_one_message_in_two_places() {
    let Some(s) = servers() else { return };
    let store = wharf_store::testing::sqlite().await;
    let env = env_for(&store);
    let actor = admin(&store).await;
    let user = fresh_user("dup");
    let m = message(1, &format!("{user}@{}", s.domain));
    append(&s, &user, &[m.clone(), m]).await;
    let account = account(&env, &actor, &s, &user, "imap").await;
    sync_account(&env, account, &SyncOptions::default())
        .await
        .unwrap();
    assert_eq!(env.store.account_messages(account).await.unwrap().len(), 1);
    assert_eq!(assert_inbox_matches(&env, &s, &user, account).await, 2);
}

#[tokio::test]
async fn pop3_sync_by_uidl() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let actor = admin(&store).await;
        let user = fresh_user("pop");
        let addr = format!("{user}@{}", s.domain);
        append(
            &s,
            &user,
            &(0..5).map(|n| message(n, &addr)).collect::<Vec<_>>(),
        )
        .await;
        let account = account(&env, &actor, &s, &user, "pop3").await;
        let first = sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        assert_eq!(first.fetched, 5);
        assert_eq!(
            sync_account(&env, account, &SyncOptions::default())
                .await
                .unwrap()
                .fetched,
            0
        );
        append(&s, &user, &[message(9, &addr)]).await;
        assert_eq!(
            sync_account(&env, account, &SyncOptions::default())
                .await
                .unwrap()
                .fetched,
            1
        );
        let stored = env.store.account_messages(account).await.unwrap();
        assert_eq!(stored.len(), 6);
        // POP3 hands out CRLF text: the stored bytes are exactly what the server sent,
        // which for these CRLF messages is what was appended.
        let server = server_inbox(&s, &user).await;
        assert_eq!(server.len(), 6, "left on the server");
        for f in server {
            let hash = wharf_mail::sha256_hex(&f.bytes);
            assert!(stored.iter().any(|m| m.blob_hash == hash));
        }
    }
}

#[tokio::test]
async fn settings_check_names_the_failing_step() {
    let Some(s) = servers() else { return };
    let base = CheckSettings {
        in_protocol: "imap".into(),
        incoming: imap_endpoint(&s),
        in_username: "alice".into(),
        in_password: "alicepass".into(),
        outgoing: Endpoint {
            host: s.host.clone(),
            port: s.submission,
            security: Security::StartTls,
            accept_invalid_certs: true,
        },
        out_username: "alice".into(),
        out_password: "alicepass".into(),
    };
    let ok = check(&base).await;
    assert!(ok.receive.as_ref().unwrap().is_ok(), "{:?}", ok.receive);
    assert!(ok.send.is_ok(), "{:?}", ok.send);

    let wrong = check(&CheckSettings {
        in_password: "nope".into(),
        out_password: "nope".into(),
        ..base.clone()
    })
    .await;
    assert_eq!(wrong.receive.unwrap().unwrap_err().step, Step::Login);
    assert_eq!(wrong.send.unwrap_err().step, Step::Login);

    // TLS spoken to a plain-text port.
    let tls = check(&CheckSettings {
        incoming: Endpoint {
            security: Security::Tls,
            ..base.incoming.clone()
        },
        in_protocol: "imap".into(),
        ..base.clone()
    })
    .await;
    assert_eq!(tls.receive.unwrap().unwrap_err().step, Step::Tls);

    // The real certificate is self-signed: refused unless the account accepts it.
    let strict = check(&CheckSettings {
        incoming: Endpoint {
            port: s.imaps,
            security: Security::Tls,
            accept_invalid_certs: false,
            ..base.incoming.clone()
        },
        ..base.clone()
    })
    .await;
    assert_eq!(strict.receive.unwrap().unwrap_err().step, Step::Tls);
    let lenient = check(&CheckSettings {
        incoming: Endpoint {
            port: s.imaps,
            security: Security::Tls,
            accept_invalid_certs: true,
            ..base.incoming.clone()
        },
        in_protocol: "imap".into(),
        ..base.clone()
    })
    .await;
    assert!(lenient.receive.unwrap().is_ok());

    let closed = check(&CheckSettings {
        incoming: Endpoint {
            port: 1,
            ..base.incoming.clone()
        },
        ..base.clone()
    })
    .await;
    assert_eq!(closed.receive.unwrap().unwrap_err().step, Step::Connect);

    let dns = check(&CheckSettings {
        incoming: Endpoint {
            host: "no-such-host.invalid".into(),
            ..base.incoming.clone()
        },
        ..base.clone()
    })
    .await;
    assert_eq!(dns.receive.unwrap().unwrap_err().step, Step::Dns);

    let pop = check(&CheckSettings {
        in_protocol: "pop3".into(),
        incoming: Endpoint {
            port: s.pop3,
            security: Security::StartTls,
            ..base.incoming.clone()
        },
        ..base.clone()
    })
    .await;
    assert!(pop.receive.unwrap().is_ok(), "POP3 with STLS");
}

#[tokio::test]
async fn sending_delivers_and_files_the_sent_copy() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let actor = admin(&store).await;
        let sender = fresh_user("send");
        let rcpt = fresh_user("rcpt");
        let from = format!("{sender}@{}", s.domain);
        let to = format!("{rcpt}@{}", s.domain);
        let account = account(&env, &actor, &s, &sender, "imap").await;
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        let bytes = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: Quotation\r\nMessage-ID: <q-{sender}@wharf>\r\n\r\nPrice: 12 USD\r\n"
        )
        .into_bytes();
        let (message, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            None,
            &from,
            std::slice::from_ref(&to),
            bytes.clone(),
        )
        .await
        .unwrap();
        let (next, error) = wharf_mailbox::send::deliver(&env, outgoing).await;
        assert_eq!((next, error.as_str()), (None, ""));
        let out = env.store.get_outgoing(outgoing).await.unwrap().unwrap();
        assert_eq!(out.state, "sent");
        assert!(out.appended_to_sent);
        // It arrives (through Postfix and LMTP) in the recipient's mailbox.
        let mut arrived = false;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            let mut conn = wharf_mail::imap::login(&imap_endpoint(&s), &rcpt, PASSWORD)
                .await
                .unwrap();
            let sel = conn.select("INBOX").await.unwrap();
            conn.logout().await;
            if sel.exists == 1 {
                arrived = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(arrived, "the message reached the recipient");
        // Syncing the Sent folder finds the appended copy: same message, no duplicate.
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        let stored = env.store.account_messages(account).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].id, message);
        assert_eq!(stored[0].direction, "out");

        // A malformed recipient is a permanent failure: no retry, the reason kept.
        let bad_rcpt = env
            .store
            .create_outgoing(
                account,
                message,
                None,
                &from,
                &["not an address".to_string()],
            )
            .await
            .unwrap();
        assert_eq!(wharf_mailbox::send::deliver(&env, bad_rcpt).await.0, None);
        let out = env.store.get_outgoing(bad_rcpt).await.unwrap().unwrap();
        assert_eq!(out.state, "failed");
        assert!(
            out.last_error.contains("not an address"),
            "{}",
            out.last_error
        );

        // A transient failure (nobody listening) is retried later with the reason kept.
        let bad = env
            .store
            .create_outgoing(account, message, None, &from, std::slice::from_ref(&to))
            .await
            .unwrap();
        let mut a = env.store.get_account(&actor, account).await.unwrap();
        a.out_port = 1;
        let input = wharf_core::mail::account::AccountInput {
            address: a.address.clone(),
            kind: a.kind.clone(),
            in_protocol: a.in_protocol.clone(),
            in_host: a.in_host.clone(),
            in_port: a.in_port,
            in_security: a.in_security.clone(),
            in_username: a.in_username.clone(),
            out_host: a.out_host.clone(),
            out_port: 1,
            out_security: "none".into(),
            out_username: a.out_username.clone(),
            accept_invalid_certs: true,
            leave_on_server: true,
            sync_enabled: true,
            max_attachment_mb: 25,
            ..Default::default()
        };
        env.store
            .update_account(
                wharf_store::Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                account,
                input,
            )
            .await
            .unwrap();
        let (next, _) = wharf_mailbox::send::deliver(&env, bad).await;
        assert!(next.is_some(), "retried later");
        let out = env.store.get_outgoing(bad).await.unwrap().unwrap();
        assert_eq!(out.state, "retrying");
        assert!(!out.last_error.is_empty());
    }
}

/// A TCP proxy to the IMAP port that cuts every connection after `limit` bytes from the
/// server (read anew for each connection).
async fn cutting_proxy(
    s: &MailServers,
    limit: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = format!("{}:{}", s.host, s.imap);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let target = target.clone();
            let cut_after = limit.load(std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let server = tokio::net::TcpStream::connect(target).await.unwrap();
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let up = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut cr, &mut sw).await;
                });
                let mut sent = 0usize;
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let n = match sr.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let n = n.min(cut_after.saturating_sub(sent));
                    if n == 0 || cw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                    sent += n;
                }
                up.abort();
                // Dropping both halves closes the connection mid-answer.
            });
        }
    });
    port
}

#[tokio::test]
async fn dropped_connection_and_a_30_mb_message() {
    let Some(s) = servers() else { return };
    let store = wharf_store::testing::sqlite().await;
    let env = env_for(&store);
    let actor = admin(&store).await;
    let user = fresh_user("cut");
    let addr = format!("{user}@{}", s.domain);
    let body = "Quotation line for the buyer, item and price.\r\n".repeat(200);
    let messages: Vec<Vec<u8>> = (0..60)
        .map(|n| {
            let mut m = message(n, &addr);
            m.extend_from_slice(body.as_bytes());
            m
        })
        .collect();
    append(&s, &user, &messages).await;
    let mut big = format!("From: buyer@example.com\r\nTo: {addr}\r\nSubject: Catalogue\r\nContent-Type: text/plain\r\n\r\n").into_bytes();
    while big.len() < 30 * 1024 * 1024 {
        big.extend_from_slice(
            b"0123456789 catalogue page with many products and prices 0123456789\r\n",
        );
    }
    append(&s, &user, std::slice::from_ref(&big)).await;

    let limit = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(300 * 1024));
    let proxy = cutting_proxy(&s, limit.clone()).await;
    let servers_via_proxy = MailServers {
        imap: proxy,
        ..s.clone()
    };
    let account = account(&env, &actor, &servers_via_proxy, &user, "imap").await;
    let opts = SyncOptions {
        batch_messages: 10,
        ..Default::default()
    };
    // The server "drops" the connection mid-fetch: a clear error, what was committed stays.
    let err = sync_account(&env, account, &opts).await.unwrap_err();
    let a = env.store.get_account(&actor, account).await.unwrap();
    assert_eq!(a.sync_state, "error");
    assert!(!a.sync_error.is_empty(), "the reason is recorded: {err}");
    let partial = env.store.account_messages(account).await.unwrap().len();
    assert!(partial < 61, "stopped part way ({partial})");

    // The connection is good again: the sync resumes and ends with exactly the server's mail.
    limit.store(usize::MAX, std::sync::atomic::Ordering::SeqCst);
    let done = sync_account(&env, account, &opts).await.unwrap();
    assert_eq!(done.fetched + partial, 61, "nothing fetched twice");
    assert_eq!(assert_inbox_matches(&env, &s, &user, account).await, 61);
    assert_eq!(
        env.store
            .get_account(&actor, account)
            .await
            .unwrap()
            .sync_state,
        "idle"
    );
}

#[tokio::test]
async fn idle_push_flag_changes_and_folder_choice() {
    let Some(s) = servers() else { return };
    let store = wharf_store::testing::sqlite().await;
    let env = env_for(&store);
    let actor = admin(&store).await;
    let user = fresh_user("idle");
    let addr = format!("{user}@{}", s.domain);
    append(&s, &user, &[message(1, &addr)]).await;
    let account = account(&env, &actor, &s, &user, "imap").await;

    // The worker, polling only every 10 minutes: new mail can only come in through IDLE.
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let worker = tokio::spawn(wharf_mailbox::worker::run(
        env.clone(),
        wharf_mailbox::worker::WorkerConfig {
            poll_seconds: 600,
            idle_seconds: 60,
            concurrency: 2,
            ..Default::default()
        },
        stop.clone(),
    ));
    // Up to 45 s (a loaded machine), still well under the 60 s of an IDLE wait that
    // missed the news.
    let count = |n: usize| {
        let store = store.clone();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
            while std::time::Instant::now() < deadline {
                if store.account_messages(account).await.unwrap().len() == n {
                    return true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            false
        }
    };
    assert!(count(1).await, "first sync by the worker");
    // The worker reports "idle" just before it selects INBOX and waits; mail that comes
    // in between is seen by that SELECT and fetched at once (no wait for IDLE).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    while store.get_account(&actor, account).await.unwrap().sync_state != "idle" {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never went idle"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    append(&s, &user, &[message(2, &addr)]).await;
    assert!(
        count(2).await,
        "the new message arrives within seconds through IDLE"
    );
    stop.notify_waiters();
    worker.abort();

    // Read on the server (another mail client): CONDSTORE brings the flag over.
    let mut conn = wharf_mail::imap::login(&imap_endpoint(&s), &user, PASSWORD)
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
    conn.add_flags(&uids[..1], "\\Seen").await.unwrap();
    conn.logout().await;
    assert_eq!(
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap()
            .fetched,
        0
    );
    let msgs = env.store.account_messages(account).await.unwrap();
    assert_eq!(
        msgs.iter().filter(|m| m.seen).count(),
        1,
        "the \\Seen flag synced"
    );

    // Folder choice: Sent switched off is not synced.
    let folders = env.store.list_folders(account).await.unwrap();
    let inbox = folders.iter().find(|f| f.role == "inbox").unwrap().id;
    env.store
        .select_folders(
            wharf_store::Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            account,
            &[inbox],
        )
        .await
        .unwrap();
    let mut conn = wharf_mail::imap::login(&imap_endpoint(&s), &user, PASSWORD)
        .await
        .unwrap();
    let sent = folders
        .iter()
        .find(|f| f.role == "sent")
        .unwrap()
        .name
        .clone();
    conn.append(&sent, "\\Seen", &message(3, &addr))
        .await
        .unwrap();
    conn.logout().await;
    assert_eq!(
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap()
            .fetched,
        0
    );
}

#[tokio::test]
async fn read_and_star_go_back_to_the_server() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let env = env_for(&store);
        let actor = admin(&store).await;
        let user = fresh_user("flags");
        let addr = format!("{user}@{}", s.domain);
        append(&s, &user, &[message(1, &addr)]).await;
        let account = account(&env, &actor, &s, &user, "imap").await;
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        let id = env.store.account_messages(account).await.unwrap()[0].id;
        let server_flags = || async { server_inbox(&s, &user).await.remove(0).flags };
        assert!(!server_flags().await.contains("\\Seen"));
        env.store.set_seen(&actor, id, true).await.unwrap();
        env.store.set_flagged(&actor, id, true).await.unwrap();
        assert_eq!(
            wharf_mailbox::flags::push(&env, id).await,
            (None, String::new())
        );
        let f = server_flags().await;
        assert!(f.contains("\\Seen") && f.contains("\\Flagged"), "{f}");
        env.store.set_seen(&actor, id, false).await.unwrap();
        env.store.set_flagged(&actor, id, false).await.unwrap();
        assert_eq!(
            wharf_mailbox::flags::push(&env, id).await,
            (None, String::new())
        );
        let f = server_flags().await;
        assert!(!f.contains("\\Seen") && !f.contains("\\Flagged"), "{f}");
    }
}
