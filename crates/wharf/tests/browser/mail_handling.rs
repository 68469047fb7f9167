//! Steps of the mail account journey on the synced mailbox: a draft that survives an
//! expired session, filing and labels, a reply with an attachment through Postfix.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::driver::*;

/// The session ends while a mail is being written: the draft cannot reach the server,
/// stays in the browser, and comes back after signing in again.
pub async fn draft_survives_an_expired_session(c: &Client, base: &str) {
    c.goto(&format!("{base}/mail/compose")).await.unwrap();
    expect_text(c, "jodit-wysiwyg").await;
    fill(c, "#f-subject", "Offer for Hamburg").await;
    c.delete_cookie("wharf_session").await.unwrap();
    click(c, ".jodit-wysiwyg").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys("Dear Mr. Vogel,")
        .await
        .unwrap();
    let mut kept = false;
    for _ in 0..40 {
        let state = c
            .find(Locator::Css("#draft-state"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if state.contains("kept in this browser") {
            kept = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(kept, "the user is told the draft is kept in the browser");
    sign_in(c, base, "admin", "first-admin-pass").await;
    expect_text(c, "Sign out").await;
    c.goto(&format!("{base}/mail/compose")).await.unwrap();
    let restored = expect_text(c, "Your unsaved text was restored.").await;
    assert!(
        restored.contains("Dear Mr. Vogel,"),
        "the text is back in the editor"
    );
    let subject = c
        .find(Locator::Css("#f-subject"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(subject.as_deref(), Some("Offer for Hamburg"));
}

/// A 1x1 PNG, as an image pasted into the editor.
const PNG_1PX: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/// Files RFQ 0 into a new folder, tags it and gives it a type, each found again from
/// the sidebar; then trashes RFQ 2 and finds it among the deleted mail.
pub async fn file_and_label(c: &Client, base: &str) {
    c.goto(&format!("{base}/mail")).await.unwrap();
    click(c, "#new-folder summary").await;
    fill(c, "#f-folder_name", "ACME").await;
    click(c, "#create-folder").await;
    let folder_page = expect_text(c, "<h1>ACME</h1>").await;
    assert!(
        folder_page.contains("id=\"empty\""),
        "a new folder is empty"
    );
    c.goto(&format!("{base}/mail")).await.unwrap();
    let inbox = expect_text(c, "RFQ 0").await;
    let start = inbox.find("RFQ 0").unwrap();
    let href_at = inbox[..start].rfind("href=\"").unwrap() + 6;
    let href = inbox[href_at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    c.goto(&format!("{base}{href}")).await.unwrap();
    expect_text(c, "id=\"move-form\"").await;
    fill(c, "#f-tag", "urgent").await;
    click(c, "#add-tag").await;
    expect_text(c, "# urgent").await;
    c.find(Locator::XPath(
        "//select[@id='f-mail_type']/option[normalize-space()='Quote']",
    ))
    .await
    .expect("the Quote type is offered")
    .click()
    .await
    .unwrap();
    expect_text(c, "selected=\"\">Quote<").await;
    click(c, "#move").await;
    let moved = expect_text(c, "Back to its own folder").await;
    assert!(moved.contains("id=\"move-form\""));
    c.goto(&format!("{base}/mail")).await.unwrap();
    let inbox = expect_text(c, "RFQ 2").await;
    assert!(!inbox.contains("RFQ 0"), "moved out of Inbox");
    let folder = c
        .find(Locator::Css("#user-folders a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{base}{folder}")).await.unwrap();
    let filed = expect_text(c, "RFQ 0").await;
    assert!(
        filed.contains("class=\"chip type\">Quote<") && filed.contains("# urgent"),
        "its type and tag show in the list"
    );
    click(c, "#tag-links a").await;
    // The tag's link is marked once its filter is on (the folder before lists RFQ 0 too).
    let tagged = expect_text(c, "class=\"on\"># urgent").await;
    assert!(tagged.contains("RFQ 0"), "the tagged mail is listed");
    snapshot(c, "filed").await;

    // Trash RFQ 2, then find it among the deleted mail with who deleted it.
    c.goto(&format!("{base}/mail")).await.unwrap();
    let inbox = expect_text(c, "RFQ 2").await;
    let start = inbox.find("RFQ 2").unwrap();
    let href_at = inbox[..start].rfind("href=\"").unwrap() + 6;
    let href = inbox[href_at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    c.goto(&format!("{base}{href}")).await.unwrap();
    click(c, "#trash").await;
    // The Trash view's search box (the path is /mail before and after the click).
    expect_text(c, "id=\"trash-search\"").await;
    fill(c, "#f-q", "rfq-2").await;
    c.find(Locator::Css("#trash-search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The results page carries the words searched (the click returns before it loads).
    let found = expect_text(c, "value=\"rfq-2\"").await;
    assert!(
        found.contains("Deleted by") && found.contains("RFQ 2"),
        "found by Message-ID"
    );
    fill(c, "#f-q", "no such mail").await;
    c.find(Locator::Css("#trash-search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let none = expect_text(c, "value=\"no such mail\"").await;
    assert!(none.contains("id=\"empty\""));
}

/// Reply to RFQ 1 with an attachment: it leaves through Postfix, lands in the
/// recipient's mailbox and in the server's Sent folder, and Pending empties by one.
pub async fn reply_with_attachment(
    c: &Client,
    base: &str,
    data: &Path,
    endpoint: &wharf_mail::net::Endpoint,
    user: &str,
) {
    c.goto(&format!("{base}/mail?view=pending")).await.unwrap();
    let list = expect_text(c, "RFQ 1").await;
    let start = list.find("RFQ 1").unwrap();
    let href_at = list[..start].rfind("href=\"").unwrap() + 6;
    let href = list[href_at..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    // The reply on its own page, with the rich-text editor (the reading pane writes
    // plain text: mail_client covers it).
    let id = href.split("m=").nth(1).unwrap().split('&').next().unwrap();
    c.goto(&format!("{base}/mail/compose?reply={id}"))
        .await
        .unwrap();
    expect_text(c, "Re: RFQ 1").await;
    let quote_file = data.join("quotation.pdf");
    std::fs::write(&quote_file, b"%PDF-1.4 quotation for RFQ 1").unwrap();
    // The rich-text editor: bold from its toolbar, then a table and a pasted image.
    expect_text(c, "jodit-wysiwyg").await;
    // The caret waits on the first line; typing goes there, above the quote.
    click(c, ".jodit-toolbar-button_bold button").await;
    c.active_element()
        .await
        .unwrap()
        .send_keys("Our price is 12 USD.")
        .await
        .unwrap();
    c.execute(
        &format!(
            "wharfEditor.s.insertHTML('<table border=\"1\"><tbody><tr><td>Item</td><td>FOB</td></tr><tr><td>Valve</td><td>12 USD</td></tr></tbody></table><p><img src=\"data:image/png;base64,{PNG_1PX}\" alt=\"logo\"></p>');"
        ),
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("#f-files"))
        .await
        .unwrap()
        .send_keys(quote_file.to_str().unwrap())
        .await
        .unwrap();
    // The draft saves itself while writing.
    let mut saved = false;
    for _ in 0..40 {
        let state = c
            .find(Locator::Css("#draft-state"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if state.starts_with("Draft saved") {
            saved = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(saved, "the draft was saved while writing");
    c.goto(&format!("{base}/mail?view=drafts")).await.unwrap();
    let drafts = expect_text(c, "id=\"drafts\"").await;
    assert!(drafts.contains("Re: RFQ 1"), "listed under Drafts");
    c.find(Locator::Css("#drafts li a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let reopened = expect_text(c, "Our price is 12 USD.").await;
    assert!(reopened.contains("Re: RFQ 1"));
    c.find(Locator::Css("#f-files"))
        .await
        .unwrap()
        .send_keys(quote_file.to_str().unwrap())
        .await
        .unwrap();
    snapshot(c, "reply").await;
    // A malformed recipient: refused with the reason, the text and the file kept.
    fill(c, "#f-to", "buyer1-at-example.com").await;
    click(c, "#send").await;
    let refused = expect_text(c, "“buyer1-at-example.com” is not an e-mail address").await;
    assert!(
        refused.contains("id=\"kept-uploads\"") && refused.contains("quotation.pdf"),
        "the uploaded file is kept, not asked for again"
    );
    assert!(refused.contains("Our price is 12 USD."), "the text is kept");
    fill(c, "#f-to", "buyer1@example.com").await;
    click(c, "#send").await;
    expect_path(c, "/mail").await;
    // "Sending…" turns into "Sent" by itself, from the live stream: no reload (the
    // marker set on this page survives).
    c.execute("window.wharfMarker = 'same page';", vec![])
        .await
        .unwrap();
    let mut delivered = false;
    for _ in 0..120 {
        let state = c
            .find(Locator::Css("#delivery"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if state == "Sent" {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(delivered, "the reply shows as sent without a reload");
    assert_eq!(
        c.execute("return window.wharfMarker || null;", vec![])
            .await
            .unwrap(),
        serde_json::json!("same page"),
        "the page was not reloaded"
    );
    let mail_page = source(c).await;
    c.goto(&format!("{base}/mail?view=drafts")).await.unwrap();
    assert!(
        !source(c).await.contains("id=\"drafts\""),
        "the sent draft is gone"
    );
    c.goto(&format!("{base}/mail?view=sent")).await.unwrap();
    drop(mail_page);
    assert!(
        source(c).await.contains("id=\"count-pending\">1<"),
        "Pending empties by one"
    );
    // Outside addresses end in the catch-all mailbox of the test server.
    let mut found = None;
    for _ in 0..50 {
        let mut conn = wharf_mail::imap::login(endpoint, "catchall", "catchallpass")
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
        let all = conn.fetch(&uids).await.unwrap();
        conn.logout().await;
        found = all.into_iter().map(|f| f.bytes).find(|b| {
            let t = String::from_utf8_lossy(b);
            t.contains(&format!("{user}@example.test")) && t.contains("Re: RFQ 1")
        });
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let arrived = wharf_mail::parse(&found.expect("the reply reached buyer1's mailbox")).unwrap();
    assert!(
        arrived.text.contains("Our price is 12 USD."),
        "{}",
        arrived.text
    );
    assert!(
        arrived.text.contains("> Please quote."),
        "the original is quoted in the plain-text alternative: {}",
        arrived.text
    );
    assert!(
        arrived.text.contains("Valve | 12 USD"),
        "the table as text: {}",
        arrived.text
    );
    let html = arrived.html.clone().unwrap_or_default();
    assert!(
        html.contains("<strong>Our price is 12 USD.") && html.contains("<table"),
        "bold and the table in the HTML: {html}"
    );
    let image = arrived
        .attachments
        .iter()
        .find(|a| a.inline)
        .expect("the pasted image travels inside the mail");
    let cid = image.content_id.clone().unwrap_or_default();
    assert!(html.contains(&format!("cid:{cid}")), "referenced by cid");
    assert!(image.bytes.starts_with(b"\x89PNG"));
    let pdf = arrived
        .attachments
        .iter()
        .find(|a| a.filename == "quotation.pdf")
        .expect("the attachment");
    assert_eq!(pdf.bytes, b"%PDF-1.4 quotation for RFQ 1");
    assert_eq!(arrived.in_reply_to.len(), 1, "threaded to the inquiry");
    let mut conn = wharf_mail::imap::login(endpoint, user, "testpass")
        .await
        .unwrap();
    let sent = conn.select("Sent").await.unwrap();
    conn.logout().await;
    assert_eq!(sent.exists, 1, "the copy is in the server's Sent folder");
}
