//! Moves and folders made in Wharf, mirrored to real Dovecot (issue 17), on SQLite and
//! PostgreSQL: a move lands in the new server folder and leaves the old; a Chinese
//! folder is `&…-` on the server and syncs back under its Chinese name; rename and
//! delete follow; a retry after the connection dropped mid-move makes no second copy;
//! a server's refusal keeps the Wharf move and leaves a note; a message deleted for
//! good is expunged from the server once.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wharf_mail::imap::{self, ImapConn};
use wharf_mailbox::folders::mirror_folder;
use wharf_mailbox::moves::{MOVE_REFUSED, MoveOptions, MoveOutcome, mirror_move};
use wharf_mailbox::sync::{SyncOptions, sync_account};
use wharf_store::mail::filing::MoveTarget;
use wharf_store::testing::{backends, ctx};

async fn connect(s: &MailServers, user: &str) -> ImapConn {
    let endpoint = wharf_mail::net::Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: wharf_mail::net::Security::None,
        accept_invalid_certs: true,
    };
    imap::login(&endpoint, user, PASSWORD).await.unwrap()
}

/// The SHA-256 of every message in a server folder.
async fn hashes_in(s: &MailServers, user: &str, folder: &str) -> Vec<String> {
    let mut conn = connect(s, user).await;
    conn.select(folder).await.unwrap();
    let uids: Vec<u32> = conn
        .uids_from(1)
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    let out = conn
        .fetch(&uids)
        .await
        .unwrap()
        .iter()
        .map(|f| wharf_mail::sha256_hex(&f.bytes))
        .collect();
    conn.logout().await;
    out
}

async fn server_folder_names(s: &MailServers, user: &str) -> Vec<String> {
    let mut conn = connect(s, user).await;
    let names = conn
        .folders()
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    conn.logout().await;
    names
}

/// An IMAP account with `n` messages in INBOX, synced; gives (env, account, message
/// ids by blob hash in arrival order).
async fn synced(
    store: &wharf_store::Store,
    s: &MailServers,
    user: &str,
    n: usize,
) -> (wharf_mailbox::Env, i64, Vec<(i64, String)>) {
    let env = env_for(store);
    let actor = admin(store).await;
    let addr = format!("{user}@{}", s.domain);
    append(
        s,
        user,
        &(0..n).map(|i| message(i, &addr)).collect::<Vec<_>>(),
    )
    .await;
    let account = account(&env, &actor, s, user, "imap").await;
    sync_account(&env, account, &SyncOptions::default())
        .await
        .unwrap();
    let messages = env
        .store
        .account_messages(account)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.blob_hash))
        .collect();
    (env, account, messages)
}

async fn actor_of(store: &wharf_store::Store) -> wharf_core::Actor {
    let id = store.find_login("admin").await.unwrap().unwrap().id;
    store.load_actor(id).await.unwrap().unwrap()
}

async fn push(env: &wharf_mailbox::Env, id: i64, opts: MoveOptions) -> MoveOutcome {
    mirror_move(env, id, opts, None).await.unwrap()
}

