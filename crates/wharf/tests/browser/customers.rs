//! Customers in the browser: create, the live duplicate check, contacts, history, the pool.

use std::time::Duration;

use fantoccini::Locator;

use crate::driver::*;

/// Customers in the browser: create one, the duplicate check while typing names its
/// owner and a second one with the same name is refused; a contact; an edit that shows
/// in the history; release to the pool and claim back, with the owner log; search.
#[tokio::test]
async fn customers_are_created_checked_for_duplicates_and_pooled() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;
    c.goto(&format!("{base}/customers")).await.unwrap();
    expect_text(c, "id=\"empty\"").await;
    click(c, "#new-customer").await;
    expect_path(c, "/customers/new").await;
    fill(c, "#f-name", "Acme Valves Ltd").await;
    fill(c, "#f-website", "https://www.acme-valves.com").await;
    fill(c, "#f-phones", "+86 574 8765 4321").await;
    click(c, "#save").await;
    let page = expect_text(c, "id=\"customer-name\"").await;
    assert!(page.contains("Acme Valves Ltd"));
    assert_eq!(owners(c).await, "Administrator");

    // While typing a new one, the existing customer and its owner show up.
    c.goto(&format!("{base}/customers/new")).await.unwrap();
    fill(c, "#f-name", "ACME valves ltd.").await;
    let mut shown = String::new();
    for _ in 0..40 {
        let hidden = c
            .find(Locator::Css("#duplicates"))
            .await
            .unwrap()
            .attr("hidden")
            .await
            .unwrap();
        if hidden.is_none() {
            shown = c
                .find(Locator::Css("#duplicate-list"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        shown.contains("Acme Valves Ltd") && shown.contains("owner: Administrator"),
        "duplicate shown while typing: {shown:?}"
    );
    fill(c, "#f-phones", "0574-87654321").await;
    click(c, "#save").await;
    expect_text(c, "A customer with this name exists already.").await;
    snapshot(c, "customer-duplicate").await;

    // A contact, then an edit that lands in the history.
    c.goto(&format!("{base}/customers")).await.unwrap();
    c.find(Locator::Css("#customer-list tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(c, "#new-contact").await;
    fill(c, "#f-name", "Tom Baker").await;
    fill(c, "#f-emails", "tom@acme-valves.com").await;
    click(c, "#save").await;
    let page = expect_text(c, "Tom Baker").await;
    assert!(page.contains("tom@acme-valves.com") && page.contains("Primary"));
    click(c, "#edit").await;
    choose(c, "#f-stage", "target").await;
    fill(c, "#f-city", "Ningbo").await;
    click(c, "#save").await;
    let page = expect_text(c, "id=\"history\"").await;
    assert!(page.contains("Reserve") && page.contains("Target") && page.contains("Ningbo"));

    // A document kept with the customer, downloaded again byte for byte.
    let doc = b.data.join("price-list.pdf");
    std::fs::write(&doc, b"%PDF-1.4 price list 2027").unwrap();
    c.find(Locator::Css("#f-documents"))
        .await
        .unwrap()
        .send_keys(doc.to_str().unwrap())
        .await
        .unwrap();
    click(c, "#add-document").await;
    let page = expect_text(c, "price-list.pdf").await;
    let at = page.find("href=\"/documents/").unwrap() + 6;
    let href = page[at..].split('"').next().unwrap().to_string();
    let body: String = c
        .execute_async(
            &format!(
                "var done = arguments[arguments.length - 1];\
                 fetch('{href}', {{credentials: 'same-origin'}}).then(r => r.text()).then(done);"
            ),
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(body, "%PDF-1.4 price list 2027");

    // Into a group, then found by it.
    fill(c, "#f-group_name", "Key accounts").await;
    click(c, "#join-group").await;
    expect_text(c, "class=\"chip\">Key accounts").await;
    let page = source(c).await;
    let back = c.current_url().await.unwrap().to_string();
    c.goto(&format!("{base}/customers")).await.unwrap();
    let list = expect_text(c, "id=\"f-group\"").await;
    let at = list.find(">Key accounts<").unwrap();
    let value_at = list[..at].rfind("value=\"").unwrap() + 7;
    let group = list[value_at..].split('"').next().unwrap().to_string();
    c.goto(&format!("{base}/customers?group={group}"))
        .await
        .unwrap();
    expect_text(c, "Acme Valves Ltd").await;
    drop(page);
    c.goto(&back).await.unwrap();

    // Release to the pool, find it there, claim it back.
    c.execute("window.confirm = function () { return true; };", vec![])
        .await
        .unwrap();
    click(c, "#release").await;
    expect_text(c, "id=\"claim\"").await;
    assert_eq!(owners(c).await, "Public pool");
    c.goto(&format!("{base}/customers?quick=pool"))
        .await
        .unwrap();
    expect_text(c, "Acme Valves Ltd").await;
    c.find(Locator::Css("#customer-list tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(c, "#claim").await;
    let page = expect_text(c, "id=\"release\"").await;
    assert_eq!(owners(c).await, "Administrator");
    assert!(
        page.contains("claimed it from the pool") && page.contains("released it to the pool"),
        "the owner log"
    );
    snapshot(c, "customer").await;

    // Search by city; nothing for an unknown word.
    c.goto(&format!("{base}/customers?q=ningbo")).await.unwrap();
    expect_text(c, "Acme Valves Ltd").await;
    c.goto(&format!("{base}/customers?q=nowhere"))
        .await
        .unwrap();
    expect_text(c, "id=\"empty\"").await;

    // Bulk: tick it and move it to the last stage.
    c.goto(&format!("{base}/customers")).await.unwrap();
    click(c, "#customer-list tbody input[type=checkbox]").await;
    choose(c, "#f-action", "stage").await;
    choose(c, "#f-bulk-stage", "won").await;
    click(c, "#bulk-apply").await;
    expect_text(c, "Done for 1 customers; 0 refused").await;
    c.goto(&format!("{base}/customers?stage=won"))
        .await
        .unwrap();
    expect_text(c, "Acme Valves Ltd").await;
    b.close().await;
}
