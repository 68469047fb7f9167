//! The header's search box finds mail and customers within the user's scope.

use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::driver::*;

/// Runs the search in the header box of the current page and waits for the result page.
/// The server's indexer catches up twice a second: a fresh arrival may need a retry.
async fn search_box(c: &Client, base: &str, query: &str, expect: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        c.goto(&format!("{base}/")).await.unwrap();
        let input = c.find(Locator::Css("#global-search")).await.unwrap();
        input.send_keys(query).await.unwrap();
        input.send_keys("\u{E007}").await.unwrap();
        expect_path(c, "/search").await;
        let page = expect_text(c, "id=\"search-form\"").await;
        if page.contains(expect) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "search {query:?} never showed {expect:?}:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// FIND-1 in the browser: mail imported by the CLI while the server runs reaches the
/// server's index; the header's box finds it by Chinese, English and mixed words with
/// the words marked, opens it, narrows with the filter form, finds a customer by part of
/// its Chinese name; a bad date is explained; a salesperson finds none of it.
#[tokio::test]
async fn the_search_box_finds_mail_and_customers_in_scope() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;

    // A mail account and a salesperson, written straight into the server's database.
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
    let vault = wharf_store::vault::Vault::load_or_create(&b.data.join("secret.key")).unwrap();
    let account = store
        .create_account(
            ctx,
            &vault,
            wharf_store::testing::local_account("export@wharf.test", Some(admin_id)),
        )
        .await
        .unwrap();
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
    store
        .create_customer(
            ctx,
            wharf_core::customers::CustomerInput {
                name: "深圳华强照明有限公司".into(),
                main_products: "LED panel lights".into(),
                ..Default::default()
            },
            &[admin_id],
        )
        .await
        .unwrap();

    // Mail imported with the CLI while the server runs: an English inquiry with an
    // attachment, a Chinese quotation, a mixed one.
    let mbox = b.data.join("history.mbox");
    let b64 = |s: &str| {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in s.as_bytes().chunks(3) {
            let v = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(v[0]) << 16) | (u32::from(v[1]) << 8) | u32::from(v[2]);
            for i in 0..4 {
                out.push(if i <= chunk.len() {
                    T[((n >> (18 - 6 * i)) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        out
    };
    let mut text = String::new();
    text.push_str("From buyer@gulf-lights.example Mon Nov  2 10:00:00 2026\nFrom: Omar Haddad <buyer@gulf-lights.example>\nTo: export@wharf.test\nSubject: Inquiry for LED panel lights\nDate: Mon, 2 Nov 2026 10:00:00 +0400\nMessage-ID: <inq-1@gulf>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nWe are shipping to Dubai every month. Please send your best price for 600x600 panels.\n--B\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"drawing.pdf\"\n\n%PDF-1.4\n--B--\n\n");
    text.push_str(&format!(
        "From zhang@buyer.cn Tue Nov  3 10:00:00 2026\nFrom: 张伟 <zhang@buyer.cn>\nTo: export@wharf.test\nSubject: =?UTF-8?B?{}?=\nDate: Tue, 3 Nov 2026 10:00:00 +0800\nMessage-ID: <q-2@buyer>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{}\n\n",
        b64("关于面板灯的报价单"),
        b64("您好，报价单已收到，请确认交货期。")
    ));
    text.push_str(&format!(
        "From ahmed@dubai.example Wed Nov  4 10:00:00 2026\nFrom: Ahmed <ahmed@dubai.example>\nTo: export@wharf.test\nSubject: =?UTF-8?B?{}?=\nDate: Wed, 4 Nov 2026 10:00:00 +0400\nMessage-ID: <m-3@dubai>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{}\n\n",
        b64("LED报价 for Dubai"),
        b64("请报LED面板灯价格，5000 pcs。")
    ));
    std::fs::write(&mbox, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wharf"))
        .args(["import", "--account", &account.to_string(), "--data-dir"])
        .arg(&b.data)
        .arg(&mbox)
        .env_remove("WHARF_DATABASE_URL")
        .env_remove("WHARF_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // English, stemmed ("shipped" finds "shipping"), marked; it opens the mail.
    let page = search_box(c, &base, "shipped dubai", "Inquiry for LED panel lights").await;
    assert!(page.contains("<mark>shipping</mark>"), "{page}");
    assert!(page.contains("id=\"mail-total\">1<"), "{page}");
    snapshot(c, "search-english").await;
    click(c, "#mail-results .hit-title").await;
    expect_path(c, "/mail").await;
    expect_text(c, "buyer@gulf-lights.example").await;

    // Chinese: a word inside a longer one; mixed Chinese and English.
    let page = search_box(c, &base, "报价", "id=\"mail-total\">2<").await;
    assert!(page.contains("<mark>报价</mark>"), "{page}");
    let page = search_box(c, &base, "LED 报价", "id=\"mail-total\">1<").await;
    assert!(page.contains("Dubai"), "{page}");
    snapshot(c, "search-mixed").await;

    // The filter form: attachments only.
    search_box(c, &base, "LED", "id=\"mail-total\">2<").await;
    click(c, "#search-filters summary").await;
    click(c, "#f-has").await;
    click(c, "#search-go").await;
    expect_text(c, "id=\"mail-total\">1<").await;
    assert!(c.current_url().await.unwrap().as_str().contains("has=1"));

    // A customer by part of its Chinese name; it opens the customer page.
    let page = search_box(c, &base, "华强", "id=\"customer-total\">1<").await;
    assert!(page.contains("<mark>华强</mark>"), "{page}");
    click(c, "#customer-results .hit-title").await;
    expect_text(c, "深圳华强照明有限公司").await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/customers/")
    );

    // Suggestions as one types, under the box: an unfinished English word finds the
    // mail; a Chinese word the customer, which the arrow keys and Enter open.
    c.goto(&format!("{base}/")).await.unwrap();
    let input = element(c, "#global-search").await;
    input.send_keys("dub").await.unwrap();
    let shown = expect_text(c, "id=\"suggest-mail-").await;
    assert!(shown.contains("id=\"suggest-all\""), "{shown}");
    input.send_keys("\u{E00C}").await.unwrap(); // Escape
    let deadline = Instant::now() + Duration::from_secs(10);
    while element(c, "#search-suggest")
        .await
        .is_displayed()
        .await
        .unwrap()
    {
        assert!(Instant::now() < deadline, "Escape closes the suggestions");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    input.clear().await.unwrap();
    input.send_keys("深圳华强").await.unwrap();
    expect_text(c, "id=\"suggest-customer-").await;
    snapshot(c, "search-suggestions").await;
    input.send_keys("\u{E015}").await.unwrap(); // Arrow down: the customer
    input.send_keys("\u{E007}").await.unwrap(); // Enter
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/customers/")
    {
        assert!(Instant::now() < deadline, "Enter opens the customer chosen");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    expect_text(c, "深圳华强照明有限公司").await;

    // "/" anywhere on a page (not in a field) goes to the box.
    c.goto(&format!("{base}/customers")).await.unwrap();
    element(c, "body").await.send_keys("/").await.unwrap();
    let focused = c
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("global-search"));

    // A date that does not exist is explained, not an error page.
    search_box(c, &base, "after:2026-13-01", "is not a date").await;

    // Lucy, a salesperson, finds none of the admin's mail or customers.
    click(c, "#logout").await;
    sign_in(c, &base, "lucy", "lucy-own-pass-1").await;
    expect_path(c, "/").await;
    let page = search_box(c, &base, "报价", "id=\"search-form\"").await;
    assert!(
        !page.contains("mail-hit-") && !page.contains("customer-hit-"),
        "{page}"
    );
    let page = search_box(c, &base, "华强", "id=\"search-form\"").await;
    assert!(!page.contains("customer-hit-"), "{page}");
    // Nor among the suggestions: only the way to the search page.
    c.goto(&format!("{base}/")).await.unwrap();
    element(c, "#global-search")
        .await
        .send_keys("华强")
        .await
        .unwrap();
    let shown = expect_text(c, "id=\"suggest-all\"").await;
    assert!(
        !shown.contains("id=\"suggest-customer-") && !shown.contains("id=\"suggest-mail-"),
        "{shown}"
    );

    store.close().await;
    b.close().await;
}