#[tokio::test]
async fn moves_show_on_the_server_in_the_new_folder_and_not_the_old() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let user = fresh_user("moves");
        let (env, account, msgs) = synced(&store, &s, &user, 3).await;
        let actor = actor_of(&store).await;
        let folder = store
            .create_folder(ctx(&actor), account, "Orders")
            .await
            .unwrap();
        // A move into a folder the server does not have yet waits for its create job.
        store
            .move_message(ctx(&actor), msgs[0].0, MoveTarget::Folder(folder))
            .await
            .unwrap();
        assert_eq!(
            push(&env, msgs[0].0, MoveOptions::default()).await,
            MoveOutcome::Wait
        );
        mirror_folder(&env, folder, None).await.unwrap();
        assert!(
            server_folder_names(&s, &user)
                .await
                .contains(&"Orders".to_string())
        );
        assert_eq!(
            push(&env, msgs[0].0, MoveOptions::default()).await,
            MoveOutcome::Done
        );
        assert_eq!(
            hashes_in(&s, &user, "Orders").await,
            vec![msgs[0].1.clone()]
        );
        assert!(!hashes_in(&s, &user, "INBOX").await.contains(&msgs[0].1));

        // Trash and Junk go to the server's special-use folders; the COPY path too.
        store
            .set_trashed(ctx(&actor), msgs[1].0, true)
            .await
            .unwrap();
        push(&env, msgs[1].0, MoveOptions { use_move: false }).await;
        assert_eq!(hashes_in(&s, &user, "Trash").await, vec![msgs[1].1.clone()]);
        store.set_spam(ctx(&actor), msgs[2].0, true).await.unwrap();
        push(&env, msgs[2].0, MoveOptions::default()).await;
        assert_eq!(hashes_in(&s, &user, "Junk").await, vec![msgs[2].1.clone()]);
        assert!(hashes_in(&s, &user, "INBOX").await.is_empty());

        // The next sync imports nothing twice and files nothing back.
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        assert_eq!(store.account_messages(account).await.unwrap().len(), 3);
        let filed = store.folders_of_message(&actor, msgs[0].0).await.unwrap();
        assert_eq!(filed.iter().map(|f| f.id).collect::<Vec<_>>(), vec![folder]);
        let plan = store.move_plan(msgs[0].0).await.unwrap().unwrap();
        assert_eq!(
            plan.places.len(),
            1,
            "one place, in Orders: {:?}",
            plan.places
        );
        assert_eq!(plan.places[0].path, "Orders");

        // Back home and restored from Trash: in INBOX again, once each.
        store
            .move_message(ctx(&actor), msgs[0].0, MoveTarget::Home)
            .await
            .unwrap();
        push(&env, msgs[0].0, MoveOptions::default()).await;
        store
            .set_trashed(ctx(&actor), msgs[1].0, false)
            .await
            .unwrap();
        push(&env, msgs[1].0, MoveOptions::default()).await;
        let mut inbox = hashes_in(&s, &user, "INBOX").await;
        inbox.sort();
        let mut want = vec![msgs[0].1.clone(), msgs[1].1.clone()];
        want.sort();
        assert_eq!(inbox, want);
        assert!(hashes_in(&s, &user, "Orders").await.is_empty());
        assert!(hashes_in(&s, &user, "Trash").await.is_empty());
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        assert_eq!(store.account_messages(account).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn a_chinese_folder_is_modified_utf7_on_the_server_and_syncs_back_by_its_name() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let user = fresh_user("utf7");
        let (env, account, msgs) = synced(&store, &s, &user, 1).await;
        let actor = actor_of(&store).await;
        let folder = store
            .create_folder(ctx(&actor), account, "客户资料")
            .await
            .unwrap();
        mirror_folder(&env, folder, None).await.unwrap();
        let path = imap::encode_folder_name("客户资料");
        assert!(path.starts_with('&') && path.ends_with('-'), "{path}");
        assert!(server_folder_names(&s, &user).await.contains(&path));
        store
            .move_message(ctx(&actor), msgs[0].0, MoveTarget::Folder(folder))
            .await
            .unwrap();
        push(&env, msgs[0].0, MoveOptions::default()).await;
        assert_eq!(hashes_in(&s, &user, &path).await, vec![msgs[0].1.clone()]);

        // Sync reads it back as the same folder, under its Chinese name, once.
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        let names: Vec<String> = store
            .user_folders(&actor)
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, vec!["客户资料".to_string()]);
        assert_eq!(store.account_messages(account).await.unwrap().len(), 1);

        // A rename follows on the server (with its mail); so does a delete, once empty.
        store
            .rename_folder(ctx(&actor), folder, "重要客户")
            .await
            .unwrap();
        mirror_folder(&env, folder, None).await.unwrap();
        let renamed = imap::encode_folder_name("重要客户");
        let on_server = server_folder_names(&s, &user).await;
        assert!(
            on_server.contains(&renamed) && !on_server.contains(&path),
            "{on_server:?}"
        );
        assert_eq!(
            hashes_in(&s, &user, &renamed).await,
            vec![msgs[0].1.clone()]
        );
        store.delete_folder(ctx(&actor), folder).await.unwrap();
        // Not empty yet: it waits for its mail to move home.
        assert!(matches!(
            mirror_folder(&env, folder, None).await.unwrap(),
            wharf_mailbox::folders::FolderOutcome::Again(_)
        ));
        push(&env, msgs[0].0, MoveOptions::default()).await;
        mirror_folder(&env, folder, None).await.unwrap();
        assert!(!server_folder_names(&s, &user).await.contains(&renamed));
        assert_eq!(hashes_in(&s, &user, "INBOX").await, vec![msgs[0].1.clone()]);
        assert!(store.user_folders(&actor).await.unwrap().is_empty());
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        assert!(store.user_folders(&actor).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_retry_after_a_dropped_connection_makes_no_second_copy() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let user = fresh_user("retry");
        let (env, _account, msgs) = synced(&store, &s, &user, 2).await;
        let actor = actor_of(&store).await;
        // The server did the move, then the connection dropped before Wharf heard:
        // nothing was recorded. The retry finds the copy instead of moving again.
        let mut conn = connect(&s, &user).await;
        conn.select("INBOX").await.unwrap();
        conn.move_uid(1, "Trash").await.unwrap();
        // The COPY path: copied, then dropped before `\Deleted` and the expunge.
        conn.copy_uid(2, "Junk").await.unwrap();
        conn.logout().await;
        store
            .set_trashed(ctx(&actor), msgs[0].0, true)
            .await
            .unwrap();
        store.set_spam(ctx(&actor), msgs[1].0, true).await.unwrap();
        for _ in 0..2 {
            push(&env, msgs[0].0, MoveOptions::default()).await;
            push(&env, msgs[1].0, MoveOptions { use_move: false }).await;
        }
        assert_eq!(hashes_in(&s, &user, "Trash").await, vec![msgs[0].1.clone()]);
        assert_eq!(hashes_in(&s, &user, "Junk").await, vec![msgs[1].1.clone()]);
        assert!(hashes_in(&s, &user, "INBOX").await.is_empty());
        for (id, _) in &msgs {
            let plan = store.move_plan(*id).await.unwrap().unwrap();
            assert_eq!(plan.places.len(), 1, "{:?}", plan.places);
        }
    }
}

