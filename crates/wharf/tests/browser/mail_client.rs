//! The mail client without page loads: a salesperson moves through her Inbox with the
//! keyboard, tags, marks and dismisses mail, goes Back to the list where she left it;
//! new mail reaches two tabs over one shared live connection; on a phone the message is
//! a pane of its own, and no page she uses scrolls sideways.

use std::process::Command;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::driver::*;

/// A salesperson, lucy, with her own (local) account and 60 inbound mails imported by
/// the CLI; she is signed in. Returns the account id.
async fn lucy_with_mail(b: &Browser) -> i64 {
    let store =
        wharf_store::Store::connect(&format!("sqlite://{}", b.data.join("wharf.db").display()))
            .await
            .unwrap();
    let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
    let admin = store.load_actor(admin_id).await.unwrap().unwrap();
    let ctx = wharf_store::Ctx {
        actor: &admin,
        ip: "127.0.0.1",
    };
    let role = store
        .list_roles(&admin)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some("salesperson"))
        .unwrap()
        .id;
    store
        .create_staff(
            ctx,
            wharf_core::org::StaffInput {
                username: "lucy".into(),
                name: "Lucy Wang".into(),
                role_id: Some(role),
                status: "active".into(),
                password: Some("lucy-first-pass".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    store
        .cli_reset_password("lucy", "lucy-own-pass-1")
        .await
        .unwrap();
    let lucy = store.find_login("lucy").await.unwrap().unwrap().id;
    let vault = wharf_store::vault::Vault::load_or_create(&b.data.join("secret.key")).unwrap();
    // Her replies go out through the loopback Postfix (submission, STARTTLS, a test
    // mailbox's login).
    let mut input = wharf_store::testing::local_account("lucy@wharf.test", Some(lucy));
    if let Ok(port) = std::env::var("WHARF_TEST_SUBMISSION_PORT") {
        input.out_port = port.parse().unwrap();
        input.out_security = "starttls".into();
        input.out_username = format!("lucy-{}", std::process::id());
        input.out_password = "testpass".into();
        input.accept_invalid_certs = true;
    }
    let account = store.create_account(ctx, &vault, input).await.unwrap();
    let mut mbox = String::new();
    for n in 0..60 {
        mbox.push_str(&format!(
            "From buyer{n}@example.com Mon Nov  2 10:00:00 2026\nFrom: Buyer {n} <buyer{n}@example.com>\nTo: lucy@wharf.test\nSubject: Inquiry {n:02}\nDate: Mon, 2 Nov 2026 {:02}:{:02}:00 +0000\nMessage-ID: <inq-{n}@example.com>\nContent-Type: text/plain; charset=utf-8\n\nPlease quote {n} valves.\n\nOn Sun, 1 Nov 2026, Lucy <lucy@wharf.test> wrote:\n> Our catalogue is attached.\n\n",
            n / 60 + 8,
            n % 60
        ));
    }
    import(b, account, "history.mbox", &mbox);
    click(&b.c, "#logout").await;
    sign_in(&b.c, &b.base, "lucy", "lucy-own-pass-1").await;
    expect_text(&b.c, "Lucy Wang").await;
    account
}

fn import(b: &Browser, account: i64, name: &str, mbox: &str) {
    let path = b.data.join(name);
    std::fs::write(&path, mbox).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wharf"))
        .args(["import", "--account", &account.to_string(), "--data-dir"])
        .arg(&b.data)
        .arg(&path)
        .env_remove("WHARF_DATABASE_URL")
        .env_remove("WHARF_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn key(c: &Client, k: &str) {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(k)
        .await
        .unwrap();
}

/// Waits (up to 10 s) until `script` returns true.
async fn until(c: &Client, script: &str, what: &str) {
    for _ in 0..100 {
        if js(c, script).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: never true: {script}");
}

async fn subject(c: &Client) -> String {
    c.find(Locator::Css("#subject"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn no_sideways_scroll(c: &Client, page: &str) {
    let w = js(
        c,
        "return [document.documentElement.scrollWidth, window.innerWidth];",
    )
    .await;
    assert!(
        w[0].as_i64().unwrap() <= w[1].as_i64().unwrap(),
        "{page} scrolls sideways: {w}"
    );
}

/// `r` on the open Inquiry 59: the reply form takes the reading pane (the list keeps
/// its scroll); a bad address is refused there with the file kept; the reply goes out
/// through Postfix with its attachment and its note turns "Sent" live; Discard on a
/// reply-all shows the message again. No page load throughout.
/// A one-page PDF ("Price list"), as a customer's attachment would be.
const PRICE_LIST_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 40 60 Td (Price list) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// Gives the sent reply's PDF preview link (checked at the end of the journey, as it
/// leaves the page).
async fn reply_in_the_pane(b: &Browser) -> String {
    let c = &b.c;
    let file = b.data.join("price-list.pdf");
    std::fs::write(&file, PRICE_LIST_PDF).unwrap();
    js(
        c,
        "document.getElementById('mail-list').scrollTop = 240; return true;",
    )
    .await;
    let top = js(c, "return document.getElementById('mail-list').scrollTop;").await;
    key(c, "r").await;
    until(c, "return !!document.querySelector('#reply-pane #f-to') && document.getElementById('msg-head').hidden;", "r opens the reply in the pane").await;
    let to = js(
        c,
        "return document.querySelector('#reply-pane #f-to').value;",
    )
    .await;
    assert_eq!(
        to,
        json!("\"Buyer 59\" <buyer59@example.com>"),
        "the name is kept"
    );
    // Plain text in the pane (the page's strict CSP has no room for the editor's
    // inline styles): the original quoted below, the caret above it.
    until(
        c,
        "var b = document.querySelector('#reply-pane #f-body'); return b.value.indexOf('Please quote 59 valves.') > 0 && document.activeElement === b;",
        "the original is quoted below",
    )
    .await;
    c.active_element()
        .await
        .unwrap()
        .send_keys("Our price is 12 USD.")
        .await
        .unwrap();
    snapshot(c, "client-reply-pane").await;
    c.find(Locator::Css("#reply-pane #f-files"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    fill(c, "#reply-pane #f-to", "buyer59-at-example.com").await;
    click(c, "#reply-pane #send").await;
    until(c, "var p = document.getElementById('reply-pane'); return !!p && p.textContent.indexOf('is not an e-mail address') >= 0 && !!document.getElementById('kept-uploads') && document.getElementById('kept-uploads').textContent.indexOf('price-list.pdf') >= 0;", "the refusal shows in the pane, the file kept").await;
    // Outside addresses are not relayed without a login; the test domain is delivered.
    let domain = std::env::var("WHARF_TEST_MAIL_DOMAIN").unwrap_or_else(|_| "example.test".into());
    fill(
        c,
        "#reply-pane #f-to",
        &format!("Buyer 59 <buyer59@{domain}>"),
    )
    .await;
    click(c, "#reply-pane #send").await;
    until(c, "return !!document.getElementById('pane-sent') && !document.getElementById('reply-pane') && document.getElementById('subject').textContent === 'Inquiry 59';", "sent: the message again, with the note").await;
    if std::env::var("WHARF_TEST_SUBMISSION_PORT").is_ok() {
        let mut state = Value::Null;
        for _ in 0..150 {
            state = js(c, "var n = document.getElementById('pane-sent'); return n.getAttribute('data-state') + ' ' + n.textContent;").await;
            if state.as_str().is_some_and(|s| s.starts_with("sent ")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            state.as_str().is_some_and(|s| s.starts_with("sent ")),
            "the note turns Sent: {state}"
        );
        assert!(
            js(
                c,
                "return document.getElementById('pane-sent-state').textContent;"
            )
            .await
                == json!("Sent")
        );
    }
    // The sent mail carries the file.
    js(c, "window.sentHas = null; fetch(document.getElementById('pane-sent-open').href + '&fragment=1').then(function (r) { return r.text(); }).then(function (t) { window.sentHas = t.indexOf('price-list.pdf') >= 0; var a = new DOMParser().parseFromString(t, 'text/html').querySelector('a.attachment-preview'); window.previewHref = a ? a.getAttribute('href') : null; }); return true;").await;
    until(
        c,
        "return window.sentHas === true;",
        "the attachment went out",
    )
    .await;
    assert_eq!(
        js(c, "return document.getElementById('mail-list').scrollTop;").await,
        top,
        "the list kept its scroll"
    );
    // Reply all, then Discard: the message is back.
    js(c, "document.activeElement.blur(); return true;").await;
    key(c, "a").await;
    until(
        c,
        "return !!document.getElementById('compose-discard');",
        "reply all in the pane",
    )
    .await;
    click(c, "#compose-discard").await;
    until(c, "return !document.getElementById('reply-pane') && !document.getElementById('msg-head').hidden;", "Discard shows the message").await;
    assert_eq!(
        js(c, "return window.wharfMarker;").await,
        json!("one page"),
        "no page load"
    );
    js(c, "return window.previewHref;")
        .await
        .as_str()
        .expect("the sent PDF has a preview link")
        .to_string()
}

/// The PDF preview (served inline with `Content-Security-Policy: sandbox`, `nosniff`)
/// opens in Chromium's own viewer rather than being refused or downloaded.
async fn pdf_previews_inline(c: &Client, base: &str, href: &str) {
    c.goto(&format!("{base}{href}")).await.unwrap();
    until(
        c,
        "return document.contentType === 'application/pdf' && !!document.body && getComputedStyle(document.body).backgroundColor === 'rgb(40, 40, 40)';",
        "the PDF opens in the browser's viewer",
    )
    .await;
    // The viewer draws the page (toolbar, thumbnail, "Price list") a moment later: its
    // screenshot is then far more than the empty dark frame's few kilobytes.
    let mut size = 0;
    for _ in 0..50 {
        size = c.screenshot().await.unwrap().len();
        if size > 12_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("PDF preview screenshot: {size} bytes");
    assert!(
        size > 12_000,
        "the PDF is drawn ({size} bytes of screenshot)"
    );
    snapshot(c, "client-pdf-preview").await;
}

/// The mail page, a message and the reply pane in Chinese and English, wide and on the
/// phone (one pane at a time): no raw catalog keys; the screenshots are for looking at.
async fn both_languages_both_sizes(c: &Client, base: &str) {
    for lang in ["zh-CN", "en"] {
        c.goto(&format!("{base}/mail")).await.unwrap();
        click(c, "#lang-switch").await;
        until(
            c,
            &format!("return document.documentElement.lang === '{lang}';"),
            "the language switches",
        )
        .await;
        for (w, h, size) in [(1400, 900, "wide"), (390, 844, "phone")] {
            c.set_window_size(w, h).await.unwrap();
            c.goto(&format!("{base}/mail")).await.unwrap();
            expect_text(c, "Inquiry 58").await;
            snapshot(c, &format!("client-{lang}-{size}-list")).await;
            c.find(Locator::XPath(
                "//ul[contains(@class,'messages')]//a[contains(., 'Inquiry 58')]",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            until(c, "return !!document.getElementById('subject') && document.getElementById('subject').textContent === 'Inquiry 58';", "the message opens").await;
            snapshot(c, &format!("client-{lang}-{size}-message")).await;
            click(c, "#reply").await;
            until(
                c,
                "return !!document.querySelector('#reply-pane #f-to');",
                "the reply pane",
            )
            .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            snapshot(c, &format!("client-{lang}-{size}-reply")).await;
            let text = js(c, "return document.body.innerText;").await;
            let text = text.as_str().unwrap_or("");
            for raw in ["mail.", "error.", "action.", "field."] {
                assert!(
                    !text
                        .split_whitespace()
                        .any(|w| w.starts_with(raw) && w.len() > raw.len() + 2 && !w.contains('@')),
                    "{lang} {size}: a raw key ({raw}…) on the page"
                );
            }
            click(c, "#compose-discard").await;
            until(
                c,
                "return !document.getElementById('reply-pane');",
                "discarded",
            )
            .await;
        }
    }
}

#[tokio::test]
async fn a_salesperson_works_her_inbox_without_page_loads() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;
    let account = lucy_with_mail(&b).await;
    c.set_window_size(1400, 900).await.unwrap();
    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "Inquiry 59").await;
    let paint = js(
        c,
        "var e = performance.getEntriesByName('first-contentful-paint'); return e.length ? e[0].startTime : null;",
    )
    .await;
    println!("mail page first-contentful-paint: {paint} ms");
    snapshot(c, "client-inbox").await;
    // Set once; a page load would lose it.
    js(c, "window.wharfMarker = 'one page'; return true;").await;

    // j opens the newest in the pane, j the next, k back; the URL follows.
    key(c, "j").await;
    until(c, "return !!document.getElementById('subject') && document.getElementById('subject').textContent === 'Inquiry 59';", "j opens the newest").await;
    key(c, "j").await;
    until(
        c,
        "return document.getElementById('subject').textContent === 'Inquiry 58';",
        "j moves on",
    )
    .await;
    assert!(c.current_url().await.unwrap().as_str().contains("&m="));
    key(c, "k").await;
    until(
        c,
        "return document.getElementById('subject').textContent === 'Inquiry 59';",
        "k moves back",
    )
    .await;
    let preview = reply_in_the_pane(&b).await;
    // The body's quote is folded inside its frame, and the frame grew to its content.
    until(
        c,
        "return document.getElementById('mail-body').getBoundingClientRect().height > 60;",
        "the frame is sized",
    )
    .await;

    // Tag and star: the pane and the list row change, the page stays.
    fill(c, "#f-tag", "urgent").await;
    click(c, "#add-tag").await;
    until(c, "return document.querySelector('#mail-list li.on') !== null && document.querySelector('#mail-list li.on').textContent.indexOf('# urgent') >= 0;", "the tag shows in the list").await;
    click(c, "#star").await;
    until(
        c,
        "return document.querySelector('#mail-list li.on').textContent.indexOf('★') >= 0;",
        "the star shows in the list",
    )
    .await;

    // Scroll down the list, open a message there: Back returns to the list as it was.
    js(
        c,
        "document.getElementById('mail-list').scrollTop = 900; return true;",
    )
    .await;
    c.find(Locator::XPath(
        "//ul[contains(@class,'messages')]//a[contains(., 'Inquiry 40')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until(
        c,
        "return document.getElementById('subject').textContent === 'Inquiry 40';",
        "the click opens in the pane",
    )
    .await;
    // (The click scrolled the row into view: that is where she left the list.)
    let before = js(c, "return document.getElementById('mail-list').scrollTop;").await;
    c.back().await.unwrap();
    until(
        c,
        "return document.getElementById('subject').textContent === 'Inquiry 59';",
        "Back shows the one before",
    )
    .await;
    let after = js(c, "return document.getElementById('mail-list').scrollTop;").await;
    assert_eq!(before, after, "the list kept its scroll");

    // Pending: `e` (done, no reply needed) takes the open mail off the list.
    click(c, "#view-pending").await;
    until(c, "return location.search.indexOf('view=pending') >= 0 && document.querySelectorAll('#mail-list li[id^=msg-]').length > 0;", "Pending shows").await;
    key(c, "j").await;
    until(
        c,
        "return !!document.getElementById('dismiss');",
        "a pending mail opens",
    )
    .await;
    let gone = subject(c).await;
    key(c, "e").await;
    until(
        c,
        &format!("return Array.prototype.every.call(document.querySelectorAll('#mail-list li[id^=msg-]'), function (li) {{ return li.textContent.indexOf('{gone}') < 0; }});"),
        "the dismissed mail leaves Pending",
    )
    .await;
    assert_eq!(
        js(c, "return window.wharfMarker;").await,
        json!("one page"),
        "no page load"
    );
    b.assert_no_csp_violation("mailbox").await;

    // A second tab shares the first one's live connection; new mail reaches both.
    assert_eq!(
        js(c, "return window.WharfLive.mode;").await,
        json!("shared")
    );
    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "Inquiry 59").await;
    let first = c.window().await.unwrap();
    let second = c.new_window(true).await.unwrap().handle;
    c.switch_to_window(second.clone()).await.unwrap();
    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "Inquiry 59").await;
    until(
        c,
        "return window.WharfLive.mode === 'shared';",
        "the second tab shares",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    import(
        &b,
        account,
        "late.mbox",
        "From late@example.com Mon Nov  2 10:00:00 2026\nFrom: Late Buyer <late@example.com>\nTo: lucy@wharf.test\nSubject: Arrives live\nDate: Tue, 3 Nov 2026 10:00:00 +0000\nMessage-ID: <late@example.com>\n\nHello.\n\n",
    );
    until(
        c,
        "return document.getElementById('mail-list').textContent.indexOf('Arrives live') >= 0;",
        "new mail reaches the second tab",
    )
    .await;
    c.close_window().await.unwrap();
    c.switch_to_window(first).await.unwrap();
    until(
        c,
        "return document.getElementById('mail-list').textContent.indexOf('Arrives live') >= 0;",
        "and the first",
    )
    .await;

    // Without SharedWorker (Safari on iOS, Chrome on Android) one leader tab holds the
    // stream and passes it on a BroadcastChannel: a second copy of live.js per tab, with
    // SharedWorker taken away, must lead in one tab and follow in the other.
    let no_worker = "window.SharedWorker = undefined; window.leaderCounts = 0; var s = document.createElement('script'); s.src = document.querySelector('script[src^=\"/assets/live.js\"]').src; s.onload = function () { window.WharfLive.on('counts', function () { window.leaderCounts++; }); }; document.body.appendChild(s); return true;";
    js(c, no_worker).await;
    until(
        c,
        "return window.WharfLive.mode === 'leader';",
        "the first tab leads",
    )
    .await;
    let follower = c.new_window(true).await.unwrap().handle;
    c.switch_to_window(follower).await.unwrap();
    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "Inquiry 59").await;
    js(c, no_worker).await;
    until(
        c,
        "return window.WharfLive.mode === 'follower' && window.leaderCounts > 0;",
        "the second tab follows and gets the latest counts",
    )
    .await;
    js(c, "window.leaderCounts = 0; return true;").await;
    import(
        &b,
        account,
        "later.mbox",
        "From later@example.com Mon Nov  2 10:00:00 2026\nFrom: Later Buyer <later@example.com>\nTo: lucy@wharf.test\nSubject: Arrives through the leader\nDate: Tue, 3 Nov 2026 11:00:00 +0000\nMessage-ID: <later@example.com>\n\nHello.\n\n",
    );
    until(
        c,
        "return window.leaderCounts > 0;",
        "new counts reach the follower through the leader",
    )
    .await;
    c.close_window().await.unwrap();
    let first = c.windows().await.unwrap().into_iter().next().unwrap();
    c.switch_to_window(first).await.unwrap();

    // The phone: the list, then the message as a pane of its own, Back to the list.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/mail")).await.unwrap();
    expect_text(c, "Inquiry 59").await;
    no_sideways_scroll(c, "mail list").await;
    js(c, "window.wharfMarker = 'phone'; document.getElementById('mail-list').scrollTop = 500; return true;").await;
    c.find(Locator::XPath(
        "//ul[contains(@class,'messages')]//a[contains(., 'Inquiry 50')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until(c, "return !!document.getElementById('subject') && document.getElementById('subject').textContent === 'Inquiry 50' && document.getElementById('mail-list').getClientRects().length === 0;", "the message covers the list").await;
    no_sideways_scroll(c, "open message").await;
    snapshot(c, "client-phone-message").await;
    click(c, "#pane-back").await;
    until(c, "return document.getElementById('mail-list').getClientRects().length > 0 && document.getElementById('mail-read').getClientRects().length === 0;", "Back shows the list").await;
    assert_eq!(
        js(c, "return document.getElementById('mail-list').scrollTop;").await,
        json!(500)
    );
    assert_eq!(js(c, "return window.wharfMarker;").await, json!("phone"));
    // Choosing a folder on the phone loads its list without a page load; Back returns.
    click(c, "#pane-folders").await;
    until(
        c,
        "return document.getElementById('mail-views').getClientRects().length > 0;",
        "the folders pane",
    )
    .await;
    click(c, "#view-sent").await;
    until(c, "return location.search.indexOf('view=sent') >= 0 && document.getElementById('mail-views').getClientRects().length === 0 && document.getElementById('mail-list').getClientRects().length > 0;", "the Sent list on the phone").await;
    assert_eq!(
        js(c, "return window.wharfMarker;").await,
        json!("phone"),
        "no page load"
    );
    js(c, "history.back(); return true;").await;
    until(c, "return location.search.indexOf('view=sent') < 0 && document.getElementById('mail-list').textContent.indexOf('Inquiry 59') >= 0;", "Back returns to the list").await;
    assert_eq!(js(c, "return window.wharfMarker;").await, json!("phone"));
    c.goto(&format!("{base}/customers")).await.unwrap();
    expect_text(c, "id=\"quick-filters\"").await;
    no_sideways_scroll(c, "customers").await;
    b.assert_no_csp_violation("phone").await;
    c.set_window_size(1400, 900).await.unwrap();
    pdf_previews_inline(c, &base, &preview).await;
    both_languages_both_sizes(c, &base).await;
    b.close().await;
}
