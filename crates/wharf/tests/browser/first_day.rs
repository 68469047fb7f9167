//! The admin's first day: first-start password, a wrong then right sign-in, a department
//! and a salesperson, the salesperson refused the admin pages with the 403 page, and the
//! language switch.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::driver::*;

#[tokio::test]
async fn admin_sets_up_the_company_and_a_salesperson_is_kept_out() {
    let Some(b) = Browser::start(&[]).await else {
        return;
    };
    let (c, base) = (&b.c, b.base.clone());

    // First start: the admin password must be set before anything else.
    c.goto(&base).await.unwrap();
    expect_path(c, "/setup").await;
    expect_text(c, "Welcome to Wharf").await;
    fill(c, "#f-password", "first-admin-pass").await;
    fill(c, "#f-confirm_password", "first-admin-pass").await;
    click(c, "#submit").await;
    expect_text(c, "Welcome, ").await;
    click(c, "#logout").await;

    // Wrong password, then the right one.
    sign_in(c, &base, "admin", "not-the-password").await;
    expect_text(c, "Wrong username or password.").await;
    sign_in(c, &base, "admin", "first-admin-pass").await;
    expect_path(c, "/").await;

    // A department, then a salesperson in it.
    c.goto(&format!("{base}/system/departments/new"))
        .await
        .unwrap();
    fill(c, "#f-name", "Export Dept").await;
    click(c, "#save").await;
    expect_text(c, "Export Dept").await;

    c.goto(&format!("{base}/system/staff/new")).await.unwrap();
    fill(c, "#f-username", "lucy").await;
    fill(c, "#f-name", "Lucy Wang").await;
    c.find(Locator::Css("#f-department_id"))
        .await
        .unwrap()
        .select_by_label("Export Dept")
        .await
        .unwrap();
    c.find(Locator::Css("#f-role_id"))
        .await
        .unwrap()
        .select_by_label("Salesperson")
        .await
        .unwrap();
    fill(c, "#f-password", "short").await;
    click(c, "#save").await;
    expect_text(c, "At least 8 characters.").await;
    fill(c, "#f-password", "lucy-first-pass").await;
    click(c, "#save").await;
    // The form shown again with the error has the same path and the same name in it:
    // the list is known by its "New" button, which the form does not have.
    let list = expect_text(c, "id=\"new\"").await;
    assert!(list.contains("Lucy Wang"), "Lucy in the staff list");
    expect_path(c, "/system/staff").await;
    click(c, "#logout").await;

    // The salesperson must choose her own password, then cannot open the admin pages.
    sign_in(c, &base, "lucy", "lucy-first-pass").await;
    expect_path(c, "/profile").await;
    fill(c, "#f-current_password", "lucy-first-pass").await;
    fill(c, "#f-new_password", "lucy-own-pass-1").await;
    fill(c, "#f-confirm_password", "lucy-own-pass-1").await;
    click(c, "#change-password").await;
    // Done when the profile comes back without the must-change notice (the page before
    // the click has the same text otherwise).
    let deadline = Instant::now() + Duration::from_secs(10);
    while source(c).await.contains("id=\"must-change\"") {
        assert!(
            Instant::now() < deadline,
            "the password change never finished"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    expect_text(c, "API").await;
    c.goto(&format!("{base}/system/staff")).await.unwrap();
    let page = expect_text(c, "You do not have permission").await;
    assert!(page.contains("403"));
    assert!(!page.contains("<table"), "no staff list shown");
    assert!(
        c.find(Locator::Css("[data-nav=system]")).await.is_err(),
        "no System entry in her navigation"
    );

    // Language switch: Chinese labels, then English again.
    c.goto(&base).await.unwrap();
    expect_text(c, ">Customers<").await;
    click(c, "#lang-switch").await;
    let zh = expect_text(c, ">客户<").await;
    assert!(zh.contains("退出"), "Chinese labels after the switch");
    click(c, "#lang-switch").await;
    expect_text(c, ">Sign out<").await;

    b.close().await;
}
