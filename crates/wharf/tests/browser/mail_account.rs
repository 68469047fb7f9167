//! A mail account set up in the browser against the loopback Dovecot / Postfix, synced by
//! the server's worker, then read, answered, filed and turned into a customer (the steps in
//! `mail_handling` and `mail_to_customer`).

use std::time::Duration;

use fantoccini::Locator;

use crate::driver::*;
use crate::mail_handling::{
    draft_survives_an_expired_session, file_and_label, reply_with_attachment,
};
use crate::mail_to_customer::stranger_becomes_a_customer;

/// A mail account set up in the browser against the loopback Dovecot / Postfix: a wrong
/// password is named as such by "Test settings", the right one works for receiving and
/// sending, and once saved the server's worker syncs the mailbox into the account.
#[tokio::test]
async fn admin_adds_a_mail_account_that_syncs() {
    let (Some(host), Some(imap), Some(submission)) = (
        std::env::var("WHARF_TEST_MAIL_HOST").ok(),
        std::env::var("WHARF_TEST_IMAP_PORT").ok(),
        std::env::var("WHARF_TEST_SUBMISSION_PORT").ok(),
    ) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no mail servers"
        );
        eprintln!("skipped: no mail servers (run through scripts/test)");
        return;
    };
    let user = format!("web-{}", std::process::id());
    let endpoint = wharf_mail::net::Endpoint {
        host: host.clone(),
        port: imap.parse().unwrap(),
        security: wharf_mail::net::Security::None,
        accept_invalid_certs: true,
    };
    let mut conn = wharf_mail::imap::login(&endpoint, &user, "testpass")
        .await
        .unwrap();
    for n in 0..3 {
        let m = format!(
            "From: buyer{n}@example.com\r\nTo: {user}@example.test\r\nSubject: RFQ {n}\r\nMessage-ID: <rfq-{n}-{user}@example.com>\r\n\r\nPlease quote.\r\n"
        );
        conn.append("INBOX", "", m.as_bytes()).await.unwrap();
    }
    conn.logout().await;

    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;

    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "No messages here.").await;
    click(c, "#accounts-link").await;
    expect_path(c, "/mail/accounts").await;
    click(c, "#new-account").await;
    expect_path(c, "/mail/accounts/new").await;
    // Typing an address at a known provider fills its servers.
    fill(c, "#f-address", "lucy@qq.com").await;
    click(c, "#f-display_name").await;
    let filled = c
        .find(Locator::Css("#f-in_host"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        filled.as_deref(),
        Some("imap.qq.com"),
        "the QQ preset filled the IMAP server"
    );
    fill_incoming(c, &user, &host, &imap).await;
    fill(c, "#f-in_password", "wrong-password").await;
    fill(c, "#f-out_host", &host).await;
    fill(c, "#f-out_port", &submission).await;
    choose(c, "#f-out_security", "starttls").await;
    click(c, "#f-accept_invalid_certs").await;
    click(c, "#test-settings").await;
    let page = expect_text(c, "id=\"check-receive\"").await;
    assert!(
        page.contains("refused the login"),
        "the failing step is named"
    );

    fill(c, "#f-in_password", "testpass").await;
    click(c, "#test-settings").await;
    expect_text(c, "Receiving</strong>: works").await;
    snapshot(c, "account-form-tested").await;
    expect_text(c, "Sending</strong>: works").await;
    fill(c, "#f-in_password", "testpass").await;
    click(c, "#save").await;
    // The account page (a reload before the save has landed would post nothing).
    expect_text(c, "id=\"sync-state\"").await;

    // The account page: the worker syncs the three messages without a reload by hand.
    let mut synced = false;
    for _ in 0..60 {
        let page = source(c).await;
        if page.contains("id=\"message-count\">3<") && page.contains("Up to date") {
            synced = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        c.refresh().await.unwrap();
    }
    assert!(synced, "the account shows its three messages, up to date");
    assert!(source(c).await.contains("INBOX"), "its folders are listed");
    snapshot(c, "account-page").await;

    // The mailbox: three unread in Inbox, all three waiting in Pending, oldest first.
    c.goto(&format!("{base}/mail")).await.unwrap();
    let inbox = expect_text(c, "RFQ 2").await;
    assert!(
        inbox.contains("id=\"count-inbox\">3<") && inbox.contains("id=\"count-pending\">3<"),
        "counts"
    );
    click(c, "#view-pending").await;
    let pending = expect_text(c, "waiting").await;
    let (p0, p2) = (
        pending.find("RFQ 0").unwrap(),
        pending.find("RFQ 2").unwrap(),
    );
    assert!(p0 < p2, "Pending is oldest first");
    c.find(Locator::Css("#mail-list li a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let open = expect_text(c, "id=\"mail-body\"").await;
    assert!(
        open.contains("Please quote.") && open.contains("sandbox="),
        "shown in a sandboxed frame"
    );
    snapshot(c, "mailbox").await;
    click(c, "#dismiss").await;
    expect_text(c, "id=\"count-pending\">2<").await;
    assert!(
        source(c).await.contains("id=\"count-inbox\">2<"),
        "read on opening"
    );
    reply_with_attachment(c, &base, &b.data, &endpoint, &user).await;

    // New mail shows up live: no reload, the counts change and a notice appears.
    let before = c
        .find(Locator::Css("#count-inbox"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut conn = wharf_mail::imap::login(&endpoint, &user, "testpass")
        .await
        .unwrap();
    let m = format!(
        "From: new@example.com\r\nTo: {user}@example.test\r\nSubject: Live one\r\n\r\nHi\r\n"
    );
    conn.append("INBOX", "", m.as_bytes()).await.unwrap();
    conn.logout().await;
    let mut live = false;
    for _ in 0..60 {
        let now = c
            .find(Locator::Css("#count-inbox"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let notice = c
            .find(Locator::Css("#live-notice"))
            .await
            .unwrap()
            .attr("hidden")
            .await
            .unwrap();
        if now != before && notice.is_none() {
            live = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(live, "the unread count rose from {before} without a reload");
    file_and_label(c, &base).await;
    draft_survives_an_expired_session(c, &base).await;
    stranger_becomes_a_customer(c, &base, &endpoint, &user).await;
    b.close().await;
}
