//! Confirmation dialogs and the main pages under the strict Content-Security-Policy.

use std::time::{Duration, Instant};

use crate::driver::*;

/// Issue 14: with every script in a file and a strict CSP, the confirmation dialogs
/// appear (dismissing one leaves the customer as it was; accepting releases it), and the
/// main pages — customers, a customer, the mailbox, compose with the editor, the search
/// box's suggestions — run without a single CSP violation in the console.
#[tokio::test]
async fn confirmations_appear_and_pages_run_under_a_strict_csp() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());
    first_start(c, &base).await;
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
    store
        .create_account(
            ctx,
            &vault,
            wharf_store::testing::local_account("export@wharf.test", Some(admin_id)),
        )
        .await
        .unwrap();
    let customer = store
        .create_customer(
            ctx,
            wharf_core::customers::CustomerInput {
                name: "Acme Valves Ltd".into(),
                ..Default::default()
            },
            &[admin_id],
        )
        .await
        .unwrap();
    b.console().await;

    // The release asks; "Cancel" leaves the customer where it was.
    c.goto(&format!("{base}/customers/{customer}"))
        .await
        .unwrap();
    click(c, "#release").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let question = loop {
        match c.get_alert_text().await {
            Ok(t) => break t,
            Err(e) => {
                assert!(Instant::now() < deadline, "no confirmation dialog: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    assert!(question.contains("Release this customer"), "{question}");
    c.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let page = source(c).await;
    assert!(
        page.contains("id=\"release\"") && !page.contains("id=\"claim\""),
        "released anyway"
    );
    assert_eq!(owners(c).await, "Administrator");
    // "OK" releases it.
    click(c, "#release").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.accept_alert().await.unwrap();
    expect_text(c, "id=\"claim\"").await;
    b.assert_no_csp_violation("customer").await;

    // The list, the mailbox and compose with the editor.
    c.goto(&format!("{base}/customers")).await.unwrap();
    expect_text(c, "Acme Valves Ltd").await;
    b.assert_no_csp_violation("customers").await;
    c.goto(&format!("{base}/mail")).await.unwrap();
    element(c, "#mail-views").await;
    b.assert_no_csp_violation("mailbox").await;
    c.goto(&format!("{base}/mail/compose")).await.unwrap();
    element(c, ".jodit-wysiwyg").await;
    fill(c, "#f-subject", "Price list").await;
    b.assert_no_csp_violation("compose").await;

    // The search box's suggestions.
    c.goto(&format!("{base}/customers")).await.unwrap();
    fill(c, "#global-search", "acme").await;
    element(c, "#search-suggest:not([hidden]) #suggest-all").await;
    b.assert_no_csp_violation("search suggestions").await;
    b.close().await;
}
