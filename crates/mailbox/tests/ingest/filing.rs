//! Filing and labels (MAIL-2, MAIL-5, MAIL-7): own folders, tags, mail types, the Outbox and
//! deleted mail.

use wharf_store::Ctx;
use wharf_store::testing::backends;

use crate::setup::*;

/// Filing and labels (MAIL-2, MAIL-5, MAIL-7): folders of one's own with move and copy,
/// tags, mail types, the Outbox of undelivered mail, and finding deleted mail.
#[tokio::test]
async fn folders_tags_types_outbox_and_deleted_mail() {
    use wharf_store::mail::filing::MoveTarget;
    use wharf_store::mail::view::{MailQuery, MailView};
    for store in backends().await {
        let (env, account) = setup(&store).await;
        let actor = store
            .load_actor(store.find_login("admin").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .unwrap();
        let ctx = Ctx {
            actor: &actor,
            ip: "127.0.0.1",
        };
        let list = |view: MailView, text: Option<&str>| {
            let (store, actor) = (store.clone(), actor.clone());
            let q = MailQuery {
                view,
                account_id: None,
                after: None,
                limit: 50,
                text: text.map(str::to_string),
                party: None,
            };
            async move {
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
        let inbox = || MailView::Folder("inbox".into());
        let a = ingest(&env, account, "From: a@acme.com\r\nTo: sales@wharf.test\r\nSubject: ACME order\r\nMessage-ID: <o1@acme>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nPO 7\r\n").await;
        let b = ingest(&env, account, "From: b@bolt.com\r\nTo: sales@wharf.test\r\nSubject: Bolt invoice\r\nMessage-ID: <i1@bolt>\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n\r\nINV 9\r\n").await;

        // A folder of one's own: a move takes the mail out of Inbox (not off Pending),
        // a copy leaves it where it is; names are unique per account.
        let acme = store.create_folder(ctx, account, "ACME").await.unwrap();
        let dup = store.create_folder(ctx, account, "acme").await.unwrap_err();
        assert!(format!("{dup:?}").contains("duplicate_name"), "{dup:?}");
        let empty = store.create_folder(ctx, account, "  ").await.unwrap_err();
        assert!(format!("{empty:?}").contains("required"));
        let archive = store.create_folder(ctx, account, "2026").await.unwrap();
        store
            .move_message(ctx, a, MoveTarget::Folder(acme))
            .await
            .unwrap();
        store.copy_message(ctx, b, archive).await.unwrap();
        assert_eq!(list(inbox(), None).await, vec!["Bolt invoice"]);
        assert_eq!(
            list(MailView::UserFolder(acme), None).await,
            vec!["ACME order"]
        );
        assert_eq!(
            list(MailView::UserFolder(archive), None).await,
            vec!["Bolt invoice"]
        );
        assert_eq!(
            list(MailView::Pending, None).await.len(),
            2,
            "filed mail is still pending"
        );
        // Moving on from a folder, then back home.
        store
            .move_message(ctx, a, MoveTarget::Folder(archive))
            .await
            .unwrap();
        assert!(list(MailView::UserFolder(acme), None).await.is_empty());
        store.move_message(ctx, a, MoveTarget::Home).await.unwrap();
        assert_eq!(list(inbox(), None).await.len(), 2);
        // Deleting a folder deletes no mail.
        store
            .move_message(ctx, a, MoveTarget::Folder(acme))
            .await
            .unwrap();
        store.rename_folder(ctx, acme, "ACME Ltd").await.unwrap();
        store.delete_folder(ctx, acme).await.unwrap();
        assert_eq!(list(inbox(), None).await.len(), 2, "back in Inbox");
        assert!(
            store
                .user_folders(&actor)
                .await
                .unwrap()
                .iter()
                .all(|f| f.id != acme)
        );

        // Tags (created on first use, matched without case) and the mail type.
        let urgent = store.tag_message(ctx, a, "Urgent").await.unwrap();
        let again = store.tag_message(ctx, b, "urgent").await.unwrap();
        assert_eq!(urgent, again);
        assert_eq!(list(MailView::Tag(urgent.id), None).await.len(), 2);
        store.untag_message(ctx, b, urgent.id).await.unwrap();
        assert_eq!(
            list(MailView::Tag(urgent.id), None).await,
            vec!["ACME order"]
        );
        let types = store
            .list_dict(&actor, wharf_core::dict::DictKind::MailType)
            .await
            .unwrap();
        let invoice = types.iter().find(|t| t.code == "invoice").unwrap().id;
        store.set_mail_type(ctx, b, Some(invoice)).await.unwrap();
        assert_eq!(
            list(MailView::MailType(invoice), None).await,
            vec!["Bolt invoice"]
        );
        let country = store
            .list_dict(&actor, wharf_core::dict::DictKind::Country)
            .await
            .unwrap()[0]
            .id;
        assert!(
            store.set_mail_type(ctx, b, Some(country)).await.is_err(),
            "only mail types"
        );

        // The Outbox: queued and failed mail, with the reason; delivered mail leaves it.
        let (_, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            None,
            "sales@wharf.test",
            &["x@acme.com".to_string()],
            b"From: sales@wharf.test\r\nTo: x@acme.com\r\nSubject: Quote 12\r\nMessage-ID: <q12@wharf>\r\n\r\n12 USD\r\n".to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(list(MailView::Outbox, None).await, vec!["Quote 12"]);
        store
            .record_send_attempt(outgoing, "failed", "550 5.1.1 no such user", 0)
            .await
            .unwrap();
        assert_eq!(list(MailView::Outbox, None).await, vec!["Quote 12"]);
        store
            .record_send_attempt(outgoing, "sent", "", 0)
            .await
            .unwrap();
        assert!(list(MailView::Outbox, None).await.is_empty());

        // Deleted mail is found again by subject, sender or Message-ID, with who deleted it.
        store.set_trashed(ctx, a, true).await.unwrap();
        store.set_trashed(ctx, b, true).await.unwrap();
        assert_eq!(
            list(MailView::Trash, Some("acme")).await,
            vec!["ACME order"]
        );
        assert_eq!(
            list(MailView::Trash, Some("I1@BOLT")).await,
            vec!["Bolt invoice"]
        );
        assert!(list(MailView::Trash, Some("100%_")).await.is_empty());
        let q = MailQuery {
            view: MailView::Trash,
            account_id: None,
            after: None,
            limit: 50,
            text: None,
            party: None,
        };
        let trashed = store.list_mail(&actor, &q).await.unwrap().0;
        assert!(
            trashed
                .iter()
                .all(|m| m.deleted_at.is_some() && m.deleted_by_name.is_some())
        );

        // A salesperson who cannot use the account can neither see nor file its mail.
        let role = store
            .list_roles(&actor)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let li = store
            .create_staff(
                ctx,
                wharf_core::org::StaffInput {
                    username: "li".into(),
                    name: "Li".into(),
                    role_id: Some(role),
                    status: "active".into(),
                    password: Some("welcome-123".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let li = store.load_actor(li).await.unwrap().unwrap();
        let li_ctx = Ctx {
            actor: &li,
            ip: "127.0.0.1",
        };
        let folder = store.create_folder(ctx, account, "Kept").await.unwrap();
        let not_found = |e: wharf_store::StoreError| {
            assert!(
                matches!(
                    e,
                    wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound)
                ),
                "{e:?}"
            )
        };
        not_found(
            store
                .create_folder(li_ctx, account, "Mine")
                .await
                .unwrap_err(),
        );
        not_found(
            store
                .move_message(li_ctx, b, MoveTarget::Folder(folder))
                .await
                .unwrap_err(),
        );
        not_found(store.copy_message(li_ctx, b, folder).await.unwrap_err());
        not_found(store.tag_message(li_ctx, b, "x").await.unwrap_err());
        not_found(store.set_mail_type(li_ctx, b, None).await.unwrap_err());
        not_found(
            store
                .rename_folder(li_ctx, folder, "Taken")
                .await
                .unwrap_err(),
        );
        not_found(store.delete_folder(li_ctx, folder).await.unwrap_err());
        assert!(store.user_folders(&li).await.unwrap().is_empty());
        let q = MailQuery {
            view: MailView::UserFolder(folder),
            account_id: None,
            after: None,
            limit: 50,
            text: None,
            party: None,
        };
        assert!(store.list_mail(&li, &q).await.unwrap().0.is_empty());
    }
}