#[tokio::test]
async fn a_refused_move_stays_in_wharf_with_a_note() {
    let Some(s) = servers() else { return };
    for store in backends().await {
        let user = fresh_user("refused");
        let mut conn = connect(&s, &user).await;
        conn.create_folder("Projects").await.unwrap();
        conn.logout().await;
        let (env, account, msgs) = synced(&store, &s, &user, 1).await;
        let actor = actor_of(&store).await;
        let projects = store
            .user_folders(&actor)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.name == "Projects")
            .unwrap();
        // Gone from the server behind Wharf's back: the server refuses the move.
        let mut conn = connect(&s, &user).await;
        conn.delete_folder("Projects").await.unwrap();
        conn.logout().await;
        store
            .move_message(ctx(&actor), msgs[0].0, MoveTarget::Folder(projects.id))
            .await
            .unwrap();
        assert_eq!(
            push(&env, msgs[0].0, MoveOptions::default()).await,
            MoveOutcome::Refused
        );
        assert_eq!(
            store.mirror_notes(account).await.unwrap().account,
            MOVE_REFUSED
        );
        let filed = store.folders_of_message(&actor, msgs[0].0).await.unwrap();
        assert_eq!(filed.len(), 1, "the Wharf move stays");
        assert_eq!(hashes_in(&s, &user, "INBOX").await, vec![msgs[0].1.clone()]);
    }
}

/// "Delete for good" in Wharf removes the server copy too, once: the deletion queues a
/// `mail_expunge` job in its own transaction; running it (again) removes exactly that
/// message from the server's Trash, and the next sync does not bring it back.
#[tokio::test]
async fn a_message_deleted_for_good_is_expunged_on_the_server_once() {
    use wharf_mailbox::expunge::{ExpungeOutcome, expunge};
    use wharf_store::mail::expunge::ExpungePlan;
    let Some(s) = servers() else { return };
    for store in backends().await {
        let user = fresh_user("purge");
        let (env, account, msgs) = synced(&store, &s, &user, 3).await;
        let actor = actor_of(&store).await;
        store
            .set_trashed(ctx(&actor), msgs[0].0, true)
            .await
            .unwrap();
        push(&env, msgs[0].0, MoveOptions::default()).await;
        assert_eq!(hashes_in(&s, &user, "Trash").await, vec![msgs[0].1.clone()]);

        store
            .delete_permanently(ctx(&actor), msgs[0].0)
            .await
            .unwrap();
        let job = store
            .claim_job("test", &[wharf_store::jobs::kinds::MAIL_EXPUNGE], 60)
            .await
            .unwrap()
            .expect("the deletion queued its expunge");
        let plan = ExpungePlan::from_payload(&job.payload).unwrap();
        assert_eq!(plan.account_id, account);
        assert_eq!(plan.copies.len(), 1);
        assert_eq!(plan.copies[0].path, "Trash");
        assert_eq!(
            expunge(&env, &plan, Some(job.id)).await.unwrap(),
            ExpungeOutcome::Done
        );
        assert!(
            hashes_in(&s, &user, "Trash").await.is_empty(),
            "gone from the server"
        );
        // Run again (a retry): nothing else goes.
        assert_eq!(
            expunge(&env, &plan, Some(job.id)).await.unwrap(),
            ExpungeOutcome::Done
        );
        let mut inbox = hashes_in(&s, &user, "INBOX").await;
        inbox.sort();
        let mut want = vec![msgs[1].1.clone(), msgs[2].1.clone()];
        want.sort();
        assert_eq!(inbox, want, "the others stay");
        sync_account(&env, account, &SyncOptions::default())
            .await
            .unwrap();
        assert_eq!(
            store.account_messages(account).await.unwrap().len(),
            2,
            "the next sync does not bring it back"
        );
    }
}
