//! A refused delivery corrected and sent again, nothing written twice.

use super::*;

/// A mail the SMTP server refused for good: the Outbox lists it with the reason, the
/// message offers "Correct and send again", and that form comes back filled —
/// recipients, subject, text and the attachment — so nothing is written twice.
#[tokio::test]
async fn a_refused_delivery_can_be_corrected_and_sent_again() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = store
            .complete_setup("first-admin-pass", "127.0.0.1")
            .await
            .unwrap();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let actor = store.load_actor(admin).await.unwrap().unwrap();
        let account = store
            .create_account(
                wharf_store::Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "sales@wharf.test".into(),
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
        let raw = "From: sales@wharf.test\r\nTo: Tom <tom@buyer.example>\r\nSubject: Price list\r\n\
                   Message-ID: <pl1@wharf.test>\r\nMIME-Version: 1.0\r\n\
                   Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlease find our prices.\r\n\
                   --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=prices.pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n";
        let (message, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            Some(admin),
            "sales@wharf.test",
            &["tom@buyer.example".to_string()],
            raw.as_bytes().to_vec(),
        )
        .await
        .unwrap();
        store
            .record_send_attempt(
                outgoing,
                "failed",
                "550 5.1.1 <tom@buyer.example>: user unknown",
                0,
            )
            .await
            .unwrap();
        let session = store
            .create_session(admin, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let cookie = format!("wharf_session={}", session.token);
        let (s, _, outbox) = send(&app, get("/mail?view=outbox", &cookie, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            outbox.contains("Price list") && outbox.contains("user unknown"),
            "{outbox}"
        );
        let (_, _, open) = send(
            &app,
            get(&format!("/mail?view=outbox&m={message}"), &cookie, "en"),
        )
        .await;
        assert!(
            open.contains(&format!("/mail/compose?again={message}")),
            "{open}"
        );
        let (s, _, again) = send(
            &app,
            get(&format!("/mail/compose?again={message}"), &cookie, "en"),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(again.contains("Correct and send again"));
        assert!(
            again.contains("value=\"&quot;Tom&quot; &lt;tom@buyer.example&gt;\""),
            "recipients, with their names"
        );
        assert!(again.contains("value=\"Price list\""), "subject");
        assert!(again.contains("Please find our prices."), "text");
        assert!(again.contains("prices.pdf"), "the attachment is offered");
        // Received mail cannot be "sent again".
        let inbound = env
            .ingestor()
            .ingest_raw(
                vec![(
                    b"From: tom@buyer.example\r\nTo: sales@wharf.test\r\nSubject: Hi\r\n\r\nx\r\n"
                        .to_vec(),
                    wharf_mailbox::ingest::Origin {
                        account_id: account,
                        own_addresses: vec!["sales@wharf.test".into()],
                        folder_role: "inbox".into(),
                        ..Default::default()
                    },
                )],
                None,
            )
            .await
            .unwrap()[0]
            .id();
        let (s, _, _) = send(
            &app,
            get(&format!("/mail/compose?again={inbound}"), &cookie, "en"),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
}
