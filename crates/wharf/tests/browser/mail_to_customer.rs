//! A stranger's inquiry becomes a customer from the reading pane (a step of the mail
//! account journey).

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::driver::*;

/// LINK-1..4, LINK-6, MAIL-4: a stranger's Alibaba.com inquiry synced from Dovecot is
/// read for the salesperson; one click on the prefilled quick entry makes the buyer a
/// customer, whose page then has the buyer's earlier mail, the inquiry, and a later mail
/// synced after; a second quick entry for the same buyer is refused.
pub async fn stranger_becomes_a_customer(
    c: &Client,
    base: &str,
    endpoint: &wharf_mail::net::Endpoint,
    user: &str,
) {
    let deliver = |raw: String| async move {
        let mut conn = wharf_mail::imap::login(endpoint, user, "testpass")
            .await
            .unwrap();
        conn.append("INBOX", "", raw.as_bytes()).await.unwrap();
        conn.logout().await;
    };
    deliver(format!(
        "From: Alibaba.com <notice@service.alibaba.com>\r\nTo: {user}@example.test\r\nSubject: New inquiry from Buyer One about DN50 valves\r\nMessage-ID: <inq-{user}@alibaba.com>\r\n\r\nYou have received a new inquiry on Alibaba.com.\r\n\r\nInquiry ID: A-7001\r\nProduct Name: DN50 Ball Valve\r\nPurchase Quantity: 500 Pieces\r\nBuyer Name: Buyer One\r\nCompany Name: Buyer One Trading\r\nCountry/Region: United States\r\nEmail: buyer1@example.com\r\n\r\nMessage:\r\nPlease send your best price.\r\n\r\nReply to this inquiry on Alibaba.com\r\n"
    ))
    .await;
    let mut found = false;
    for _ in 0..60 {
        c.goto(&format!("{base}/mail?view=inbox&party=stranger"))
            .await
            .unwrap();
        if source(c).await.contains("New inquiry from Buyer One") {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(found, "the inquiry arrives among the strangers' mail");
    assert!(
        source(c).await.contains("RFQ 1"),
        "so does the buyer's earlier mail"
    );
    c.find(Locator::XPath(
        "//ul[contains(@class,'messages')]//a[contains(., 'New inquiry from Buyer One')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let open = expect_text(c, "id=\"inquiry-notice\"").await;
    assert!(
        open.contains("Alibaba.com inquiry: Buyer One, Buyer One Trading, United States"),
        "{open}"
    );
    click(c, "#quick-entry").await;
    let form = expect_text(c, "id=\"quick-form\"").await;
    assert!(
        form.contains("value=\"Buyer One Trading\"")
            && form.contains("value=\"buyer1@example.com\"")
    );
    snapshot(c, "quick-entry").await;
    // One click.
    click(c, "#quick-save").await;
    let page = expect_text(c, "id=\"customer-mail\"").await;
    assert!(
        page.contains("Buyer One Trading") && page.contains("Alibaba.com"),
        "source set: {page}"
    );
    assert!(page.contains("RFQ 1"), "the buyer's earlier mail is linked");
    assert!(
        page.contains("New inquiry from Buyer One"),
        "and the inquiry itself"
    );
    // The customer is followed (LINK-5); a later mail from the buyer is announced live,
    // by name, and joins the page.
    let customer_page = c.current_url().await.unwrap().to_string();
    c.goto(&format!("{customer_page}/edit")).await.unwrap();
    click(c, "#f-follow").await;
    click(c, "#save").await;
    expect_text(c, "id=\"customer-name\">★ Buyer One Trading").await;
    deliver(format!(
        "From: Buyer One <buyer1@example.com>\r\nTo: {user}@example.test\r\nSubject: Order follow-up\r\nMessage-ID: <later-{user}@example.com>\r\n\r\nWe confirm.\r\n"
    ))
    .await;
    let mut announced = false;
    for _ in 0..80 {
        let notice = c.find(Locator::Css("#live-followed")).await.unwrap();
        if notice.attr("hidden").await.unwrap().is_none() {
            let text = c
                .find(Locator::Css("#live-followed-link"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(text, "New mail from Buyer One Trading (followed)");
            announced = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        announced,
        "mail from a followed customer is announced without a reload"
    );
    c.refresh().await.unwrap();
    assert!(
        expect_text(c, "id=\"customer-mail\"")
            .await
            .contains("Order follow-up"),
        "the later mail is on the customer page"
    );
    snapshot(c, "customer-mail").await;
    // Its side card names the customer; the list by sender finds it.
    c.find(Locator::XPath(
        "//div[@id='customer-mail']//a[contains(., 'Order follow-up')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let open = expect_text(c, "id=\"sender-card\"").await;
    assert!(
        open.contains("id=\"sender-party\">Known contacts<"),
        "{open}"
    );
    assert!(open.contains("class=\"customer-link\">★ Buyer One Trading<"));
    assert!(
        open.contains("RFQ 1"),
        "the earlier mail is listed beside it"
    );
    assert!(
        !open.contains("id=\"quick-entry\""),
        "no quick entry for a known address"
    );
    snapshot(c, "sender-card").await;
    c.goto(&format!("{base}/mail?view=inbox&party=contact"))
        .await
        .unwrap();
    let known = expect_text(c, "Order follow-up").await;
    assert!(known.contains("RFQ 1"));
    assert!(
        known.contains("class=\" followed\"") || known.contains(" followed\" id=\"msg-"),
        "highlighted"
    );
    // The same inquiry again: the page offers the customer she already has (no block:
    // it is her own), so no second copy is made by habit.
    let inquiry = c
        .find(Locator::XPath(
            "//ul[contains(@class,'messages')]//a[contains(., 'New inquiry from Buyer One')]",
        ))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let id = inquiry.rsplit("m=").next().unwrap().to_string();
    c.goto(&format!("{base}/mail/m/{id}/customer"))
        .await
        .unwrap();
    let again = expect_text(c, "id=\"yours-").await;
    assert!(again.contains("id=\"matches\"") && again.contains("Buyer One Trading"));
}
