//! Wharf names itself with IMAP `ID` after login (NetEase refuses SELECT without it),
//! checked against the real Dovecot started by `scripts/test`: its answer comes back and
//! its log (`imap_id_log = *`) shows what we sent.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wharf_mail::net::{Endpoint, Security};

#[tokio::test]
async fn login_sends_id_naming_wharf() {
    let Some(s) = servers() else { return };
    let user = fresh_user("imapid");
    let endpoint = Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: Security::None,
        accept_invalid_certs: true,
    };
    let mut conn = wharf_mail::imap::login(&endpoint, &user, PASSWORD)
        .await
        .unwrap();
    let server = conn.server_id.clone().expect("Dovecot answers ID");
    assert_eq!(server.get("name").map(String::as_str), Some("Dovecot"));
    conn.select("INBOX").await.unwrap();
    conn.logout().await;

    // Dovecot's log names what the client sent, for this user's session.
    let root = std::env::var("WHARF_TEST_MAILDIR_ROOT").unwrap();
    let log = std::path::Path::new(&root).join("../dovecot/dovecot.log");
    let version = wharf_mail::imap::CLIENT_ID[1].1;
    let want = format!("ID sent: name=Wharf, version={version}, vendor=Wharf");
    let mut found = false;
    for _ in 0..40 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text
            .lines()
            .any(|l| l.contains(&format!("imap({user})")) && l.contains(&want))
        {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(found, "Dovecot's log shows `{want}` for {user}");
}
